"""The app as `healthpm serve` runs it: scoring and charts in worker processes, the store
migrated, demo data for a one-person install. `build_app` is also the factory each process
of `serve --workers N` calls (it reads the settings from the environment)."""

from __future__ import annotations

import gc
import threading

from fastapi import FastAPI

from healthpm.config import Settings


def _load_demo(factory: object, settings: object, catalog: object) -> None:
    """Call the lead's demo hook when it exists (it only fills a user that has nothing yet)."""
    try:
        from healthpm.demo import load_demo
    except ImportError:
        return
    load_demo(factory, settings, catalog)  # type: ignore[arg-type]


def build_app(settings: Settings | None = None) -> FastAPI:
    """The served app; the scoring model loads in the background unless preload is off."""
    from healthpm.catalog import get_catalog
    from healthpm.config import get_settings
    from healthpm.store import open_store
    from healthpm.web.app import create_app
    from healthpm.web.charts import SvgRenderer
    from healthpm.web.scoring_process import ProcessEngine

    settings = settings or get_settings()
    factory = open_store(settings)
    catalog = get_catalog()
    if not settings.multi_user:
        _load_demo(factory, settings, catalog)
    engine = ProcessEngine()
    charts = SvgRenderer.in_worker()
    app = create_app(settings, session_factory=factory, engine=engine, charts=charts)
    app.state.closers = [engine.close, charts.close]
    if settings.preload_model:
        # Load the scoring model and the chart renderer now, so the first answer and the
        # first chart do not wait for them.
        threading.Thread(target=engine.warm, daemon=True).start()
        threading.Thread(target=charts.warm, daemon=True).start()
    # Start-up objects (catalog, templates) are long-lived: exempt them from every garbage
    # collection, which otherwise walked them and stalled page requests (pages-only p99
    # under load went from 365 ms to 50 ms).
    gc.freeze()
    return app


def uvicorn_options(settings: Settings) -> dict[str, object]:
    """How uvicorn treats proxy headers: believed only from the operator's trusted proxies.

    uvicorn's own default trusts X-Forwarded-For from 127.0.0.1, which let any local process
    (or a proxy that passes the client's header through) pick its address per request.
    """
    proxies = settings.trusted_proxy_list
    return {
        "proxy_headers": bool(proxies),
        "forwarded_allow_ips": ",".join(proxies) if proxies else "",
        "server_header": False,
    }
