"""The FastAPI application factory: `create_app(settings)`; nothing is built at import."""

from __future__ import annotations

import threading
from collections.abc import Awaitable, Callable
from pathlib import Path

from fastapi import Depends, FastAPI, Request
from fastapi.staticfiles import StaticFiles
from sqlalchemy.orm import Session, sessionmaker
from starlette.responses import Response

from healthpm.catalog import Catalog, get_catalog
from healthpm.config import Settings
from healthpm.practice.scoring import ScoringEngine
from healthpm.store import open_store
from healthpm.web.charts import SvgRenderer
from healthpm.web.deps import csrf_protect
from healthpm.web.errors import install_error_handlers
from healthpm.web.rendering import RenderCache, make_templates
from healthpm.web.routes import include_routes
from healthpm.web.security import CSRF_COOKIE, CsrfTokens, LoginLimiter, SessionSigner, is_https

STATIC_DIR = Path(__file__).parent / "static"

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
        "script-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'self'"
    ),
}


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


def create_app(
    settings: Settings,
    *,
    session_factory: sessionmaker[Session] | None = None,
    catalog: Callable[[], Catalog] = get_catalog,
    engine: Callable[[Catalog], ScoringEngine] | None = None,
    charts: SvgRenderer | None = None,
) -> FastAPI:
    """The web app over the given settings; opens (and migrates) the store unless handed one."""
    app = FastAPI(
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
    app.state.signer = SessionSigner(settings.secret_key)
    app.state.csrf = CsrfTokens(settings.secret_key)
    app.state.login_limiter = LoginLimiter()
    app.mount("/static", StaticFiles(directory=str(STATIC_DIR)), name="static")
    install_error_handlers(app)
    include_routes(app)
    app.middleware("http")(_csrf_cookie_and_headers)
    return app


async def _csrf_cookie_and_headers(
    request: Request, call_next: Callable[[Request], Awaitable[Response]]
) -> Response:
    """Give every visitor a CSRF token cookie and every response the security headers."""
    tokens: CsrfTokens = request.app.state.csrf
    current = request.cookies.get(CSRF_COOKIE)
    fresh = None if tokens.valid(current) else tokens.new()
    request.state.csrf_token = fresh or current
    response = await call_next(request)
    if fresh:
        response.set_cookie(
            CSRF_COOKIE, fresh, httponly=True, samesite="lax", secure=is_https(request), path="/"
        )
    for key, value in SECURITY_HEADERS.items():
        response.headers.setdefault(key, value)
    return response
