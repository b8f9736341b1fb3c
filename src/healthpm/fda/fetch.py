"""`healthpm fda download`: manifest -> partitions -> resumable downloads -> imports."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import httpx

from healthpm.config import Settings
from healthpm.errors import DataFileError
from healthpm.fda import importer, store
from healthpm.fda.download import Progress, _noop, download_partition, forget, mark_current
from healthpm.fda.manifest import fetch_manifest, select_partitions

TIMEOUT = httpx.Timeout(30.0, read=120.0)


@dataclass
class FetchReport:
    """What a download run did."""

    downloaded: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    imports: list[importer.ImportResult] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)  # one line per file that did not import


def downloads_dir(settings: Settings) -> Path:
    """Where downloaded partitions live, mirroring the download site's paths."""
    return Path(settings.data_dir) / "fda-downloads"


def download_datasets(
    settings: Settings,
    datasets: list[str],
    *,
    since: int | None = None,
    do_import: bool = True,
    progress: Progress = _noop,
    client: httpx.Client | None = None,
) -> FetchReport:
    """Fetch the chosen datasets' partitions (resuming .part files) and import each one."""
    own = client is None
    http = client or httpx.Client(timeout=TIMEOUT, follow_redirects=True)
    report = FetchReport()
    try:
        manifest = fetch_manifest(http, settings.fda_manifest_url)
        parts = select_partitions(manifest, settings.fda_manifest_url, datasets, since)
        root = downloads_dir(settings)
        con = store.connect(settings.fda_store_path) if do_import else None
        try:
            for part in parts:
                path, fetched = download_partition(http, part, root, progress)
                (report.downloaded if fetched else report.unchanged).append(part.rel_path)
                if con is None:
                    mark_current(root, part)
                    continue
                try:
                    result = importer.import_file(
                        con,
                        path,
                        dataset=part.dataset,
                        expected_records=part.records,
                        since=since if part.year is None and not part.is_all_other else None,
                        rel_path=part.rel_path,
                        export_date=part.export_date,
                    )
                except DataFileError as exc:
                    forget(root, part)
                    report.failed.append(
                        f"{exc} It stays at {path}; the next `healthpm fda download` fetches "
                        f"it again, or import it as it is with `healthpm fda import {path}`."
                    )
                    continue
                mark_current(root, part)
                report.imports.append(result)
        finally:
            if con is not None:
                con.close()
    finally:
        if own:
            http.close()
    return report
