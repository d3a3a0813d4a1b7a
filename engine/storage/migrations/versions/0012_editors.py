"""called tasks: a human task of a process a call activity started names that version and step

Revision ID: 0012_editors
Revises: 0009_task_drafts
Create Date: 2026-12-05 05:10:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0012_editors"
down_revision = "0011_incidents_deploy_approval"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("human_tasks") as batch:
        batch.add_column(sa.Column("called_definition_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("called_step_no", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            "fk_human_tasks_called_definition_id_definitions",
            "definitions",
            ["called_definition_id"],
            ["id"],
        )


def downgrade() -> None:
    with op.batch_alter_table("human_tasks") as batch:
        batch.drop_constraint("fk_human_tasks_called_definition_id_definitions", type_="foreignkey")
        batch.drop_column("called_step_no")
        batch.drop_column("called_definition_id")
