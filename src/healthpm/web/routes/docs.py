"""/docs: an offline API reference generated from the OpenAPI schema (no CDN assets), and
/docs/feedback: how answers are scored and the measured figures (docs/feedback.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from markupsafe import Markup
from starlette.responses import HTMLResponse

from healthpm.errors import NotFoundError
from healthpm.web.deps import MaybeUser
from healthpm.web.rendering import render

router = APIRouter(include_in_schema=False)

METHODS = ("get", "post", "put", "patch", "delete")


def operations(schema: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per path and method, in path order."""
    rows = []
    for path, item in sorted(schema.get("paths", {}).items()):
        for method in METHODS:
            op = item.get(method)
            if op:
                rows.append(
                    {
                        "method": method.upper(),
                        "path": path,
                        "summary": op.get("summary", ""),
                        "description": op.get("description", ""),
                    }
                )
    return rows


@router.get("/docs", response_class=HTMLResponse)
def api_docs(request: Request, user: MaybeUser) -> HTMLResponse:
    """Swagger UI needs CDN assets, so this plain page lists the API from /openapi.json."""
    return render(request, "docs/api.html", {"operations": operations(request.app.openapi())})


#: docs/feedback.md of the source tree (healthpm is installed from it, editable or not).
FEEDBACK_DOC = Path(__file__).resolve().parents[4] / "docs" / "feedback.md"


@router.get("/docs/feedback", response_class=HTMLResponse)
def feedback_docs(request: Request, user: MaybeUser) -> HTMLResponse:
    """How the feedback engine scores, and how far to trust it (the measured figures)."""
    try:
        text = FEEDBACK_DOC.read_text(encoding="utf-8")
    except OSError:
        raise NotFoundError(
            "docs/feedback.md is not in this installation; read it in the healthpm repository"
        ) from None
    from markdown_it import MarkdownIt

    html = MarkdownIt("commonmark", {"html": False}).enable("table").render(text)
    return render(request, "docs/feedback.html", {"body": Markup(html)})
