"""One-process worker pools for `healthpm serve`: heavy native work off the server's GIL.

The server is one Python process; a page waits whenever another request holds the GIL. Work
that holds it for tens of milliseconds (encoding an answer, rendering a chart with vl-convert)
runs in a spawned worker process instead, and the request thread only waits on the result.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor


def _exit_with_parent(parent: int) -> None:
    """End the worker when the server is gone, even if it was killed without a shutdown."""
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(0)


def _follow(server_pid: int, initializer: Callable[[], None]) -> None:
    """The pool's initializer: watch the server named by the server itself, then set up.

    The server's pid is passed in, not read with getppid() here: a worker still importing
    when the server was stopped during start-up has already been re-parented, and would
    have watched its new parent (init) for ever (B7: ~800 MB of orphans per early stop).
    """
    threading.Thread(target=_exit_with_parent, args=(server_pid,), daemon=True).start()
    if os.getppid() != server_pid:
        os._exit(0)
    initializer()


def start_worker(niceness: int = 0) -> None:
    """Call first in a worker's initializer: lower the priority (the exit watch runs already)."""
    if niceness:
        with contextlib.suppress(OSError):  # if not permitted: same priority, still off the GIL
            os.nice(niceness)


def single_worker_pool(initializer: Callable[[], None]) -> ProcessPoolExecutor:
    """A pool of one spawned worker (spawn: no copy of the server's threads or sockets)."""
    context = multiprocessing.get_context("spawn")
    return ProcessPoolExecutor(
        max_workers=1,
        mp_context=context,
        initializer=_follow,
        initargs=(os.getpid(), initializer),
    )
