"""What the practice commands share: catalog, engine and store hooks, answer and profile input.

Tests replace `catalog` and `engine` here to run the commands without the embedding model.
"""

from __future__ import annotations

import sys
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from healthpm.accounts.models import User
from healthpm.catalog import Catalog, get_catalog
from healthpm.config import get_settings
from healthpm.domain.profile import Profile
from healthpm.errors import InvalidInputError
from healthpm.practice import scoring
from healthpm.store import open_store


def catalog() -> Catalog:
    """The shipped knowledge base."""
    return get_catalog()


def engine(current: Catalog) -> scoring.ScoringEngine:
    """The feedback engine; the only call that imports the embedding model."""
    return scoring.load_engine(current)


def session_factory() -> sessionmaker[Session]:
    """The migrated store of the configured data dir."""
    return open_store(get_settings(), pooled=False)


def read_answer(source: str) -> str:
    """The answer text from a UTF-8 file, or from stdin when source is '-'."""
    if source == "-":
        data = sys.stdin.buffer.read() if hasattr(sys.stdin, "buffer") else sys.stdin.read()
        origin = "stdin"
    else:
        path = Path(source)
        origin = str(path)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise InvalidInputError(f"{path}: no such answer file") from None
        except IsADirectoryError:
            raise InvalidInputError(f"{path}: is a directory, not an answer file") from None
        except OSError as exc:
            raise InvalidInputError(f"{path}: cannot read ({exc.strerror})") from None
    if isinstance(data, str):
        return data
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInputError(f"{origin}: not UTF-8 text; save the answer as UTF-8") from None


def load_profile(path: Path | None, current: Catalog) -> Profile | None:
    """The profile file given with --profile, validated, or None."""
    if path is None:
        return None
    from healthpm.navigator.profile_io import read_profile

    return read_profile(path, current)


def profile_or_stored(
    given: Profile | None, session: Session, user: User, current: Catalog
) -> Profile | None:
    """The --profile given, else the profile last saved by `healthpm plan` (or the web app)."""
    if given is not None:
        return given
    from healthpm.cli.common import err_console
    from healthpm.navigator.service import current_profile

    stored = current_profile(session, user=user, catalog=current)
    if stored is not None:  # never a silent switch: name the profile the web app may have set
        err_console.print(
            f"using your current profile {stored.name!r} (pass --profile FILE for another)",
            highlight=False,
        )
    return stored
