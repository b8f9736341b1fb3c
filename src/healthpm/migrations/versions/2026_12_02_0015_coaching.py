"""coaching: coach reviews, assignments, sign-up invitations, threaded comments, disabled users

Revision ID: 1202coach
Revises: 1201sec
Create Date: 2026-12-02 02:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "1202coach"
down_revision = "1201sec"
branch_labels = None
depends_on = "0002"  # coach_review refers to the practice attempt table

TZ = sa.DateTime(timezone=True)


def _user_fk(table: str, column: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column],
        ["user_account.id"],
        name=op.f(f"fk_{table}_{column}_user_account"),
        ondelete="CASCADE",
    )


def upgrade() -> None:
    op.create_table(
        "coach_review",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("attempt_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("coach_id", sa.Integer(), nullable=False),
        sa.Column("overall", sa.Float(), nullable=True),
        sa.Column("dimensions", sa.JSON(), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("updated_at", TZ, nullable=False),
        sa.ForeignKeyConstraint(
            ["attempt_id"],
            ["attempt.id"],
            name=op.f("fk_coach_review_attempt_id_attempt"),
            ondelete="CASCADE",
        ),
        _user_fk("coach_review", "user_id"),
        _user_fk("coach_review", "coach_id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coach_review")),
        sa.UniqueConstraint("attempt_id", "coach_id", name=op.f("uq_coach_review_attempt_id")),
    )
    for column in ("attempt_id", "user_id", "coach_id"):
        op.create_index(op.f(f"ix_coach_review_{column}"), "coach_review", [column])
    op.create_table(
        "assignment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("coach_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("question_id", sa.String(length=100), nullable=True),
        sa.Column("minutes", sa.Integer(), nullable=True),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("created_at", TZ, nullable=False),
        _user_fk("assignment", "coach_id"),
        _user_fk("assignment", "user_id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assignment")),
    )
    op.create_index(op.f("ix_assignment_coach_id"), "assignment", ["coach_id"])
    op.create_index(op.f("ix_assignment_user_id"), "assignment", ["user_id"])
    op.create_table(
        "signup_invitation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("expires_at", TZ, nullable=False),
        sa.Column("used_at", TZ, nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_signup_invitation")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_signup_invitation_token_hash")),
    )
    op.create_index(op.f("ix_signup_invitation_email"), "signup_invitation", ["email"])
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.add_column(sa.Column("disabled_at", TZ, nullable=True))
        batch_op.add_column(
            sa.Column("grading_consent", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    with op.batch_alter_table("comment", schema=None) as batch_op:
        batch_op.add_column(sa.Column("parent_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("anchor", sa.String(length=1000), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("updated_at", TZ, nullable=True))
        batch_op.add_column(sa.Column("read_at", TZ, nullable=True))
        batch_op.create_index(batch_op.f("ix_comment_parent_id"), ["parent_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_comment_parent_id_comment"),
            "comment",
            ["parent_id"],
            ["id"],
            ondelete="CASCADE",
        )


def downgrade() -> None:
    with op.batch_alter_table("comment", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_comment_parent_id_comment"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_comment_parent_id"))
        for column in ("read_at", "updated_at", "anchor", "parent_id"):
            batch_op.drop_column(column)
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.drop_column("grading_consent")
        batch_op.drop_column("disabled_at")
    op.drop_index(op.f("ix_signup_invitation_email"), table_name="signup_invitation")
    op.drop_table("signup_invitation")
    op.drop_index(op.f("ix_assignment_user_id"), table_name="assignment")
    op.drop_index(op.f("ix_assignment_coach_id"), table_name="assignment")
    op.drop_table("assignment")
    for column in ("coach_id", "user_id", "attempt_id"):
        op.drop_index(op.f(f"ix_coach_review_{column}"), table_name="coach_review")
    op.drop_table("coach_review")
