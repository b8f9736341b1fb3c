"""Record shape checks for the quarantine pass: which records DuckDB's typed read would refuse.

The importer reads each bulk file with DuckDB and a fixed column type per field (VARCHAR,
VARCHAR[], STRUCT(...)[]). One record with a string where an array belongs makes that read fail
for the whole file, so on such a failure the file is read again here record by record: records
of the right shape go on to DuckDB, the others are quarantined with the reason, and counted.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import IO, Any

from healthpm.errors import DataFileError

Shape = str | list["Shape"] | dict[str, "Shape"]  # "scalar", [item shape], {field: shape}


def parse_type(text: str) -> Shape:
    """The shape of a DuckDB type string: VARCHAR, X[], STRUCT(a T, b T)."""
    shape, rest = _parse(text.strip())
    if rest.strip():
        raise ValueError(f"unexpected {rest!r} in type {text!r}")
    return shape


def _parse(text: str) -> tuple[Shape, str]:
    if text.startswith("STRUCT("):
        fields: dict[str, Shape] = {}
        rest = text[len("STRUCT(") :]
        while True:
            rest = rest.lstrip()
            name, _, rest = rest.partition(" ")
            shape, rest = _parse(rest.lstrip())
            fields[name] = shape
            rest = rest.lstrip()
            if rest.startswith(","):
                rest = rest[1:]
                continue
            if not rest.startswith(")"):
                raise ValueError(f"bad STRUCT type near {rest[:20]!r}")
            rest = rest[1:]
            break
        out: Shape = fields
    else:
        end = 0
        while end < len(text) and (text[end].isalnum() or text[end] == "_"):
            end += 1
        out, rest = "scalar", text[end:]
    while rest.startswith("[]"):
        out, rest = [out], rest[2:]
    return out, rest


@lru_cache(maxsize=16)
def record_shape(columns_items: tuple[tuple[str, str], ...]) -> dict[str, Shape]:
    """Shapes of a dataset's columns (cached per column set)."""
    return {name: parse_type(kind) for name, kind in columns_items}


def problem(value: Any, shape: Shape, where: str) -> str | None:
    """Why value does not fit shape (None if it fits); null fits everything."""
    if value is None:
        return None
    if shape == "scalar":
        if isinstance(value, dict | list):
            return f"{where} is {_kind(value)} where text belongs"
        return None
    if isinstance(shape, list):
        if not isinstance(value, list):
            return f"{where} is {_kind(value)} where a list belongs"
        for i, item in enumerate(value):
            found = problem(item, shape[0], f"{where}[{i}]")
            if found:
                return found
        return None
    assert isinstance(shape, dict)
    if not isinstance(value, dict):
        return f"{where} is {_kind(value)} where an object belongs"
    for name, sub in shape.items():
        found = problem(value.get(name), sub, f"{where}.{name}")
        if found:
            return found
    return None


def _kind(value: Any) -> str:
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "text"
    return "a number" if isinstance(value, int | float) else type(value).__name__


@dataclass(frozen=True)
class Quarantined:
    """One record set aside: its key (as given), the reason, and the record as JSON text."""

    key: str
    reason: str
    record: str


def _records(path: Path, json_format: str) -> Iterator[Any]:
    if json_format == "newline_delimited":
        with path.open("r", encoding="utf-8") as handle:
            for line in handle:
                if line.strip():
                    yield json.loads(line)
        return
    import ijson  # ijson==3.6.0 streams the array without holding it

    with path.open("rb") as raw:
        stream: IO[bytes] = raw
        yield from ijson.items(stream, "item", use_float=True)


def split_records(
    path: Path, json_format: str, columns: dict[str, str], key: str, out: Path
) -> tuple[Path, list[Quarantined]]:
    """Write the well-shaped records of path to out (NDJSON); return the others."""
    shapes = record_shape(tuple(columns.items()))
    bad: list[Quarantined] = []
    try:
        with out.open("w", encoding="utf-8") as sink:
            for record in _records(path, json_format):
                reason = (
                    "the record is not a JSON object"
                    if not isinstance(record, dict)
                    else next(
                        (
                            p
                            for name, shape in shapes.items()
                            if (p := problem(record.get(name), shape, name))
                        ),
                        None,
                    )
                )
                text = json.dumps(record, ensure_ascii=False)
                if reason:
                    given = record.get(key) if isinstance(record, dict) else None
                    bad.append(Quarantined("" if given is None else str(given), reason, text))
                else:
                    sink.write(text + "\n")
    except ValueError as exc:  # ijson and json errors are ValueErrors
        raise DataFileError(f"{path.name}: invalid JSON ({exc})") from exc
    return out, bad
