"""Dated facts on the web: 'as of' beside every source, seed titles, public documents as links."""

from __future__ import annotations

import html as html_lib

from fastapi.testclient import TestClient

from healthpm.catalog import Catalog
from healthpm.domain.citations import readable_source


def test_glossary_terms_show_as_of_and_link_their_documents(
    client: TestClient, catalog: Catalog
) -> None:
    page = client.get("/glossary", params={"q": "USCDI"}).text
    assert "as of Dec 2, 2026" in page
    assert 'href="https://www.federalregister.gov/citation/90-FR-60970"' in page
    assert 'rel="noopener noreferrer external"' in page
    assert ">federalregister.gov/citation/90-FR-60970</a>" in page


def test_question_page_cites_seed_titles_not_file_names(client: TestClient) -> None:
    page = client.get("/questions/stk-payer-wants-faster-denials").text
    assert "Navigating a PM Career in Healthcare" in page
    assert "001_be2c56113838b31f.txt" not in page
    assert "as of Dec 2, 2026" in page
    assert 'href="https://www.ecfr.gov/current/title-42/section-422.566"' in page


def test_every_question_page_shows_its_readable_source(
    client: TestClient, catalog: Catalog
) -> None:
    for question in list(catalog.questions.values())[::20]:
        page = html_lib.unescape(client.get(f"/questions/{question.id}").text)
        assert readable_source(question.source) in page, question.id
        assert ".txt" not in readable_source(question.source)


def test_levels_page_labels_pay_as_indicative_with_titles_and_as_of(client: TestClient) -> None:
    page = html_lib.unescape(client.get("/levels").text)
    assert "indicative only" in page
    assert "do not say whether it is base pay or total cash" in page
    assert "Navigating a PM Career in Healthcare" in page
    assert "_be2c56113838b31f.txt" not in page
    assert "(as of Dec 2, 2026)" in page
    # S1: the seed-001 mid-level band is a mid-sized firm's, not a startup's.
    row = page.split('data-band="s-001-mid-healthtech"')[1].split("</tr>")[0]
    assert "Large health-tech company" in row and "Health-tech startup" not in row
