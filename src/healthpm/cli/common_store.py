"""Opening the store for one CLI command: the command is the transaction boundary."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.orm import Session, sessionmaker

from healthpm.accounts.models import User
from healthpm.accounts.service import ensure_local_user
from healthpm.config import get_settings
from healthpm.db import transaction
from healthpm.store import open_store


@contextmanager
def local_session(
    factory: sessionmaker[Session] | None = None,
) -> Iterator[tuple[Session, User]]:
    """A session and the local user; commits when the block succeeds.

    The session comes from `factory` when given (a command that opens two transactions, or
    one whose store tests replace), else from the configured store.
    """
    if factory is None:
        factory = open_store(get_settings(), pooled=False)
    with transaction(factory) as session:
        yield session, ensure_local_user(session)
