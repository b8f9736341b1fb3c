"""The one place errors become responses: {status}.html, error.html, a fragment, or JSON."""

from __future__ import annotations

import logging
from http import HTTPStatus
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import JSONResponse, RedirectResponse, Response

from healthpm.errors import AuthError, HealthPMError
from healthpm.web.rendering import TEMPLATES_DIR, is_htmx, render
from healthpm.web.security import is_https, security_headers

log = logging.getLogger("healthpm.web")


def wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/api"


def error_response(request: Request, status: int, message: str, kind: str) -> Response:
    """JSON for /api, else the {status}.html page (or error.html), or its fragment for htmx."""
    if wants_json(request):
        return JSONResponse({"error": {"type": kind, "message": message}}, status_code=status)
    title = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else "Error"
    page = f"errors/{status}.html"
    if not (TEMPLATES_DIR / page).exists():
        page = "errors/error.html"
    context = {"status": status, "title": title, "message": message}
    return render(request, page, context, fragment="errors/_error.html", status_code=status)


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for err in exc.errors()[:3]:
        where = ".".join(str(p) for p in err.get("loc", ()) if p not in ("body", "query", "path"))
        parts.append(f"{where or 'request'}: {err.get('msg', 'invalid')}")
    return "; ".join(parts)


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers; routes and services only raise."""

    @app.exception_handler(AuthError)
    def _auth(request: Request, exc: AuthError) -> Response:
        if wants_json(request) or request.method != "GET" or request.url.path == "/signin":
            return error_response(request, 401, str(exc), "AuthError")
        target = "/signin?next=" + quote(request.url.path, safe="/")
        if is_htmx(request):
            return Response(status_code=204, headers={"HX-Redirect": target})
        return RedirectResponse(target, status_code=303)

    @app.exception_handler(HealthPMError)
    def _domain(request: Request, exc: HealthPMError) -> Response:
        return error_response(request, exc.http_status, str(exc), type(exc).__name__)

    @app.exception_handler(StarletteHTTPException)
    def _http(request: Request, exc: StarletteHTTPException) -> Response:
        message = exc.detail if isinstance(exc.detail, str) else HTTPStatus(exc.status_code).phrase
        if exc.status_code == 404 and message == "Not Found":
            message = f"nothing at {request.url.path}"
        response = error_response(request, exc.status_code, message, "HTTPError")
        for key, value in (exc.headers or {}).items():
            response.headers[key] = value
        return response

    @app.exception_handler(RequestValidationError)
    def _invalid(request: Request, exc: RequestValidationError) -> Response:
        status = 422 if wants_json(request) else 400
        return error_response(request, status, _validation_message(exc), "ValidationError")

    @app.exception_handler(Exception)
    def _unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        response = error_response(
            request, 500, "something went wrong on our side; it was logged", "InternalError"
        )
        # Starlette sends this page from its outermost middleware, past the one that adds
        # the security headers to every other response.
        response.headers.update(security_headers(request.url.path, is_https(request)))
        return response
