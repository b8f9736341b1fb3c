"""Story and job commands that do not score never import the embedding model."""

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
    from healthpm.cli import app
    from healthpm.cli.common import run_app

    posting = {posting!r}
    codes = [run_app(app, args) for args in (
        ["story", "list"], ["story", "list", "--json"], ["story", "show", "1"],
        ["story", "rm", "1"], ["jobs", "match", posting, "--json"], ["jobs", "list", "--json"],
    )]
    heavy = sorted(m for m in ("torch", "sentence_transformers", "transformers")
                   if m in sys.modules)
    print("CODES", codes, "HEAVY", heavy)
    """
)


def test_story_and_jobs_commands_do_not_import_torch(tmp_path: Path) -> None:
    env = {**os.environ, "HEALTHPM_DATA_DIR": str(tmp_path / "data")}
    env.pop("HEALTHPM_DATABASE_URL", None)
    posting = TESTS / "jobs" / "postings" / "03_senior_rpm.html"
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT.format(posting=str(posting))],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert "CODES" in done.stdout, done.stderr
    # show/rm 1 name no story: exit 2; the rest succeed
    assert "CODES [0, 0, 2, 2, 0, 0] HEAVY []" in done.stdout, done.stdout + done.stderr
