"""Your path (where you stand in plain words, your way in, this week) and your profiles."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from sqlalchemy import select
from starlette.responses import HTMLResponse, RedirectResponse, Response

from healthpm.db import utcnow
from healthpm.domain.assessment import assess
from healthpm.domain.path import build_path
from healthpm.errors import NotFoundError
from healthpm.navigator import service as navigator
from healthpm.navigator.models import Profile as ProfileRow
from healthpm.web.deps import CatalogDep, CurrentUser, SessionDep
from healthpm.web.rendering import render
from healthpm.web.routes.onboarding import is_demo
from healthpm.web.routes.plan import plan_context

router = APIRouter(include_in_schema=False)


@router.get("/path", response_class=HTMLResponse)
def path_page(
    request: Request, session: SessionDep, user: CurrentUser, catalog: CatalogDep
) -> Response:
    """Standing on product craft and health domain, transition steps, roles, this week."""
    profile = navigator.current_profile(session, user=user, catalog=catalog)
    if profile is None:
        return RedirectResponse("/onboarding", status_code=303)
    result = assess(profile, catalog)
    context: dict[str, Any] = {
        "active": "path",
        "profile": profile,
        "catalog": catalog,
        "assessment": result,
        "path": build_path(profile, result, catalog),
        "demo": is_demo(profile),
        "today": date.today(),
    }
    context |= plan_context(session, user)
    return render(request, "navigator/path.html", context)


@router.get("/profiles", response_class=HTMLResponse)
def profiles_page(
    request: Request, session: SessionDep, user: CurrentUser, catalog: CatalogDep
) -> HTMLResponse:
    """Every profile of this person, the current one first, each with a switch button."""
    rows = list(
        session.scalars(
            select(ProfileRow)
            .where(ProfileRow.user_id == user.id)
            .order_by(ProfileRow.updated_at.desc(), ProfileRow.id.desc())
        )
    )
    profiles = [
        {
            "id": row.id,
            "name": row.name,
            "current": n == 0,
            "background": catalog.backgrounds.get(str(row.data.get("background"))),
            "target": catalog.levels.get(str(row.data.get("target_level"))),
            "updated_at": row.updated_at,
        }
        for n, row in enumerate(rows)
    ]
    context = {"active": "profiles", "profiles": profiles, "catalog": catalog}
    return render(request, "navigator/profiles.html", context)


@router.post("/profiles/{profile_id}/use")
def use_profile(
    profile_id: int, session: SessionDep, user: CurrentUser, catalog: CatalogDep
) -> Response:
    """Make this profile the current one and plan from it (with its own ticks and hours)."""
    row = session.get(ProfileRow, profile_id)
    if row is None or row.user_id != user.id:
        raise NotFoundError(f"no profile {profile_id}")
    row.updated_at = utcnow()
    session.flush()
    profile = navigator.current_profile(session, user=user, catalog=catalog)
    if profile is not None:
        navigator.make_plan(session, user=user, profile=profile, catalog=catalog)
    return RedirectResponse("/path", status_code=303)
