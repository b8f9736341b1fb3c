"""Serving under a path prefix (HEALTHPM_ROOT_PATH=/healthpm): a crawl of every page a
candidate and a coach reach fails on any URL (link, form action, htmx URL, asset, redirect,
cookie path) that lacks the prefix, and on any internal link that leads nowhere."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator
from urllib.parse import urljoin, urlsplit

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from healthpm.catalog import Catalog
from healthpm.config import Settings
from healthpm.web.app import create_app
from healthpm.web.subpath import prefix_html, prefixed, strip_prefix
from web.conftest import PASSWORD, csrf, post
from web.fakes import FakeEngine

from .helpers import cohort

PREFIX = "/healthpm"
ORIGIN = "http://testserver"
URL_ATTR = re.compile(
    r"""\s(href|src|action|formaction|hx-get|hx-post|hx-put|hx-patch|hx-delete)\s*=\s*["']([^"']*)["']""",
    re.IGNORECASE,
)
FOLLOW = ("href", "hx-get", "src")
MAX_PAGES = 400
FAMILY_SAMPLE = 25


@pytest.fixture
def prefixed_app(
    settings: Settings, session_factory: sessionmaker[Session], catalog: Catalog
) -> FastAPI:
    served = settings.model_copy(update={"multi_user": True, "root_path": PREFIX})
    return create_app(
        served, session_factory=session_factory, catalog=lambda: catalog, engine=FakeEngine
    )


@pytest.fixture
def make_prefixed(prefixed_app: FastAPI) -> Iterator[Callable[..., TestClient]]:
    """Browsers at http://testserver/healthpm/: the helpers' `/plan` goes to /healthpm/plan."""
    made: list[TestClient] = []

    def make(email: str | None = None, role: str = "candidate") -> TestClient:
        c = TestClient(prefixed_app, base_url=ORIGIN + PREFIX)
        made.append(c)
        c.get("/signin")
        if email:
            r = post(c, "/signup", {"email": email, "password": PASSWORD, "role": role})
            assert r.status_code == 303, r.text
            assert r.headers["location"].startswith(PREFIX + "/"), r.headers["location"]
        return c

    yield make
    for c in made:
        c.close()


def _ours(url: str) -> bool:
    return url == PREFIX or url.startswith(PREFIX + "/")


def _problems(response: httpx.Response) -> list[str]:
    """Every URL of the response that a browser would take outside the prefix."""
    where = response.request.url.path
    found = []
    location = response.headers.get("location", "")
    if location and not (_ours(location) or location.startswith("http")):
        found.append(f"{where}: redirect to {location}")
    for name in ("hx-redirect", "hx-location", "hx-push-url"):
        value = response.headers.get(name, "")
        if value.startswith("/") and not _ours(value):
            found.append(f"{where}: {name} {value}")
    for cookie in response.headers.get_list("set-cookie"):
        path = re.search(r"(?i);\s*path=([^;]*)", cookie)
        if path is None or path.group(1) != PREFIX:
            found.append(f"{where}: cookie {cookie.split('=', 1)[0]} path {path and path.group(1)}")
    if response.headers.get("content-type", "").startswith("text/html"):
        for attr, url in URL_ATTR.findall(response.text):
            if url.startswith("//") or (url.startswith("/") and not _ours(url)):
                found.append(f"{where}: {attr}={url}")
    return found


def crawl(c: TestClient, start: list[str]) -> tuple[list[str], dict[str, int]]:
    """GET every same-prefix page reachable from `start` (never a POST): problems, statuses."""
    queue = [PREFIX + s for s in start]
    seen: dict[str, int] = {}
    problems: list[str] = []
    # A sample of each family of pages (189 question pages look alike): a few per path, a
    # couple of dozen per first segment.
    per_path: Counter[str] = Counter()
    per_family: Counter[str] = Counter()
    while queue and len(seen) < MAX_PAGES:
        path = queue.pop(0)
        bare = path.split("?")[0]
        family = bare.removeprefix(PREFIX).split("/")[1]
        if path in seen or per_path[bare] >= 3 or per_family[family] >= FAMILY_SAMPLE:
            continue
        per_path[bare] += 1
        per_family[family] += 1
        r = c.get(ORIGIN + path, follow_redirects=False)
        seen[path] = r.status_code
        problems += _problems(r)
        found = [r.headers.get("location", "")]
        if r.headers.get("content-type", "").startswith("text/html"):
            found += [u for a, u in URL_ATTR.findall(r.text) if a.lower() in FOLLOW]
        for url in found:
            target = urlsplit(urljoin(path, url))
            if target.netloc or not _ours(target.path):
                continue
            queue.append(target.path + (f"?{target.query}" if target.query else ""))
    return problems, seen


def _assert_clean(problems: list[str], seen: dict[str, int]) -> None:
    assert len(seen) > 30, seen  # the crawl reached the app, not one page
    assert not problems, "\n".join(sorted(set(problems))[:40])
    broken = {p: s for p, s in seen.items() if s == 404 or s >= 500}
    assert not broken, broken
    assert seen[PREFIX + "/static/app.css"] == 200 and seen[PREFIX + "/static/htmx.min.js"] == 200


