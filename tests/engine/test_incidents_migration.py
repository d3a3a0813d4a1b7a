"""Revision 0011 adds the incidents table and a draft's source, file name and DMN files (a file
deploy held for approval); an existing draft reads as a studio draft; it downgrades."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from engine.storage import migrate
from engine.storage.db import make_engine
from engine.storage.tables import Base
from tests.databases import columns


def test_0011_adds_incidents_and_the_source_of_a_draft_and_downgrades(empty_url):
    engine = make_engine(empty_url)
    try:
        migrate.upgrade(engine, "0009_task_drafts")
        with engine.begin() as c:
            c.execute(
                text(
                    "INSERT INTO drafts (process_key, name, base_version, xml, author, created_at,"
                    " updated_at, state, note, approval_note) VALUES ('sop_x', 'X', 1, :xml,"
                    " 'ana', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 'draft', '', '')"
                ),
                {"xml": b"<x/>"},
            )
        migrate.upgrade(engine)
        assert "incidents" in inspect(engine).get_table_names()
        assert {"source", "filename", "decisions"} <= columns(engine, "drafts")
        with engine.connect() as c:
            row = c.execute(text("SELECT source, filename FROM drafts")).one()
            diff = compare_metadata(MigrationContext.configure(c), Base.metadata)
        assert tuple(row) == ("studio", "")
        mine = [d for d in diff if "incident" in str(d) or "drafts" in str(d)]
        assert mine == []  # the migration makes what the models declare

        config = migrate.alembic_config(engine)
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            migrate.command.downgrade(config, "0009_task_drafts")
        assert "incidents" not in inspect(engine).get_table_names()
        assert "source" not in columns(engine, "drafts")
    finally:
        engine.dispose()
