"""sessions: an epoch per user that ends their sessions, and a forced password change

Revision ID: 0003_sessions
Revises: 0002_worker
Create Date: 2026-12-04 17:55:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_sessions"
down_revision = "0002_worker"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("session_epoch", sa.Integer(), server_default="0", nullable=False)
        )
        batch_op.add_column(
            sa.Column(
                "must_change_password", sa.Boolean(), server_default=sa.false(), nullable=False
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("must_change_password")
        batch_op.drop_column("session_epoch")
