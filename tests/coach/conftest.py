"""The web fixtures (apps, clients, onboarding through the forms) reused for coaching."""

from __future__ import annotations

from web.conftest import app, catalog, client, make_client, multi_app  # noqa: F401