def test_a_candidate_and_a_coach_see_only_prefixed_urls(
    make_prefixed: Callable[..., TestClient], catalog: Catalog
) -> None:
    c = cohort(make_prefixed, catalog)
    pages = ["/", "/plan", "/practice", "/account", "/profiles", "/stories", "/jobs"]
    problems, seen = crawl(c.nurse, pages)
    _assert_clean(problems, seen)
    assert any(p.startswith(PREFIX + "/practice/attempts/") for p in seen)
    problems, seen = crawl(c.coach, ["/", "/coach", "/coach/analytics", "/account"])
    _assert_clean(problems, seen)
    nurse = c.ids["nurse"]
    assert seen[f"{PREFIX}/coach/{nurse}/plan"] == 200
    assert seen[f"{PREFIX}/coach/{nurse}/practice"] == 200
    assert any(re.fullmatch(rf"{PREFIX}/coach/{nurse}/attempts/\d+", p) for p in seen)


def test_redirects_htmx_and_forms_keep_the_prefix(
    make_prefixed: Callable[..., TestClient], catalog: Catalog
) -> None:
    c = cohort(make_prefixed, catalog)
    anonymous = make_prefixed()
    r = anonymous.get("/plan", follow_redirects=False)
    assert r.headers["location"] == f"{PREFIX}/signin?next=/plan"
    r = anonymous.get("/plan", headers={"HX-Request": "true"}, follow_redirects=False)
    assert r.headers.get("hx-redirect", "").startswith(PREFIX + "/signin")
    r = post(
        anonymous, "/signin", {"email": "nadia@cohort.test", "password": PASSWORD, "next": "/plan"}
    )
    assert r.status_code == 303 and r.headers["location"] == f"{PREFIX}/plan"
    html = anonymous.get("/plan").text
    key = re.search(r'data-task="([^"]+)" data-done="false" data-week="(\d+)"', html)
    assert key and f'hx-post="{PREFIX}/plan/tasks/{key.group(1)}"' in html
    r = anonymous.post(
        f"/plan/tasks/{key.group(1)}",
        data={"done": "true", "week": key.group(2), "csrf_token": csrf(anonymous)},
        headers={"HX-Request": "true"},
    )
    assert r.status_code == 200 and not _problems(r)
    attempt = c.attempts["nurse"]
    r = post(c.coach, f"/coach/{c.ids['nurse']}/attempts/{attempt}/comments", {"body": "Good."})
    assert r.status_code == 303 and not _problems(r)
    r = post(anonymous, "/signout")
    assert r.headers["location"] == f"{PREFIX}/signin" and not _problems(r)


def test_the_app_answers_with_or_without_the_prefix_in_the_request(
    prefixed_app: FastAPI,
) -> None:
    """nginx's `proxy_pass http://app/;` strips the prefix, `proxy_pass http://app;` keeps it."""
    with TestClient(prefixed_app) as c:
        for path in (
            "/healthz",
            f"{PREFIX}/healthz",
            "/static/app.css",
            f"{PREFIX}/static/app.css",
        ):
            assert c.get(path).status_code == 200, path
        r = c.get(f"{PREFIX}", follow_redirects=False)
        assert r.status_code in (200, 303)
        page = c.get(f"{PREFIX}/levels")
        assert f'href="{PREFIX}/glossary"' in page.text
        assert int(page.headers["content-length"]) == len(page.content)  # after the rewrite
        css = c.get(f"{PREFIX}/static/app.css")
        head = c.head(f"{PREFIX}/static/app.css")
        assert head.status_code == 200
        assert head.headers["content-length"] == css.headers["content-length"]


def test_rewriting_rules() -> None:
    assert prefixed(PREFIX, "/plan?x=1") == "/healthpm/plan?x=1"
    assert prefixed(PREFIX, "//evil.example/x") == "//evil.example/x"
    assert prefixed(PREFIX, "https://example.org/") == "https://example.org/"
    assert strip_prefix(PREFIX, "/healthpm") == "/"
    assert strip_prefix(PREFIX, "/healthpmx/plan") == "/healthpmx/plan"
    page = b'<a href="/plan">/plan</a><a href="//x.org/a"><form action=\'/signin\'><b hx-post="/t">'
    assert prefix_html(PREFIX.encode(), page) == (
        b'<a href="/healthpm/plan">/plan</a><a href="//x.org/a">'
        b"<form action='/healthpm/signin'><b hx-post=\"/healthpm/t\">"
    )


@pytest.mark.parametrize(
    ("value", "normal"), [("healthpm", "/healthpm"), ("/a/b/", "/a/b"), ("/", ""), ("", "")]
)
def test_the_setting_is_normalised(value: str, normal: str) -> None:
    assert Settings(root_path=value).root_path == normal


@pytest.mark.parametrize("value", ["/a b", '/x"', "/a?b", "/../x;"])
def test_a_bad_prefix_is_refused(value: str) -> None:
    with pytest.raises(ValueError, match="path prefix"):
        Settings(root_path=value)
