"""Session cookie, CSRF tokens and the login rate limit.

The session cookie holds only the user id, signed (itsdangerous, keyed by the settings secret)
and time-limited; it is HttpOnly, SameSite=Lax, and Secure when the request came over https.
CSRF uses a signed double-submit token: a random value in its own cookie, echoed by every
state-changing request in the `csrf_token` form field or the `X-CSRF-Token` header (htmx sends
it through `hx-headers` on <body>). The login limit is in memory, per process: 5 failures per
email and client address in 15 minutes; a restart forgets it, which is acceptable for a guard
against online guessing on a small self-hosted server.
"""

from __future__ import annotations

import hmac
import secrets
import threading
import time
from collections import deque
from dataclasses import dataclass, field

from fastapi import Request, Response
from itsdangerous import BadSignature, URLSafeTimedSerializer

SESSION_COOKIE = "healthpm_session"
CSRF_COOKIE = "healthpm_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
SESSION_MAX_AGE = 14 * 24 * 3600


def is_https(request: Request) -> bool:
    """True when the client reached us over TLS (directly or as uvicorn's proxy headers say)."""
    return request.url.scheme == "https"


class SessionSigner:
    """Signs and reads the session cookie value."""

    def __init__(self, secret_key: str) -> None:
        self._serializer = URLSafeTimedSerializer(secret_key, salt="healthpm-session")

    def dumps(self, user_id: int) -> str:
        return self._serializer.dumps({"uid": user_id})

    def loads(self, value: str | None) -> int | None:
        """The user id in a valid, unexpired cookie, else None."""
        if not value:
            return None
        try:
            data = self._serializer.loads(value, max_age=SESSION_MAX_AGE)
        except BadSignature:
            return None
        uid = data.get("uid") if isinstance(data, dict) else None
        return uid if isinstance(uid, int) else None


def set_session_cookie(
    response: Response, request: Request, signer: SessionSigner, uid: int
) -> None:
    """Issue the session cookie with the flags the issue asks for."""
    response.set_cookie(
        SESSION_COOKIE,
        signer.dumps(uid),
        max_age=SESSION_MAX_AGE,
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
    """Random tokens signed with the secret, so a planted cookie cannot be forged."""

    def __init__(self, secret_key: str) -> None:
        self._key = secret_key.encode()

    def new(self) -> str:
        nonce = secrets.token_urlsafe(24)
        return f"{nonce}.{self._mac(nonce)}"

    def valid(self, token: str | None) -> bool:
        if not token or "." not in token:
            return False
        nonce, _, mac = token.partition(".")
        return hmac.compare_digest(mac, self._mac(nonce))

    def matches(self, cookie: str | None, sent: str | None) -> bool:
        """True when the cookie is ours and the request echoes exactly it."""
        if not self.valid(cookie) or not sent:
            return False
        return hmac.compare_digest(cookie or "", sent)

    def _mac(self, nonce: str) -> str:
        return hmac.new(self._key, nonce.encode(), "sha256").hexdigest()[:32]


@dataclass
class LoginLimiter:
    """At most `limit` failed sign-ins per (email, client address) in `window` seconds."""

    limit: int = 5
    window: float = 15 * 60
    _failures: dict[tuple[str, str], deque[float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def blocked(self, email: str, address: str) -> bool:
        with self._lock:
            return len(self._recent((email.strip().lower(), address))) >= self.limit

    def fail(self, email: str, address: str) -> None:
        with self._lock:
            key = (email.strip().lower(), address)
            self._recent(key).append(time.monotonic())

    def succeed(self, email: str, address: str) -> None:
        with self._lock:
            self._failures.pop((email.strip().lower(), address), None)

    def _recent(self, key: tuple[str, str]) -> deque[float]:
        times = self._failures.setdefault(key, deque())
        cutoff = time.monotonic() - self.window
        while times and times[0] < cutoff:
            times.popleft()
        return times
