"""Revisions 0002 to 0004 upgrade a database with rows in it and downgrade, on both kinds."""

from __future__ import annotations

from sqlalchemy import inspect, text

from engine.storage import migrate
from engine.storage.db import make_engine
from tests.databases import columns

INITIAL = "465194be0411"


def test_0002_upgrades_and_downgrades(empty_url):
    engine = make_engine(empty_url)
    try:
        migrate.upgrade(engine, INITIAL)
        with engine.begin() as c:
            c.execute(
                text(
                    "INSERT INTO users (username, full_name, password_hash, active, is_admin,"
                    " created_at) VALUES ('ana', 'Ana', '', true, false, CURRENT_TIMESTAMP)"
                )
            )
        migrate.upgrade(engine)
        assert "email" in columns(engine, "users")
        assert "next_wakeup_at" in columns(engine, "instances")
        assert "escalated_at" in columns(engine, "human_tasks")
        assert "notifications" in inspect(engine).get_table_names()
        with engine.connect() as c:
            assert c.execute(text("SELECT email FROM users")).scalar_one() == ""

        config = migrate.alembic_config(engine)
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            migrate.command.downgrade(config, INITIAL)
        assert "email" not in columns(engine, "users")
        assert "next_wakeup_at" not in columns(engine, "instances")
        assert "notifications" not in inspect(engine).get_table_names()
        with engine.connect() as c:
            assert c.execute(text("SELECT username FROM users")).scalar_one() == "ana"
        migrate.upgrade(engine)
        assert "notifications" in inspect(engine).get_table_names()
    finally:
        engine.dispose()


def test_0003_adds_the_session_columns_and_downgrades(empty_url):
    engine = make_engine(empty_url)
    try:
        migrate.upgrade(engine, "0002_worker")
        assert "session_epoch" not in columns(engine, "users")
        migrate.upgrade(engine, "0003_sessions")
        assert {"session_epoch", "must_change_password"} <= columns(engine, "users")
        config = migrate.alembic_config(engine)
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            migrate.command.downgrade(config, "0002_worker")
        assert "session_epoch" not in columns(engine, "users")
    finally:
        engine.dispose()


def test_0004_adds_the_decision_files_table_and_downgrades(empty_url):
    engine = make_engine(empty_url)
    try:
        migrate.upgrade(engine, "0003_sessions")
        assert "decision_files" not in inspect(engine).get_table_names()
        migrate.upgrade(engine)
        assert {"definition_id", "filename", "sha256", "xml"} <= columns(engine, "decision_files")
        config = migrate.alembic_config(engine)
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            migrate.command.downgrade(config, "0003_sessions")
        assert "decision_files" not in inspect(engine).get_table_names()
    finally:
        engine.dispose()


def test_0008_adds_delegations_and_role_notifications_and_downgrades(empty_url):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from engine.storage.tables import Base

    engine = make_engine(empty_url)
    try:
        migrate.upgrade(engine, "0004_decision_files")
        with engine.begin() as c:
            c.execute(
                text(
                    "INSERT INTO users (username, full_name, password_hash, active, is_admin,"
                    " created_at, email, session_epoch, must_change_password)"
                    " VALUES ('ana', 'Ana', '', true, false, CURRENT_TIMESTAMP, '', 0, false)"
                )
            )
        migrate.upgrade(engine)
        assert {"delegations", "notification_reads"} <= set(inspect(engine).get_table_names())
        assert {"email_digest", "digest_sent_at"} <= columns(engine, "users")
        assert "role" in columns(engine, "notifications")
        with engine.connect() as c:
            assert c.execute(text("SELECT email_digest FROM users")).scalar_one() in (False, 0)
            diff = compare_metadata(MigrationContext.configure(c), Base.metadata)
        mine = [d for d in diff if "delegation" in str(d) or "notification_reads" in str(d)]
        assert mine == []  # the migration makes what the models declare

        config = migrate.alembic_config(engine)
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            migrate.command.downgrade(config, "0004_decision_files")
        assert "delegations" not in inspect(engine).get_table_names()
        assert "email_digest" not in columns(engine, "users")
        assert "role" not in columns(engine, "notifications")
        with engine.connect() as c:
            assert c.execute(text("SELECT username FROM users")).scalar_one() == "ana"
    finally:
        engine.dispose()


def test_0012_adds_the_called_task_columns_and_downgrades(empty_url):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from engine.storage.tables import Base

    engine = make_engine(empty_url)
    try:
        migrate.upgrade(engine, "0009_task_drafts")
        assert "called_definition_id" not in columns(engine, "human_tasks")
        migrate.upgrade(engine, "0012_editors")
        assert {"called_definition_id", "called_step_no"} <= columns(engine, "human_tasks")
        with engine.connect() as c:
            diff = compare_metadata(MigrationContext.configure(c), Base.metadata)
        assert [d for d in diff if "called_" in str(d)] == []  # what the model declares
        config = migrate.alembic_config(engine)
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            migrate.command.downgrade(config, "0009_task_drafts")
        assert "called_definition_id" not in columns(engine, "human_tasks")
    finally:
        engine.dispose()
