"""`healthpm export -o FILE` and `healthpm import FILE`: your data as one JSON file."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy.orm import Session

from healthpm.accounts.models import User
from healthpm.errors import DataFileError, InvalidInputError, NotFoundError

MAX_IMPORT_BYTES = 200 * 1024 * 1024

EmailOption = Annotated[
    str | None,
    typer.Option("--email", help="the account on a multi-user install (default: the local user)"),
]


@contextmanager
def _user_session(email: str | None) -> Iterator[tuple[Session, User]]:
    """A transaction on the configured store and the chosen user; commits on success."""
    from healthpm.accounts.service import ensure_local_user, get_user_by_email
    from healthpm.config import get_settings
    from healthpm.db import transaction
    from healthpm.store import open_store

    factory = open_store(get_settings(), pooled=False)
    try:
        with transaction(factory) as session:
            if email is None:
                _refuse_local_on_accounts(session)
            user = (
                ensure_local_user(session) if email is None else get_user_by_email(session, email)
            )
            if user is None:
                raise NotFoundError(f"no account with email {email}; see `healthpm user create`")
            yield session, user
    finally:
        factory.kw["bind"].dispose()


def _refuse_local_on_accounts(session: Session) -> None:
    """On a multi-user database the local user is nobody: never create it there (B6).

    A local user that already exists (a one-person install that later got accounts) is
    still exported and imported as before.
    """
    from sqlalchemy import select

    from healthpm.accounts.admin import has_accounts
    from healthpm.accounts.models import LOCAL_USER_EMAIL

    local = session.scalar(select(User.id).where(User.email == LOCAL_USER_EMAIL))
    if local is None and has_accounts(session):
        raise InvalidInputError(
            "this database has accounts: name one with --email, or export every account "
            "with --all -o DIR"
        )


def export_cmd(
    output: Annotated[
        Path, typer.Option("-o", "--output", help="the JSON file (with --all: a directory)")
    ],
    email: EmailOption = None,
    all_users: Annotated[
        bool, typer.Option("--all", help="every account, one JSON file each, into a directory")
    ] = False,
) -> None:
    """Write everything stored for you (profiles, plans, progress, practice) as JSON."""
    from healthpm.accounts.portability import export_user_data

    if all_users:
        if email is not None:
            raise InvalidInputError("give --email or --all, not both")
        _export_all(output)
        return
    if output.is_dir():
        raise InvalidInputError(f"{output} is a directory; give a file name such as my-data.json")
    with _user_session(email) as (session, user):
        data = export_user_data(session, user)
    text = json.dumps(data, indent=2, ensure_ascii=False)
    try:
        output.write_text(text + "\n", encoding="utf-8")
    except OSError as exc:
        raise InvalidInputError(f"cannot write {output}: {exc.strerror or exc}") from None
    counts = ", ".join(f"{len(data[k])} {k.replace('_', ' ')}" for k in ("profiles", "attempts"))
    typer.echo(f"wrote {output} ({counts})")


def _export_all(directory: Path) -> None:
    """One `healthpm export` file per account (importable with `import --email`)."""
    from healthpm.accounts.admin import accounts
    from healthpm.accounts.portability import export_user_data
    from healthpm.config import get_settings
    from healthpm.db import transaction
    from healthpm.store import open_store

    if directory.exists() and not directory.is_dir():
        raise InvalidInputError(f"{directory} is a file; --all writes into a directory")
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InvalidInputError(f"cannot create {directory}: {exc.strerror or exc}") from None
    factory = open_store(get_settings(), pooled=False)
    written = attempts = 0
    try:
        with transaction(factory) as session:
            users = accounts(session)
            if not users:  # a one-person install: its local user is the only account
                from healthpm.accounts.service import ensure_local_user

                users = [ensure_local_user(session)]
            for user in users:
                data = export_user_data(session, user)
                name = f"{user.id:05d}-{user.email.replace('/', '_')}.json"
                text = json.dumps(data, indent=2, ensure_ascii=False)
                (directory / name).write_text(text + "\n", encoding="utf-8")
                written += 1
                attempts += len(data["attempts"])
    finally:
        factory.kw["bind"].dispose()
    typer.echo(f"wrote {written} account files to {directory} ({attempts} attempts in all)")


def _read_json(path: Path) -> object:
    try:
        if path.stat().st_size > MAX_IMPORT_BYTES:
            raise DataFileError(f"{path} is larger than {MAX_IMPORT_BYTES // 2**20} MB")
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InvalidInputError(f"no file {path}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DataFileError(f"{path} is not a JSON file ({exc.__class__.__name__})") from None
    except RecursionError:
        raise DataFileError(f"{path} nests too deeply to be a healthpm export") from None
    except OSError as exc:
        raise InvalidInputError(f"cannot read {path}: {exc.strerror or exc}") from None


def import_cmd(
    file: Annotated[Path, typer.Argument(help="a file written by `healthpm export`")],
    email: EmailOption = None,
) -> None:
    """Load an export (from this or another install); importing it twice adds nothing."""
    from healthpm.accounts.portability import import_user_data

    data = _read_json(file)
    with _user_session(email) as (session, user):
        added = import_user_data(session, user, data)
    summary = ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in added.items() if n)
    typer.echo(f"imported {file}: {summary or 'nothing new'}")


def register(app: typer.Typer) -> None:
    """Add `export` and `import` to the app."""
    app.command("export")(export_cmd)
    app.command("import")(import_cmd)
