"""Write portfolio artifacts as Markdown or CSV; the file appears whole or not at all."""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from healthpm.errors import InvalidInputError

FORMATS = {".md": "markdown", ".markdown": "markdown", ".csv": "csv"}


def format_for(path: Path, allowed: Sequence[str] = ("markdown", "csv")) -> str:
    """'markdown' or 'csv' from the file extension; InvalidInputError otherwise."""
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None or fmt not in allowed:
        exts = ", ".join(e for e, f in FORMATS.items() if f in allowed)
        raise InvalidInputError(f"{path.name}: unsupported extension; use one of {exts}")
    return fmt


def write_atomic(path: Path, text: str) -> Path:
    """Write text to a temp file beside path, then rename it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8", newline="")
    os.replace(tmp, path)
    return path


def csv_text(columns: Sequence[str], rows: Sequence[dict[str, Any]]) -> str:
    """CSV with a header row."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def _cell(value: Any) -> str:
    return str("" if value is None else value).replace("|", "\\|").replace("\n", " ")


def md_table(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """A GitHub-flavoured Markdown table."""
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)
