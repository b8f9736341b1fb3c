"""FDA workbench benchmark: import speed vs plain DuckDB, and failure-modes on 1 M events.

Prints ratios measured in one run (absolute times vary by machine):
  1. `healthpm fda import` of generated device-event bulk files vs a plain DuckDB load of the
     same files (extract the zip member, read_json, unnest results into a table). Target <= 1.5x.
     Each side runs in its own child process so its peak memory (max RSS) is reported.
  2. failure-modes (every query of the command) on 1 M generated events vs one baseline query
     (problem terms of the product code). Target <= 200 ms.
All data here is SYNTHETIC (generated), in the exact openFDA bulk layout.
Usage: python bench/fda_ingest.py [--events 100000] [--files 4] [--big 1000000]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from healthpm.fda import importer, queries, service, store  # noqa: E402
from healthpm.fda.synthetic_files import generate_records, write_bulk_file  # noqa: E402

CODES = ("LZG", "MDS", "QBJ", "OZO", "DRG", "DXN", "DQK", "FRN")


def make_files(folder: Path, events: int, files: int) -> list[Path]:
    """Generated device-event partitions (compact records inside the real {meta, results})."""
    per_code = events // len(CODES)
    records = generate_records(CODES, events_per_code=per_code, years=(2021, 2022, 2023, 2024))
    rows = records["device-event"]
    size = -(-len(rows) // files)
    paths = []
    for i in range(files):
        name = f"device-event-{i + 1:04d}-of-{files:04d}.json.zip"
        chunk = rows[i * size : (i + 1) * size]
        paths.append(write_bulk_file(folder / name, chunk, pretty=False, level=1))
    return paths


def phase_import(paths: list[Path], work: Path) -> float:
    con = store.connect(work / "fda.duckdb")
    start = time.perf_counter()
    importer.import_files(con, paths)
    elapsed = time.perf_counter() - start
    con.close()
    return elapsed


def phase_baseline(paths: list[Path], work: Path) -> float:
    import duckdb

    con = duckdb.connect(str(work / "plain.duckdb"))
    start = time.perf_counter()
    for i, path in enumerate(paths):
        member = work / f"member-{i}.json"
        with (
            zipfile.ZipFile(path) as archive,
            archive.open(archive.namelist()[0]) as src,
            member.open("wb") as sink,
        ):
            shutil.copyfileobj(src, sink, 4 << 20)
        verb = "CREATE TABLE plain AS" if i == 0 else "INSERT INTO plain"
        con.execute(
            f"{verb} SELECT unnest(results, max_depth := 2) FROM read_json(?,"
            " maximum_object_size = 2147483647)",
            [str(member)],
        )
        member.unlink()
    elapsed = time.perf_counter() - start
    con.close()
    return elapsed


def run_child(phase: str, folder: Path) -> tuple[float, float]:
    """Run one phase in a child process; (seconds, peak RSS in MB)."""
    work = Path(tempfile.mkdtemp(dir=folder))
    cmd = [sys.executable, __file__, "--phase", phase, "--folder", str(folder), "--work", str(work)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    out = proc.stdout.read() if proc.stdout else b""
    if proc.returncode:
        raise SystemExit(f"{phase} phase failed ({proc.returncode})")
    shutil.rmtree(work, ignore_errors=True)
    return float(json.loads(out)["seconds"]), usage.ru_maxrss / 1024


def bench_import(events: int, files: int, folder: Path) -> None:
    # generate in a child too, so the measured children do not inherit a large parent's RSS
    gen = [
        sys.executable,
        __file__,
        "--phase",
        "generate",
        "--folder",
        str(folder),
        "--events",
        str(events),
        "--files",
        str(files),
    ]
    subprocess.run(gen, check=True)
    paths = sorted(folder.glob("device-event-*.json.zip"))
    zipped = sum(p.stat().st_size for p in paths) / 1e6
    unzipped = sum(i.file_size for p in paths for i in zipfile.ZipFile(p).infolist()) / 1e6
    print(
        f"import: {events} SYNTHETIC events in {files} zipped partitions"
        f" ({zipped:.1f} MB zipped, {unzipped:.0f} MB of JSON)"
    )
    runs = {"import": [], "baseline": []}
    for _ in range(2):  # alternate, keep the best of two
        for phase in ("baseline", "import"):
            runs[phase].append(run_child(phase, folder))
    best = {phase: min(r, key=lambda x: x[0]) for phase, r in runs.items()}
    (t_imp, m_imp), (t_base, m_base) = best["import"], best["baseline"]
    print(f"  healthpm import : {t_imp:6.2f} s  peak RSS {m_imp:6.0f} MB")
    print(f"  plain DuckDB    : {t_base:6.2f} s  peak RSS {m_base:6.0f} MB")
    ratio = t_imp / t_base
    print(
        f"  ratio import/plain = {ratio:.2f}x (target <= 1.5x) {'OK' if ratio <= 1.5 else 'OVER'}"
    )


DAY = "DATE '2019-01-01' + (hash(i) % 2190)::INTEGER"
TYPE = (
    "CASE WHEN hash(i * 3) % 100 < 2 THEN 'Death' WHEN hash(i * 3) % 100 < 27 THEN 'Injury'"
    " ELSE 'Malfunction' END"
)


def build_big_store(path: Path, n: int) -> None:
    """n SYNTHETIC events written straight into the store's tables with SQL (fast to build)."""
    from healthpm.fda import reference

    con = store.connect(path)
    vocab = reference.observed_vocabulary()
    codes = [r["product_code"] for r in reference.classification_rows()[:300]]
    device_terms, patient_terms = vocab["product_problems"], vocab["patient_problems"]
    con.execute(
        "INSERT INTO term_vocab SELECT row_number() OVER (), t.term, i.code, i.level1_code"
        " FROM (SELECT unnest($terms) AS term) t LEFT JOIN imdrf_term i ON i.annex = 'A'"
        " AND i.term_lower = lower(t.term)",
        {"terms": list(device_terms + patient_terms)},
    )
    nd, npt = len(device_terms), len(patient_terms)
    con.execute(
        "INSERT INTO imported_file VALUES (1, 'device-event', 'bench', 'bench', $n, 0,"
        " true, '', now()::TIMESTAMP)",
        {"n": n},
    )
    con.execute(
        f"INSERT INTO event SELECT i::VARCHAR, 'R' || i, '', {DAY}, NULL, {TYPE}, 'N', 'Y',"
        " 'Manufacturer report', NULL, 1, i FROM range($n) t(i)",
        {"n": n},
    )
    con.execute(
        "INSERT INTO event_device SELECT i::VARCHAR, '1', CASE WHEN hash(i * 5) % 100 < 5"
        " THEN 'LZG' ELSE $codes[1 + (hash(i * 11) % len($codes))::INTEGER] END, 'B', 'G', 'M',"
        f" 'X', NULL, '2', i, {DAY}, {TYPE}, 1 FROM range($n) t(i)",
        {"n": n, "codes": codes},
    )
    for salt, share in ((13, 100), (17, 30)):
        con.execute(
            f"INSERT INTO event_product_problem SELECT i::VARCHAR, 1 + (hash(i * {salt}) % {nd}),"
            f" i FROM range($n) t(i) WHERE hash(i * 19) % 100 < {share}",
            {"n": n},
        )
    con.execute(
        f"INSERT INTO event_patient_problem SELECT i::VARCHAR, '1',"
        f" {nd + 1} + (hash(i * 23) % {npt}), i FROM range($n) t(i)",
        {"n": n},
    )
    con.execute(
        "INSERT INTO narrative SELECT i::VARCHAR, i || '1', 'Description of Event or Problem',"
        " '1', 'IT WAS REPORTED THAT THE DEVICE SHOWED A PROBLEM DURING USE. THE DEVICE WAS"
        " RETURNED FOR EVALUATION (B)(4). SYNTHETIC NARRATIVE ' || i, i FROM range($n) t(i)",
        {"n": n},
    )
    con.execute("CHECKPOINT")
    con.close()


