"""The matcher against a labelled set of postings: level accuracy and requirement P/R.

The manifest is a YAML list; each entry names a posting file (relative to the manifest) and
what a careful reader finds in it: `level`, `licensure` (ids, with `required` listing the
ones that are required rather than preferred), `regulatory` ids and key `competencies`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from healthpm.catalog import Catalog
from healthpm.domain import yamlio
from healthpm.domain.jobs.match import match_posting
from healthpm.domain.jobs.posting import read_posting
from healthpm.errors import DataFileError


def _load(manifest: Path) -> list[dict[str, Any]]:
    try:
        data = yamlio.safe_load(manifest.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise DataFileError(f"{manifest}: cannot read the manifest ({exc})") from None
    if not isinstance(data, list) or not all(isinstance(e, dict) and "file" in e for e in data):
        raise DataFileError(f"{manifest}: must be a list of entries with a 'file' key")
    return data


def _pr(tp: int, predicted: int, truth: int) -> dict[str, float]:
    return {
        "precision": tp / predicted if predicted else 1.0,
        "recall": tp / truth if truth else 1.0,
    }


def evaluate_manifest(manifest: Path, catalog: Catalog) -> dict[str, Any]:
    """Accuracy figures over every posting of the manifest, and each miss in one line."""
    entries = _load(manifest)
    order = [lv.id for lv in catalog.levels_ascending()]
    exact = near = 0
    counts = {k: [0, 0, 0] for k in ("licensure", "regulatory", "required")}
    comp_found = comp_total = 0
    misses: list[str] = []
    for entry in entries:
        path = manifest.parent / entry["file"]
        posting = read_posting(path.read_text(encoding="utf-8"), name=path.name)
        result = match_posting(posting, catalog)
        want = entry["level"]
        exact += result.level == want
        near += abs(order.index(result.level) - order.index(want)) <= 1
        if result.level != want:
            misses.append(f"{entry['file']}: level {result.level}, expected {want}")
        got = {
            "licensure": {lic["id"] for lic in result.licensure},
            "regulatory": {r["id"] for r in result.regulatory},
            "required": {lic["id"] for lic in result.licensure if lic["required"]},
        }
        for key in counts:
            truth = set(entry.get(key) or [])
            counts[key][0] += len(got[key] & truth)
            counts[key][1] += len(got[key])
            counts[key][2] += len(truth)
            if got[key] != truth:
                misses.append(
                    f"{entry['file']}: {key} extra {sorted(got[key] - truth)}, "
                    f"missed {sorted(truth - got[key])}"
                )
        found = {c["id"] for c in result.competencies}
        key_comps = set(entry.get("competencies") or [])
        comp_found += len(found & key_comps)
        comp_total += len(key_comps)
        if key_comps - found:
            misses.append(f"{entry['file']}: competencies missed {sorted(key_comps - found)}")
    n = len(entries)
    return {
        "postings": n,
        "level_accuracy": exact / n if n else 0.0,
        "level_within_one": near / n if n else 0.0,
        "licensure": _pr(*counts["licensure"]),
        "required_vs_preferred": _pr(*counts["required"]),
        "regulatory": _pr(*counts["regulatory"]),
        "competency_recall": comp_found / comp_total if comp_total else 1.0,
        "misses": misses,
    }
