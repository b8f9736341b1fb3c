"""Turn one openFDA bulk file ({meta, results[]} JSON, zipped or not) into a records file.

The bulk files are one pretty-printed object, often hundreds of MB, so nothing here holds a file
in memory. Fast path: copy the member to disk starting at the `results` array and cut the closing
brace, so DuckDB can stream it as a JSON array. Fallback for any other layout: ijson streams
`results.item` into newline-delimited JSON. Both paths read in fixed-size chunks.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from healthpm.errors import DataFileError

CHUNK = 4 << 20
PREFIX_LIMIT = 1 << 20
_WS = b" \t\r\n"


@dataclass(frozen=True)
class Extracted:
    """A records file DuckDB can stream, plus what the source said about itself."""

    path: Path
    json_format: str  # "array" or "newline_delimited"
    meta: dict[str, Any]


def sha256_of(path: Path) -> str:
    """Hex SHA-256 of a file, read in chunks."""
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


@contextmanager
def open_member(src: Path) -> Iterator[IO[bytes]]:
    """The JSON stream of src: the single member of a zip, or the file itself."""
    if src.suffix.lower() != ".zip":
        with src.open("rb") as handle:
            yield handle
        return
    try:
        archive = zipfile.ZipFile(src)
    except (zipfile.BadZipFile, OSError) as exc:
        raise DataFileError(f"{src.name}: not a readable zip ({exc}); download it again") from exc
    with archive:
        members = [m for m in archive.infolist() if not m.is_dir()]
        if len(members) != 1:
            raise DataFileError(f"{src.name}: expected one JSON member, found {len(members)}")
        with archive.open(members[0]) as handle:
            yield handle


def extract_records(src: Path, workdir: Path) -> Extracted:
    """Write src's results as a streamable records file in workdir; DataFileError if corrupt."""
    out = workdir / (src.name + ".records.json")
    try:
        fast = _fast_copy(src, out)
        if fast is not None:
            return Extracted(out, "array", fast)
        return _ijson_copy(src, out)
    except (zipfile.BadZipFile, EOFError, zlib.error) as exc:
        raise DataFileError(f"{src.name}: the zip is damaged ({exc}); download it again") from exc


def _fast_copy(src: Path, out: Path) -> dict[str, Any] | None:
    """Copy from the `results` array on; None when the layout is not the usual {meta, results}."""
    with open_member(src) as stream, out.open("wb") as sink:
        head = stream.read(PREFIX_LIMIT)
        found = _find_results(head)
        if found is None:
            return None
        key_start, bracket = found
        meta = _meta_from_prefix(head[:key_start])
        if meta is None:
            return None
        sink.write(head[bracket:])
        while chunk := stream.read(CHUNK):
            sink.write(chunk)
    return meta if _cut_closing_brace(out) else None


def _find_results(buf: bytes) -> tuple[int, int] | None:
    """(start of the "results" key, index of its '[') at depth 1 of buf, if present."""
    depth, i, n = 0, 0, len(buf)
    while i < n:
        c = buf[i]
        if c == 0x22:  # a string: find its end, honouring backslash escapes
            end = _string_end(buf, i)
            if end < 0:
                return None
            if depth == 1 and buf[i + 1 : end] == b"results":
                rest = buf[end + 1 :].lstrip(_WS)
                if rest.startswith(b":") and rest[1:].lstrip(_WS).startswith(b"["):
                    return i, n - len(rest[1:].lstrip(_WS))
            i = end + 1
            continue
        if c in b"{[":
            depth += 1
        elif c in b"}]":
            depth -= 1
        i += 1
    return None


def _string_end(buf: bytes, start: int) -> int:
    pos = start + 1
    while True:
        pos = buf.find(b'"', pos)
        if pos < 0:
            return -1
        back = pos - 1
        while back > start and buf[back] == 0x5C:  # backslash
            back -= 1
        if (pos - 1 - back) % 2 == 0:
            return pos
        pos += 1


def _meta_from_prefix(prefix: bytes) -> dict[str, Any] | None:
    text = prefix.rstrip(_WS).rstrip(b",").rstrip(_WS) + b"}"
    try:
        obj = json.loads(text)
    except ValueError:
        return None
    meta = obj.get("meta", {}) if isinstance(obj, dict) else None
    return meta if isinstance(meta, dict) else None


def _cut_closing_brace(out: Path) -> bool:
    """Drop the object's closing '}' after the array; False if the tail is not `] }`."""
    size = out.stat().st_size
    with out.open("r+b") as handle:
        handle.seek(max(0, size - 4096))
        tail = handle.read()
        body = tail.rstrip(_WS)
        if not body.endswith(b"}"):
            return False
        body = body[:-1].rstrip(_WS)
        if not body.endswith(b"]"):
            return False
        handle.truncate(size - len(tail) + len(body))
    return True


def results_kind(src: Path) -> str:
    """What the top-level `results` holds: 'array', 'null', 'object', 'text', ... or 'missing'."""
    import ijson  # ijson==3.6.0

    with open_member(src) as stream:
        for prefix, event, _value in ijson.parse(stream, use_float=True):
            if prefix == "results":
                kinds = {
                    "start_array": "array",
                    "start_map": "object",
                    "null": "null",
                    "string": "text",
                }
                return kinds.get(str(event), f"a {event}")
    return "missing"


def _ijson_copy(src: Path, out: Path) -> Extracted:
    import ijson  # only this fallback needs it (ijson==3.6.0)

    try:
        kind = results_kind(src)
        if kind != "array":
            shown = "no `results`" if kind == "missing" else f"`results` is {kind}, not a list"
            raise DataFileError(
                f"{src.name}: {shown}; not an openFDA bulk file of records, not imported"
            )
        with open_member(src) as stream, out.open("w", encoding="utf-8") as sink:
            for item in ijson.items(stream, "results.item", use_float=True):
                sink.write(json.dumps(item, ensure_ascii=False))
                sink.write("\n")
        with open_member(src) as stream:
            metas = list(ijson.items(stream, "meta", use_float=True))
    except ijson.JSONError as exc:
        raise DataFileError(f"{src.name}: invalid JSON ({exc})") from exc
    meta = metas[0] if metas and isinstance(metas[0], dict) else {}
    return Extracted(out, "newline_delimited", meta)
