"""Commands that do not score never import the embedding model (checked in a fresh process)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]

SCRIPT = textwrap.dedent(
    """
    import sys
    sys.path.insert(0, {tests!r})
    from practice.fakes import make_catalog
    from healthpm.cli import app, practice_common
    from healthpm.cli.common import run_app

    catalog = make_catalog()
    practice_common.catalog = lambda: catalog
    codes = [run_app(app, args) for args in (
        ["practice", "history"], ["practice", "history", "--json"], ["practice", "next"],
        ["practice", "rate", "ehr-alerts", "good"], ["practice", "show", "1"],
    )]
    heavy = sorted(m for m in ("torch", "sentence_transformers", "transformers")
                   if m in sys.modules)
    print("CODES", codes, "HEAVY", heavy)
    """
)


def test_history_next_show_rate_do_not_import_torch(tmp_path: Path) -> None:
    env = {**os.environ, "HEALTHPM_DATA_DIR": str(tmp_path / "data")}
    env.pop("HEALTHPM_DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT.format(tests=str(TESTS))],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert "CODES" in done.stdout, done.stderr
    # show 1 has no attempt to show: exit 2, the rest succeed
    assert "CODES [0, 0, 0, 0, 2] HEAVY []" in done.stdout, done.stdout + done.stderr
