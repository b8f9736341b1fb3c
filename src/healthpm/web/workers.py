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
        time.sleep(1.0)
    os._exit(0)


def start_worker(niceness: int = 0) -> None:
    """Call first in a worker's initializer: follow the server's exit, lower the priority."""
    threading.Thread(target=_exit_with_parent, args=(os.getppid(),), daemon=True).start()
    if niceness:
        with contextlib.suppress(OSError):  # if not permitted: same priority, still off the GIL
            os.nice(niceness)


def single_worker_pool(initializer: Callable[[], None]) -> ProcessPoolExecutor:
    """A pool of one spawned worker (spawn: no copy of the server's threads or sockets)."""
    context = multiprocessing.get_context("spawn")
    return ProcessPoolExecutor(max_workers=1, mp_context=context, initializer=initializer)
