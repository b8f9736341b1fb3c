"""/reset/<token>: set a new password from a one-time link an operator made
(`healthpm user reset-link EMAIL`). Every session of the account ends; this browser gets a
fresh one."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Form, Request
from sqlalchemy.orm import Session
from starlette.responses import HTMLResponse, Response

from healthpm.accounts import resets, throttle
from healthpm.accounts.throttle import Limit
from healthpm.errors import InvalidInputError, NotFoundError, RateLimitedError
from healthpm.web.deps import SessionDep
from healthpm.web.rendering import render
from healthpm.web.routes.accounts import _signed_in
from healthpm.web.security import client_address

router = APIRouter(include_in_schema=False)

Password = Annotated[str, Form(max_length=1024)]


def _limit(request: Request, session: Session) -> tuple[str, Limit]:
    """Failed uses of reset links count per client address, as failed sign-ins do."""
    settings = request.app.state.settings
    if not settings.multi_user:
        raise NotFoundError("accounts are off: this install has one local user")
    window = timedelta(minutes=settings.signin_window_minutes)
    bucket = "reset-client:" + client_address(request)
    limit = Limit(settings.signin_failures_per_client, window)
    if throttle.blocked(session, bucket, limit):
        raise RateLimitedError(f"too many failed reset attempts; wait {limit.describe()}")
    return bucket, limit


def _refused(request: Request, session: Session, bucket: str, limit: Limit) -> Response:
    """The 404 page for a bad link, with the failure counted (a page, so it is committed)."""
    throttle.hit(session, bucket, limit)
    context = {"status": 404, "title": "Not Found", "message": resets.LINK_REFUSED}
    return render(request, "errors/error.html", context, status_code=404)


@router.get("/reset/{token}", response_class=HTMLResponse)
def reset_page(request: Request, token: str, session: SessionDep) -> Response:
    """The new-password form (a GET changes nothing; the link is spent only by the POST)."""
    bucket, limit = _limit(request, session)
    try:
        _row, user = resets.open_reset(session, token=token)
    except NotFoundError:
        return _refused(request, session, bucket, limit)
    return render(request, "accounts/reset.html", {"token": token, "email": user.email})


@router.post("/reset/{token}")
def reset(
    request: Request, token: str, session: SessionDep, password: Password, confirm: Password
) -> Response:
    """Set the password, end every session of the account, and sign this browser in."""
    bucket, limit = _limit(request, session)
    try:
        _row, user = resets.open_reset(session, token=token)
    except NotFoundError:
        return _refused(request, session, bucket, limit)
    try:
        if password != confirm:
            raise InvalidInputError("the two passwords differ; type the same one twice")
        resets.use_reset(session, token=token, password=password)
    except InvalidInputError as exc:
        context = {"token": token, "email": user.email, "error": str(exc)}
        return render(request, "accounts/reset.html", context, status_code=400)
    return _signed_in(request, session, user, "/account?password=reset")
