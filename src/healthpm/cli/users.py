"""`healthpm user list|delete|disable|enable|set-role|rename|invite|import|reset-link`: the
operator's account tools (create and reset-password live beside `serve` in cli/web.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from healthpm.cli.common import print_json
from healthpm.errors import InvalidInputError

Email = Annotated[str, typer.Argument(help="the account's email")]


def _link(token: str, kind: str = "join") -> str:
    from healthpm.config import get_settings

    return f"{get_settings().base_url}/{kind}/{token}"


def list_users(
    as_json: Annotated[bool, typer.Option("--json", help="machine-readable output")] = False,
) -> None:
    """Every account: id, email, name, role, admin, disabled, created."""
    from healthpm.accounts.admin import accounts
    from healthpm.cli.web import _store_session

    with _store_session() as session:
        rows = [
            {
                "id": u.id,
                "email": u.email,
                "name": u.name,
                "role": u.role,
                "admin": u.is_admin,
                "disabled": u.disabled_at is not None,
                "created": u.created_at.date().isoformat(),
            }
            for u in accounts(session)
        ]
    if as_json:
        print_json(rows)
        return
    if not rows:
        typer.echo("no accounts yet; see `healthpm user create` and `healthpm user invite`")
    for r in rows:
        flags = ", ".join(f for f, on in (("admin", r["admin"]), ("DISABLED", r["disabled"])) if on)
        name = f" ({r['name']})" if r["name"] else ""
        typer.echo(
            f"{r['id']:>5}  {r['email']}{name}  {r['role']}{', ' + flags if flags else ''}"
            f"  since {r['created']}"
        )


def delete(
    email: Email,
    yes: Annotated[bool, typer.Option("--yes", help="do not ask for confirmation")] = False,
) -> None:
    """Delete an account and everything it stored (no undo: export it first)."""
    from healthpm.accounts.admin import account
    from healthpm.accounts.service import delete_user
    from healthpm.cli.web import _store_session

    if not yes and not typer.confirm(f"Delete {email} and all of its data?"):
        raise typer.Abort()
    with _store_session() as session:
        user = account(session, email)
        delete_user(session, user=user)
    typer.echo(f"deleted {email.strip().lower()}")


def disable(email: Email) -> None:
    """Sign the account out everywhere and refuse its sign-ins; its data stays."""
    from healthpm.accounts.admin import account, set_disabled
    from healthpm.cli.web import _store_session

    with _store_session() as session:
        user = set_disabled(session, user=account(session, email), disabled=True)
        typer.echo(f"disabled {user.email}")


def enable(email: Email) -> None:
    """Let a disabled account sign in again."""
    from healthpm.accounts.admin import account, set_disabled
    from healthpm.cli.web import _store_session

    with _store_session() as session:
        user = set_disabled(session, user=account(session, email), disabled=False)
        typer.echo(f"enabled {user.email}")


def set_role(
    email: Email,
    role: Annotated[str, typer.Argument(help="candidate or coach")],
    admin: Annotated[
        bool | None, typer.Option("--admin/--no-admin", help="also grant or remove admin")
    ] = None,
) -> None:
    """Make an account a candidate or a coach (an existing account can be promoted)."""
    from healthpm.accounts.admin import account
    from healthpm.accounts.admin import set_role as change
    from healthpm.cli.web import _store_session

    with _store_session() as session:
        user = change(session, user=account(session, email), role=role, admin=admin)
        typer.echo(f"{user.email} is now a {user.role}{' and an admin' if user.is_admin else ''}")


def rename(email: Email, name: Annotated[str, typer.Argument(help="the name to show")]) -> None:
    """Set the name coaches and the header show instead of the email."""
    from healthpm.accounts.admin import account
    from healthpm.accounts.admin import rename as change
    from healthpm.cli.web import _store_session

    with _store_session() as session:
        user = change(session, user=account(session, email), name=name)
        typer.echo(f"{user.email} is now shown as {user.name or user.email}")


def invite(
    email: Email,
    name: Annotated[str, typer.Option(help="the person's name")] = "",
    role: Annotated[str, typer.Option(help="candidate or coach")] = "candidate",
    days: Annotated[int, typer.Option(help="the link works this many days", min=1)] = 14,
) -> None:
    """Print a one-time sign-up link for this email and role (send it yourself)."""
    from healthpm.accounts.admin import invite as make
    from healthpm.cli.web import _store_session

    with _store_session() as session:
        made = make(session, email=email, name=name, role=role, days=days)
    typer.echo(f"{made.email} ({made.role}): {_link(made.token)}")


def import_cohort(
    file: Annotated[Path, typer.Argument(help="CSV with a header: email, name, role")],
    days: Annotated[int, typer.Option(help="the links work this many days", min=1)] = 14,
) -> None:
    """Invite everyone in a CSV; prints `email,role,link` lines to send (existing skipped)."""
    from healthpm.accounts.admin import import_cohort as run
    from healthpm.accounts.admin import parse_cohort_csv
    from healthpm.cli.web import _store_session

    try:
        text = file.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInputError(f"cannot read {file}: {exc}") from None
    rows = parse_cohort_csv(text)
    with _store_session() as session:
        made, skipped = run(session, rows=rows, days=days)
    typer.echo("email,role,link")
    for item in made:
        typer.echo(f"{item.email},{item.role},{_link(item.token)}")
    summary = f"invited {len(made)}; skipped {len(skipped)} with an account already"
    typer.echo(summary + (f" ({', '.join(skipped)})" if skipped else ""), err=True)


def reset_link(
    email: Email,
    hours: Annotated[int, typer.Option(help="the link works this many hours", min=1)] = 24,
) -> None:
    """Print a one-time link where the person sets a new password (send it yourself)."""
    from healthpm.accounts.admin import account
    from healthpm.accounts.resets import make_reset_link
    from healthpm.cli.web import _store_session

    with _store_session() as session:
        made = make_reset_link(session, user=account(session, email), hours=hours)
    until = made.expires_at.strftime("%Y-%m-%d %H:%M UTC")
    typer.echo(f"{made.email}: {_link(made.token, 'reset')} (works once, until {until})")


def register(user_app: typer.Typer) -> None:
    """Add the operator's commands to `healthpm user`."""
    user_app.command("list")(list_users)
    user_app.command("delete")(delete)
    user_app.command("disable")(disable)
    user_app.command("enable")(enable)
    user_app.command("set-role")(set_role)
    user_app.command("rename")(rename)
    user_app.command("invite")(invite)
    user_app.command("import")(import_cohort)
    user_app.command("reset-link")(reset_link)
