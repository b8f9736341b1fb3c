"""Every product code the knowledge base names for a subdomain must exist in FDA's table."""

from __future__ import annotations

import pytest
import yaml

from healthpm.catalog import content_dir
from healthpm.domain.content import Subdomain
from healthpm.fda import reference
from healthpm.fda.demo import FALLBACK_CODES


def test_subdomain_product_codes_exist_in_the_classification_table() -> None:
    path = content_dir() / "subdomains.yaml"
    if not path.exists():
        pytest.skip("content/subdomains.yaml is not written yet")
    known = {r["product_code"] for r in reference.classification_rows()}
    entries = [Subdomain.model_validate(raw) for raw in yaml.safe_load(path.read_text()) or []]
    missing = {e.id: sorted(set(e.product_codes) - known) for e in entries}
    assert not {k: v for k, v in missing.items() if v}, (
        "product codes absent from the 2019-07 classification table (new codes need a fresh "
        f"device-classification import): {missing}"
    )


def test_demo_fallback_codes_are_real() -> None:
    known = {r["product_code"] for r in reference.classification_rows()}
    assert {c for codes in FALLBACK_CODES.values() for c in codes} <= known
