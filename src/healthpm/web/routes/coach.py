"""The coach's working surface: the cohort, one candidate's plan and practice, analytics."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from sqlalchemy import select
from starlette.responses import HTMLResponse, Response

from healthpm.accounts import sharing
from healthpm.accounts.models import Comment, User
from healthpm.coaching import review
from healthpm.coaching.analytics import cohort_analytics
from healthpm.coaching.roster import CohortRow, cohort, plan_status
from healthpm.domain.assessment import assess
from healthpm.domain.feedback.schema import DIMENSIONS
from healthpm.errors import NotFoundError
from healthpm.navigator import service as navigator
from healthpm.practice import service as practice
from healthpm.practice.models import Attempt, MockSession
from healthpm.web.deps import CatalogDep, ChartsDep, CurrentCoach, ObjectId, SessionDep
from healthpm.web.heatmap import heatmap_svg
from healthpm.web.rendering import render
from healthpm.web.routes.practice import trend_chart, trend_points

router = APIRouter(include_in_schema=False)

SortKey = Literal[
    "name", "readiness", "plan", "last", "attempts", "average", "trend", "flags", "unreviewed"
]
ShareFilter = Literal["", "plan", "practice", "both", "none"]
StatusFilter = Literal["", "behind", "unreviewed", "flags", "unread"]


def _sort_value(row: CohortRow, key: SortKey) -> tuple[int, Any]:
    """Rows with the value come first; higher first except for names."""
    values: dict[str, Any] = {
        "readiness": row.readiness,
        "plan": row.plan.percent if row.plan else None,
        "last": row.last_activity.timestamp() if row.last_activity else None,
        "attempts": row.attempts,
        "average": row.average,
        "trend": row.trend,
        "flags": row.open_flags,
        "unreviewed": row.unreviewed,
    }
    value = values.get(key)
    return (1, 0) if value is None else (0, -value)


def filter_rows(
    rows: Iterable[CohortRow], *, q: str, shares: ShareFilter, status: StatusFilter
) -> list[CohortRow]:
    """Search by name or email, then keep rows matching the share and status filters."""
    needle = q.strip().lower()
    kept = []
    for row in rows:
        if needle and needle not in row.name.lower() and needle not in row.email.lower():
            continue
        kinds = set(row.shares)
        if shares == "none" and kinds or shares == "both" and kinds != {"plan", "practice"}:
            continue
        if shares in ("plan", "practice") and shares not in kinds:
            continue
        if status == "behind" and not (row.plan and not row.plan.on_track):
            continue
        if status == "unreviewed" and not row.unreviewed:
            continue
        if status == "flags" and not row.open_flags:
            continue
        if status == "unread" and not row.unread:
            continue
        kept.append(row)
    return kept


def sort_rows(rows: list[CohortRow], key: SortKey) -> list[CohortRow]:
    if key == "name":
        return sorted(rows, key=lambda r: r.name.lower())
    return sorted(rows, key=lambda r: (_sort_value(r, key), r.name.lower()))


@router.get("/coach", response_class=HTMLResponse)
def coach_home(
    request: Request,
    session: SessionDep,
    coach: CurrentCoach,
    catalog: CatalogDep,
    q: Annotated[str, Query(max_length=200)] = "",
    sort: SortKey = "name",
    shares: ShareFilter = "",
    status: StatusFilter = "",
) -> HTMLResponse:
    """One row per candidate of the server; those who share nothing are listed and marked."""
    everyone = cohort(session, coach=coach, catalog=catalog)
    rows = sort_rows(filter_rows(everyone, q=q, shares=shares, status=status), sort)
    context = {
        "active": "cohort",
        "rows": rows,
        "total": len(everyone),
        "sharing": sum(1 for r in everyone if r.shares),
        "query": {"q": q, "sort": sort, "shares": shares, "status": status},
        "catalog": catalog,
    }
    return render(request, "coach/home.html", context)


CSV_COLUMNS = [
    "id",
    "name",
    "email",
    "shares",
    "target",
    "background",
    "readiness",
    "plan_percent",
    "done_hours",
    "planned_hours",
    "logged_hours",
    "current_week",
    "on_track",
    "attempts",
    "average",
    "trend",
    "open_flags",
    "unreviewed",
    "last_activity",
]


def _csv_row(row: CohortRow) -> list[object]:
    plan = row.plan
    return [
        row.id,
        row.name,
        row.email,
        "+".join(row.shares) or "nothing",
        row.target or "",
        row.background or "",
        "" if row.readiness is None else row.readiness,
        "" if plan is None else plan.percent,
        "" if plan is None else plan.done_hours,
        "" if plan is None else plan.planned_hours,
        "" if plan is None else plan.logged_hours,
        "" if plan is None or plan.current_week is None else plan.current_week,
        "" if plan is None else ("yes" if plan.on_track else "no"),
        *("" if v is None else v for v in (row.attempts, row.average, row.trend)),
        *("" if v is None else v for v in (row.open_flags, row.unreviewed)),
        row.last_activity.isoformat(timespec="minutes") if row.last_activity else "",
    ]


def csv_response(header: Iterable[str], rows: Iterable[Iterable[object]], name: str) -> Response:
    """A CSV download; cells that a spreadsheet would run as a formula are quoted with '."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow(
            [f"'{c}" if isinstance(c, str) and c[:1] in ("=", "+", "-", "@") else c for c in row]
        )
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    return Response(out.getvalue(), media_type="text/csv; charset=utf-8", headers=headers)


