"""/docs: an offline API reference generated from the OpenAPI schema (no CDN assets)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import HTMLResponse

from healthpm.web.deps import MaybeUser
from healthpm.web.rendering import render

router = APIRouter(include_in_schema=False)

METHODS = ("get", "post", "put", "patch", "delete")


def operations(schema: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per path and method, in path order."""
    rows = []
    for path, item in sorted(schema.get("paths", {}).items()):
        for method in METHODS:
            op = item.get(method)
            if op:
                rows.append(
                    {
                        "method": method.upper(),
                        "path": path,
                        "summary": op.get("summary", ""),
                        "description": op.get("description", ""),
                    }
                )
    return rows


@router.get("/docs", response_class=HTMLResponse)
def api_docs(request: Request, user: MaybeUser) -> HTMLResponse:
    """Swagger UI needs CDN assets, so this plain page lists the API from /openapi.json."""
    return render(request, "docs/api.html", {"operations": operations(request.app.openapi())})
