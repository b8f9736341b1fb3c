"""For operators: the health check, and accounts made from invitation links."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from sqlalchemy import text
from starlette.responses import HTMLResponse, JSONResponse, Response

from healthpm.accounts import admin
from healthpm.errors import HealthPMError, NotFoundError
from healthpm.web.deps import SessionDep
from healthpm.web.rendering import render
from healthpm.web.routes.accounts import _signed_in

router = APIRouter(include_in_schema=False)


@router.get("/healthz")
def healthz(session: SessionDep) -> Response:
    """200 when the server answers and its database does; 503 otherwise. Never cached."""
    try:
        session.execute(text("SELECT 1"))
    except Exception:  # any database failure is "unhealthy", whatever the driver raises
        return JSONResponse({"status": "error", "database": "unreachable"}, status_code=503)
    return JSONResponse({"status": "ok", "database": "ok"})


def _multi_user(request: Request) -> None:
    if not request.app.state.settings.multi_user:
        raise NotFoundError("accounts are off: this install has one local user")


@router.get("/join/{token}", response_class=HTMLResponse)
def join_page(request: Request, token: str, session: SessionDep) -> HTMLResponse:
    """The sign-up form of an invitation: email and role fixed, name and password to choose."""
    _multi_user(request)
    invitation = admin.open_invitation(session, token=token)
    context = {"invitation": invitation, "token": token, "name": invitation.name}
    return render(request, "accounts/join.html", context)


@router.post("/join/{token}")
def join(
    request: Request,
    token: str,
    session: SessionDep,
    password: Annotated[str, Form(max_length=1000)],
    name: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    _multi_user(request)
    invitation = admin.open_invitation(session, token=token)
    try:
        user = admin.accept(session, token=token, password=password, name=name)
    except HealthPMError as exc:
        context = {"invitation": invitation, "token": token, "name": name, "error": str(exc)}
        return render(request, "accounts/join.html", context, status_code=400)
    return _signed_in(request, session, user, "/coach" if user.role == "coach" else "/onboarding")
