"""task drafts: what a person typed and ticked on an open task, kept until they complete it

Revision ID: 0009_task_drafts
Revises: 0008_delegations
Create Date: 2026-12-04 20:05:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0009_task_drafts"
down_revision = "0008_delegations"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "task_drafts",
        sa.Column("human_task_id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=80), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("saved_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["human_task_id"], ["human_tasks.id"]),
        sa.PrimaryKeyConstraint("human_task_id", "username"),
    )


def downgrade() -> None:
    op.drop_table("task_drafts")
