"""incidents (a step the model could not run) and file deploys held for a second person

Revision ID: 0011_incidents_deploy_approval
Revises: 0009_task_drafts
Create Date: 2026-12-05 05:30:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0011_incidents_deploy_approval"
down_revision = "0010_analytics_totals"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "incidents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("instance_id", sa.Integer(), nullable=False),
        sa.Column("human_task_id", sa.Integer(), nullable=True),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("element", sa.String(length=200), nullable=False),
        sa.Column("reason_key", sa.String(length=60), nullable=False),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("first_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("retry_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolved_by", sa.String(length=80), nullable=True),
        sa.Column("resolution", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(["instance_id"], ["instances.id"]),
        sa.ForeignKeyConstraint(["human_task_id"], ["human_tasks.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("incidents", schema=None) as batch_op:
        batch_op.create_index("ix_incidents_instance_id", ["instance_id"], unique=False)
        batch_op.create_index("ix_incidents_open", ["resolved_at", "instance_id"], unique=False)
    with op.batch_alter_table("drafts", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("source", sa.String(length=20), server_default="studio", nullable=False)
        )
        batch_op.add_column(
            sa.Column("filename", sa.String(length=255), server_default="", nullable=False)
        )
        batch_op.add_column(sa.Column("decisions", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("drafts", schema=None) as batch_op:
        batch_op.drop_column("decisions")
        batch_op.drop_column("filename")
        batch_op.drop_column("source")
    with op.batch_alter_table("incidents", schema=None) as batch_op:
        batch_op.drop_index("ix_incidents_open")
        batch_op.drop_index("ix_incidents_instance_id")
    op.drop_table("incidents")
