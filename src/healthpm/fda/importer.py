"""Import openFDA bulk files into the store: streaming, idempotent, one transaction per file.

What a file brings is checked before it counts: a file whose records all lack the dataset's key
(another dataset's file, an API response) is refused; records of the wrong shape are quarantined
and counted while the rest imports; unparseable dates are counted per field; a follow-up replaces
a stored report only when it is at least as new (by the dates FDA and the manufacturer received
it, then its number of follow-ups); and a synthetic file never replaces a record that came from
FDA (demo data lives in its own key space, and this guard makes it impossible either way).
"""

from __future__ import annotations

import contextlib
import json
import shutil
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from healthpm.errors import DataFileError, NotFoundError
from healthpm.fda.datasets import SPECS, STOP_WORDS, DatasetSpec, dataset_of
from healthpm.fda.import_result import ImportResult as ImportResult
from healthpm.fda.jsonstream import Extracted, extract_records, sha256_of
from healthpm.fda.shapes import Quarantined, split_records

SYNTHETIC_META_KEY = "healthpm_synthetic"
TMP_DIR = ".import-tmp"
SYNTHETIC_SOURCE = "SYNTHETIC demo classification (healthpm)"
REAL_SOURCE = "openFDA device/classification"


def _tmp_root(con: duckdb.DuckDBPyConnection) -> Path | None:
    """A temp folder beside the store file, emptied of leftovers of killed imports.

    Only the process holding the store's write lock gets here, so anything already inside
    belongs to an import that died (SIGKILL) and can go."""
    row = con.execute(
        "SELECT path FROM duckdb_databases() WHERE database_name = current_database()"
    ).fetchone()
    if not row or not row[0]:
        return None
    root = Path(str(row[0])).parent / TMP_DIR
    if root.exists():
        for leftover in root.iterdir():
            shutil.rmtree(leftover, ignore_errors=True)
    root.mkdir(parents=True, exist_ok=True)
    return root


def import_files(
    con: duckdb.DuckDBPyConnection,
    paths: Iterable[Path],
    *,
    dataset: str | None = None,
    on_result: Callable[[ImportResult], None] | None = None,
    keep_going: bool = False,
) -> list[ImportResult]:
    """Import each file in its own transaction.

    Without keep_going the first bad file raises (the earlier ones stay imported); with it, a bad
    file becomes a "failed" result and the next file is tried. on_result sees each result as it
    lands, so a caller can say which files went in even if the run is interrupted later."""
    results = []
    for path in paths:
        try:
            result = import_file(con, path, dataset=dataset)
        except (DataFileError, NotFoundError) as exc:
            if not keep_going:
                raise
            name = dataset or _dataset_or_blank(path.name)
            result = ImportResult(path.name, name, "failed", 0, 0, False, error=str(exc))
        results.append(result)
        if on_result is not None:
            on_result(result)
    return results


def _dataset_or_blank(name: str) -> str:
    try:
        return dataset_of(name)
    except DataFileError:
        return ""


def import_file(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    *,
    dataset: str | None = None,
    expected_records: int | None = None,
    since: int | None = None,
    rel_path: str = "",
    export_date: str = "",
) -> ImportResult:
    """Import one .json or .json.zip bulk file; a bad file leaves the store untouched."""
    if path.is_dir():
        raise DataFileError(f"{path}: is a folder; name the .json.zip files inside it")
    if not path.is_file():
        raise NotFoundError(f"{path}: no such file")
    name = dataset or dataset_of(path.name)
    spec = SPECS.get(name)
    if spec is None:
        raise DataFileError(f"unknown dataset {name!r}; one of {', '.join(SPECS)}")
    if path.stat().st_size == 0:
        raise DataFileError(f"{path.name}: the file is empty; download it again")
    digest = sha256_of(path)
    seen = con.execute(
        "SELECT synthetic FROM imported_file WHERE sha256 = ? AND dataset = ?", [digest, name]
    ).fetchone()
    if seen is not None:
        return ImportResult(path.name, name, "unchanged", 0, 0, bool(seen[0]))
    with tempfile.TemporaryDirectory(prefix="healthpm-import-", dir=_tmp_root(con)) as tmp:
        extracted = extract_records(path, Path(tmp))
        job = _Job(spec, path, digest, extracted, Path(tmp), expected_records, since)
        job.rel_path, job.export_date = rel_path or path.name, export_date
        return _load(con, job)


@dataclass
class _Job:
    spec: DatasetSpec
    path: Path
    digest: str
    extracted: Extracted
    workdir: Path
    expected: int | None
    since: int | None
    rel_path: str = ""
    export_date: str = ""
    counts: dict[str, Any] = field(default_factory=dict)
    quarantined: list[Quarantined] = field(default_factory=list)

    @property
    def synthetic(self) -> bool:
        return self.extracted.meta.get(SYNTHETIC_META_KEY) is True


