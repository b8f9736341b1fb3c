"""Session cookie, CSRF tokens, security headers and the rate limits of the web app.

The session cookie holds a random token (256 bits); the database keeps only its SHA-256
(accounts/sessions.py), so sessions can be ended server-side. The cookie is HttpOnly,
SameSite=Lax, and Secure when the request came over https.

CSRF: a signed token echoed by every state-changing request in the `csrf_token` form field
or the `X-CSRF-Token` header (htmx sends it through `hx-headers` on <body>). For a browser
that holds a session cookie the token is derived from that cookie (an HMAC keyed by the
secret), so it is bound to the session: another session's token, or a token planted in a
cookie, does not match. Before sign-in it is a random value signed with the secret, kept in
its own cookie (double submit), which still protects the sign-in form itself.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from fastapi import Request, Response

SESSION_COOKIE = "healthpm_session"
CSRF_COOKIE = "healthpm_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"


def is_https(request: Request) -> bool:
    """True when the client reached us over TLS (directly, or as a trusted proxy says)."""
    return request.url.scheme == "https"


def client_address(request: Request) -> str:
    """The client's address: the TCP peer, which uvicorn replaces by the X-Forwarded-For
    address only when the peer is one of the operator's HEALTHPM_TRUSTED_PROXIES."""
    return request.client.host if request.client else "unknown"


def set_session_cookie(response: Response, request: Request, token: str, max_age: int) -> None:
    """Issue the session cookie (HttpOnly, SameSite=Lax, Secure over https)."""
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=max_age,
        httponly=True,
        samesite="lax",
        secure=is_https(request),
        path="/",
    )


def clear_session_cookie(response: Response, request: Request) -> None:
    response.delete_cookie(
        SESSION_COOKIE, httponly=True, samesite="lax", secure=is_https(request), path="/"
    )


class CsrfTokens:
    """Random tokens signed with the secret, or derived from the session cookie."""

    def __init__(self, secret_key: str) -> None:
        self._key = secret_key.encode()

    def new(self) -> str:
        nonce = secrets.token_urlsafe(24)
        return f"{nonce}.{self._mac(nonce)}"

    def for_session(self, session_token: str) -> str:
        """The one token a browser with this session cookie must echo."""
        nonce = "s" + hashlib.sha256(session_token.encode()).hexdigest()[:31]
        return f"{nonce}.{self._mac(nonce)}"

    def valid(self, token: str | None) -> bool:
        if not token or "." not in token:
            return False
        nonce, _, mac = token.partition(".")
        return hmac.compare_digest(mac, self._mac(nonce))

    def expected(self, session_cookie: str | None, csrf_cookie: str | None) -> str | None:
        """The token this request must carry (None: the browser holds no usable token)."""
        if session_cookie:
            return self.for_session(session_cookie)
        return csrf_cookie if self.valid(csrf_cookie) else None

    def matches(
        self, session_cookie: str | None, csrf_cookie: str | None, sent: str | None
    ) -> bool:
        """True when the request echoes the token of its session (or of its CSRF cookie)."""
        wanted = self.expected(session_cookie, csrf_cookie)
        return bool(wanted and sent) and hmac.compare_digest(wanted or "", sent or "")

    def _mac(self, nonce: str) -> str:
        return hmac.new(self._key, nonce.encode(), "sha256").hexdigest()[:32]


def csrf_cookie_header(token: str, *, secure: bool) -> str:
    """The Set-Cookie value for a CSRF token (formatted by Starlette)."""
    response = Response()
    response.set_cookie(CSRF_COOKIE, token, httponly=True, samesite="lax", secure=secure, path="/")
    return response.headers["set-cookie"]


SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
        "script-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'self'"
    ),
}
HSTS = "max-age=31536000"


def security_headers(path: str, https: bool) -> dict[str, str]:
    """The headers every response carries (error pages too): personal pages and the API are
    never stored by a browser or a proxy; static assets may be cached."""
    headers = dict(SECURITY_HEADERS)
    if not path.startswith("/static/"):
        headers["Cache-Control"] = "no-store"
    if https:
        headers["Strict-Transport-Security"] = HSTS
    return headers
