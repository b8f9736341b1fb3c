"""Links to FDA's own database pages for a record (none for synthetic records).

accessdata.fda.gov pages: MAUDE report detail, 510(k) record (with its summary PDF), PMA record,
recall record and product classification. Keys with healthpm's synthetic prefix get no link.
"""

from __future__ import annotations

from urllib.parse import quote

BASE = "https://www.accessdata.fda.gov/scripts/cdrh/cfdocs"
SYNTHETIC_PREFIX = "SYN-"


def _ok(key: object) -> str | None:
    text = str(key or "").strip()
    if not text or text.upper().startswith(SYNTHETIC_PREFIX):
        return None
    return quote(text, safe="")


def maude(mdr_report_key: object, synthetic: bool = False) -> str | None:
    """The MAUDE report page of an MDR report key."""
    key = _ok(mdr_report_key)
    if synthetic or key is None or len(key) > 9:  # synthetic reports use 10-digit keys
        return None
    return f"{BASE}/cfMAUDE/detail.cfm?mdrfoi__id={key}"


def clearance(k_number: object, synthetic: bool = False) -> str | None:
    """The 510(k) database record of a K number."""
    key = _ok(k_number)
    return None if synthetic or key is None else f"{BASE}/cfPMN/pmn.cfm?ID={key}"


def pma(pma_number: object, supplement: object = None, synthetic: bool = False) -> str | None:
    """The PMA database record of a PMA number (and supplement)."""
    key = _ok(pma_number)
    if synthetic or key is None:
        return None
    sup = _ok(supplement) or ""
    return f"{BASE}/cfpma/pma.cfm?id={key}{sup}"


def recall(cfres_id: object, synthetic: bool = False) -> str | None:
    """The recall database record (cfres_id)."""
    key = _ok(cfres_id)
    return None if synthetic or key is None else f"{BASE}/cfRES/res.cfm?id={key}"


def product_code(code: object) -> str | None:
    """The product classification page of a product code."""
    key = _ok(code)
    return None if key is None else f"{BASE}/cfPCD/classification.cfm?ID={key}"