def _rollback(con: duckdb.DuckDBPyConnection) -> None:
    with contextlib.suppress(duckdb.Error):  # an interrupt after COMMIT: nothing to undo
        con.rollback()


def _load(con: duckdb.DuckDBPyConnection, job: _Job) -> ImportResult:
    spec, name = job.spec, job.path.name
    try:
        records, skipped = _stage(con, job)  # a temp table only: outside the transaction
        if job.expected is not None and records + skipped + len(job.quarantined) != job.expected:
            held = records + skipped + len(job.quarantined)
            raise DataFileError(
                f"{name}: holds {held} records but the manifest says {job.expected}; "
                "not imported, store unchanged"
            )
        con.begin()
        _filter_stage(con, job)
        file_id = _register(con, job, records, skipped)
        _delete_replaced(con, spec)
        params = {
            "file_id": file_id,
            "stop_words": list(STOP_WORDS),
            "source": SYNTHETIC_SOURCE if job.synthetic else REAL_SOURCE,
        }
        for statement in spec.inserts:
            used = {k: v for k, v in params.items() if f"${k}" in statement}
            con.execute(statement, used or None)
        _save_quarantine(con, job, file_id)
        con.execute("DROP TABLE stage")
        con.commit()
    except duckdb.InterruptException as exc:
        _rollback(con)
        raise KeyboardInterrupt from exc
    except duckdb.Error as exc:
        _rollback(con)
        reason = str(exc).splitlines()[0]
        raise DataFileError(f"{name}: not imported, store unchanged ({reason})") from exc
    except BaseException:
        _rollback(con)
        raise
    c = job.counts
    return ImportResult(
        name,
        spec.name,
        "imported",
        _applied(job, records),
        skipped,
        job.synthetic,
        quarantined=len(job.quarantined),
        bad_dates=c.get("bad_dates", {}),
        older_versions=c.get("older", 0),
        left_out=c.get("left_out", 0),
        kept_real=c.get("kept_real", 0),
        meta_total=_meta_total_mismatch(job, records + skipped + len(job.quarantined)),
    )


def _meta_total_mismatch(job: _Job, held: int) -> int | None:
    """meta.results.total of a one-file dataset (…-0001-of-0001) when it differs from the file.

    In multi-file datasets the total is the dataset's, so only single files are checked."""
    if "-0001-of-0001" not in job.path.name:
        return None
    results = job.extracted.meta.get("results")
    total = results.get("total") if isinstance(results, dict) else None
    return total if isinstance(total, int) and total != held else None


def _read_stage(con: duckdb.DuckDBPyConnection, spec: DatasetSpec, path: Path, fmt: str) -> None:
    version = f", {spec.version_sql} AS _version" if spec.version_sql else ", NULL AS _version"
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE stage AS SELECT *, {spec.key_sql} AS _key{version},"
        f" row_number() OVER () AS _rn FROM read_json(?, format = '{fmt}',"
        f" columns = {spec.columns_sql()}, maximum_object_size = 268435456)",
        [str(path)],
    )


def _stage(con: duckdb.DuckDBPyConnection, job: _Job) -> tuple[int, int]:
    """Load the records into temp table `stage`, newest per key; (records, skipped)."""
    spec, extracted = job.spec, job.extracted
    try:
        _read_stage(con, spec, extracted.path, extracted.json_format)
    except (duckdb.InvalidInputException, duckdb.ConversionException):
        # one record of the wrong shape fails the typed read: split the file and retry
        good, job.quarantined = split_records(
            extracted.path,
            extracted.json_format,
            spec.columns,
            spec.key,
            job.workdir / "well-shaped.ndjson",
        )
        _read_stage(con, spec, good, "newline_delimited")
    total = _scalar(con, "SELECT count(*) FROM stage")
    present = " OR ".join(f"{c} IS NOT NULL" for c in spec.signature)
    if total and not _scalar(con, f"SELECT count(*) FROM stage WHERE {present}"):
        raise DataFileError(
            f"{job.path.name}: none of its {total} records has a {spec.name} field"
            f" ({', '.join(spec.signature)}); another dataset's file or an API response?"
            " Not imported"
        )
    job.counts["bad_dates"] = _bad_dates(con, spec)
    con.execute("DELETE FROM stage WHERE _key IS NULL")
    kept = _scalar(con, "SELECT count(*) FROM stage")
    if kept != _scalar(con, "SELECT count(DISTINCT _key) FROM stage"):
        # the same key twice in one file: the newest version wins, then the later record
        con.execute(
            "DELETE FROM stage WHERE _rn NOT IN (SELECT arg_max(_rn, (coalesce(_version, ''),"
            " _rn)) FROM stage GROUP BY _key)"
        )
    return kept, total - kept


