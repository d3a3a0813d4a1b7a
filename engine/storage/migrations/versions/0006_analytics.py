"""analytics: minutes stamped at completion from the office calendar, and the period index

Revision ID: 0006_analytics
Revises: 0005_drafts
Create Date: 2026-12-04 19:30:00.000000

Completed tasks and instances from before these columns are stamped by Alur.upgrade()
(engine/analytics.py backfill), which knows the office calendar a migration does not.
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_analytics"
down_revision = "0005_drafts"
branch_labels = None
depends_on = None

TASK_COLUMNS = ("calendar_minutes", "wait_minutes", "handle_minutes", "over_minutes")
INSTANCE_COLUMNS = ("lead_minutes", "lead_calendar_minutes")


def upgrade() -> None:
    with op.batch_alter_table("human_tasks", schema=None) as batch_op:
        for name in TASK_COLUMNS:
            batch_op.add_column(sa.Column(name, sa.Integer(), nullable=True))
    with op.batch_alter_table("instances", schema=None) as batch_op:
        for name in INSTANCE_COLUMNS:
            batch_op.add_column(sa.Column(name, sa.Integer(), nullable=True))
        batch_op.create_index("ix_instances_analytics", ["process_key", "started_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("instances", schema=None) as batch_op:
        batch_op.drop_index("ix_instances_analytics")
        for name in INSTANCE_COLUMNS:
            batch_op.drop_column(name)
    with op.batch_alter_table("human_tasks", schema=None) as batch_op:
        for name in TASK_COLUMNS:
            batch_op.drop_column(name)
