"""Hand-made files in openFDA's real bulk layout, for the trap tests (not synthetic-flagged)."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any


def real_file(path: Path, results: Any, *, meta: dict[str, Any] | None = None) -> Path:
    """Write {meta, results} pretty-printed, zipped with one member, as openFDA ships it.

    `results` is written as given (a list normally; None, a dict or absent for bad files)."""
    body: dict[str, Any] = {
        "meta": meta
        or {
            "disclaimer": "Do not rely on openFDA to make decisions regarding medical care.",
            "terms": "https://open.fda.gov/terms/",
            "license": "https://open.fda.gov/license/",
            "last_updated": "2025-03-01",
            "results": {
                "skip": 0,
                "limit": 100,
                "total": len(results) if isinstance(results, list) else 0,
            },
        }
    }
    if results is not _ABSENT:
        body["results"] = results
    text = json.dumps(body, indent=2, ensure_ascii=False)
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(path.name.removesuffix(".zip"), text)
    return path


_ABSENT: Any = object()
ABSENT = _ABSENT


def event(key: str, **fields: Any) -> dict[str, Any]:
    """A device-event record with the real field names."""
    record: dict[str, Any] = {
        "mdr_report_key": key,
        "report_number": f"30{key}-2024-00001",
        "date_received": "20240305",
        "event_type": "Malfunction",
        "adverse_event_flag": "N",
        "product_problem_flag": "Y",
        "report_source_code": "Manufacturer report",
        "type_of_report": ["Initial submission"],
        "date_manufacturer_received": "20240301",
        "product_problems": ["Break"],
        "device": [{"device_sequence_number": "1", "device_report_product_code": "LZG",
                    "brand_name": "PUMP X", "manufacturer_d_name": "ACME MEDICAL"}],
        "patient": [{"patient_sequence_number": "1", "patient_problems": ["Hyperglycemia"],
                     "sequence_number_outcome": ["Required Intervention"]}],
        "mdr_text": [],
    }  # fmt: skip
    record.update(fields)
    return record


def clearance(k: str, received: str, decided: str, **fields: Any) -> dict[str, Any]:
    """A 510(k) record with the real field names."""
    record = {
        "k_number": k,
        "product_code": "LZG",
        "date_received": received,
        "decision_date": decided,
        "decision_code": "SESE",
        "decision_description": "Substantially Equivalent",
        "clearance_type": "Traditional",
        "advisory_committee": "HO",
        "review_advisory_committee": "HO",
        "applicant": "ACME MEDICAL",
        "device_name": "INSULIN PUMP",
        "statement_or_summary": "Summary",
        "openfda": {"device_class": "2", "regulation_number": "880.5725"},
    }
    record.update(fields)
    return record