def _timed(fn: object, repeat: int = 7) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def bench_failure_modes(n: int, folder: Path) -> None:
    path = folder / "big.duckdb"
    start = time.perf_counter()
    build_big_store(path, n)
    print(f"failure-modes: {n} SYNTHETIC events built in {time.perf_counter() - start:.1f} s")
    con = store.connect(path)
    scope = service.Scope(("LZG",), "LZG")
    baseline_sql = (  # the one question at the core: which problem terms, how many reports
        "SELECT v.term, count(DISTINCT p.rid) FROM event_product_problem p"
        " JOIN term_vocab v USING (term_id) WHERE p.rid IN (SELECT rid FROM event_device"
        " WHERE product_code = 'LZG') GROUP BY 1"
    )
    service.failure_modes(con, scope)  # warm the caches once
    t_full = _timed(lambda: service.failure_modes(con, scope))
    t_base = _timed(lambda: con.execute(baseline_sql).fetchall())
    reports = queries.scope_reports(con, scope.codes, None)
    con.close()
    verdict = "OK" if t_full <= 0.2 else "OVER"
    print(
        f"  failure-modes LZG ({reports} reports): {t_full * 1000:6.1f} ms median of 7"
        f" (target <= 200 ms) {verdict}"
    )
    print(
        f"  baseline query (problem terms only): {t_base * 1000:6.1f} ms;"
        f" ratio {t_full / t_base:.1f}x"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--files", type=int, default=4)
    parser.add_argument("--big", type=int, default=1_000_000)
    parser.add_argument("--phase", choices=("import", "baseline", "generate"))
    parser.add_argument("--folder", type=Path)
    parser.add_argument("--work", type=Path)
    args = parser.parse_args()
    if args.phase == "generate":
        make_files(args.folder, args.events, args.files)
        return
    if args.phase:  # child process: one measured phase
        paths = sorted(args.folder.glob("device-event-*.json.zip"))
        run = phase_import if args.phase == "import" else phase_baseline
        print(json.dumps({"seconds": run(paths, args.work)}))
        return
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="healthpm-bench-") as tmp:
        bench_import(args.events, args.files, Path(tmp))
        bench_failure_modes(args.big, Path(tmp))
    print(f"bench runtime {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
