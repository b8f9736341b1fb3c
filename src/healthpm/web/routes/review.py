"""The feedback page's second opinion: ask the configured LLM reviewer about a stored attempt.

The answer is redacted before it is sent (always), and the page shows what was sent and where.
A slow or malformed reply is stored as "no second opinion" with its one-line reason.
"""

from __future__ import annotations

from fastapi import APIRouter
from starlette.responses import RedirectResponse, Response

from healthpm.practice import service as practice
from healthpm.practice.reviewer import require_config, review
from healthpm.web.deps import CatalogDep, CurrentUser, ObjectId, SessionDep, SettingsDep

router = APIRouter(include_in_schema=False)


@router.post("/practice/attempts/{attempt_id}/review")
def ask_reviewer(
    attempt_id: ObjectId,
    session: SessionDep,
    user: CurrentUser,
    catalog: CatalogDep,
    settings: SettingsDep,
) -> Response:
    """Ask the reviewer and keep its opinion (or why there is none) beside the feedback."""
    config = require_config(settings)
    attempt = practice.get_attempt(session, user_id=user.id, attempt_id=attempt_id)
    outcome = review(
        config,
        catalog,
        answer=attempt.answer,
        question_id=attempt.question_id,
        question_text=attempt.question_text,
    )
    attempt.reviewer = outcome.as_dict()
    session.flush()
    return RedirectResponse(f"/practice/attempts/{attempt.id}#reviewer", status_code=303)
