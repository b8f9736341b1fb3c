"""Two-way review of one answer: the coach scores and comments, the candidate replies.

A comment that cannot be saved never costs its author the text: a blank one re-renders the
page with the error beside the form, and one sent after the candidate stopped sharing lands
on a page that still holds the draft.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from sqlalchemy.orm import Session
from starlette.responses import HTMLResponse, RedirectResponse, Response

from healthpm.accounts import sharing
from healthpm.accounts.models import User
from healthpm.catalog import Catalog
from healthpm.coaching import assignments, review
from healthpm.coaching.roster import active_kinds
from healthpm.domain.feedback.schema import DIMENSIONS
from healthpm.errors import InvalidInputError, NotFoundError
from healthpm.practice import service as practice
from healthpm.practice.models import Attempt
from healthpm.web.deps import CatalogDep, CurrentCoach, CurrentUser, FormDep, ObjectId, SessionDep
from healthpm.web.rendering import render
from healthpm.web.routes.coach import csv_response
from healthpm.web.routes.practice import attempt_context

router = APIRouter(include_in_schema=False)

Body = Annotated[str, Form(max_length=4000)]
_SENTENCE = re.compile(r"(?<=[.!?])\s+")


def sentences(answer: str) -> list[str]:
    """The answer's sentences, whitespace collapsed (the values comments anchor to)."""
    flat = " ".join(answer.split())
    return [s for s in _SENTENCE.split(flat) if s][:200]


def review_context(
    session: Session, attempt: Attempt, catalog: Catalog, viewer: User
) -> dict[str, Any]:
    """The attempt page's context for either side, with threads, scores and anchors."""
    context = attempt_context(session, attempt, catalog, viewer)
    context |= {
        "threads": review.threads(session, attempt=attempt),
        "reviews": review.reviews_on(session, attempt=attempt),
        "sentences": sentences(attempt.answer),
        "dimensions": DIMENSIONS,
    }
    review.mark_read(session, viewer=viewer, attempt=attempt)
    return context


def _coach_page(
    request: Request,
    session: Session,
    coach: User,
    owner: User,
    attempt: Attempt,
    catalog: Catalog,
    *,
    error: str | None = None,
    draft: str = "",
    status: int = 200,
) -> HTMLResponse:
    base = f"/coach/{owner.id}/attempts/{attempt.id}"
    context = review_context(session, attempt, catalog, coach) | {
        "active": "cohort",
        "owner_label": owner.name or owner.email,
        "comment_base": base,
        "back_href": f"/coach/{owner.id}/practice",
        "my_review": review.review_of(session, coach=coach, attempt_id=attempt.id),
        "comment_error": error,
        "draft": draft,
    }
    return render(request, "practice/attempt.html", context, status_code=status)


def _shared_attempt(
    session: Session, coach: User, owner_id: int, attempt_id: int
) -> tuple[User, Attempt]:
    owner = sharing.shared_owner(session, coach=coach, owner_id=owner_id, kind="practice")
    return owner, practice.get_attempt(session, user_id=owner.id, attempt_id=attempt_id)


@router.get("/coach/{owner_id}/attempts/{attempt_id}", response_class=HTMLResponse)
def coach_attempt(
    request: Request,
    owner_id: ObjectId,
    attempt_id: ObjectId,
    session: SessionDep,
    coach: CurrentCoach,
    catalog: CatalogDep,
) -> HTMLResponse:
    owner, attempt = _shared_attempt(session, coach, owner_id, attempt_id)
    return _coach_page(request, session, coach, owner, attempt, catalog)


def _draft_lost(request: Request, owner_id: int, body: str) -> HTMLResponse:
    context = {"active": "cohort", "draft": body, "owner_id": owner_id}
    return render(request, "coach/draft.html", context, status_code=404)


