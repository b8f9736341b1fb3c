"""Fixtures for the FDA workbench: a generated bundle, a loaded store, a local download server."""

from __future__ import annotations

import re
import shutil
import sys
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from healthpm.config import Settings
from healthpm.fda import importer, store
from healthpm.fda.synthetic_files import Bundle, write_bundle

CODES = ("LZG", "MDS", "DRG")
SAMPLES = Path(__file__).resolve().parents[3] / "shared" / "data" / "openfda-samples"


def small_bundle(root: Path, base_url: str = "https://download.open.fda.gov") -> Bundle:
    """60 synthetic events per code over 2021-2024, 8 per file so quarters split in two."""
    return write_bundle(root, CODES, events_per_code=60, per_file=8, base_url=base_url)


@pytest.fixture(scope="session")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Bundle:
    """A generated download tree (no server)."""
    return small_bundle(tmp_path_factory.mktemp("bundle"))


@pytest.fixture(scope="session")
def loaded_store_file(tmp_path_factory: pytest.TempPathFactory, bundle: Bundle) -> Path:
    """A store file with the whole bundle imported, built once per session."""
    path = tmp_path_factory.mktemp("store") / "fda.duckdb"
    con = store.connect(path)
    importer.import_files(con, bundle.files)
    con.close()
    return path


@pytest.fixture
def loaded(settings: Settings, loaded_store_file: Path) -> Iterator[object]:
    """An open connection to this test's own copy of the loaded store."""
    settings.fda_store_path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(loaded_store_file, settings.fda_store_path)
    con = store.connect(settings.fda_store_path)
    yield con
    con.close()


class RangeServer(ThreadingHTTPServer):
    """Serves files under root with HTTP Range; can cut one response short once per path."""

    root: Path
    cut_once: dict[str, int]
    requests: list[tuple[str, str | None]]


class _Handler(BaseHTTPRequestHandler):
    server: RangeServer

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        target = self.server.root / self.path.lstrip("/")
        self.server.requests.append((self.path, self.headers.get("Range")))
        if not target.is_file():
            self.send_error(404)
            return
        data = target.read_bytes()
        start = 0
        match = re.match(r"bytes=(\d+)-", self.headers.get("Range") or "")
        if match:
            start = int(match.group(1))
            if start >= len(data):
                self.send_response(416)
                self.send_header("Content-Range", f"bytes */{len(data)}")
                self.end_headers()
                return
            self.send_response(206)
            self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
        else:
            self.send_response(200)
        body = data[start:]
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        cut = self.server.cut_once.pop(self.path, None)
        self.wfile.write(body if cut is None else body[:cut])
        if cut is not None:
            self.wfile.flush()
            self.close_connection = True

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        return None


@pytest.fixture
def server(tmp_path: Path) -> Iterator[RangeServer]:
    """A local HTTP server on a free port serving tmp_path/'site'."""
    srv = RangeServer(("127.0.0.1", 0), _Handler)
    srv.root = tmp_path / "site"
    srv.root.mkdir()
    srv.cut_once, srv.requests = {}, []
    thread = threading.Thread(target=srv.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield srv
    srv.shutdown()
    srv.server_close()


@pytest.fixture
def site(server: RangeServer, settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Bundle:
    """The bundle served by the local server; settings point at its manifest."""
    base = f"http://127.0.0.1:{server.server_address[1]}"
    served = small_bundle(server.root, base_url=base)
    monkeypatch.setenv("HEALTHPM_FDA_MANIFEST_URL", f"{base}/download.json")
    settings.fda_manifest_url = f"{base}/download.json"
    from healthpm.config import get_settings

    get_settings.cache_clear()
    return served


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch) -> Callable[..., int]:
    """Run the healthpm CLI in-process through its error boundary; returns the exit code."""
    from healthpm.cli import app
    from healthpm.cli.common import run_app
    from healthpm.config import get_settings

    def run(*args: str) -> int:
        get_settings.cache_clear()
        monkeypatch.setattr(sys, "argv", ["healthpm", *args])
        return run_app(app)

    return run


@pytest.fixture
def samples_dir() -> Path:
    """The real openFDA sample files shipped in shared/."""
    if not SAMPLES.is_dir():
        pytest.skip(f"real openFDA samples not found at {SAMPLES}")
    return SAMPLES
