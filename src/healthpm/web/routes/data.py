"""Your data is yours: download it as JSON, import a download, delete your account.

The pages live on /account (templates/accounts/_data.html); the same services answer
/api/export, /api/import and /api/account/delete.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, BackgroundTasks, File, Form, Request, UploadFile
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session
from starlette.responses import RedirectResponse, Response

from healthpm.accounts import portability, sharing
from healthpm.accounts.models import User
from healthpm.db import scrub_wal
from healthpm.errors import DataFileError, InvalidInputError
from healthpm.web.deps import CatalogDep, CurrentUser, SessionDep
from healthpm.web.rendering import render
from healthpm.web.security import clear_session_cookie

router = APIRouter(include_in_schema=False)
api_router = APIRouter(prefix="/api", tags=["api"])

MAX_UPLOAD_BYTES = 50 * 1024 * 1024
CONFIRM_PHRASE = "delete my data"


def _account_page(
    request: Request, session: Session, user: User, status: int, **extra: Any
) -> Response:
    shares = sharing.shares_of(session, owner=user)
    context = {"shares": shares, "consent": user.grading_consent, **extra}
    return render(request, "accounts/account.html", context, status_code=status)


@router.get("/account/export.json")
def download(session: SessionDep, user: CurrentUser) -> Response:
    """Everything of yours as one JSON file (the format `healthpm import` reads)."""
    body = json.dumps(portability.export_user_data(session, user), indent=2, ensure_ascii=False)
    name = f"healthpm-data-{date.today().isoformat()}.json"
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    return Response(body.encode(), media_type="application/json", headers=headers)


def _read_upload(upload: UploadFile) -> object:
    raw = upload.file.read(MAX_UPLOAD_BYTES + 1)
    if not raw:
        raise InvalidInputError("choose the JSON file you downloaded from healthpm")
    if len(raw) > MAX_UPLOAD_BYTES:
        raise DataFileError(f"the file is larger than {MAX_UPLOAD_BYTES // 2**20} MB")
    try:
        return json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise DataFileError("the file is not JSON; choose a file healthpm exported") from None
    except RecursionError:
        raise DataFileError("the file nests too deeply to be a healthpm export") from None


@router.post("/account/import")
def upload(
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    catalog: CatalogDep,
    file: Annotated[UploadFile, File()],
) -> Response:
    """Load a download into this account; problems re-render the page with one message."""
    try:
        added = portability.import_user_data(session, user, _read_upload(file), catalog=catalog)
    except InvalidInputError as exc:
        return _account_page(request, session, user, 400, import_error=str(exc))
    return _account_page(request, session, user, 200, imported=added)


def _erase(
    request: Request, session: Session, user: User, background: BackgroundTasks
) -> dict[str, int]:
    # After the commit (which precedes the response), empty the SQLite log of the old pages.
    background.add_task(scrub_wal, request.app.state.session_factory)
    if request.app.state.settings.multi_user:
        return portability.delete_account(session, user)
    return portability.erase_user_data(session, user)


@router.post("/account/delete")
def delete(
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    background: BackgroundTasks,
    confirm: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    """Delete the account and all its data (single-user: all the local user's data)."""
    if confirm.strip().lower() != CONFIRM_PHRASE:
        message = f"type “{CONFIRM_PHRASE}” to confirm; nothing was deleted"
        return _account_page(request, session, user, 400, delete_error=message)
    _erase(request, session, user, background)
    if request.app.state.settings.multi_user:
        response = RedirectResponse("/signup?deleted=1", status_code=303)
        clear_session_cookie(response, request)
        return response
    return RedirectResponse("/account?erased=1", status_code=303)


class DeleteIn(BaseModel):
    confirm: str = Field(max_length=100, description=f"must be “{CONFIRM_PHRASE}”")


@api_router.get("/export", summary="Everything stored for you, as the export file")
def api_export(session: SessionDep, user: CurrentUser) -> dict[str, Any]:
    return portability.export_user_data(session, user)


@api_router.post("/import", summary="Import an export file (idempotent; all or nothing)")
def api_import(
    data: dict[str, Any], session: SessionDep, user: CurrentUser, catalog: CatalogDep
) -> dict[str, dict[str, int]]:
    return {"added": portability.import_user_data(session, user, data, catalog=catalog)}


@api_router.post("/account/delete", summary="Delete your account and all its data")
def api_delete(
    body: DeleteIn,
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    background: BackgroundTasks,
) -> dict[str, dict[str, int]]:
    if body.confirm.strip().lower() != CONFIRM_PHRASE:
        raise InvalidInputError(f"set confirm to “{CONFIRM_PHRASE}”; nothing was deleted")
    return {"deleted": _erase(request, session, user, background)}