@router.get("/coach/cohort.csv")
def cohort_csv(
    session: SessionDep,
    coach: CurrentCoach,
    catalog: CatalogDep,
    q: Annotated[str, Query(max_length=200)] = "",
    sort: SortKey = "name",
    shares: ShareFilter = "",
    status: StatusFilter = "",
) -> Response:
    """The cohort table as CSV, with the same search, filters and order as the page."""
    everyone = cohort(session, coach=coach, catalog=catalog)
    rows = sort_rows(filter_rows(everyone, q=q, shares=shares, status=status), sort)
    return csv_response(CSV_COLUMNS, (_csv_row(r) for r in rows), "cohort.csv")


def _label(owner: User) -> str:
    return owner.name or owner.email


def _kinds(session: SessionDep, coach: User, owner: User) -> set[str]:
    return {
        kind
        for kind in ("plan", "practice")
        if sharing.can_view(session, viewer=coach, owner_id=owner.id, kind=kind)
    }


@router.get("/coach/{owner_id}/plan", response_class=HTMLResponse)
def coach_plan(
    request: Request,
    owner_id: ObjectId,
    session: SessionDep,
    coach: CurrentCoach,
    catalog: CatalogDep,
) -> HTMLResponse:
    """The assessment (readiness, gaps, self-ratings and evidence) and where the plan stands."""
    owner = sharing.shared_owner(session, coach=coach, owner_id=owner_id, kind="plan")
    profile = navigator.current_profile(session, user=owner, catalog=catalog)
    context: dict[str, Any] = {
        "active": "cohort",
        "owner": owner,
        "owner_label": _label(owner),
        "kinds": _kinds(session, coach, owner),
        "profile": profile,
        "catalog": catalog,
        "plan": None,
    }
    if profile is not None:
        context["assessment"] = assess(profile, catalog)
    try:
        plan = navigator.current_plan(session, user=owner)
    except NotFoundError:
        return render(request, "coach/plan.html", context)
    done = navigator.done_keys(session, user=owner)
    tracks = navigator.progress(session, user=owner)
    status = plan_status(plan, done, sum(t.logged_hours for t in tracks), date.today())
    context |= {"plan": plan, "done": done, "progress": tracks, "status": status}
    return render(request, "coach/plan.html", context)