def _bad_dates(con: duckdb.DuckDBPyConnection, spec: DatasetSpec) -> dict[str, int]:
    """Per date field: values given but not parseable in this dataset's format."""
    if not spec.dates:
        return {}
    parts = [
        f"count(*) FILTER (WHERE NULLIF(trim({col}), '') IS NOT NULL AND {spec.parsed(col)}"
        f" IS NULL) AS {col}"
        for col in spec.dates
    ]
    cursor = con.execute(f"SELECT {', '.join(parts)} FROM stage")
    row = cursor.fetchone() or ()
    names = [d[0] for d in cursor.description or []]
    return {n: int(v) for n, v in zip(names, row, strict=True) if v}


def _filter_stage(con: duckdb.DuckDBPyConnection, job: _Job) -> None:
    """Drop what must not land: before --since, older versions, synthetic over real."""
    spec, main, column = job.spec, job.spec.tables[0], job.spec.key_columns[0]
    if job.since and spec.since_field:
        date = spec.parsed(spec.since_field)
        job.counts["left_out"] = _delete_count(con, f"{date} < DATE '{job.since:04d}-01-01'")
    overlap = _scalar(
        con, f"SELECT count(*) FROM {main} WHERE {column} IN (SELECT _key FROM stage)"
    )
    if not overlap:
        return
    real = (
        "(m.file_id IS NULL OR m.file_id IN"
        " (SELECT file_id FROM imported_file WHERE NOT synthetic))"
    )
    if job.synthetic:
        job.counts["kept_real"] = _delete_count(
            con, f"_key IN (SELECT m.{column} FROM {main} m WHERE {real})"
        )
    if spec.version_sql:
        job.counts["older"] = _delete_count(
            con,
            f"EXISTS (SELECT 1 FROM {main} m WHERE m.{column} = stage._key"
            " AND coalesce(m.version, '') > coalesce(stage._version, ''))",
        )


def _delete_count(con: duckdb.DuckDBPyConnection, condition: str) -> int:
    before = _scalar(con, "SELECT count(*) FROM stage")
    con.execute(f"DELETE FROM stage WHERE {condition}")
    return before - _scalar(con, "SELECT count(*) FROM stage")


def _delete_replaced(con: duckdb.DuckDBPyConnection, spec: DatasetSpec) -> None:
    """Remove stored rows of the keys this file brings again (follow-ups, re-exports)."""
    main, key = spec.tables[0], spec.key_columns[0]
    overlap = _scalar(con, f"SELECT count(*) FROM {main} WHERE {key} IN (SELECT _key FROM stage)")
    if not overlap:
        return
    for table, column in zip(spec.tables, spec.key_columns, strict=True):
        con.execute(f"DELETE FROM {table} WHERE {column} IN (SELECT _key FROM stage)")


def _applied(job: _Job, records: int) -> int:
    """Records that reached the tables: not before --since, not older, not over FDA data."""
    c = job.counts
    return records - int(c.get("left_out", 0)) - int(c.get("older", 0)) - int(c.get("kept_real", 0))


def _register(con: duckdb.DuckDBPyConnection, job: _Job, records: int, skipped: int) -> int:
    file_id = _scalar(con, "SELECT nextval('imported_file_id')")
    meta = job.extracted.meta
    bad = job.counts.get("bad_dates", {})
    con.execute(
        "INSERT INTO imported_file (file_id, dataset, name, sha256, records, skipped, synthetic,"
        " last_updated, imported_at, path, quarantined, bad_dates, bad_date_fields,"
        " older_versions, left_out, kept_real, export_date) VALUES"
        " (?, ?, ?, ?, ?, ?, ?, ?, now()::TIMESTAMP, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            file_id,
            job.spec.name,
            job.path.name,
            job.digest,
            _applied(job, records),
            skipped,
            job.synthetic,
            str(meta.get("last_updated", "")),
            job.rel_path,
            len(job.quarantined),
            sum(bad.values()),
            json.dumps(bad) if bad else "",
            job.counts.get("older", 0),
            job.counts.get("left_out", 0),
            job.counts.get("kept_real", 0),
            job.export_date,
        ],
    )
    return file_id


def _save_quarantine(con: duckdb.DuckDBPyConnection, job: _Job, file_id: int) -> None:
    if not job.quarantined:
        return
    con.executemany(
        "INSERT INTO quarantine VALUES (?, ?, ?, ?, ?, ?)",
        [
            [file_id, job.spec.name, job.path.name, q.key, q.reason, q.record[:20000]]
            for q in job.quarantined
        ],
    )


def _scalar(con: duckdb.DuckDBPyConnection, sql: str) -> int:
    row = con.execute(sql).fetchone()
    return int(row[0]) if row and row[0] is not None else 0
