"""FDA workbench benchmark: import at 1 M and 3 M events, then failure modes and search at 3 M.

Prints, from one run (absolute times vary by machine; the ratios are the point):
  1. healthpm import of the first 1 M generated device-event records, then of the next 2 M into
     the same store: seconds, records per second and peak memory (max RSS) of each stage, and
     the cost-per-record ratio (stage 2 / stage 1; flat means ~1.0). Each stage runs in its own
     child process so its peak memory is its own.
  2. A plain DuckDB load of one partition (extract the member, read_json, unnest results) next
     to healthpm's import of the same partition: the time ratio (target <= 1.5x was set when
     the import did less; it now also checks shapes, dates, versions and builds the word index).
  3. On the 3 M store: failure-modes (every query of the command) for LZG, the failure trend,
     and narrative searches; median of 5 runs each. Target: search under 1 s.
All data is SYNTHETIC, in the exact openFDA bulk layout ({meta, results} zipped, 95,000 records
per partition like FDA's), generated from a pool of records whose keys and dates are rewritten.
Usage: python bench/fda_ingest.py [--events 3000000] [--first 1000000]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from healthpm.fda import importer, service, store, synthetic, views  # noqa: E402
from healthpm.fda.synthetic_files import DISCLAIMER  # noqa: E402

CODES = ("LZG", "MDS", "QBJ", "OZO", "DRG", "DXN", "DQK", "FRN")
PER_FILE = 95_000
POOL = 20_000
SEARCHES = ("occlusion alarm", "bluetooth", "battery drained faster")


def _pool() -> list[str]:
    """POOL serialized records with placeholders for key, report number and receipt date."""
    rng = random.Random(11)
    profiles = [synthetic.product_profile(c, 7) for c in CODES]
    out = []
    for i in range(POOL):
        record = synthetic.event_record(rng, 9_000_000_000 + i, profiles[i % len(profiles)], 2022)
        record.update(mdr_report_key="@K@", report_number="@R@", date_received="@D@")
        record.pop("date_of_event", None)
        out.append(json.dumps(record, ensure_ascii=False, separators=(",", ":")))
    return out


def generate(folder: Path, events: int) -> None:
    """Write ceil(events / PER_FILE) zipped partitions, streaming (one file in memory)."""
    pool, start = _pool(), date(2019, 1, 1)
    files = -(-events // PER_FILE)
    meta = {"disclaimer": DISCLAIMER, "last_updated": "2026-12-01", "healthpm_synthetic": True}
    for f in range(files):
        lo, hi = f * PER_FILE, min(events, (f + 1) * PER_FILE)
        parts = []
        for i in range(lo, hi):
            day = (start + timedelta(days=(i * 7919) % 2190)).strftime("%Y%m%d")
            key = 9_000_000_000 + i
            parts.append(
                pool[i % POOL].replace("@K@", str(key), 1).replace("@R@", f"SYN-{i}", 1)
                .replace("@D@", day, 1)
            )  # fmt: skip
        name = f"device-event-{f + 1:04d}-of-{files:04d}.json.zip"
        body = '{"meta":' + json.dumps(meta) + ',"results":[' + ",".join(parts) + "]}"
        with zipfile.ZipFile(folder / name, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
            z.writestr(name.removesuffix(".zip"), body)


def phase_import(paths: list[Path], work: Path) -> dict[str, float]:
    con = store.connect(work / "fda.duckdb")
    start = time.perf_counter()
    records = sum(r.records for r in importer.import_files(con, paths))
    elapsed = time.perf_counter() - start
    con.close()
    return {"seconds": elapsed, "records": records}


def phase_baseline(paths: list[Path], work: Path) -> dict[str, float]:
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
    return {"seconds": elapsed, "records": 0}


def _median(fn: object, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def phase_queries(_paths: list[Path], work: Path) -> dict[str, object]:
    con = store.connect(work / "fda.duckdb")
    scope = service.Scope(("LZG",), "LZG")
    service.failure_modes(con, scope)  # warm caches once
    out: dict[str, object] = {
        "events": con.execute("SELECT count(*) FROM event").fetchone()[0],  # type: ignore[index]
        "index_rows": con.execute("SELECT count(*) FROM narrative_word").fetchone()[0],  # type: ignore[index]
        "lzg_reports": service.failure_modes(con, scope)["reports"],
        "failure_modes_s": _median(lambda: service.failure_modes(con, scope)),
        "failure_trend_s": _median(lambda: views.failure_trend(con, scope)),
    }
    searches = {}
    for words in SEARCHES:
        views.search(con, words)
        hits = views.search(con, words)["reports"]
        searches[words] = {"s": _median(lambda w=words: views.search(con, w)), "reports": hits}
        scoped = _median(lambda w=words: views.search(con, w, scope=scope))
        searches[words]["lzg_s"] = scoped
    out["searches"] = searches
    con.close()
    return out


PHASES = {"import": phase_import, "baseline": phase_baseline, "queries": phase_queries}


def run_child(phase: str, folder: Path, work: Path, files: str = "") -> tuple[dict, float]:
    """Run one phase in a child process; (its JSON result, peak RSS in MB)."""
    cmd = [sys.executable, __file__, "--phase", phase, "--folder", str(folder),
           "--work", str(work), "--files", files]  # fmt: skip
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    out = proc.stdout.read() if proc.stdout else b""
    if os.waitstatus_to_exitcode(status):
        raise SystemExit(f"{phase} phase failed")
    return json.loads(out), usage.ru_maxrss / 1024


def main() -> None:  # noqa: PLR0915 (a linear report)
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=3_000_000)
    parser.add_argument("--first", type=int, default=1_000_000)
    parser.add_argument("--phase", choices=(*PHASES, "generate"))
    parser.add_argument("--folder", type=Path)
    parser.add_argument("--work", type=Path)
    parser.add_argument("--files", default="")
    args = parser.parse_args()
    if args.phase == "generate":
        generate(args.folder, args.events)
        return
    if args.phase:  # child process: one measured phase
        paths = sorted(args.folder.glob("device-event-*.json.zip"))
        if args.files:
            lo, hi = (int(x) for x in args.files.split(":"))
            paths = paths[lo:hi]
        print(json.dumps(PHASES[args.phase](paths, args.work)))
        return
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="healthpm-bench-") as tmp:
        folder, work, plain = Path(tmp) / "files", Path(tmp) / "store", Path(tmp) / "plain"
        for d in (folder, work, plain):
            d.mkdir()
        t0 = time.perf_counter()
        gen = [sys.executable, __file__, "--phase", "generate", "--folder", str(folder),
               "--events", str(args.events)]  # fmt: skip
        subprocess.run(gen, check=True)
        paths = sorted(folder.glob("device-event-*.json.zip"))
        zipped = sum(p.stat().st_size for p in paths) / 1e6
        print(
            f"generated {args.events:,} SYNTHETIC events in {len(paths)} partitions of "
            f"{PER_FILE:,} ({zipped:,.0f} MB zipped) in {time.perf_counter() - t0:.0f} s"
        )
        split = -(-args.first // PER_FILE)
        one, m1 = run_child("import", folder, work, f"0:{split}")
        two, m2 = run_child("import", folder, work, f"{split}:{len(paths)}")
        c1 = one["seconds"] / one["records"] * 1e6
        c2 = two["seconds"] / two["records"] * 1e6
        print(f"import stage 1: {one['records']:>9,} records {one['seconds']:7.1f} s"
              f"  {one['records'] / one['seconds']:8,.0f} rec/s  {c1:6.1f} us/rec"
              f"  peak RSS {m1:5.0f} MB")  # fmt: skip
        print(f"import stage 2: {two['records']:>9,} records {two['seconds']:7.1f} s"
              f"  {two['records'] / two['seconds']:8,.0f} rec/s  {c2:6.1f} us/rec"
              f"  peak RSS {m2:5.0f} MB  (into a store already holding stage 1)")  # fmt: skip
        total = one["records"] + two["records"]
        print(f"  cost per record, stage 2 / stage 1 = {c2 / c1:.2f} (flat is 1.0);"
              f" {total:,} events imported in {one['seconds'] + two['seconds']:.0f} s")  # fmt: skip
        size = sum(p.stat().st_size for p in work.glob("fda.duckdb*")) / 1e6
        print(f"  store size {size:,.0f} MB")
        q, mq = run_child("queries", folder, work)
        print(f"queries on {q['events']:,} events ({q['index_rows']:,} narrative-index rows),"
              f" median of 5, peak RSS {mq:.0f} MB:")  # fmt: skip
        print(f"  failure-modes LZG ({q['lzg_reports']:,} reports): "
              f"{q['failure_modes_s'] * 1000:7.1f} ms")  # fmt: skip
        print(f"  failure trend LZG: {q['failure_trend_s'] * 1000:7.1f} ms")
        for words, r in q["searches"].items():
            verdict = "OK" if max(r["s"], r["lzg_s"]) < 1 else "OVER"
            print(f"  search {words!r:26} all codes {r['s'] * 1000:7.1f} ms"
                  f" ({r['reports']:,} reports); LZG only {r['lzg_s'] * 1000:7.1f} ms"
                  f"  (target < 1 s) {verdict}")  # fmt: skip
        base, mb = run_child("baseline", folder, plain, "0:1")
        mine, mm = run_child("import", folder, plain, "0:1")
        print(f"one partition ({PER_FILE:,} records): healthpm {mine['seconds']:.1f} s"
              f" (peak {mm:.0f} MB), plain DuckDB read_json+unnest {base['seconds']:.1f} s"
              f" (peak {mb:.0f} MB): ratio {mine['seconds'] / base['seconds']:.2f}x")  # fmt: skip
    print(f"bench runtime {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
