"""The security migration on an existing store: shares bind to coach accounts, the first
account becomes the admin, and nothing is lost."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from sqlalchemy import create_engine, text

from healthpm.store import alembic_config


def test_existing_shares_and_accounts_are_carried_over(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    cfg = alembic_config(url)
    command.upgrade(cfg, "0003")
    engine = create_engine(url)
    rows = [
        (1, "local@healthpm.invalid", "candidate"),
        (2, "ana@example.org", "candidate"),
        (3, "coach@example.org", "coach"),
    ]
    with engine.begin() as db:
        for uid, email, role in rows:
            db.execute(
                text(
                    "INSERT INTO user_account (id, email, name, role, created_at) "
                    "VALUES (:id, :email, '', :role, '2026-01-01')"
                ),
                {"id": uid, "email": email, "role": role},
            )
        for email in ("coach@example.org", "nobody@example.org"):
            db.execute(
                text(
                    "INSERT INTO share (user_id, coach_email, kind, created_at) "
                    "VALUES (2, :email, 'plan', '2026-01-01')"
                ),
                {"email": email},
            )
    command.upgrade(cfg, "heads")
    with engine.connect() as db:
        admins = db.execute(text("SELECT id FROM user_account WHERE is_admin")).scalars().all()
        shares = dict(db.execute(text("SELECT coach_email, coach_id FROM share")).all())
    engine.dispose()
    assert admins == [2]
    assert shares == {"coach@example.org": 3, "nobody@example.org": None}
