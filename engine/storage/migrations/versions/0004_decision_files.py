"""decision files: the DMN files a process version's business rule tasks use

Revision ID: 0004_decision_files
Revises: 0003_sessions
Create Date: 2026-12-04 17:55:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_decision_files"
down_revision = "0003_sessions"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "decision_files",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("definition_id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("xml", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(["definition_id"], ["definitions.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("decision_files", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_decision_files_definition_id"), ["definition_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("decision_files", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_decision_files_definition_id"))
    op.drop_table("decision_files")
