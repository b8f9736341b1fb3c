"""openFDA's download manifest (api.fda.gov/download.json): read it and pick partitions."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlparse

import httpx

from healthpm.errors import DataFileError, NetworkError, NotFoundError

DATASET_SECTIONS = {
    "device-event": "event",
    "device-510k": "510k",
    "device-pma": "pma",
    "device-classification": "classification",
    "device-recall": "recall",
    "device-enforcement": "enforcement",
}
_QUARTER = re.compile(r"/(\d{4})q[1-4]/")


@dataclass(frozen=True)
class Partition:
    """One file listed in the manifest."""

    dataset: str
    url: str
    rel_path: str  # the URL path, reused as the local path under the downloads folder
    records: int | None
    export_date: str
    sha256: str | None = None
    md5: str | None = None

    @property
    def is_all_other(self) -> bool:
        """device/event's catch-all partition (reports without a usable quarter: often the
        newest), kept whatever --since says."""
        return "/all_other/" in "/" + self.rel_path

    @property
    def year(self) -> int | None:
        """The year of a device/event quarter partition (None for all_other and single files)."""
        match = _QUARTER.search("/" + self.rel_path)
        return int(match.group(1)) if match else None


def fetch_manifest(client: httpx.Client, url: str) -> dict[str, Any]:
    """GET and parse the manifest; NetworkError / DataFileError with the reason."""
    try:
        response = client.get(url)
        response.raise_for_status()
    except httpx.HTTPError as exc:
        raise NetworkError(f"cannot fetch the openFDA manifest {url}: {exc}") from exc
    try:
        manifest = json.loads(response.content)
    except ValueError as exc:
        raise DataFileError(f"the manifest at {url} is not valid JSON ({exc})") from exc
    if not isinstance(manifest, dict):
        raise DataFileError(f"the manifest at {url} is not a JSON object")
    return manifest


def select_partitions(
    manifest: dict[str, Any], manifest_url: str, datasets: list[str], since: int | None
) -> list[Partition]:
    """The partitions of the requested datasets.

    `since` keeps device/event quarters from YEAR on and the all_other partition; the other
    datasets are one file each, downloaded whole and filtered by date at import."""
    device = (manifest.get("results") or {}).get("device") or {}
    chosen: list[Partition] = []
    for dataset in datasets:
        section_name = DATASET_SECTIONS.get(dataset)
        if section_name is None:
            raise NotFoundError(
                f"unknown dataset {dataset!r}; one of {', '.join(DATASET_SECTIONS)}"
            )
        section = device.get(section_name)
        if not isinstance(section, dict) or not section.get("partitions"):
            raise NotFoundError(f"the manifest {manifest_url} lists no device/{section_name} files")
        for part in _partitions(dataset, section, manifest_url):
            if since is None or part.year is None or part.year >= since:
                chosen.append(part)
    return chosen


def _partitions(dataset: str, section: dict[str, Any], manifest_url: str) -> list[Partition]:
    out = []
    for raw in section["partitions"]:
        if not isinstance(raw, dict) or not raw.get("file"):
            raise DataFileError(f"a device/{dataset} partition in the manifest has no `file`")
        url = urljoin(manifest_url, str(raw["file"]))
        records = raw.get("records")
        out.append(
            Partition(
                dataset=dataset,
                url=url,
                rel_path=urlparse(url).path.lstrip("/"),
                records=int(records)
                if isinstance(records, int | str) and str(records).isdigit()
                else None,
                export_date=str(section.get("export_date", "")),
                sha256=raw.get("sha256"),
                md5=raw.get("md5"),
            )
        )
    return out
