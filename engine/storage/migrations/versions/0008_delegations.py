"""delegations: acting officials (Plh./Plt.) and time away; role-addressed notifications

Revision ID: 0008_delegations
Revises: 0006_analytics
Create Date: 2026-12-04 19:20:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0008_delegations"
down_revision = "0006_analytics"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "delegations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("from_user", sa.String(length=80), nullable=False),
        sa.Column("to_user", sa.String(length=80), nullable=True),
        sa.Column("role", sa.String(length=200), nullable=True),
        sa.Column("title", sa.String(length=3), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=80), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_by", sa.String(length=80), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("delegations", schema=None) as batch_op:
        batch_op.create_index("ix_delegations_from", ["from_user", "ends_at"], unique=False)
        batch_op.create_index("ix_delegations_to", ["to_user", "ends_at"], unique=False)

    op.create_table(
        "notification_reads",
        sa.Column("notification_id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=80), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["notification_id"], ["notifications.id"]),
        sa.PrimaryKeyConstraint("notification_id", "username"),
    )
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.add_column(sa.Column("role", sa.String(length=200), nullable=True))

    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("email_digest", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(sa.Column("digest_sent_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("digest_sent_at")
        batch_op.drop_column("email_digest")
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.drop_column("role")
    op.drop_table("notification_reads")
    with op.batch_alter_table("delegations", schema=None) as batch_op:
        batch_op.drop_index("ix_delegations_to")
        batch_op.drop_index("ix_delegations_from")
    op.drop_table("delegations")