def _comment_counts(session: SessionDep, owner_id: int) -> dict[int, int]:
    rows = session.execute(select(Comment.attempt_id).where(Comment.user_id == owner_id)).all()
    counts: dict[int, int] = {}
    for (attempt_id,) in rows:
        counts[attempt_id] = counts.get(attempt_id, 0) + 1
    return counts


@router.get("/coach/{owner_id}/practice", response_class=HTMLResponse)
def coach_history(
    request: Request,
    owner_id: ObjectId,
    session: SessionDep,
    coach: CurrentCoach,
    charts: ChartsDep,
) -> HTMLResponse:
    """The candidate's answers with reviewed state and comments; mock interviews grouped."""
    owner = sharing.shared_owner(session, coach=coach, owner_id=owner_id, kind="practice")
    attempts = practice.list_attempts(session, user_id=owner.id, limit=200)
    mocks = list(
        session.scalars(
            select(MockSession)
            .where(MockSession.user_id == owner.id)
            .order_by(MockSession.started_at.desc())
        )
    )
    context = {
        "active": "cohort",
        "owner": owner,
        "owner_label": _label(owner),
        "kinds": _kinds(session, coach, owner),
        "attempts": [a for a in attempts if a.mock_id is None],
        "mocks": [(m, [a for a in attempts if a.mock_id == m.id]) for m in mocks],
        "reviewed": review.reviewed_ids(session, coach=coach, owner_id=owner.id),
        "comments": _comment_counts(session, owner.id),
        "unread": review.unread_for_coach(session, coach=coach).get(owner.id, 0),
        "chart": trend_chart(trend_points(session, owner.id), charts),
    }
    return render(request, "coach/practice.html", context)


@router.get("/coach/{owner_id}/mocks/{mock_id}", response_class=HTMLResponse)
def coach_mock(
    request: Request,
    owner_id: ObjectId,
    mock_id: ObjectId,
    session: SessionDep,
    coach: CurrentCoach,
    catalog: CatalogDep,
) -> HTMLResponse:
    """A mock interview as one unit: its end report and each answer in order."""
    owner = sharing.shared_owner(session, coach=coach, owner_id=owner_id, kind="practice")
    mock = session.get(MockSession, mock_id)
    if mock is None or mock.user_id != owner.id:
        raise NotFoundError(f"no mock interview {mock_id} shared with you")
    answers = session.scalars(
        select(Attempt).where(Attempt.mock_id == mock.id).order_by(Attempt.id)
    ).all()
    context = {
        "active": "cohort",
        "owner": owner,
        "owner_label": _label(owner),
        "mock": mock,
        "answers": answers,
        "catalog": catalog,
        "reviewed": review.reviewed_ids(session, coach=coach, owner_id=owner.id),
    }
    return render(request, "coach/mock.html", context)


@router.get("/coach/analytics", response_class=HTMLResponse)
def analytics_page(
    request: Request, session: SessionDep, coach: CurrentCoach, catalog: CatalogDep
) -> HTMLResponse:
    """Red flags, weakest dimensions and most-failed questions over the sharing candidates."""
    data = cohort_analytics(session, coach=coach)
    context = {
        "active": "analytics",
        "data": data,
        "heatmap": heatmap_svg(data.candidates, data.heat) if data.candidates else None,
        "catalog": catalog,
    }
    return render(request, "coach/analytics.html", context)


@router.get("/coach/analytics.csv")
def analytics_csv(session: SessionDep, coach: CurrentCoach) -> Response:
    """The heat map's numbers: one row per candidate, one column per dimension."""
    data = cohort_analytics(session, coach=coach)
    rows = (
        [uid, label, *(data.heat.get(uid, {}).get(d, "") for d in DIMENSIONS)]
        for uid, label in data.candidates
    )
    return csv_response(["id", "name", *DIMENSIONS], rows, "cohort-dimensions.csv")
