"""Job matcher pages: paste or upload a posting (text, a saved page, a CSV) and see the match.
Nothing is fetched: the page reads only what is pasted or uploaded."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from sqlalchemy.orm import Session
from starlette.responses import HTMLResponse, RedirectResponse, Response

from healthpm.accounts.models import User
from healthpm.domain.jobs.posting import MAX_CHARS, read_csv, read_posting
from healthpm.errors import InvalidInputError
from healthpm.jobs import service
from healthpm.navigator.service import current_profile
from healthpm.web.deps import CatalogDep, CurrentUser, ObjectId, SessionDep
from healthpm.web.rendering import render

router = APIRouter(include_in_schema=False)


def list_context(session: Session, owner: User) -> dict[str, Any]:
    rows = service.list_matches(session, user_id=owner.id)
    return {"matches": [service.row_dict(r) for r in rows]}


@router.get("/jobs", response_class=HTMLResponse)
def jobs_page(request: Request, session: SessionDep, user: CurrentUser) -> HTMLResponse:
    context = list_context(session, user) | {"active": "jobs", "pasted": ""}
    return render(request, "jobs/index.html", context)


def _upload_text(upload: UploadFile | None) -> tuple[str, str]:
    if upload is None or not upload.filename:
        return "", ""
    data = upload.file.read(MAX_CHARS * 4 + 1)
    if len(data) > MAX_CHARS * 4:
        raise InvalidInputError("the file is too large for a posting")
    try:
        return data.decode("utf-8-sig"), upload.filename
    except UnicodeDecodeError:
        raise InvalidInputError(f"{upload.filename}: not UTF-8 text") from None


@router.post("/jobs", response_model=None)
def match_posting(
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    catalog: CatalogDep,
    posting: Annotated[str, Form(max_length=MAX_CHARS)] = "",
    file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    """Match the upload (or the pasted text); a CSV is ranked, a posting stored and shown."""
    text, name = _upload_text(file)
    if not text:
        text, name = posting, "pasted posting"
    if not text.strip():
        raise InvalidInputError("paste a posting or choose a file")
    profile = current_profile(session, user=user, catalog=catalog)
    if name.lower().endswith(".csv"):
        ranked = service.match_many(read_csv(text, name=name), catalog=catalog, profile=profile)
        context = {"active": "jobs", "ranked": [m.as_dict() for m in ranked]}
        return render(request, "jobs/ranked.html", context)
    read = read_posting(text, name=name)
    result = service.match(read, catalog=catalog, profile=profile)
    row = service.save_match(session, user_id=user.id, posting=read, result=result)
    return RedirectResponse(f"/jobs/{row.id}", status_code=303)


@router.get("/jobs/{match_id}", response_class=HTMLResponse)
def match_page(
    request: Request,
    match_id: ObjectId,
    session: SessionDep,
    user: CurrentUser,
    catalog: CatalogDep,
) -> HTMLResponse:
    row = service.get_match(session, user_id=user.id, match_id=match_id)
    context = {"active": "jobs", "m": service.row_dict(row), "catalog": catalog, "editable": True}
    return render(request, "jobs/match.html", context)


@router.post("/jobs/{match_id}/plan")
def match_to_plan(
    match_id: ObjectId, session: SessionDep, user: CurrentUser, catalog: CatalogDep
) -> Response:
    """Add a plan task per competency gap of the stored match."""
    from healthpm.domain.jobs.match import Match

    row = service.get_match(session, user_id=user.id, match_id=match_id)
    result = Match(**{k: v for k, v in row.result.items() if k in Match.__dataclass_fields__})
    if result.fit is None:
        raise InvalidInputError("this match was made without a profile; set up your profile first")
    service.gaps_to_plan(session, user=user, result=result)
    return RedirectResponse("/plan", status_code=303)


@router.post("/jobs/{match_id}/delete")
def delete_match(match_id: ObjectId, session: SessionDep, user: CurrentUser) -> Response:
    service.delete_match(session, user_id=user.id, match_id=match_id)
    return RedirectResponse("/jobs", status_code=303)
