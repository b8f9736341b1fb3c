"""Sign up, sign in, sign out (multi-user mode), and the account page with sharing."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Form, Request
from sqlalchemy.orm import Session
from starlette.responses import HTMLResponse, RedirectResponse, Response

from healthpm.accounts import service as accounts
from healthpm.accounts import sharing, throttle
from healthpm.accounts.models import User
from healthpm.accounts.sessions import SessionPolicy, end_session, purge_expired, start_session
from healthpm.accounts.throttle import Limit
from healthpm.errors import (
    AuthError,
    ConflictError,
    ForbiddenError,
    HealthPMError,
    InvalidInputError,
    NotFoundError,
    RateLimitedError,
)
from healthpm.web.deps import CurrentUser, MaybeUser, ObjectId, SessionDep
from healthpm.web.rendering import render
from healthpm.web.security import (
    SESSION_COOKIE,
    clear_session_cookie,
    client_address,
    csrf_cookie_header,
    is_https,
    set_session_cookie,
)

router = APIRouter(include_in_schema=False)

Text = Annotated[str, Form(max_length=1024)]


def _require_multi_user(request: Request) -> None:
    if not request.app.state.settings.multi_user:
        raise NotFoundError("accounts are off: this install has one local user")


def _require_open_signup(request: Request) -> None:
    if request.app.state.settings.signup != "open":
        raise ForbiddenError(
            "sign-up on this server is by invitation; ask its operator for your invitation link"
        )


def _safe_next(target: str) -> str:
    """Only same-site paths, so `next` cannot send a user to another site."""
    return target if target.startswith("/") and not target.startswith("//") else "/"


def _signed_in(request: Request, session: Session, user: User, target: str) -> Response:
    """A new session (the old one, if any, ends: sessions rotate at sign-in)."""
    end_session(session, token=request.cookies.get(SESSION_COOKIE))
    policy: SessionPolicy = request.app.state.session_policy
    purge_expired(session, policy=policy)
    throttle.purge(session)
    token = start_session(session, user=user)
    response = RedirectResponse(_safe_next(target), status_code=303)
    set_session_cookie(response, request, token, int(policy.absolute.total_seconds()))
    csrf = request.app.state.csrf.for_session(token)
    response.headers.append("set-cookie", csrf_cookie_header(csrf, secure=is_https(request)))
    return response


def _limits(request: Request) -> tuple[Limit, Limit, Limit]:
    settings = request.app.state.settings
    window = timedelta(minutes=settings.signin_window_minutes)
    return (
        Limit(settings.signin_failures_per_account, window),
        Limit(settings.signin_failures_per_client, window),
        Limit(settings.signups_per_client_per_hour, timedelta(hours=1)),
    )


@router.get("/signin", response_class=HTMLResponse)
def signin_page(request: Request, user: MaybeUser, next: str = "/") -> HTMLResponse:
    _require_multi_user(request)
    return render(request, "accounts/signin.html", {"next": _safe_next(next), "email": ""})


@router.post("/signin")
def signin(
    request: Request, session: SessionDep, email: Text, password: Text, next: Text = "/"
) -> Response:
    """Check the password; too many failures for the account, or from the client, lock it."""
    _require_multi_user(request)
    per_account, per_client, _ = _limits(request)
    account = "signin-account:" + email.strip().lower()
    client = "signin-client:" + client_address(request)
    if throttle.blocked(session, account, per_account) or throttle.blocked(
        session, client, per_client
    ):
        raise RateLimitedError(
            f"too many failed sign-ins; wait {per_account.describe()} and try again"
        )
    try:
        user = accounts.authenticate(session, email=email, password=password)
    except AuthError as exc:
        throttle.hit(session, account, per_account)
        throttle.hit(session, client, per_client)
        context = {"next": _safe_next(next), "email": email, "error": str(exc)}
        return render(request, "accounts/signin.html", context, status_code=401)
    throttle.clear(session, account)
    return _signed_in(request, session, user, next)


@router.get("/signup", response_class=HTMLResponse)
def signup_page(request: Request, user: MaybeUser, next: str = "") -> HTMLResponse:
    _require_multi_user(request)
    _require_open_signup(request)
    return render(
        request, "accounts/signup.html", {"form": {"next": _safe_next(next) if next else ""}}
    )


#: One message whether or not the email has an account, so sign-up does not tell.
SIGNUP_REFUSED = (
    "could not create an account with these details; if you already have one, sign in "
    "(or ask the server's admin to reset its password)"
)


@router.post("/signup")
def signup(
    request: Request,
    session: SessionDep,
    email: Text,
    password: Text,
    name: Annotated[str, Form(max_length=200)] = "",
    role: Annotated[str, Form(max_length=20)] = "candidate",
    next: Text = "",
) -> Response:
    """Create the account and sign in; problems re-render the form with one message."""
    _require_multi_user(request)
    _require_open_signup(request)
    *_, per_client = _limits(request)
    throttle.take(
        session,
        "signup-client:" + client_address(request),
        per_client,
        f"too many new accounts from your address; try again in {per_client.describe()}",
    )
    try:
        user = accounts.create_user(session, email=email, password=password, name=name, role=role)
    except HealthPMError as exc:
        form = {
            "email": email,
            "name": name,
            "role": role,
            "next": _safe_next(next) if next else "",
        }
        message = SIGNUP_REFUSED if isinstance(exc, ConflictError) else str(exc)
        return render(
            request, "accounts/signup.html", {"form": form, "error": message}, status_code=400
        )
    default = "/onboarding" if user.role == "candidate" else "/coach"
    return _signed_in(request, session, user, _safe_next(next) if next else default)


@router.post("/signout")
def signout(request: Request, session: SessionDep) -> Response:
    """End this session on the server (a copied cookie stops working), then forget it."""
    end_session(session, token=request.cookies.get(SESSION_COOKIE))
    response = RedirectResponse("/signin" if request.app.state.settings.multi_user else "/", 303)
    clear_session_cookie(response, request)
    fresh = request.app.state.csrf.new()
    response.headers.append("set-cookie", csrf_cookie_header(fresh, secure=is_https(request)))
    return response


@router.post("/account/password")
def change_password(
    request: Request, session: SessionDep, user: CurrentUser, current: Text, new: Text
) -> Response:
    """A new password ends every session of the account (a stolen cookie too); this browser
    gets a fresh one."""
    _require_multi_user(request)
    try:
        accounts.change_password(session, user=user, current=current, new=new)
    except (AuthError, InvalidInputError) as exc:
        shares = sharing.shares_of(session, owner=user)
        context = {"shares": shares, "password_error": str(exc), "consent": user.grading_consent}
        return render(request, "accounts/account.html", context, status_code=400)
    return _signed_in(request, session, user, "/account?password=changed")


@router.get("/account", response_class=HTMLResponse)
def account_page(request: Request, session: SessionDep, user: CurrentUser) -> HTMLResponse:
    """Your data (export, delete) and, with accounts on, what you share with coaches."""
    shares = sharing.shares_of(session, owner=user)
    context = {"shares": shares, "consent": user.grading_consent}
    return render(request, "accounts/account.html", context)


@router.post("/account/shares")
def add_share(
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    coach_email: Text,
    kind: Annotated[str, Form(max_length=20)],
) -> Response:
    _require_multi_user(request)
    item, token = sharing.share(session, owner=user, coach_email=coach_email, kind=kind)
    if token is None:
        return RedirectResponse("/account#sharing", status_code=303)
    # No coach account has this email: show the one-time link now (it is never stored).
    root = request.app.state.settings.root_path
    link = str(request.base_url).rstrip("/") + f"{root}/invite/{token}"
    shares = sharing.shares_of(session, owner=user)
    context = {
        "shares": shares,
        "invite_link": link,
        "invite_email": item.coach_email,
        "consent": user.grading_consent,
    }
    return render(request, "accounts/account.html", context, status_code=201)


@router.get("/invite/{token}", response_class=HTMLResponse)
def invitation_page(request: Request, token: str, user: CurrentUser) -> HTMLResponse:
    """What accepting a coach invitation means, and the button (a GET changes nothing)."""
    _require_multi_user(request)
    return render(request, "accounts/invite.html", {"token": token[:200]})


@router.post("/invite/{token}")
def accept_invitation(
    request: Request, token: str, session: SessionDep, user: CurrentUser
) -> Response:
    _require_multi_user(request)
    sharing.accept_invitation(session, coach=user, token=token)
    return RedirectResponse("/coach", status_code=303)


@router.post("/account/shares/{share_id}/revoke")
def revoke_share(
    request: Request, share_id: ObjectId, session: SessionDep, user: CurrentUser
) -> Response:
    _require_multi_user(request)
    sharing.revoke(session, owner=user, share_id=share_id)
    return RedirectResponse("/account#sharing", status_code=303)
