"""The FastAPI application factory: `create_app(settings)`; nothing is built at import."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from fastapi import Depends, FastAPI, Request
from fastapi.staticfiles import StaticFiles
from sqlalchemy.orm import Session, sessionmaker
from starlette.datastructures import MutableHeaders
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from healthpm.accounts.sessions import SessionPolicy
from healthpm.catalog import Catalog, get_catalog
from healthpm.config import Settings, weak_secret_reason
from healthpm.errors import ConfigError
from healthpm.practice.scoring import ScoringEngine
from healthpm.store import open_store
from healthpm.web.charts import SvgRenderer
from healthpm.web.deps import csrf_protect
from healthpm.web.errors import install_error_handlers
from healthpm.web.rendering import RenderCache, make_templates
from healthpm.web.routes import include_routes
from healthpm.web.security import (
    CSRF_COOKIE,
    SESSION_COOKIE,
    CsrfTokens,
    csrf_cookie_header,
    is_https,
    security_headers,
)
from healthpm.web.subpath import SubPath

STATIC_DIR = Path(__file__).parent / "static"


class LazyEngine:
    """Loads the real scoring engine once, on the first answer scored, thread-safely."""

    def __init__(self) -> None:
        self._engine: ScoringEngine | None = None
        self._lock = threading.Lock()

    def __call__(self, catalog: Catalog) -> ScoringEngine:
        with self._lock:
            if self._engine is None:
                from healthpm.practice.scoring import load_engine

                self._engine = load_engine(catalog)
            return self._engine


class HealthPMApp(FastAPI):
    """FastAPI, with HEALTHPM_ROOT_PATH's prefix handled outside every other layer (error
    pages sent by Starlette's outermost middleware get it too)."""

    def build_middleware_stack(self) -> ASGIApp:
        stack = super().build_middleware_stack()
        prefix: str = self.state.settings.root_path
        return SubPath(stack, prefix) if prefix else stack


def create_app(
    settings: Settings,
    *,
    session_factory: sessionmaker[Session] | None = None,
    catalog: Callable[[], Catalog] = get_catalog,
    engine: Callable[[Catalog], ScoringEngine] | None = None,
    charts: SvgRenderer | None = None,
) -> FastAPI:
    """The web app over the given settings; opens (and migrates) the store unless handed one."""
    reason = weak_secret_reason(settings.secret_key) if settings.secret_key is not None else None
    if reason and (settings.multi_user or settings.env == "production"):
        raise ConfigError(f"HEALTHPM_SECRET_KEY is refused: {reason} (or unset it to generate one)")
    app = HealthPMApp(
        title="healthpm",
        summary="Navigator, interview practice and progress for health-tech product managers.",
        version="1",
        docs_url=None,  # Swagger UI loads its assets from a CDN; /docs is our own offline page
        redoc_url=None,
        openapi_url="/openapi.json",
        dependencies=[Depends(csrf_protect)],
    )
    app.state.settings = settings
    app.state.session_factory = session_factory or open_store(settings)
    app.state.catalog = catalog
    app.state.engine = engine or LazyEngine()
    app.state.charts = charts or SvgRenderer()
    app.state.templates = make_templates(auto_reload=settings.env == "development")
    app.state.render_cache = RenderCache()
    app.state.csrf = CsrfTokens(settings.resolved_secret())
    app.state.session_policy = SessionPolicy(
        idle=timedelta(minutes=settings.session_idle_minutes),
        absolute=timedelta(days=settings.session_max_days),
    )
    app.mount("/static", StaticFiles(directory=str(STATIC_DIR)), name="static")
    install_error_handlers(app)
    include_routes(app)
    app.add_middleware(BodyLimit, max_bytes=MAX_BODY_BYTES)
    app.add_middleware(CsrfCookieAndHeaders, tokens=app.state.csrf)
    return app


#: The largest request body accepted anywhere (the data import upload is the largest).
MAX_BODY_BYTES = 50 * 1024 * 1024 + 64 * 1024


class BodyLimit:
    """Refuse request bodies over `max_bytes` (413) before a route reads them into memory."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = Request(scope).headers.get("content-length", "0")
        if not declared.isdigit() or int(declared) > self.max_bytes:
            await _too_large(scope, receive, send)
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.max_bytes:
                raise BodyTooLarge
            return message

        try:
            await self.app(scope, counted, send)
        except BodyTooLarge:
            await _too_large(scope, receive, send)


class BodyTooLarge(Exception):
    """A chunked request body went past the limit."""


async def _too_large(scope: Scope, receive: Receive, send: Send) -> None:
    response = Response("request body too large\n", status_code=413, media_type="text/plain")
    await response(scope, receive, send)


class CsrfCookieAndHeaders:
    """Give every visitor its CSRF token cookie and every response the security headers.

    (500 pages are sent by Starlette's outermost middleware, outside this one: the error
    handler adds the same headers there.)

    Plain ASGI rather than `@app.middleware("http")`: that wrapper runs each request in an
    extra task behind memory streams, which under load cost every page more than this does.
    """

    def __init__(self, app: ASGIApp, tokens: CsrfTokens) -> None:
        self.app = app
        self.tokens = tokens

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        current = request.cookies.get(CSRF_COOKIE)
        token = self.tokens.expected(request.cookies.get(SESSION_COOKIE), current)
        token = token or self.tokens.new()
        request.state.csrf_token = token
        https = is_https(request)
        cookie = None if token == current else csrf_cookie_header(token, secure=https)
        extra = security_headers(request.url.path, https)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                already = any(
                    c.startswith(CSRF_COOKIE + "=") for c in headers.getlist("set-cookie")
                )
                if cookie and not already:  # a sign-in or sign-out sets its own
                    headers.append("set-cookie", cookie)
                for key, value in extra.items():
                    if key not in headers:
                        headers[key] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)
