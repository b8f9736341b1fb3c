"""`healthpm db upgrade` and `healthpm db current`: migrations apart from a restart."""

from __future__ import annotations

import typer

db_app = typer.Typer(help="The database schema: upgrade it, or show its revision.")


def _revisions() -> list[str]:
    from alembic.migration import MigrationContext
    from sqlalchemy import create_engine
    from sqlalchemy.exc import OperationalError

    from healthpm.config import get_settings
    from healthpm.errors import ConfigError

    settings = get_settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = create_engine(settings.resolved_database_url)
    try:
        with engine.connect() as connection:
            return sorted(MigrationContext.configure(connection).get_current_heads())
    except OperationalError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else "no connection"
        raise ConfigError(f"cannot reach the database: {reason}") from None
    finally:
        engine.dispose()


@db_app.command("upgrade")
def upgrade() -> None:
    """Apply every pending migration (back up first); safe to run again."""
    from healthpm.config import get_settings
    from healthpm.store import open_store

    before = _revisions()
    open_store(get_settings(), pooled=False).kw["bind"].dispose()
    after = _revisions()
    if before == after:
        typer.echo(f"the database is up to date ({', '.join(after)})")
    else:
        typer.echo(f"upgraded {', '.join(before) or 'an empty database'} -> {', '.join(after)}")


@db_app.command("current")
def current() -> None:
    """Print the schema revisions the database is at."""
    heads = _revisions()
    typer.echo(", ".join(heads) if heads else "no schema yet: run `healthpm db upgrade`")


def register(app: typer.Typer) -> None:
    app.add_typer(db_app, name="db")
