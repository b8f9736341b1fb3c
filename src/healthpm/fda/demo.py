"""`healthpm fda demo`: generate and import a small SYNTHETIC data set for every command."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from healthpm.config import Settings
from healthpm.errors import ContentError, NotFoundError
from healthpm.fda import importer, store
from healthpm.fda.synthetic_files import write_bundle

DEMO_SUBDOMAINS = ("diabetes-technology", "remote-patient-monitoring")
# Used when the knowledge base does not (yet) list codes for a demo subdomain.
FALLBACK_CODES = {
    "diabetes-technology": ("LZG", "MDS", "QBJ", "OZO"),
    "remote-patient-monitoring": ("DRG", "DXN", "DQK"),
}


def demo_codes(subdomains: tuple[str, ...] = DEMO_SUBDOMAINS) -> dict[str, tuple[str, ...]]:
    """Product codes per demo subdomain: the knowledge base's, else the fallback list."""
    from healthpm.fda.reference import classification_rows
    from healthpm.fda.service import subdomain_codes

    known = {r["product_code"] for r in classification_rows()}
    out: dict[str, tuple[str, ...]] = {}
    for sub in subdomains:
        try:
            codes = tuple(c for c in subdomain_codes(sub) if c in known)
        except (ContentError, NotFoundError):
            codes = ()
        out[sub] = codes or FALLBACK_CODES.get(sub, ())
    return out


def run_demo(settings: Settings, *, events_per_code: int = 250, seed: int = 7) -> dict[str, Any]:
    """Write a synthetic download tree under data_dir/fda-demo and import it into the store."""
    per_sub = demo_codes()
    codes = list(dict.fromkeys(c for group in per_sub.values() for c in group))
    root = Path(settings.data_dir) / "fda-demo"
    bundle = write_bundle(root, codes, events_per_code=events_per_code, per_file=400, seed=seed)
    con = store.connect(settings.fda_store_path)
    try:
        results = importer.import_files(con, bundle.files)
    finally:
        con.close()
    return {
        "synthetic": True,
        "subdomains": {k: list(v) for k, v in per_sub.items()},
        "files": len(results),
        "records_imported": sum(r.records for r in results),
        "unchanged_files": sum(r.status == "unchanged" for r in results),
        "folder": str(root),
        "store": str(settings.fda_store_path),
    }


def remove_demo(settings: Settings) -> dict[str, int]:
    """Delete the SYNTHETIC rows from the store and the generated files; FDA rows stay."""
    import shutil

    from healthpm.fda.store_admin import remove_synthetic

    removed: dict[str, int] = {"files": 0}
    if settings.fda_store_path.exists():
        con = store.connect(settings.fda_store_path)
        try:
            removed = remove_synthetic(con)
        finally:
            con.close()
    shutil.rmtree(Path(settings.data_dir) / "fda-demo", ignore_errors=True)
    return removed
