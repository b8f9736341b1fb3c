"""Alembic environment: runs on the connection store.migrate() hands over, or on the URL."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from healthpm.models import metadata

config = context.config


def run() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run_on(connection)
        return
    engine = create_engine(config.get_main_option("sqlalchemy.url") or "")
    try:
        with engine.begin() as conn:
            _run_on(conn)
    finally:
        engine.dispose()  # a command-line migration must not leave a connection open


def _run_on(connection: object) -> None:
    context.configure(
        connection=connection,  # type: ignore[arg-type]
        target_metadata=metadata,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run()
