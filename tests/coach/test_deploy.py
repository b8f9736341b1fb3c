"""The deployment examples pass `nginx -t` and `systemd-analyze verify`, and the check catches
a broken copy (run `make deploy-check` first to install Debian's nginx)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "check-deploy.sh"


def _check(deploy: Path) -> subprocess.CompletedProcess[str]:
    env = os.environ | {"DEPLOY_DIR": str(deploy)}
    result = subprocess.run(
        ["bash", str(SCRIPT), "--no-install"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if result.returncode == 3:
        pytest.skip(result.stderr.strip() or "nginx or systemd-analyze missing")
    return result


def test_shipped_examples_pass() -> None:
    result = _check(ROOT / "deploy")
    assert result.returncode == 0, result.stderr
    assert "syntax ok" in result.stdout and "verify ok" in result.stdout
    assert "deploy/nginx-subpath.conf: syntax ok" in result.stdout


@pytest.mark.parametrize(
    ("name", "old", "new"),
    [
        ("nginx.conf", "proxy_set_header Host $host;", "proxy_set_header Host;"),
        ("nginx-subpath.conf", "location /healthpm/ {", "location /healthpm/ "),
        ("healthpm.service", "KillMode=", "KilMode="),
    ],
)
def test_a_broken_copy_fails(tmp_path: Path, name: str, old: str, new: str) -> None:
    for source in (ROOT / "deploy").iterdir():
        text = source.read_text(encoding="utf-8")
        (tmp_path / source.name).write_text(
            text.replace(old, new) if source.name == name else text, encoding="utf-8"
        )
    assert _check(tmp_path).returncode != 0
