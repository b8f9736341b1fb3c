"""Sign up, sign in, sign out (multi-user mode), and the account page with sharing."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from healthpm.accounts import service as accounts
from healthpm.accounts import sharing
from healthpm.errors import AuthError, HealthPMError, NotFoundError, RateLimitedError
from healthpm.web.deps import CurrentUser, MaybeUser, ObjectId, SessionDep
from healthpm.web.rendering import render
from healthpm.web.security import clear_session_cookie, set_session_cookie

router = APIRouter(include_in_schema=False)

Text = Annotated[str, Form(max_length=1024)]


def _require_multi_user(request: Request) -> None:
    if not request.app.state.settings.multi_user:
        raise NotFoundError("accounts are off: this install has one local user")


def _safe_next(target: str) -> str:
    """Only same-site paths, so `next` cannot send a user to another site."""
    return target if target.startswith("/") and not target.startswith("//") else "/"


def _signed_in(request: Request, uid: int, target: str) -> Response:
    response = RedirectResponse(_safe_next(target), status_code=303)
    set_session_cookie(response, request, request.app.state.signer, uid)
    return response


@router.get("/signin", response_class=HTMLResponse)
def signin_page(request: Request, user: MaybeUser, next: str = "/") -> HTMLResponse:
    _require_multi_user(request)
    return render(request, "accounts/signin.html", {"next": _safe_next(next), "email": ""})


@router.post("/signin")
def signin(
    request: Request, session: SessionDep, email: Text, password: Text, next: Text = "/"
) -> Response:
    """Check the password; five failures per email and address in 15 minutes lock sign-in."""
    _require_multi_user(request)
    limiter = request.app.state.login_limiter
    address = request.client.host if request.client else "unknown"
    if limiter.blocked(email, address):
        raise RateLimitedError("too many failed sign-ins; wait 15 minutes and try again")
    try:
        user = accounts.authenticate(session, email=email, password=password)
    except AuthError as exc:
        limiter.fail(email, address)
        context = {"next": _safe_next(next), "email": email, "error": str(exc)}
        return render(request, "accounts/signin.html", context, status_code=401)
    limiter.succeed(email, address)
    return _signed_in(request, user.id, next)


@router.get("/signup", response_class=HTMLResponse)
def signup_page(request: Request, user: MaybeUser) -> HTMLResponse:
    _require_multi_user(request)
    return render(request, "accounts/signup.html", {"form": {}})


@router.post("/signup")
def signup(
    request: Request,
    session: SessionDep,
    email: Text,
    password: Text,
    name: Annotated[str, Form(max_length=200)] = "",
    role: Annotated[str, Form(max_length=20)] = "candidate",
) -> Response:
    """Create the account and sign in; problems re-render the form with one message."""
    _require_multi_user(request)
    try:
        user = accounts.create_user(session, email=email, password=password, name=name, role=role)
    except HealthPMError as exc:
        form = {"email": email, "name": name, "role": role}
        status = exc.http_status if exc.http_status < 500 else 400
        return render(
            request, "accounts/signup.html", {"form": form, "error": str(exc)}, status_code=status
        )
    return _signed_in(request, user.id, "/onboarding" if user.role == "candidate" else "/coach")


@router.post("/signout")
def signout(request: Request) -> Response:
    response = RedirectResponse("/signin" if request.app.state.settings.multi_user else "/", 303)
    clear_session_cookie(response, request)
    return response


@router.get("/account", response_class=HTMLResponse)
def account_page(request: Request, session: SessionDep, user: CurrentUser) -> HTMLResponse:
    """Your data (export, delete) and, with accounts on, what you share with coaches."""
    shares = sharing.shares_of(session, owner=user)
    return render(request, "accounts/account.html", {"shares": shares})


@router.post("/account/shares")
def add_share(
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    coach_email: Text,
    kind: Annotated[str, Form(max_length=20)],
) -> Response:
    _require_multi_user(request)
    sharing.share(session, owner=user, coach_email=coach_email, kind=kind)
    return RedirectResponse("/account#sharing", status_code=303)


@router.post("/account/shares/{share_id}/revoke")
def revoke_share(
    request: Request, share_id: ObjectId, session: SessionDep, user: CurrentUser
) -> Response:
    _require_multi_user(request)
    sharing.revoke(session, owner=user, share_id=share_id)
    return RedirectResponse("/account#sharing", status_code=303)
