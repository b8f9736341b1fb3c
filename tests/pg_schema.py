"""A throwaway PostgreSQL schema for tests (shared by tests/conftest.py and the security suite)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import quote


@contextmanager
def throwaway_schema(base: str, prefix: str, hex_chars: int = 16) -> Iterator[str]:
    """`base` narrowed to a fresh schema (through libpq's `options=-csearch_path=...`),
    dropped with everything in it on exit."""
    from sqlalchemy import create_engine, text

    schema = f"{prefix}{uuid.uuid4().hex[:hex_chars]}"
    admin = create_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in base else "?"
    try:
        yield f"{base}{sep}options={quote(f'-csearch_path={schema}')}"
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
