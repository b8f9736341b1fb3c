"""`healthpm serve` and `healthpm user ...`."""

from __future__ import annotations

import gc
import os
import sys
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
    workers: Annotated[
        int | None,
        typer.Option(help="server processes (default: setting, 1); use with PostgreSQL", min=1),
    ] = None,
) -> None:
    """Migrate the database, load the demo data into a new one, and serve the web app."""
    import uvicorn

    from healthpm.config import get_settings, load_settings
    from healthpm.web.server import build_app, uvicorn_options

    overrides = {"host": host, "port": port, "multi_user": multi_user, "workers": workers}
    for key, value in overrides.items():
        if value is not None:  # through the environment, so every worker process sees them
            os.environ[f"HEALTHPM_{key.upper()}"] = str(value).lower()
    get_settings.cache_clear()
    settings = load_settings()
    options = uvicorn_options(settings)
    mode = "multi-user" if settings.multi_user else "single-user"
    where = f"http://{settings.host}:{settings.port}{settings.root_path}/"
    if settings.workers > 1:
        from healthpm.store import open_store

        open_store(settings).kw["bind"].dispose()  # migrate once, before the workers start
        settings.resolved_secret()  # create the key file once, so every worker reads it
        typer.echo(f"healthpm ({mode}, {settings.workers} workers) on {where}", err=True)
        uvicorn.run(
            "healthpm.web.server:build_app",
            factory=True,
            workers=settings.workers,
            host=settings.host,
            port=settings.port,
            log_level="info" if settings.access_log else "warning",
            access_log=settings.access_log,
            **options,  # type: ignore[arg-type]
        )
        return
    app = build_app(settings)
    typer.echo(f"healthpm ({mode}) on {where}", err=True)
    try:
        uvicorn.run(
            app,
            host=settings.host,
            port=settings.port,
            log_level="info" if settings.access_log else "warning",
            access_log=settings.access_log,
            **options,  # type: ignore[arg-type]
        )
    finally:
        for close in app.state.closers:
            close()
        # Collect the pools' queues now, which releases their semaphores (else the resource
        # tracker warns about "leaked semaphore objects" on every Ctrl-C).
        del app
        gc.unfreeze()
        gc.collect()


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
    name: Annotated[str, typer.Option(help="the name shown instead of the email")] = "",
    admin: Annotated[
        bool, typer.Option("--admin", help="may do server-wide actions (the FDA demo data)")
    ] = False,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="read the password from stdin")
    ] = False,
) -> None:
    """Create an account (for a coach, an admin, or when sign-up is not wanted)."""
    from healthpm.accounts.service import create_user

    password = _read_password(password_stdin)
    with _store_session() as session:
        user = create_user(
            session, email=email, password=password, name=name, role=role, admin=admin
        )
        extra = ", admin" if user.is_admin else ""
        typer.echo(f"created {user.email} ({user.role}{extra})")


def register(app: typer.Typer) -> None:
    """Add the web server and user-management commands to the app."""
    from healthpm.cli import users

    users.register(user_app)
    app.command("serve")(serve)
    app.add_typer(user_app, name="user")
