"""Open the relational store: data dir, engine, Alembic migrations, session factory."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from healthpm.config import Settings
from healthpm.db import make_engine, make_session_factory

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(url: str) -> Config:
    """An Alembic config pointing at the migrations shipped in the package."""
    from alembic.config import Config  # imported here: alembic costs ~0.3 s at start-up

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def migrate(engine: Engine) -> None:
    """Apply every pending migration of every feature branch (idempotent)."""
    from alembic import command

    cfg = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "heads")  # one branch per feature, all from 0001


def open_store(settings: Settings, *, pooled: bool = True) -> sessionmaker[Session]:
    """Create the data dir, migrate the database and return a session factory."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.resolved_database_url, pooled=pooled)
    migrate(engine)
    return make_session_factory(engine)
