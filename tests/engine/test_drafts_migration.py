"""Revision 0005 adds the drafts table and a version's note and approver, and downgrades."""

from __future__ import annotations

from sqlalchemy import inspect, text

from engine.storage import migrate
from engine.storage.db import make_engine
from tests.databases import columns


def test_0005_adds_drafts_and_the_note_of_a_version_and_downgrades(empty_url):
    engine = make_engine(empty_url)
    try:
        migrate.upgrade(engine, "0004_decision_files")
        with engine.begin() as c:
            c.execute(
                text(
                    "INSERT INTO definitions (key, version, name, code, filename, sha256, xml, sop,"
                    " task_steps, starter_roles, spec, deployed_by, deployed_at) VALUES ('sop_x',"
                    " 1, 'X', 'X', 'x.bpmn', 'abc', :xml, '{}', '{}', '[]', '{}', 'lead',"
                    " CURRENT_TIMESTAMP)"
                ),
                {"xml": b"<x/>"},
            )
        migrate.upgrade(engine)
        assert {"note", "approved_by"} <= columns(engine, "definitions")
        assert {"process_key", "base_version", "xml", "author", "state", "approver"} <= columns(
            engine, "drafts"
        )
        with engine.connect() as c:
            row = c.execute(text("SELECT note, approved_by FROM definitions")).one()
        assert tuple(row) == ("", None)  # an existing version has an empty note
        config = migrate.alembic_config(engine)
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            migrate.command.downgrade(config, "0004_decision_files")
        assert "drafts" not in inspect(engine).get_table_names()
        assert "note" not in columns(engine, "definitions")
    finally:
        engine.dispose()
