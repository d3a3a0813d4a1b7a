"""drafts: SOPs being edited in the studio; a change note and a second approver per version

Revision ID: 0005_drafts
Revises: 0004_decision_files
Create Date: 2026-12-04 19:10:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_drafts"
down_revision = "0004_decision_files"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "drafts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("process_key", sa.String(length=200), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("base_version", sa.Integer(), nullable=True),
        sa.Column("xml", sa.LargeBinary(), nullable=False),
        sa.Column("author", sa.String(length=80), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("approver", sa.String(length=80), nullable=True),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("approval_note", sa.Text(), nullable=False),
        sa.Column("published_version", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("drafts", schema=None) as batch_op:
        batch_op.create_index("ix_drafts_key_state", ["process_key", "state"], unique=False)
    with op.batch_alter_table("definitions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("note", sa.Text(), server_default="", nullable=False))
        batch_op.add_column(sa.Column("approved_by", sa.String(length=80), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("definitions", schema=None) as batch_op:
        batch_op.drop_column("approved_by")
        batch_op.drop_column("note")
    with op.batch_alter_table("drafts", schema=None) as batch_op:
        batch_op.drop_index("ix_drafts_key_state")
    op.drop_table("drafts")
