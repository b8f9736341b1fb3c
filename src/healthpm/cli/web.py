"""`healthpm serve` and `healthpm user ...`."""

from __future__ import annotations

import gc
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated

import typer

from healthpm.errors import InvalidInputError

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

user_app = typer.Typer(help="Manage accounts of a multi-user server.", no_args_is_help=True)


def serve(
    host: Annotated[str | None, typer.Option(help="address to listen on")] = None,
    port: Annotated[int | None, typer.Option(help="port to listen on")] = None,
    multi_user: Annotated[
        bool | None,
        typer.Option("--multi-user/--single-user", help="accounts and coaches (default: setting)"),
    ] = None,
) -> None:
    """Migrate the database, load the demo data into a new one, and serve the web app."""
    import uvicorn

    from healthpm.catalog import get_catalog
    from healthpm.config import get_settings
    from healthpm.store import open_store
    from healthpm.web.app import create_app
    from healthpm.web.charts import SvgRenderer
    from healthpm.web.scoring_process import ProcessEngine

    updates = {
        k: v
        for k, v in {"host": host, "port": port, "multi_user": multi_user}.items()
        if v is not None
    }
    settings = get_settings().model_copy(update=updates)
    factory = open_store(settings)
    catalog = get_catalog()
    if not settings.multi_user:
        _load_demo(factory, settings, catalog)
    engine = ProcessEngine()
    charts = SvgRenderer.in_worker()
    app = create_app(settings, session_factory=factory, engine=engine, charts=charts)
    # Load the scoring model and the chart renderer in the background now, so the first
    # answer and the first chart do not wait for them.
    threading.Thread(target=engine.warm, daemon=True).start()
    threading.Thread(target=charts.warm, daemon=True).start()
    # Start-up objects (catalog, templates) are long-lived: exempt them from every garbage
    # collection, which otherwise walked them and stalled page requests (pages-only p99
    # under load went from 365 ms to 50 ms).
    gc.freeze()
    mode = "multi-user" if settings.multi_user else "single-user"
    typer.echo(f"healthpm ({mode}) on http://{settings.host}:{settings.port}", err=True)
    try:
        uvicorn.run(
            app, host=settings.host, port=settings.port, log_level="warning", proxy_headers=True
        )
    finally:
        engine.close()
        charts.close()
        # Collect the pools' queues now, which releases their semaphores (else the resource
        # tracker warns about "leaked semaphore objects" on every Ctrl-C).
        del app, engine, charts
        gc.unfreeze()
        gc.collect()


def _load_demo(factory: object, settings: object, catalog: object) -> None:
    """Call the lead's demo hook when it exists (it only fills a user that has nothing yet)."""
    try:
        from healthpm.demo import load_demo
    except ImportError:
        return
    load_demo(factory, settings, catalog)  # type: ignore[arg-type]


@contextmanager
def _store_session() -> Iterator[Session]:
    """One transaction on the configured store; the engine is closed afterwards."""
    from healthpm.config import get_settings
    from healthpm.db import transaction
    from healthpm.store import open_store

    factory = open_store(get_settings())
    try:
        with transaction(factory) as session:
            yield session
    finally:
        factory.kw["bind"].dispose()


def _read_password(password_stdin: bool) -> str:
    if password_stdin:
        value = sys.stdin.readline().rstrip("\r\n")
    else:
        value = typer.prompt("New password", hide_input=True, confirmation_prompt=True)
    if not value:
        raise InvalidInputError("the password is empty")
    return value


@user_app.command("reset-password")
def reset_password(
    email: Annotated[str, typer.Argument(help="the account's email")],
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="read the new password from stdin")
    ] = False,
) -> None:
    """Set a new password for an account (prompts twice unless --password-stdin)."""
    from healthpm.accounts.service import set_password

    password = _read_password(password_stdin)
    with _store_session() as session:
        user = set_password(session, email=email, password=password)
        typer.echo(f"password of {user.email} changed")


@user_app.command("create")
def create(
    email: Annotated[str, typer.Argument(help="the new account's email")],
    role: Annotated[str, typer.Option(help="candidate or coach")] = "candidate",
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="read the password from stdin")
    ] = False,
) -> None:
    """Create an account (for a coach, or when sign-up is not wanted)."""
    from healthpm.accounts.service import create_user

    password = _read_password(password_stdin)
    with _store_session() as session:
        user = create_user(session, email=email, password=password, role=role)
        typer.echo(f"created {user.email} ({user.role})")


def register(app: typer.Typer) -> None:
    """Add the web server and user-management commands to the app."""
    app.command("serve")(serve)
    app.add_typer(user_app, name="user")
