"""Templates and the one HTMX helper that decides between a full page and a fragment."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates
from markupsafe import Markup
from starlette.responses import HTMLResponse

from healthpm.domain.content import PROFICIENCY

TEMPLATES_DIR = Path(__file__).parent / "templates"

NAV = (
    ("dashboard", "/", "Dashboard"),
    ("onboarding", "/onboarding", "Profile"),
    ("plan", "/plan", "Plan"),
    ("practice", "/practice", "Practice"),
    ("mock", "/mock", "Mock interview"),
    ("questions", "/questions", "Question bank"),
    ("levels", "/levels", "Levels & pay"),
    ("glossary", "/glossary", "Glossary"),
    ("workbench", "/workbench", "Workbench"),
)


def make_templates() -> Jinja2Templates:
    """The Jinja environment with the globals every page uses."""
    templates = Jinja2Templates(directory=str(TEMPLATES_DIR))
    env = templates.env
    env.globals.update(nav=NAV, proficiency=PROFICIENCY)
    env.filters["usd"] = _usd
    env.filters["svg"] = lambda value: Markup(value)  # only ever fed our own chart SVG
    return templates


def _usd(value: int | None) -> str:
    return "—" if value is None else f"${value:,.0f}"


def is_htmx(request: Request) -> bool:
    """True for a request htmx made (and not a history restore, which wants the full page)."""
    return (
        request.headers.get("hx-request") == "true"
        and request.headers.get("hx-history-restore-request") != "true"
    )


def render(
    request: Request,
    page: str,
    context: dict[str, Any] | None = None,
    *,
    fragment: str | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    """The page, or only its fragment when htmx asked; always `Vary: HX-Request`."""
    templates: Jinja2Templates = request.app.state.templates
    name = fragment if fragment and is_htmx(request) else page
    ctx = {"settings": request.app.state.settings, **(context or {})}
    ctx.setdefault("user", getattr(request.state, "user", None))
    ctx.setdefault("csrf_token", getattr(request.state, "csrf_token", ""))
    response = templates.TemplateResponse(request, name, ctx, status_code=status_code)
    response.headers["Vary"] = "HX-Request"
    return response
