"""The demo data set, and the promise that FDA commands never load torch."""

from __future__ import annotations

import subprocess
import sys

from healthpm.config import Settings
from healthpm.fda import service
from healthpm.fda.demo import run_demo


def test_demo_feeds_every_command(settings: Settings) -> None:
    summary = run_demo(settings, events_per_code=12)
    assert summary["synthetic"] and summary["records_imported"] > 0
    again = run_demo(settings, events_per_code=12)
    assert again["unchanged_files"] == again["files"]  # same bytes: nothing re-imported
    with service.fda_store(settings) as con:
        for code in summary["subdomains"]["diabetes-technology"]:
            scope = service.resolve_scope(con, product_code=code)
            assert service.failure_modes(con, scope)["reports"] > 0
            assert service.clearance_times(con, scope=scope)["overall"]["n"] > 0
        status = service.store_status(con)
    assert all(f["synthetic"] for f in status["imported"])


def test_fda_commands_do_not_import_torch(settings: Settings) -> None:
    run_demo(settings, events_per_code=10)
    code = (
        "import sys\n"
        "from healthpm.cli import fda, portfolio\n"
        "from healthpm.config import get_settings\n"
        "from healthpm.fda import service\n"
        "from healthpm.portfolio.outline import build_outline\n"
        "with service.fda_store(get_settings()) as con:\n"
        "    service.failure_modes(con, service.resolve_scope(con, product_code='LZG'))\n"
        "    build_outline(con, 'LZG')\n"
        "assert 'torch' not in sys.modules, 'torch was imported'\n"
    )
    env = {"HEALTHPM_DATA_DIR": str(settings.data_dir), "PATH": "/usr/bin:/bin"}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
