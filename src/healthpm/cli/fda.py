"""`healthpm fda ...` commands: get openFDA device data in, then explore it."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from healthpm.cli.common import InterruptedRun, console, err_console, print_json
from healthpm.config import get_settings

if TYPE_CHECKING:
    from duckdb import DuckDBPyConnection

    from healthpm.fda.service import Scope

app = typer.Typer(
    help="openFDA device data: download/import, failure modes, 510(k) times, recalls.",
    no_args_is_help=True,
)

JsonOpt = Annotated[bool, typer.Option("--json", help="print JSON instead of tables")]
CodeOpt = Annotated[str | None, typer.Option("--product-code", help="FDA product code, e.g. LZG")]
SubOpt = Annotated[str | None, typer.Option("--subdomain", help="knowledge-base subdomain id")]
SinceOpt = Annotated[int | None, typer.Option("--since", help="only data from this year on")]
RequiredCodeOpt = Annotated[str, typer.Option("--product-code", help="FDA product code")]


def _fail(message: str, code: int = 2) -> None:
    """End the command with one error line and a non-zero exit."""
    err_console.print(f"error: {message}", markup=False, highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def _emit(data: dict[str, Any], as_json: bool, render: Any) -> None:
    if as_json:
        print_json(data)
    else:
        render(console, data)


def _show(
    render: Any, as_json: bool, query: Callable[[DuckDBPyConnection], dict[str, Any]]
) -> None:
    """Run one query on the FDA store, then print its result as tables (or JSON)."""
    from healthpm.fda.service import fda_store

    with fda_store(get_settings()) as con:
        data = query(con)
    _emit(data, as_json, render)


def _show_scoped(
    render: Any,
    as_json: bool,
    query: Callable[[DuckDBPyConnection, Scope], dict[str, Any]],
    product_code: str | None,
    subdomain: str | None,
) -> None:
    """`_show` for a view of one --product-code or one --subdomain (exactly one is given)."""
    from healthpm.fda.service import resolve_scope

    def scoped(con: DuckDBPyConnection) -> dict[str, Any]:
        return query(con, resolve_scope(con, product_code=product_code, subdomain=subdomain))

    _show(render, as_json, scoped)


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
        "failed": report.failed,
    }
    _emit(data, as_json, _render_fetch)
    if report.failed:
        for line in report.failed:
            err_console.print(f"error: {line}", markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(2)


def _render_fetch(out: Any, data: dict[str, Any]) -> None:
    out.print(f"downloaded {len(data['downloaded'])} files, {len(data['unchanged'])} unchanged")
    _render_imports(out, {"imports": data["imports"]})


def _render_imports(out: Any, data: dict[str, Any]) -> None:
    from healthpm.fda.importer import ImportResult

    for r in data["imports"]:
        out.print(ImportResult(**r).summary(), markup=False, highlight=False, soft_wrap=True)


@app.command("import")
def import_(
    paths: Annotated[list[Path], typer.Argument(help=".json or .json.zip bulk files")],
    dataset: Annotated[
        str | None, typer.Option("--dataset", help="if the name does not say")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Import local openFDA bulk files; each file is all-or-nothing, re-imports add nothing.

    Every file is tried; each line says whether that file landed. A bad file does not stop the
    others, and the command exits 2 if any file was refused."""
    from healthpm.fda import importer, store

    results: list[importer.ImportResult] = []

    def landed(result: importer.ImportResult) -> None:
        results.append(result)
        if not as_json and (result.status != "failed" or len(paths) > 1):
            target = err_console if result.status == "failed" else console
            target.print(result.summary(), markup=False, highlight=False, soft_wrap=True)

    con = store.connect(get_settings().fda_store_path)
    try:
        importer.import_files(con, paths, dataset=dataset, on_result=landed, keep_going=True)
    except KeyboardInterrupt:
        done = [r.file for r in results if r.status != "failed"]
        raise InterruptedRun(
            f"interrupted: {len(done)} of {len(paths)} files were imported before the stop"
            + (f" ({', '.join(done)})" if done else "")
            + "; the file in progress was not saved"
        ) from None
    finally:
        con.close()
    if as_json:
        print_json({"imports": [r.as_dict() for r in results]})
    failed = [r for r in results if r.status == "failed"]
    if failed and len(paths) == 1:
        _fail(failed[0].error)
    if failed:
        ok = len(results) - len(failed)
        _fail(f"{ok} of {len(results)} files imported; {len(failed)} refused (see above)")


@app.command()
def demo(
    remove: Annotated[
        bool, typer.Option("--remove", help="delete the SYNTHETIC demo data instead")
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Generate and import a small SYNTHETIC data set (diabetes tech, remote monitoring)."""
    from healthpm.fda.demo import remove_demo, run_demo

    if remove:
        removed = remove_demo(get_settings())
        if as_json:
            print_json(removed)
            return
        console.print(
            f"removed {removed['files']} SYNTHETIC files: {removed.get('event', 0)} reports, "
            f"{removed.get('clearance', 0)} clearances, {removed.get('recall', 0)} recalls; "
            "FDA data untouched",
            markup=False,
            soft_wrap=True,
        )
        return
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
    console.print(
        "try: healthpm fda failure-modes --product-code LZG; "
        "remove it later with: healthpm fda demo --remove",
        markup=False,
    )


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
        extra = []
        if f["exported"]:
            extra.append(f"exported {f['exported']}")
        if f["quarantined"]:
            extra.append(f"{f['quarantined']} malformed records quarantined")
        if f["bad_dates"]:
            detail = ", ".join(f"{k} {v}" for k, v in sorted(f["bad_date_fields"].items()))
            extra.append(f"{f['bad_dates']} unparseable dates ({detail})")
        more = f" ({'; '.join(extra)})" if extra else ""
        console.print(
            f"{f['dataset']} [{f['source']}]: {f['files']} files, {f['records']} records{more}",
            markup=False,
            highlight=False,
        )


@app.command("failure-modes")
def failure_modes(
    product_code: CodeOpt = None,
    subdomain: SubOpt = None,
    since: SinceOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Device and patient problems, event types by year and example narratives."""
    from healthpm.fda import render, service

    query = partial(service.failure_modes, since=since)
    _show_scoped(render.failure_modes, as_json, query, product_code, subdomain)


@app.command("clearance-times")
def clearance_times(
    product_code: CodeOpt = None,
    panel: Annotated[str | None, typer.Option("--panel", help="review panel, e.g. CH")] = None,
    since: SinceOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """510(k) days from receipt to decision: n, median, p25, p75, p90 by year and type."""
    from healthpm.fda import render, service

    def query(con: DuckDBPyConnection) -> dict[str, Any]:
        scope = service.resolve_scope(con, product_code=product_code) if product_code else None
        return service.clearance_times(con, scope=scope, panel=panel, since=since)

    _show(render.clearance_times, as_json, query)


@app.command()
def predicates(product_code: RequiredCodeOpt, as_json: JsonOpt = False) -> None:
    """Recent clearances under a product code (K number, applicant, device, decision date)."""
    from healthpm.fda import render, service

    _show(render.predicates, as_json, lambda con: service.predicates(con, product_code))


@app.command()
def recalls(
    product_code: CodeOpt = None, subdomain: SubOpt = None, as_json: JsonOpt = False
) -> None:
    """Recalls and enforcement reports by root cause, reason and class."""
    from healthpm.fda import render, service

    _show_scoped(render.recalls, as_json, service.recalls, product_code, subdomain)
