"""Routers, one module per family of pages, plus the JSON API."""

from __future__ import annotations

from fastapi import FastAPI


def include_routes(app: FastAPI) -> None:
    """Attach every router (imported here so the web layer loads only when used)."""
    from healthpm.web.routes import (
        accounts,
        api,
        catalog,
        coach,
        coach_review,
        coach_stories,
        data,
        docs,
        fda,
        home,
        jobs,
        mock,
        onboarding,
        ops,
        path,
        plan,
        practice,
        reset,
        review,
        stories,
    )

    for module in (
        ops,
        home,
        accounts,
        reset,
        data,
        onboarding,
        path,
        plan,
        practice,
        mock,
        review,
        stories,
        jobs,
        coach,
        coach_review,
        coach_stories,
        catalog,
        docs,
        api,
    ):
        app.include_router(module.router)
    app.include_router(data.api_router)
    app.include_router(fda.router)