@router.post("/coach/{owner_id}/attempts/{attempt_id}/comments", response_model=None)
def coach_comment(
    request: Request,
    owner_id: ObjectId,
    attempt_id: ObjectId,
    session: SessionDep,
    coach: CurrentCoach,
    catalog: CatalogDep,
    body: Body,
    anchor: Annotated[str, Form(max_length=1000)] = "",
    parent_id: Annotated[int | None, Form(ge=1)] = None,
) -> Response:
    try:
        owner, attempt = _shared_attempt(session, coach, owner_id, attempt_id)
    except NotFoundError:
        return _draft_lost(request, owner_id, body)
    try:
        review.add_comment(
            session, author=coach, attempt=attempt, body=body, anchor=anchor, parent_id=parent_id
        )
    except InvalidInputError as exc:
        return _coach_page(
            request, session, coach, owner, attempt, catalog, error=str(exc), draft=body, status=400
        )
    return RedirectResponse(f"/coach/{owner.id}/attempts/{attempt.id}#comments", status_code=303)


@router.post("/coach/{owner_id}/attempts/{attempt_id}/comments/{comment_id}/edit")
def coach_edit_comment(
    owner_id: ObjectId,
    attempt_id: ObjectId,
    comment_id: ObjectId,
    session: SessionDep,
    coach: CurrentCoach,
    body: Body,
) -> Response:
    owner, attempt = _shared_attempt(session, coach, owner_id, attempt_id)
    review.edit_comment(session, author=coach, attempt=attempt, comment_id=comment_id, body=body)
    return RedirectResponse(f"/coach/{owner.id}/attempts/{attempt.id}#c{comment_id}", 303)


@router.post("/coach/{owner_id}/attempts/{attempt_id}/comments/{comment_id}/delete")
def coach_delete_comment(
    owner_id: ObjectId,
    attempt_id: ObjectId,
    comment_id: ObjectId,
    session: SessionDep,
    coach: CurrentCoach,
) -> Response:
    owner, attempt = _shared_attempt(session, coach, owner_id, attempt_id)
    review.delete_comment(session, author=coach, attempt=attempt, comment_id=comment_id)
    return RedirectResponse(f"/coach/{owner.id}/attempts/{attempt.id}#comments", 303)


def _optional_score(value: object) -> float | None:
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        return float(value)
    except ValueError:
        raise InvalidInputError(f"{value!r} is not a score from 1 to 5") from None


@router.post("/coach/{owner_id}/attempts/{attempt_id}/review")
def coach_review(
    owner_id: ObjectId,
    attempt_id: ObjectId,
    session: SessionDep,
    coach: CurrentCoach,
    form: FormDep,
) -> Response:
    """Save the coach's rubric score (every field optional); saving marks the answer reviewed."""
    owner, attempt = _shared_attempt(session, coach, owner_id, attempt_id)
    dims = {d: _optional_score(form.get(f"dim-{d}")) for d in DIMENSIONS}
    review.save_review(
        session,
        coach=coach,
        attempt=attempt,
        overall=_optional_score(form.get("overall")),
        dimensions={d: v for d, v in dims.items() if v is not None},  # type: ignore[misc]
    )
    return RedirectResponse(f"/coach/{owner.id}/attempts/{attempt.id}#review", status_code=303)


# --- the candidate's side ---------------------------------------------------------------


@router.post("/practice/attempts/{attempt_id}/comments")
def candidate_reply(
    attempt_id: ObjectId,
    session: SessionDep,
    user: CurrentUser,
    body: Body,
    parent_id: Annotated[int, Form(ge=1)],
) -> Response:
    attempt = practice.get_attempt(session, user_id=user.id, attempt_id=attempt_id)
    review.add_comment(session, author=user, attempt=attempt, body=body, parent_id=parent_id)
    return RedirectResponse(f"/practice/attempts/{attempt.id}#comments", status_code=303)


@router.post("/practice/attempts/{attempt_id}/comments/{comment_id}/edit")
def candidate_edit(
    attempt_id: ObjectId, comment_id: ObjectId, session: SessionDep, user: CurrentUser, body: Body
) -> Response:
    attempt = practice.get_attempt(session, user_id=user.id, attempt_id=attempt_id)
    review.edit_comment(session, author=user, attempt=attempt, comment_id=comment_id, body=body)
    return RedirectResponse(f"/practice/attempts/{attempt.id}#c{comment_id}", status_code=303)


