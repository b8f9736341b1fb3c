"""security: server-side sessions, rate events, retired user ids, admins, share invitations

Revision ID: 1201sec
Revises: 0003
Create Date: 2026-12-02 01:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "1201sec"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "auth_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_auth_session_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_auth_session")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_auth_session_token_hash")),
    )
    op.create_index(op.f("ix_auth_session_user_id"), "auth_session", ["user_id"], unique=False)
    op.create_table(
        "rate_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("bucket", sa.String(length=400), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rate_event")),
    )
    op.create_index("ix_rate_event_bucket_at", "rate_event", ["bucket", "created_at"])
    op.create_table(
        "retired_user_id",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_retired_user_id")),
    )
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("is_admin", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    with op.batch_alter_table("share", schema=None) as batch_op:
        batch_op.add_column(sa.Column("coach_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("invite_hash", sa.String(length=64), nullable=True))
        batch_op.create_index(batch_op.f("ix_share_coach_id"), ["coach_id"], unique=False)
        batch_op.create_unique_constraint(batch_op.f("uq_share_invite_hash"), ["invite_hash"])
        batch_op.create_foreign_key(
            batch_op.f("fk_share_coach_id_user_account"),
            "user_account",
            ["coach_id"],
            ["id"],
            ondelete="SET NULL",
        )
    # Existing shares were read by whoever held the email as a coach: bind them to that
    # account now; shares to emails without a coach account stay unbound (no one reads them
    # until the candidate sends an invitation).
    op.execute(
        "UPDATE share SET coach_id = (SELECT u.id FROM user_account u "
        "WHERE lower(u.email) = share.coach_email AND u.role = 'coach')"
    )
    # The first account becomes the admin (the local user of a one-person install excluded).
    op.execute(
        "UPDATE user_account SET is_admin = true WHERE id = (SELECT min(id) FROM user_account "
        "WHERE email <> 'local@healthpm.invalid')"
    )


def downgrade() -> None:
    with op.batch_alter_table("share", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_share_coach_id_user_account"), type_="foreignkey")
        batch_op.drop_constraint(batch_op.f("uq_share_invite_hash"), type_="unique")
        batch_op.drop_index(batch_op.f("ix_share_coach_id"))
        batch_op.drop_column("invite_hash")
        batch_op.drop_column("coach_id")
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.drop_column("is_admin")
    op.drop_table("retired_user_id")
    op.drop_index("ix_rate_event_bucket_at", table_name="rate_event")
    op.drop_table("rate_event")
    op.drop_index(op.f("ix_auth_session_user_id"), table_name="auth_session")
    op.drop_table("auth_session")
