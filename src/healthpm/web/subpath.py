"""Serving under a path prefix (HEALTHPM_ROOT_PATH=/healthpm for https://example.org/healthpm/).

Inside the app every path stays prefix-free (`/plan`, `/static/app.css`): routes, redirects,
templates and the `next` of sign-in all speak app paths. This one ASGI layer, outermost, moves
between the two worlds:

- in: a request for `/healthpm/plan` reaches the app as `/plan` (a proxy that already strips
  the prefix, nginx's `proxy_pass http://app/;`, works too);
- out: root-relative URLs get the prefix: the redirect headers (`Location`, htmx's
  `HX-Redirect`/`HX-Location`/`HX-Push-Url`), the `Path` of every cookie, and in HTML the
  attributes that hold a URL (`href`, `src`, `action`, `formaction`, `hx-get|post|...`).

Doing it at the edge keeps one rule for every page, error pages and htmx fragments included,
instead of a prefix to remember in each of ~150 template URLs and ~50 redirects.
"""

from __future__ import annotations

import re

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

#: Response headers whose value is a URL the browser follows.
URL_HEADERS = (
    "location",
    "content-location",
    "hx-redirect",
    "hx-location",
    "hx-push-url",
    "hx-replace-url",
)
#: HTML attributes that hold a URL (htmx's request attributes included).
URL_ATTRIBUTES = (
    rb"href|src|action|formaction|poster|xlink:href|"
    rb"hx-get|hx-post|hx-put|hx-patch|hx-delete|hx-push-url|hx-replace-url"
)
_ATTRIBUTE = re.compile(rb"(\s(?:" + URL_ATTRIBUTES + rb")\s*=\s*[\"'])/(?![/\\])", re.IGNORECASE)
_COOKIE_PATH = re.compile(r"(;\s*path=)(/[^;]*)", re.IGNORECASE)


def prefixed(prefix: str, url: str) -> str:
    """The URL as the browser must see it: root-relative ones (not `//host`) get the prefix."""
    if url.startswith("/") and not url.startswith(("//", "/\\")):
        return prefix + url
    return url


def prefix_html(prefix: bytes, body: bytes) -> bytes:
    """Every URL attribute of the page that is root-relative, with the prefix."""
    return _ATTRIBUTE.sub(lambda m: m.group(1) + prefix + b"/", body)


def strip_prefix(prefix: str, path: str) -> str:
    """The app path of a request path: `/healthpm/plan` -> `/plan`, `/healthpm` -> `/`."""
    if path == prefix:
        return "/"
    if path.startswith(prefix + "/"):
        return path[len(prefix) :]
    return path  # the proxy stripped it already


def _rewrite_headers(prefix: str, message: Message) -> bool:
    """Prefix the URL headers and cookie paths; True when the body is HTML to rewrite."""
    headers = MutableHeaders(scope=message)
    for name in URL_HEADERS:
        if name in headers:
            headers[name] = prefixed(prefix, headers[name])
    cookies = headers.getlist("set-cookie")
    if cookies:
        del headers["set-cookie"]
        for cookie in cookies:
            fixed = _COOKIE_PATH.sub(lambda m: m.group(1) + prefix + m.group(2).rstrip("/"), cookie)
            headers.append("set-cookie", fixed)
    return headers.get("content-type", "").startswith("text/html")


class SubPath:
    """Serve the wrapped app under `prefix` (see the module docstring)."""

    def __init__(self, app: ASGIApp, prefix: str) -> None:
        self.app = app
        self.prefix = prefix
        self.prefix_bytes = prefix.encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        scope = dict(scope)
        scope["path"] = strip_prefix(self.prefix, scope["path"])
        if scope.get("raw_path"):
            scope["raw_path"] = strip_prefix(
                self.prefix, scope["raw_path"].decode("latin-1")
            ).encode("latin-1")
        start: Message | None = None
        chunks: list[bytes] = []
        # A HEAD answer has no body to rewrite; its Content-Length is the GET's, left as is.
        rewrite_body = scope.get("method") != "HEAD"

        async def send_prefixed(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                if _rewrite_headers(self.prefix, message) and rewrite_body:
                    start = message  # hold it: the body's length will change
                    return
                await send(message)
                return
            if message["type"] != "http.response.body" or start is None:
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            body = prefix_html(self.prefix_bytes, b"".join(chunks))
            headers = MutableHeaders(scope=start)
            if "content-length" in headers:
                headers["content-length"] = str(len(body))
            await send(start)
            await send({"type": "http.response.body", "body": body, "more_body": False})

        await self.app(scope, receive, send_prefixed)
