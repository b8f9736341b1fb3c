"""Meta-tests: every setting and every CLI command is documented (Datasette's test_docs)."""

from __future__ import annotations

from pathlib import Path

import typer

from healthpm.cli import app
from healthpm.config import Settings

ROOT = Path(__file__).resolve().parents[1]


def _docs() -> str:
    texts = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    return "\n".join(p.read_text(encoding="utf-8") for p in texts if p.exists())


def _commands(group: typer.Typer, prefix: str = "healthpm") -> list[str]:
    names = [
        f"{prefix} {c.name or (c.callback.__name__ if c.callback else '')}"
        for c in group.registered_commands
    ]
    for sub in group.registered_groups:
        if sub.typer_instance is not None:
            names += _commands(sub.typer_instance, f"{prefix} {sub.name}")
    return names


def test_every_setting_is_documented() -> None:
    docs = _docs()
    for name in Settings.model_fields:
        assert f"HEALTHPM_{name.upper()}" in docs, f"HEALTHPM_{name.upper()} is not documented"


def test_every_command_is_documented() -> None:
    docs = _docs()
    missing = [c for c in _commands(app) if c.split(" ", 1)[1].replace("_", "-") not in docs]
    assert not missing, f"undocumented commands: {missing}"
