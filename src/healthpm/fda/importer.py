"""Import openFDA bulk files into the store: streaming, idempotent, one transaction per file."""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import duckdb

from healthpm.errors import DataFileError, NotFoundError
from healthpm.fda.datasets import SPECS, DatasetSpec, dataset_of
from healthpm.fda.jsonstream import Extracted, extract_records, sha256_of

SYNTHETIC_META_KEY = "healthpm_synthetic"


@dataclass(frozen=True)
class ImportResult:
    """What importing one file did."""

    file: str
    dataset: str
    status: str  # "imported" or "unchanged" (same checksum imported before)
    records: int
    skipped: int  # records without their key
    synthetic: bool

    def as_dict(self) -> dict[str, Any]:
        """Plain dict for JSON output."""
        return asdict(self)


def import_files(
    con: duckdb.DuckDBPyConnection, paths: Iterable[Path], *, dataset: str | None = None
) -> list[ImportResult]:
    """Import each file in its own transaction; stops at the first bad file (earlier ones stay)."""
    return [import_file(con, path, dataset=dataset) for path in paths]


def import_file(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    *,
    dataset: str | None = None,
    expected_records: int | None = None,
) -> ImportResult:
    """Import one .json or .json.zip bulk file; a bad file leaves the store untouched."""
    if not path.is_file():
        raise NotFoundError(f"{path}: no such file")
    name = dataset or dataset_of(path.name)
    spec = SPECS.get(name)
    if spec is None:
        raise DataFileError(f"unknown dataset {name!r}; one of {', '.join(SPECS)}")
    digest = sha256_of(path)
    seen = con.execute(
        "SELECT synthetic FROM imported_file WHERE sha256 = ? AND dataset = ?", [digest, name]
    ).fetchone()
    if seen is not None:
        return ImportResult(path.name, name, "unchanged", 0, 0, bool(seen[0]))
    with tempfile.TemporaryDirectory(prefix="healthpm-import-") as tmp:
        extracted = extract_records(path, Path(tmp))
        return _load(con, spec, path, digest, extracted, expected_records)


def _load(
    con: duckdb.DuckDBPyConnection,
    spec: DatasetSpec,
    path: Path,
    digest: str,
    extracted: Extracted,
    expected: int | None = None,
) -> ImportResult:
    synthetic = extracted.meta.get(SYNTHETIC_META_KEY) is True
    con.begin()
    try:
        records, skipped = _stage(con, spec, extracted)
        if expected is not None and records + skipped != expected:
            raise DataFileError(
                f"{path.name}: holds {records + skipped} records but the manifest says "
                f"{expected}; not imported, store unchanged (download it again)"
            )
        file_id = _register(con, spec, path, digest, extracted, records, skipped)
        _delete_replaced(con, spec)
        for statement in spec.inserts:
            con.execute(statement, {"file_id": file_id} if "$file_id" in statement else None)
        con.execute("DROP TABLE stage")
        con.commit()
    except duckdb.Error as exc:
        con.rollback()
        reason = str(exc).splitlines()[0]
        raise DataFileError(f"{path.name}: not imported, store unchanged ({reason})") from exc
    except BaseException:
        con.rollback()
        raise
    return ImportResult(path.name, spec.name, "imported", records, skipped, synthetic)


def _stage(
    con: duckdb.DuckDBPyConnection, spec: DatasetSpec, extracted: Extracted
) -> tuple[int, int]:
    """Load the records into temp table `stage`, newest per key; (records, skipped)."""
    con.execute(
        "CREATE OR REPLACE TEMP TABLE stage AS SELECT *, row_number() OVER () AS _rn FROM"
        f" read_json(?, format = '{extracted.json_format}', columns = {spec.columns_sql()},"
        " maximum_object_size = 268435456)",
        [str(extracted.path)],
    )
    total = _scalar(con, "SELECT count(*) FROM stage")
    invalid = f" OR ({spec.invalid_key})" if spec.invalid_key else ""
    con.execute(f"DELETE FROM stage WHERE {spec.key} IS NULL OR trim({spec.key}) = ''{invalid}")
    kept = _scalar(con, "SELECT count(*) FROM stage")
    if kept != _scalar(con, f"SELECT count(DISTINCT {spec.key}) FROM stage"):
        # a follow-up of the same report later in the file wins
        con.execute(
            f"DELETE FROM stage WHERE _rn NOT IN (SELECT max(_rn) FROM stage GROUP BY {spec.key})"
        )
    return kept, total - kept


def _delete_replaced(con: duckdb.DuckDBPyConnection, spec: DatasetSpec) -> None:
    """Remove stored rows of the keys this file brings again (follow-ups, re-exports)."""
    main, key, incoming = spec.tables[0], spec.key_columns[0], spec.stage_key_sql
    overlap = _scalar(
        con, f"SELECT count(*) FROM {main} WHERE {key} IN (SELECT {incoming} FROM stage)"
    )
    if not overlap:
        return
    for table, column in zip(spec.tables, spec.key_columns, strict=True):
        con.execute(f"DELETE FROM {table} WHERE {column} IN (SELECT {incoming} FROM stage)")


def _register(
    con: duckdb.DuckDBPyConnection,
    spec: DatasetSpec,
    path: Path,
    digest: str,
    extracted: Extracted,
    records: int,
    skipped: int,
) -> int:
    file_id = _scalar(con, "SELECT nextval('imported_file_id')")
    con.execute(
        "INSERT INTO imported_file VALUES (?, ?, ?, ?, ?, ?, ?, ?, now()::TIMESTAMP)",
        [
            file_id,
            spec.name,
            path.name,
            digest,
            records,
            skipped,
            extracted.meta.get(SYNTHETIC_META_KEY) is True,
            str(extracted.meta.get("last_updated", "")),
        ],
    )
    return file_id


def _scalar(con: duckdb.DuckDBPyConnection, sql: str) -> int:
    row = con.execute(sql).fetchone()
    return int(row[0]) if row and row[0] is not None else 0
