"""A local fake of an OpenAI-compatible /v1/chat/completions server, for reviewer tests."""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

GOOD_REPLY = {
    "overall": 3.5,
    "flags": [{"id": "hipaa-checkbox", "evidence": "We encrypt, so we are compliant."}],
    "comments": "Name the BAAs and the audit logs.",
}


@dataclass
class FakeReviewer:
    """What the server answers (`mode`), and every request it received."""

    mode: str = "ok"
    delay: float = 0.0
    reply: dict[str, Any] = field(default_factory=lambda: dict(GOOD_REPLY))
    requests: list[dict[str, Any]] = field(default_factory=list)
    headers: list[dict[str, str]] = field(default_factory=list)
    paths: list[str] = field(default_factory=list)
    url: str = ""

    def content(self) -> str:
        if self.mode == "fenced":
            return "Here you go:\n```json\n" + json.dumps(self.reply) + "\n```"
        if self.mode == "malformed":
            return "I think this answer is pretty good, maybe a 4?"
        if self.mode == "out-of-range":
            return json.dumps({**self.reply, "overall": 9})
        return json.dumps(self.reply)


def _handler(state: FakeReviewer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server's name)
            length = int(self.headers.get("content-length") or 0)
            body = json.loads(self.rfile.read(length) or b"{}")
            state.requests.append(body)
            state.headers.append(dict(self.headers))
            state.paths.append(self.path)
            if state.delay:
                time.sleep(state.delay)
            if state.mode == "http500":
                self.send_response(500)
                self.end_headers()
                return
            payload = {
                "id": "fake",
                "object": "chat.completion",
                "model": body.get("model"),
                "choices": [
                    {"index": 0, "message": {"role": "assistant", "content": state.content()}}
                ],
            }
            data = json.dumps(payload).encode()
            self.send_response(200)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(data)))
            self.end_headers()
            # the client may have given up already (the timeout test)
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(data)

        def log_message(self, *_args: Any) -> None:
            pass

    return Handler


@contextmanager
def fake_reviewer(mode: str = "ok", delay: float = 0.0) -> Iterator[FakeReviewer]:
    """A running fake server on a free local port; stopped when the block ends."""
    state = FakeReviewer(mode=mode, delay=delay)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
