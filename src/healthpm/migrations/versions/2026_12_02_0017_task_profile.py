"""task profile: plan task ticks and logged hours belong to a profile

Revision ID: 1202ticks
Revises: 1202coach
Create Date: 2026-12-02 04:45:00

Ticks and hours were stored per user, so a task ticked while profile A was current counted as
done for profile B when B's plan had the same task key. Both tables get a nullable
`profile_name` (as practice attempts did in 0012) and a tick is unique per (user, profile,
task key).

Backfill: an existing row gets the profile of the user's current plan (their latest plan),
since that is the plan every tick and hours entry was shown against when it was last read. A
user without a plan keeps NULL, which counts in no profile (like earlier practice attempts).

Downgrade is lossy: the per-user constraint comes back, so of a user's ticks of one task key
under several profiles only the latest row (highest id) is kept.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "1202ticks"
down_revision = "1202coach"
branch_labels = None
depends_on = None

# The name of the profile of the user's latest plan: the same order as
# navigator.service.current_profile_name (created_at, then id, newest first).
CURRENT_PROFILE = (
    "(SELECT profile.name FROM plan JOIN profile ON profile.id = plan.profile_id"
    " WHERE plan.user_id = {table}.user_id"
    " ORDER BY plan.created_at DESC, plan.id DESC LIMIT 1)"
)


def upgrade() -> None:
    for table in ("task_progress", "hours_log"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("profile_name", sa.String(length=200), nullable=True))
        op.execute(f"UPDATE {table} SET profile_name = {CURRENT_PROFILE.format(table=table)}")
    with op.batch_alter_table("task_progress", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_task_progress_user_id"), type_="unique")
        batch_op.create_unique_constraint(
            batch_op.f("uq_task_progress_user_id"), ["user_id", "profile_name", "task_key"]
        )


def downgrade() -> None:
    op.execute(
        "DELETE FROM task_progress WHERE id NOT IN"
        " (SELECT keep FROM (SELECT MAX(id) AS keep FROM task_progress"
        " GROUP BY user_id, task_key) AS latest)"
    )
    with op.batch_alter_table("task_progress", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_task_progress_user_id"), type_="unique")
        batch_op.create_unique_constraint(
            batch_op.f("uq_task_progress_user_id"), ["user_id", "task_key"]
        )
        batch_op.drop_column("profile_name")
    with op.batch_alter_table("hours_log", schema=None) as batch_op:
        batch_op.drop_column("profile_name")
