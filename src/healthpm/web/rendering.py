"""Templates and the one HTMX helper that decides between a full page and a fragment."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from datetime import date
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates
from markupsafe import Markup
from starlette.responses import HTMLResponse

from healthpm.domain.citations import readable_source, url_label
from healthpm.domain.content import PROFICIENCY
from healthpm.domain.labels import label, plain
from healthpm.web.comment_text import format_comment

TEMPLATES_DIR = Path(__file__).parent / "templates"

NAV = (
    ("dashboard", "/", "Dashboard"),
    ("path", "/path", "Your path"),
    ("plan", "/plan", "Plan"),
    ("practice", "/practice", "Practice"),
    ("mock", "/mock", "Mock"),
    ("stories", "/stories", "Stories"),
    ("jobs", "/jobs", "Jobs"),
    ("questions", "/questions", "Questions"),
    ("levels", "/levels", "Levels & pay"),
    ("glossary", "/glossary", "Glossary"),
    ("workbench", "/workbench", "Workbench"),
)


def make_templates(*, auto_reload: bool = True) -> Jinja2Templates:
    """The Jinja environment with the globals every page uses.

    `auto_reload` (development only) checks each template file's mtime on every use.
    """
    templates = Jinja2Templates(directory=str(TEMPLATES_DIR))
    env = templates.env
    env.auto_reload = auto_reload
    env.globals.update(nav=NAV, proficiency=PROFICIENCY)
    env.filters["usd"] = _usd
    env.filters["cite"] = readable_source
    env.filters["url_label"] = url_label
    env.filters["as_of"] = _as_of
    env.filters["comment"] = format_comment
    env.filters["label"] = label
    env.filters["plain"] = plain
    env.filters["svg"] = lambda value: Markup(value)  # only ever fed our own chart SVG
    return templates


def _usd(value: int | None) -> str:
    return "—" if value is None else f"${value:,.0f}"


def _as_of(value: date) -> str:
    return f"{value:%b} {value.day}, {value.year}"


def is_htmx(request: Request) -> bool:
    """True for a request htmx made (and not a history restore, which wants the full page)."""
    return (
        request.headers.get("hx-request") == "true"
        and request.headers.get("hx-history-restore-request") != "true"
    )


class RenderCache:
    """Rendered HTML by key, the newest `size` kept; safe to share between request threads."""

    def __init__(self, size: int = 256) -> None:
        self._size = size
        self._items: OrderedDict[Hashable, Markup] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, make: Callable[[], str]) -> Markup:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        html = Markup(make())  # outside the lock; two first renders of one key are harmless
        with self._lock:
            self._items[key] = html
            while len(self._items) > self._size:
                self._items.popitem(last=False)
        return html


def render(
    request: Request,
    page: str,
    context: dict[str, Any] | None = None,
    *,
    fragment: str | None = None,
    status_code: int = 200,
    shared_key: tuple[str, ...] | None = None,
) -> HTMLResponse:
    """The page, or only its fragment when htmx asked; always `Vary: HX-Request`.

    `shared_key`: the page's `content` block (or the fragment) is the same for every user
    given this key (catalog pages: their query), so it is rendered once and reused; the
    layout around it (navigation, user, CSRF token) is still rendered per request.
    """
    templates: Jinja2Templates = request.app.state.templates
    name = fragment if fragment and is_htmx(request) else page
    ctx = {"settings": request.app.state.settings, **(context or {})}
    ctx.setdefault("user", getattr(request.state, "user", None))
    ctx.setdefault("csrf_token", getattr(request.state, "csrf_token", ""))
    if shared_key is not None:
        cache: RenderCache = request.app.state.render_cache
        template = templates.get_template(name)
        if name == fragment:
            html = cache.get((name, *shared_key), lambda: template.render(ctx))
            return HTMLResponse(html, status_code=status_code, headers={"Vary": "HX-Request"})
        block = template.blocks["content"]
        ctx["shared_content"] = cache.get(
            (name, *shared_key), lambda: "".join(block(template.new_context(ctx)))
        )
    response = templates.TemplateResponse(request, name, ctx, status_code=status_code)
    response.headers["Vary"] = "HX-Request"
    return response
