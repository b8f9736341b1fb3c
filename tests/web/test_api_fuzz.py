"""Property-based fuzz of the JSON API with schemathesis: no operation answers a 500.

Every operation in /openapi.json is called in-process (ASGI transport, no network) with
generated valid and invalid inputs, against a single-user app holding the demo profile, its
plan and an attempt, with the fake scoring engine. Bounded: a few examples per operation,
derandomized, so the whole file runs in well under a minute.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from sqlalchemy.orm import Session, sessionmaker

from healthpm.accounts.service import ensure_local_user
from healthpm.catalog import Catalog
from healthpm.config import Settings
from healthpm.db import transaction
from healthpm.demo import DEMO_NAMES, demo_profile
from healthpm.navigator import service as navigator
from healthpm.practice import service as practice
from healthpm.web.app import create_app

from .fakes import FakeEngine

MAX_EXAMPLES = 12


@pytest.fixture
def api_schema(app: FastAPI, session_factory: sessionmaker[Session], catalog: Catalog) -> Any:
    """The app's own OpenAPI description, over a store with data for the ids to hit."""
    with transaction(session_factory) as s:
        user = ensure_local_user(s)
        profile = demo_profile(DEMO_NAMES[0], catalog)
        navigator.make_plan(s, user=user, profile=profile, catalog=catalog)
        practice.record_attempt(
            s,
            engine=FakeEngine(catalog),
            catalog=catalog,
            user_id=user.id,
            answer="We will grow engagement. Outcomes matter.",
            question_id=next(iter(catalog.questions)),
        )
    return schemathesis.openapi.from_asgi("/openapi.json", app)


def _negatable(operation: dict[str, Any]) -> bool:
    """True when some input can be invalid (a body, or a parameter that is not a free string)."""
    if "requestBody" in operation:
        return True
    return any(
        set(p.get("schema", {})) - {"type", "title", "description"}
        or p.get("schema", {}).get("type") != "string"
        for p in operation.get("parameters", [])
    )


def _cases() -> list[tuple[str, str, GenerationMode]]:
    """(method, path, mode) for every operation, read from a store-less app at collection.

    (schemathesis.pytest.from_fixture does not run under pytest 9, so the test is
    parametrized here and draws each operation's cases with hypothesis itself.) Invalid
    inputs are generated only where an input can be invalid.
    """
    spec = create_app(
        Settings(env="test"), session_factory=sessionmaker(), engine=FakeEngine
    ).openapi()
    return [
        (method.upper(), path, mode)
        for path, item in spec["paths"].items()
        for method, operation in item.items()
        if method in {"get", "put", "post", "patch", "delete"}
        for mode in GenerationMode
        if mode is GenerationMode.POSITIVE or _negatable(operation)
    ]


@pytest.mark.parametrize(("method", "path", "mode"), _cases())
def test_no_operation_answers_a_server_error(
    api_schema: Any, method: str, path: str, mode: GenerationMode
) -> None:
    operation = api_schema[path][method]

    @given(case=operation.as_strategy(generation_mode=mode))
    @hypothesis_settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def call(case: Any) -> None:
        case.call_and_validate(checks=[not_a_server_error])

    call()
