"""worker: timer wake-ups, escalations, user e-mail, notifications

Revision ID: 0002_worker
Revises: 465194be0411
Create Date: 2026-11-28 23:13:12.887211
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_worker"
down_revision = "465194be0411"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "notifications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=80), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("instance_id", sa.Integer(), nullable=True),
        sa.Column("human_task_id", sa.Integer(), nullable=True),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("email_to", sa.String(length=254), nullable=True),
        sa.Column("emailed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("email_attempts", sa.Integer(), nullable=False),
        sa.Column("email_error", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["human_task_id"], ["human_tasks.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("human_task_id", "kind", "username"),
    )
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_notifications_instance_id"), ["instance_id"], unique=False
        )
        batch_op.create_index("ix_notifications_outbox", ["emailed_at", "email_to"], unique=False)
        batch_op.create_index("ix_notifications_unread", ["username", "read_at"], unique=False)

    with op.batch_alter_table("instances", schema=None) as batch_op:
        batch_op.add_column(sa.Column("next_wakeup_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_instances_next_wakeup_at"), ["next_wakeup_at"], unique=False
        )

    with op.batch_alter_table("human_tasks", schema=None) as batch_op:
        batch_op.add_column(sa.Column("escalated_at", sa.DateTime(timezone=True), nullable=True))

    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("email", sa.String(length=254), server_default="", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("email")

    with op.batch_alter_table("human_tasks", schema=None) as batch_op:
        batch_op.drop_column("escalated_at")

    with op.batch_alter_table("instances", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_instances_next_wakeup_at"))
        batch_op.drop_column("next_wakeup_at")

    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.drop_index("ix_notifications_unread")
        batch_op.drop_index("ix_notifications_outbox")
        batch_op.drop_index(batch_op.f("ix_notifications_instance_id"))

    op.drop_table("notifications")
