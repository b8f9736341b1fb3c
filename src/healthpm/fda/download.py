"""Fetch manifest partitions with resume: a .part file grows across runs via HTTP Range.

A file reaches its final name only after it is complete and verified (zip CRC, a checksum when
the manifest gives one), so nothing half-written is ever imported.
"""

from __future__ import annotations

import hashlib
import json
import os
import zipfile
from collections.abc import Callable
from pathlib import Path

import httpx

from healthpm.errors import DataFileError, NetworkError
from healthpm.fda.manifest import Partition

Progress = Callable[[str, int, int | None], None]  # (file name, bytes just written, total)
STATE_FILE = "state.json"


def _noop(_name: str, _advance: int, _total: int | None) -> None:
    return None


def download_partition(
    client: httpx.Client, part: Partition, root: Path, progress: Progress = _noop
) -> tuple[Path, bool]:
    """Download one partition under root; (path, fetched) where fetched is False if unchanged.

    The file is marked current (state.json) only by mark_current, after it was imported, so a
    file that fails its record-count check is fetched again on the next run."""
    dest = root / part.rel_path
    state = _load_state(root)
    if dest.exists() and state.get(part.url) == part.export_date:
        return dest, False
    dest.parent.mkdir(parents=True, exist_ok=True)
    partial = dest.with_name(dest.name + ".part")
    _fetch(client, part.url, partial, part.rel_path, progress)  # quarters share base names
    _verify(part, partial, dest.name)
    os.replace(partial, dest)
    return dest, True


def mark_current(root: Path, part: Partition) -> None:
    """Record that part's export is on disk and imported: later runs skip it."""
    state = _load_state(root)
    state[part.url] = part.export_date
    _save_state(root, state)


def forget(root: Path, part: Partition) -> None:
    """Make the next run fetch part again (after a failed record-count check)."""
    state = _load_state(root)
    if state.pop(part.url, None) is not None:
        _save_state(root, state)


def _fetch(client: httpx.Client, url: str, partial: Path, name: str, progress: Progress) -> None:
    offset = partial.stat().st_size if partial.exists() else 0
    # identity encoding: byte offsets must mean bytes of the file itself
    headers = {"Accept-Encoding": "identity"}
    if offset:
        headers["Range"] = f"bytes={offset}-"
    try:
        with client.stream("GET", url, headers=headers) as response:
            if response.status_code == 416 and offset:
                return  # the .part already holds the whole file
            response.raise_for_status()
            resumed = response.status_code == 206
            total = _total(response, offset if resumed else 0)
            with partial.open("ab" if resumed else "wb") as sink:
                progress(name, offset if resumed else 0, total)
                for chunk in response.iter_raw():  # as it arrives: a cut keeps what came
                    sink.write(chunk)
                    progress(name, len(chunk), total)
    except httpx.HTTPError as exc:
        kept = partial.stat().st_size if partial.exists() else 0
        raise NetworkError(
            f"download of {name} stopped after {kept} bytes ({exc or type(exc).__name__}); "
            "run the same command again to resume"
        ) from exc


def _total(response: httpx.Response, offset: int) -> int | None:
    length = response.headers.get("content-length")
    return offset + int(length) if length and length.isdigit() else None


def _verify(part: Partition, partial: Path, name: str) -> None:
    """Zip CRC and any manifest checksum; a bad file is deleted so the next run refetches it."""
    problem = _checksum_problem(part, partial)
    if problem is None and name.endswith(".zip"):
        try:
            with zipfile.ZipFile(partial) as archive:
                bad = archive.testzip()
            problem = f"CRC error in member {bad}" if bad else None
        except (zipfile.BadZipFile, OSError, EOFError) as exc:
            problem = f"not a readable zip ({exc})"
    if problem:
        partial.unlink(missing_ok=True)
        raise DataFileError(f"{name}: downloaded file failed verification, {problem}; deleted it")


def _checksum_problem(part: Partition, path: Path) -> str | None:
    for algorithm, expected in (("sha256", part.sha256), ("md5", part.md5)):
        if expected:
            with path.open("rb") as handle:
                actual = hashlib.file_digest(handle, algorithm).hexdigest()
            if actual.lower() != str(expected).lower():
                return f"{algorithm} {actual} != manifest {expected}"
    return None


def _load_state(root: Path) -> dict[str, str]:
    path = root / STATE_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def _save_state(root: Path, state: dict[str, str]) -> None:
    tmp = root / (STATE_FILE + ".tmp")
    tmp.write_text(json.dumps(state, indent=2, sort_keys=True), encoding="utf-8")
    os.replace(tmp, root / STATE_FILE)
