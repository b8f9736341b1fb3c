"""`healthpm fda ...` commands: get openFDA device data in, then explore it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from healthpm.cli.common import console, err_console, print_json
from healthpm.config import get_settings

app = typer.Typer(
    help="openFDA device data: download/import, failure modes, 510(k) times, recalls.",
    no_args_is_help=True,
)

JsonOpt = Annotated[bool, typer.Option("--json", help="print JSON instead of tables")]
CodeOpt = Annotated[str | None, typer.Option("--product-code", help="FDA product code, e.g. LZG")]
SubOpt = Annotated[str | None, typer.Option("--subdomain", help="knowledge-base subdomain id")]
SinceOpt = Annotated[int | None, typer.Option("--since", help="only data from this year on")]
DATASETS = [
    "device-event",
    "device-510k",
    "device-classification",
    "device-recall",
    "device-enforcement",
]


def _emit(data: dict[str, Any], as_json: bool, render: Any) -> None:
    if as_json:
        print_json(data)
    else:
        render(console, data)


@app.command()
def download(
    dataset: Annotated[list[str] | None, typer.Option("--dataset", help="repeatable")] = None,
    since: SinceOpt = None,
    no_import: Annotated[bool, typer.Option("--no-import", help="download only")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Fetch openFDA bulk files (resumable) listed in the download manifest, then import them."""
    from rich.progress import BarColumn, DownloadColumn, Progress, TransferSpeedColumn

    from healthpm.fda.fetch import download_datasets

    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        console=err_console,
        disable=as_json,
    ) as bar:
        tasks: dict[str, Any] = {}

        def on_progress(name: str, advance: int, total: int | None) -> None:
            if name not in tasks:
                tasks[name] = bar.add_task(name, total=total)
            bar.update(tasks[name], advance=advance, total=total)

        report = download_datasets(
            get_settings(),
            dataset or ["device-event"],
            since=since,
            do_import=not no_import,
            progress=on_progress,
        )
    data = {
        "downloaded": report.downloaded,
        "unchanged": report.unchanged,
        "imports": [r.as_dict() for r in report.imports],
    }
    _emit(data, as_json, _render_fetch)


def _render_fetch(out: Any, data: dict[str, Any]) -> None:
    out.print(f"downloaded {len(data['downloaded'])} files, {len(data['unchanged'])} unchanged")
    _render_imports(out, {"imports": data["imports"]})


def _render_imports(out: Any, data: dict[str, Any]) -> None:
    for r in data["imports"]:
        flag = " [SYNTHETIC]" if r["synthetic"] else ""
        skipped = f", {r['skipped']} without key skipped" if r["skipped"] else ""
        out.print(
            f"{r['file']}: {r['status']}, {r['records']} records{skipped}{flag}",
            markup=False,
            highlight=False,
        )


@app.command("import")
def import_(
    paths: Annotated[list[Path], typer.Argument(help=".json or .json.zip bulk files")],
    dataset: Annotated[
        str | None, typer.Option("--dataset", help="if the name does not say")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Import local openFDA bulk files; each file is all-or-nothing, re-imports add nothing."""
    from healthpm.fda import importer, store

    con = store.connect(get_settings().fda_store_path)
    try:
        results = importer.import_files(con, paths, dataset=dataset)
    finally:
        con.close()
    _emit({"imports": [r.as_dict() for r in results]}, as_json, _render_imports)


@app.command()
def demo(as_json: JsonOpt = False) -> None:
    """Generate and import a small SYNTHETIC data set (diabetes tech, remote monitoring)."""
    from healthpm.fda.demo import run_demo

    data = run_demo(get_settings())
    if as_json:
        print_json(data)
        return
    console.print(
        f"imported {data['records_imported']} SYNTHETIC records from {data['files']} "
        f"generated files into {data['store']}",
        markup=False,
    )
    for sub, codes in data["subdomains"].items():
        console.print(f"  {sub}: {', '.join(codes)}", markup=False)
    console.print("try: healthpm fda failure-modes --product-code LZG", markup=False)


@app.command()
def status(as_json: JsonOpt = False) -> None:
    """What the store holds, and which imported files were synthetic."""
    from healthpm.fda.service import fda_store, store_status

    with fda_store(get_settings()) as con:
        data = store_status(con)
    if as_json:
        print_json(data)
        return
    for table, n in data["tables"].items():
        console.print(f"{table}: {n}", markup=False)
    for f in data["imported"]:
        flag = " SYNTHETIC" if f["synthetic"] else ""
        console.print(f"{f['dataset']}: {f['files']} files, {f['records']} records{flag}")


@app.command("failure-modes")
def failure_modes(
    product_code: CodeOpt = None,
    subdomain: SubOpt = None,
    since: SinceOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Device and patient problems, event types by year and example narratives."""
    from healthpm.fda import render, service

    with service.fda_store(get_settings()) as con:
        scope = service.resolve_scope(con, product_code=product_code, subdomain=subdomain)
        data = service.failure_modes(con, scope, since=since)
    _emit(data, as_json, render.failure_modes)


@app.command("clearance-times")
def clearance_times(
    product_code: CodeOpt = None,
    panel: Annotated[str | None, typer.Option("--panel", help="review panel, e.g. CH")] = None,
    since: SinceOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """510(k) days from receipt to decision: n, median, p25, p75, p90 by year and type."""
    from healthpm.fda import render, service

    with service.fda_store(get_settings()) as con:
        scope = service.resolve_scope(con, product_code=product_code) if product_code else None
        data = service.clearance_times(con, scope=scope, panel=panel, since=since)
    _emit(data, as_json, render.clearance_times)


@app.command()
def predicates(
    product_code: Annotated[str, typer.Option("--product-code", help="FDA product code")],
    as_json: JsonOpt = False,
) -> None:
    """Recent clearances under a product code (K number, applicant, device, decision date)."""
    from healthpm.fda import render, service

    with service.fda_store(get_settings()) as con:
        data = service.predicates(con, product_code)
    _emit(data, as_json, render.predicates)


@app.command()
def recalls(
    product_code: CodeOpt = None, subdomain: SubOpt = None, as_json: JsonOpt = False
) -> None:
    """Recalls and enforcement reports by root cause, reason and class."""
    from healthpm.fda import render, service

    with service.fda_store(get_settings()) as con:
        scope = service.resolve_scope(con, product_code=product_code, subdomain=subdomain)
        data = service.recalls(con, scope)
    _emit(data, as_json, render.recalls)
