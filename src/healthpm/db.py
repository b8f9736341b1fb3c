"""SQLAlchemy base, naming convention, and the engine/session factory."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy import MetaData, create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.pool import NullPool

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base for every table."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


#: Integer primary keys are 32-bit on PostgreSQL: a larger id names nothing, and asking the
#: database for it would fail instead of finding nothing.
MAX_ID = 2**31 - 1

M = TypeVar("M", bound="Base")


def get_by_id(session: Session, model: type[M], object_id: int) -> M | None:
    """`session.get`, except that an id no row can have returns None on every database."""
    if not 1 <= object_id <= MAX_ID:
        return None
    return session.get(model, object_id)


def utcnow() -> datetime:
    """Timezone-aware now, for *_at columns."""
    return datetime.now(UTC)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    # Deleted rows are overwritten with zeros, so erased answers are gone from the file.
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()


def scrub_wal(factory: sessionmaker[Session]) -> None:
    """Fold the SQLite write-ahead log into the file and empty it (after an erase: the log
    still holds the pages as they were before the delete). A no-op on other databases."""
    engine = factory.kw.get("bind")
    if engine is None or engine.dialect.name != "sqlite":
        return
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


def make_engine(url: str, *, pooled: bool = True) -> Engine:
    """An engine for the URL; SQLite gets WAL, foreign keys and a busy timeout.

    A CLI command uses one connection once: `pooled=False` closes it with the session
    instead of keeping it open in a pool for the rest of the process.
    """
    pool: dict[str, Any] = {} if pooled else {"poolclass": NullPool}
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False}, **pool)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True, **pool)


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions that never expire objects on commit (pages render after the commit)."""
    return sessionmaker(bind=engine, expire_on_commit=False)


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """The one transaction boundary: commit on success, roll back on any error."""
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
