"""analytics totals: the sums the analytics page reads instead of every task; the actor indexes
of 'Semua proses'

Revision ID: 0010_analytics_totals
Revises: 0009_task_drafts
Create Date: 2026-12-05 05:30:00.000000

The tables are filled from the instances and tasks already there by Alur.upgrade()
(engine/analytics_totals.py rebuild, also `alur analytics-rebuild`): the months are the office
calendar's, which a migration does not know.
"""

import sqlalchemy as sa
from alembic import op

revision = "0010_analytics_totals"
down_revision = "0009_task_drafts"
branch_labels = None
depends_on = None

KEY = ("definition_id", "span", "bucket", "dim", "metric", "gkey", "value")


def upgrade() -> None:
    op.create_table(
        "analytics_totals",
        sa.Column("definition_id", sa.Integer(), nullable=False),
        sa.Column("span", sa.String(length=1), nullable=False),
        sa.Column("bucket", sa.String(length=7), nullable=False),
        sa.Column("dim", sa.String(length=10), nullable=False),
        sa.Column("metric", sa.String(length=30), nullable=False),
        sa.Column("gkey", sa.String(length=200), nullable=False),
        sa.Column("value", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("n", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint(*KEY),
    )
    op.create_table(
        "analytics_late",
        sa.Column("instance_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("process_key", sa.String(length=200), nullable=False),
        sa.Column("definition_id", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("over_minutes", sa.Integer(), nullable=False),
        sa.Column("step_no", sa.Integer(), nullable=True),
        sa.Column("name", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("instance_id"),
    )
    with op.batch_alter_table("analytics_late", schema=None) as batch_op:
        batch_op.create_index("ix_analytics_late_period", ["process_key", "started_at"])
        batch_op.create_index(
            "ix_analytics_late_worst",
            ["process_key", sa.text("over_minutes DESC"), "instance_id"],
        )
    with op.batch_alter_table("human_tasks", schema=None) as batch_op:
        batch_op.create_index("ix_human_tasks_claimer", ["claimed_by", "instance_id"])
        batch_op.create_index("ix_human_tasks_completer", ["completed_by", "instance_id"])


def downgrade() -> None:
    with op.batch_alter_table("human_tasks", schema=None) as batch_op:
        batch_op.drop_index("ix_human_tasks_completer")
        batch_op.drop_index("ix_human_tasks_claimer")
    with op.batch_alter_table("analytics_late", schema=None) as batch_op:
        batch_op.drop_index("ix_analytics_late_worst")
        batch_op.drop_index("ix_analytics_late_period")
    op.drop_table("analytics_late")
    op.drop_table("analytics_totals")
