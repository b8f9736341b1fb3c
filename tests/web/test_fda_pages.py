"""Workbench pages over the SYNTHETIC demo store: views, charts, downloads, bad input, CSRF."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from healthpm.catalog import Catalog
from healthpm.config import Settings
from healthpm.fda.demo import run_demo
from healthpm.fda.service import MAUDE_CAVEAT
from healthpm.web.app import create_app
from healthpm.web.routes.fda import EMPTY_STORE, MARKDOWN

from .conftest import post
from .fakes import FakeEngine

CODE = "LZG"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    """A data dir whose FDA store holds the synthetic demo, loaded once for this module."""
    data_dir = tmp_path_factory.mktemp("fda")
    return data_dir, run_demo(Settings(env="test", data_dir=data_dir))


@pytest.fixture
def fda_client(
    settings: Settings,
    session_factory: sessionmaker[Session],
    catalog: Catalog,
    demo: tuple[Path, dict[str, Any]],
) -> Iterator[TestClient]:
    """The single-user app whose FDA store is the demo store (user data stays per test)."""
    app = create_app(
        settings.model_copy(update={"data_dir": demo[0]}),
        session_factory=session_factory,
        catalog=lambda: catalog,
        engine=FakeEngine,
    )
    with TestClient(app) as c:
        c.get("/glossary")  # receive the CSRF cookie
        yield c


def _ok(client: TestClient, url: str, **params: str) -> str:
    r = client.get(url, params=params)
    assert r.status_code == 200, r.text
    assert r.headers["vary"] == "HX-Request"
    return r.text


def _svg_count(html: str) -> int:
    return html.count("<svg")


def test_workbench_page_shows_store_synthetic_files_and_forms(
    fda_client: TestClient, catalog: Catalog, demo: tuple[Path, dict[str, Any]]
) -> None:
    html = _ok(fda_client, "/workbench")
    assert '<a href="/workbench" aria-current="page">Workbench</a>' in html
    assert 'data-table="event"' in html and 'data-dataset="device-event"' in html
    assert "SYNTHETIC" in html and "data-empty-store" not in html
    assert 'action="/workbench/demo"' in html and 'name="csrf_token"' in html
    assert "Load demo data (synthetic)" in html
    for sub in catalog.subdomains.values():
        assert (f'<option value="{sub.id}">' in html) == bool(sub.product_codes)
    for label_for in ("wb-subdomain", "wb-code", "wb-panel"):
        assert f'<label for="{label_for}">' in html
    for code in demo[1]["subdomains"]["diabetes-technology"][:3]:
        assert f'<option value="{code}">' in html


def test_failure_modes_by_code_has_charts_denominators_and_caveats(
    fda_client: TestClient,
) -> None:
    html = _ok(fda_client, "/workbench/failure-modes", product_code=CODE.lower())
    assert "<h1>Failure modes: LZG</h1>" in html
    assert _svg_count(html) >= 2
    assert 'data-reports="250"' in html and "/ 250" in html
    assert 'data-synthetic="true"' in html
    assert MAUDE_CAVEAT.replace("'", "&#39;") in html
    assert 'data-apart="true"' in html and "Insufficient Information" in html
    assert "data-narrative=" in html and "data-category=" in html
    assert 'href="/workbench/510k-outline?product_code=LZG"' in html


def test_failure_modes_by_subdomain_with_since(
    fda_client: TestClient, demo: tuple[Path, dict[str, Any]]
) -> None:
    html = _ok(fda_client, "/workbench/failure-modes", subdomain="diabetes-technology")
    codes = demo[1]["subdomains"]["diabetes-technology"]
    assert all(code in html for code in codes) and _svg_count(html) >= 2
    later = _ok(
        fda_client, "/workbench/failure-modes", subdomain="diabetes-technology", since="2023"
    )
    assert "received from 2023 on" in later
    assert "510k-outline" not in later.split("<main", 1)[1].split("</nav>", 1)[0]


def test_clearance_times_by_code_and_panel(fda_client: TestClient) -> None:
    html = _ok(fda_client, "/workbench/clearance-times", product_code=CODE)
    assert "Cleared decisions only" in html and 'data-cleared-only="true"' in html
    assert _svg_count(html) == 1 and "data-year=" in html and "Traditional" in html
    assert 'data-synthetic="true"' in html
    panel = _ok(fda_client, "/workbench/clearance-times", panel="ch", since="2021")
    assert "review panel CH" in panel and 'data-n="0"' not in panel


def test_predicates_and_recalls(fda_client: TestClient) -> None:
    html = _ok(fda_client, "/workbench/predicates", product_code=CODE)
    assert html.count("data-k-number=") >= 5
    html = _ok(fda_client, "/workbench/recalls", product_code=CODE)
    assert "By root cause" in html and "data-recall=" in html and 'data-synthetic="true"' in html
    html = _ok(fda_client, "/workbench/recalls", subdomain="remote-patient-monitoring")
    assert "Recalls: " in html and "By recall class" in html


def test_risk_register_page_and_downloads(fda_client: TestClient) -> None:
    html = _ok(fda_client, "/workbench/risk-register", subdomain="diabetes-technology")
    assert 'data-risk="R-01"' in html and 'data-synthetic="true"' in html
    assert 'href="/workbench/risk-register.csv?subdomain=diabetes-technology"' in html
    r = fda_client.get("/workbench/risk-register.md", params={"product_code": CODE})
    assert r.status_code == 200
    assert r.headers["content-type"] == "text/markdown; charset=utf-8"
    assert r.headers["content-disposition"] == 'attachment; filename="risk-register-lzg.md"'
    assert r.text.startswith("# Risk register (draft): LZG") and "SYNTHETIC" in r.text
    r = fda_client.get("/workbench/risk-register.csv", params={"subdomain": "diabetes-technology"})
    assert r.headers["content-type"] == "text/csv; charset=utf-8"
    assert 'filename="risk-register-diabetes-technology.csv"' in r.headers["content-disposition"]
    assert r.text.startswith("id,hazard,hazardous_situation,harm,severity,probability")
    assert "SYNTHETIC (generated)" in r.text


def test_510k_outline_page_and_download(fda_client: TestClient) -> None:
    html = _ok(fda_client, "/workbench/510k-outline", product_code=CODE)
    assert "<h1>Mock traditional 510(k) outline (eSTAR structure): LZG" in html
    assert "<h2>Substantial equivalence</h2>" in html and "<table>" in html
    assert 'data-synthetic="true"' in html and "## " not in html
    r = fda_client.get("/workbench/510k-outline.md", params={"product_code": CODE})
    assert r.status_code == 200
    assert r.headers["content-type"] == "text/markdown; charset=utf-8"
    assert r.headers["content-disposition"] == 'attachment; filename="510k-outline-lzg.md"'
    assert "## Substantial equivalence" in r.text


@pytest.mark.parametrize(
    ("url", "params", "status", "says"),
    [
        ("/workbench/failure-modes", {"product_code": "QQQ"}, 404, "unknown product code"),
        ("/workbench/predicates", {"product_code": "L1"}, 400, "is not a product code"),
        ("/workbench/recalls", {"subdomain": "no-such-area"}, 404, "unknown subdomain id"),
        ("/workbench/risk-register", {"subdomain": "prior-authorization"}, 404, "no FDA product"),
        ("/workbench/failure-modes", {}, 400, "choose either a product code or a subdomain"),
        (
            "/workbench/failure-modes",
            {"product_code": CODE, "subdomain": "telehealth"},
            400,
            "not both",
        ),
        ("/workbench/failure-modes", {"product_code": CODE, "since": "soon"}, 400, "a year"),
        ("/workbench/clearance-times", {}, 400, "review panel"),
        ("/workbench/510k-outline.md", {"product_code": "QQQ"}, 404, "unknown product code"),
        ("/workbench/risk-register.pdf", {"product_code": CODE}, 404, ".md or .csv"),
    ],
)
def test_bad_input_is_a_clear_4xx_page(
    fda_client: TestClient, url: str, params: dict[str, str], status: int, says: str
) -> None:
    r = fda_client.get(url, params=params)
    assert r.status_code == status, r.text
    assert f'data-status="{status}"' in r.text and says in r.text


def test_empty_store_says_so(client: TestClient, settings: Settings) -> None:
    html = _ok(client, "/workbench")
    assert "data-empty-store" in html and "Load demo data (synthetic)" in html
    for url in ("/workbench/failure-modes", "/workbench/risk-register.md"):
        r = client.get(url, params={"product_code": CODE})
        assert r.status_code == 404
        assert EMPTY_STORE.split(":", 1)[0] in r.text
    assert not settings.fda_store_path.exists()  # viewing never creates the store


def test_demo_load_needs_csrf_then_redirects(
    client: TestClient, fda_client: TestClient, settings: Settings
) -> None:
    r = client.post("/workbench/demo", data={}, follow_redirects=False)
    assert r.status_code == 403
    assert not settings.fda_store_path.exists()
    before = _ok(fda_client, "/workbench").split('data-table="event"', 1)[1][:80]
    r = post(fda_client, "/workbench/demo")
    assert r.status_code == 303 and r.headers["location"].startswith("/workbench?loaded=")
    html = fda_client.get(r.headers["location"]).text
    assert "The demo data was already loaded" in html
    assert html.split('data-table="event"', 1)[1][:80] == before  # re-loading adds nothing


def test_signed_out_visitor_is_sent_to_sign_in(make_client: Any) -> None:
    r = make_client().get("/workbench/failure-modes?product_code=LZG", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/signin")


def test_outline_markdown_renderer_escapes_html() -> None:
    html = MARKDOWN.render("<script>alert(1)</script>\n\n| a |\n|---|\n| <b>x</b> |")
    assert "<script>" not in html and "<b>" not in html and "<table>" in html


def test_new_views_render_with_synthetic_marks_inside_charts(fda_client: TestClient) -> None:
    html = _ok(fda_client, "/workbench/failure-trend", product_code=CODE)
    assert _svg_count(html) == 1 and "SYNTHETIC DATA (healthpm demo)" in html
    assert 'data-quarter="2021-Q1"' in html
    html = _ok(fda_client, "/workbench/failure-modes", product_code=CODE)
    assert html.count("SYNTHETIC DATA (healthpm demo), not FDA data") >= 2  # inside both SVGs
    html = _ok(fda_client, "/workbench/manufacturers", product_code=CODE)
    assert "Counts, not rates" in html and "data-manufacturer=" in html
    html = _ok(fda_client, "/workbench/pma", product_code="MDS")
    assert 'data-records="' in html and "original" in html
    html = _ok(fda_client, "/workbench/search", q="occlusion alarm", product_code=CODE)
    assert 'data-report="' in html and "OCCLUSION" in html
    assert "cfMAUDE" not in html  # synthetic reports get no FDA link
    html = _ok(fda_client, "/workbench/search")
    assert 'name="q"' in html


def test_clearance_times_show_interval_and_panel_name(fda_client: TestClient) -> None:
    html = _ok(fda_client, "/workbench/clearance-times", product_code=CODE)
    assert "95% interval" in html and "n=" in html  # n under each year inside the chart
    html = _ok(
        fda_client,
        "/workbench",
    )
    assert "General Hospital (HO)" in html or "Clinical Chemistry (CH)" in html


def test_table_downloads_as_csv_and_parquet(fda_client: TestClient) -> None:
    r = fda_client.get(
        "/workbench/export/failure-modes/categories.csv", params={"product_code": CODE}
    )
    assert r.status_code == 200 and r.text.splitlines()[0].endswith("data_source")
    assert "SYNTHETIC" in r.text.splitlines()[1]
    r = fda_client.get(
        "/workbench/export/recalls/recent.parquet", params={"subdomain": "diabetes-technology"}
    )
    assert r.status_code == 200 and r.content[:4] == b"PAR1"
    r = fda_client.get("/workbench/export/recalls/nope.csv", params={"product_code": CODE})
    assert r.status_code == 404
    r = fda_client.get("/workbench/export/recalls/recent.xlsx", params={"product_code": CODE})
    assert r.status_code == 404


def test_remove_demo_button(
    settings: Settings,
    session_factory: sessionmaker[Session],
    catalog: Catalog,
    tmp_path: Path,
) -> None:
    run_demo(Settings(env="test", data_dir=tmp_path), events_per_code=10)
    app = create_app(
        settings.model_copy(update={"data_dir": tmp_path}),
        session_factory=session_factory,
        catalog=lambda: catalog,
        engine=FakeEngine,
    )
    with TestClient(app) as client:
        client.get("/glossary")
        assert "Remove demo data" in client.get("/workbench").text
        r = post(client, "/workbench/demo/remove")
        assert r.status_code == 303 and "removed=" in r.headers["location"]
        html = client.get(r.headers["location"]).text
        assert "FDA data was not touched" in html and "Remove demo data" not in html
