"""as_of and urls on dated entries, the glossary folder, and what a bad value reports."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
import yaml

from healthpm.catalog import DATED_KINDS, content_dir, load_catalog
from healthpm.errors import ContentError


def _copy(tmp_path: Path) -> Path:
    root = tmp_path / "content"
    shutil.copytree(content_dir(), root)
    return root


def _edit(path: Path, index: int, **changes: object) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for key, value in changes.items():
        if value is None:
            data[index].pop(key, None)
        else:
            data[index][key] = value
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")


def test_every_dated_entry_has_as_of_and_no_internal_fact_ids() -> None:
    catalog = load_catalog()
    entries = list(catalog.dated_entries())
    assert {kind for kind, _ in entries} == set(DATED_KINDS)
    for kind, entry in entries:
        assert isinstance(entry.as_of, date), (kind, entry.id)
        # DOMAIN-FACTS is an internal file users cannot open; sources name public documents.
        assert "DOMAIN-FACTS" not in entry.source, (kind, entry.id)
        assert all(u.startswith(("https://", "http://")) for u in entry.urls), (kind, entry.id)


@pytest.mark.parametrize(
    ("where", "index"),
    [
        ("glossary/a_core.yaml", 0),
        ("salaries.yaml", 0),
        ("questions/a_regulatory_privacy_ai_equity.yaml", 0),
    ],
)
def test_missing_as_of_names_file_and_key(tmp_path: Path, where: str, index: int) -> None:
    root = _copy(tmp_path)
    _edit(root / where, index, as_of=None)
    with pytest.raises(ContentError) as err:
        load_catalog(root)
    assert where in str(err.value)
    assert "key 'as_of'" in str(err.value)


@pytest.mark.parametrize(
    "bad", ["ftp://example.org/rule.pdf", "javascript:alert(1)", "www.fda.gov", "https://"]
)
def test_urls_must_be_http_or_https(tmp_path: Path, bad: str) -> None:
    root = _copy(tmp_path)
    _edit(root / "glossary/a_core.yaml", 0, urls=["https://www.ecfr.gov/", bad])
    with pytest.raises(ContentError) as err:
        load_catalog(root)
    message = str(err.value)
    assert "glossary/a_core.yaml" in message and "key 'urls.1'" in message
    assert "http or https" in message


def test_as_of_must_be_a_date(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    _edit(root / "salaries.yaml", 0, as_of="last spring")
    with pytest.raises(ContentError, match=r"salaries.yaml: .*key 'as_of'"):
        load_catalog(root)


def test_glossary_is_a_folder_and_every_file_in_it_loads(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    assert (root / "glossary").is_dir() and not (root / "glossary.yaml").exists()
    extra = [
        {
            "id": "zz-test-term",
            "term": "ZZ test term",
            "definition": "A term in a second glossary file.",
            "source": "45 CFR 160.103",
            "as_of": "2026-12-02",
            "urls": ["https://www.ecfr.gov/current/title-45/section-160.103"],
        }
    ]
    (root / "glossary" / "z_test.yaml").write_text(yaml.safe_dump(extra), encoding="utf-8")
    catalog = load_catalog(root)
    assert "zz-test-term" in catalog.glossary and "hipaa" in catalog.glossary
    assert catalog.origin["glossary:zz-test-term"] == "content/glossary/z_test.yaml"


def test_a_term_repeated_in_two_glossary_files_is_reported(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    first = yaml.safe_load((root / "glossary/a_core.yaml").read_text(encoding="utf-8"))[0]
    (root / "glossary" / "b_dup.yaml").write_text(yaml.safe_dump([first]), encoding="utf-8")
    with pytest.raises(ContentError, match=r"glossary/b_dup.yaml: duplicate glossary id"):
        load_catalog(root)
