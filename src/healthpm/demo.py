"""Demo profiles and the data `make run` starts with."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from healthpm.accounts.service import ensure_local_user
from healthpm.catalog import Catalog
from healthpm.config import Settings
from healthpm.db import transaction
from healthpm.domain.profile import Profile
from healthpm.navigator import service
from healthpm.navigator.profile_io import read_profile

DEMO_NAMES = ("nurse-to-pm", "fintech-pm-to-pm", "senior-to-director")


def demo_profile_path(name: str) -> Path:
    """The shipped demo profile file of that name."""
    return Path(str(resources.files("healthpm") / "demo_profiles" / f"{name}.yaml"))


def demo_profile(name: str, catalog: Catalog) -> Profile:
    """A demo profile, validated like any user's."""
    return read_profile(demo_profile_path(name), catalog)


def load_demo(session_factory: sessionmaker[Session], settings: Settings, catalog: Catalog) -> None:
    """Give the local user the nurse demo profile and its plan, if it has no plan yet."""
    del settings  # the relational demo needs nothing else; FDA demo data is separate
    with transaction(session_factory) as session:
        user = ensure_local_user(session)
        if service.current_profile(session, user=user, catalog=catalog) is not None:
            return
        service.make_plan(
            session, user=user, profile=demo_profile(DEMO_NAMES[0], catalog), catalog=catalog
        )
