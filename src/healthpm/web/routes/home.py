"""The dashboard: readiness per level (me vs target), score trend, plan progress, due questions."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from sqlalchemy.orm import Session
from starlette.responses import FileResponse, HTMLResponse, RedirectResponse

from healthpm.accounts.models import User
from healthpm.catalog import Catalog
from healthpm.domain.assessment import READY, Assessment, assess
from healthpm.domain.path import build_path
from healthpm.errors import NotFoundError
from healthpm.navigator import service as navigator
from healthpm.practice import service as practice
from healthpm.web.charts import ReadinessRow, SvgRenderer, readiness_chart
from healthpm.web.deps import CatalogDep, ChartsDep, CurrentUser, SessionDep
from healthpm.web.rendering import render
from healthpm.web.routes.catalog import SHORT_LEVELS
from healthpm.web.routes.onboarding import is_demo
from healthpm.web.routes.practice import trend_chart, trend_points

router = APIRouter(include_in_schema=False)
FAVICON = Path(__file__).resolve().parents[1] / "static" / "favicon.svg"


@router.get("/favicon.ico")
def favicon() -> FileResponse:
    """The tab icon (an SVG; browsers ask for /favicon.ico on every first load)."""
    return FileResponse(
        FAVICON, media_type="image/svg+xml", headers={"Cache-Control": "max-age=86400"}
    )


def readiness_view(catalog: Catalog, result: Assessment, renderer: SvgRenderer) -> dict[str, Any]:
    """Rows and the SVG chart of readiness per level against the READY target."""
    levels = catalog.levels_ascending()
    rows = [
        {"level": lv, "value": result.readiness[lv.id].readiness, "detail": result.readiness[lv.id]}
        for lv in levels
    ]
    chart = readiness_chart(
        [
            ReadinessRow(SHORT_LEVELS.get(lv.id, lv.name), result.readiness[lv.id].readiness, READY)
            for lv in levels
        ],
        renderer=renderer,
    )
    return {"rows": rows, "chart": chart, "target": READY}


def practice_view(
    session: Session, user: User, renderer: SvgRenderer, name: str | None = None
) -> dict[str, Any]:
    from healthpm.practice.earlier import count_earlier

    points = trend_points(session, user.id, name)
    earlier = count_earlier(session, user_id=user.id) if name is not None else 0
    return {"points": points, "chart": trend_chart(points, renderer), "earlier": earlier}


def plan_view(session: Session, user: User) -> list[navigator.TrackProgress] | None:
    try:
        return navigator.progress(session, user=user)
    except NotFoundError:
        return None


def coaching_view(session: Session, user: User) -> dict[str, Any]:
    """Unread coach comments (attempt id -> count) and what coaches assigned."""
    from healthpm.coaching.assignments import for_candidate
    from healthpm.coaching.review import unread_for_candidate

    return {
        "unread": unread_for_candidate(session, user_id=user.id),
        "assigned": [a for a in for_candidate(session, user=user) if a.done_at is None],
    }


@router.get("/", response_class=HTMLResponse)
def dashboard(
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    catalog: CatalogDep,
    charts: ChartsDep,
) -> HTMLResponse:
    """Everything at a glance; a new user is sent to onboarding first, a coach to the cohort."""
    if user.role == "coach" and request.app.state.settings.multi_user:
        return RedirectResponse("/coach", status_code=303)  # type: ignore[return-value]
    profile = navigator.current_profile(session, user=user, catalog=catalog)
    context: dict[str, Any] = {
        "active": "dashboard",
        "profile": profile,
        "catalog": catalog,
        "demo": is_demo(profile),
    }
    if profile is not None:
        result = assess(profile, catalog)
        context["assessment"] = result
        context["path"] = build_path(profile, result, catalog)
        context["welcome"] = request.query_params.get("welcome") == "1"
        context["readiness"] = readiness_view(catalog, result, charts)
        context["progress"] = plan_view(session, user)
        context["practice"] = practice_view(session, user, charts, profile.name)
        context["coaching"] = coaching_view(session, user)
        context["due"] = practice.due_questions(
            session, catalog=catalog, user_id=user.id, limit=5, profile=profile
        )
    return render(request, "home/dashboard.html", context)
