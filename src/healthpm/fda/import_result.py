"""What importing one openFDA bulk file did (the CLI prints its summary line)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from healthpm.fda.datasets import SPECS


@dataclass(frozen=True)
class ImportResult:
    """What importing one file did."""

    file: str
    dataset: str
    status: str  # "imported", "unchanged" (same checksum imported before) or "failed"
    records: int
    skipped: int  # records without their key
    synthetic: bool
    quarantined: int = 0  # records of the wrong shape, set aside in table `quarantine`
    bad_dates: dict[str, int] = field(default_factory=dict)  # field -> unparseable values
    older_versions: int = 0  # records older than the stored version of the same key
    left_out: int = 0  # records before --since
    kept_real: int = 0  # synthetic records whose key an FDA record already holds
    meta_total: int | None = None  # a single-file dataset's meta.results.total, when it differs
    error: str = ""

    def as_dict(self) -> dict[str, Any]:
        """Plain dict for JSON output."""
        return asdict(self)

    def summary(self) -> str:
        """One line for the terminal."""
        if self.status == "failed":
            return f"{self.file}: NOT imported ({self.error})"
        parts = [f"{self.file}: {self.status}, {self.records} records"]
        if self.skipped:
            parts.append(f"{self.skipped} without {SPECS[self.dataset].key} skipped")
        if self.quarantined:
            parts.append(f"{self.quarantined} malformed records quarantined")
        if self.bad_dates:
            detail = ", ".join(f"{k} {v}" for k, v in sorted(self.bad_dates.items()))
            parts.append(f"unparseable dates stored empty ({detail})")
        if self.older_versions:
            parts.append(f"{self.older_versions} older than the stored version, not applied")
        if self.left_out:
            parts.append(f"{self.left_out} before --since left out")
        if self.kept_real:
            parts.append(f"{self.kept_real} synthetic records not applied over FDA records")
        if self.meta_total is not None:
            parts.append(
                f"WARNING: its meta.results.total says {self.meta_total} records (the file may "
                "be incomplete; download it again)"
            )
        return ", ".join(parts) + (" [SYNTHETIC]" if self.synthetic else "")