@router.post("/practice/attempts/{attempt_id}/comments/{comment_id}/delete")
def candidate_delete(
    attempt_id: ObjectId, comment_id: ObjectId, session: SessionDep, user: CurrentUser
) -> Response:
    attempt = practice.get_attempt(session, user_id=user.id, attempt_id=attempt_id)
    review.delete_comment(session, author=user, attempt=attempt, comment_id=comment_id)
    return RedirectResponse(f"/practice/attempts/{attempt.id}#comments", status_code=303)


@router.post("/account/grading-consent")
def grading_consent(
    session: SessionDep, user: CurrentUser, consent: Annotated[bool, Form()]
) -> Response:
    """The candidate's consent to coach-scored answers being exported as graded data."""
    user.grading_consent = consent
    session.flush()
    return RedirectResponse("/account#consent", status_code=303)


# --- assignments and graded data --------------------------------------------------------


@router.get("/coach/assignments", response_class=HTMLResponse)
def assignments_page(
    request: Request, session: SessionDep, coach: CurrentCoach, catalog: CatalogDep
) -> HTMLResponse:
    kinds = active_kinds(session, coach=coach)
    people = sorted(
        (u for u in session.query(User).filter(User.id.in_(kinds)).all()),
        key=lambda u: (u.name or u.email).lower(),
    )
    context = {
        "active": "assignments",
        "items": assignments.set_by(session, coach=coach),
        "people": people,
        "catalog": catalog,
    }
    return render(request, "coach/assignments.html", context)


@router.post("/coach/assignments")
def assign(
    session: SessionDep,
    coach: CurrentCoach,
    catalog: CatalogDep,
    candidate: Annotated[str, Form(max_length=20)],
    kind: Annotated[str, Form(max_length=20)],
    question_id: Annotated[str, Form(max_length=100)] = "",
    minutes: Annotated[int | None, Form(ge=15, le=60)] = None,
    note: Annotated[str, Form(max_length=500)] = "",
    due_on: Annotated[date | None, Form()] = None,
) -> Response:
    """Assign to one candidate (their id) or to everyone sharing with the coach ("all")."""
    if candidate != "all" and not candidate.isdigit():
        raise InvalidInputError("pick a candidate or the whole cohort")
    assignments.assign(
        session,
        coach=coach,
        catalog=catalog,
        candidate_id=None if candidate == "all" else int(candidate),
        kind=kind,
        question_id=question_id or None,
        minutes=minutes,
        note=note,
        due_on=due_on,
    )
    return RedirectResponse("/coach/assignments", status_code=303)


@router.post("/coach/assignments/{assignment_id}/delete")
def withdraw(assignment_id: ObjectId, session: SessionDep, coach: CurrentCoach) -> Response:
    assignments.withdraw(session, coach=coach, assignment_id=assignment_id)
    return RedirectResponse("/coach/assignments", status_code=303)


@router.get("/coach/graded.csv")
def graded_csv(session: SessionDep, coach: CurrentCoach, consented: bool = False) -> Response:
    """The coach's scores beside the automatic ones; answer text only with consent."""
    rows = review.graded_rows(session, coach=coach, consented_only=consented)
    header = ["attempt_id", "candidate_id", "question_id", "auto_overall", "coach_overall"]
    header += [f"coach_{d}" for d in DIMENSIONS] + ["consent", "reviewed_at", "answer"]
    body = (
        [
            r.attempt_id,
            r.candidate_id,
            r.question_id or "",
            r.auto_overall,
            "" if r.coach_overall is None else r.coach_overall,
            *(r.coach_dimensions.get(d, "") for d in DIMENSIONS),
            "yes" if r.consent else "no",
            r.reviewed_at.isoformat(timespec="minutes"),
            r.answer,
        ]
        for r in rows
    )
    return csv_response(header, body, "coach-scores.csv")
