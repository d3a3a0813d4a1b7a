"""Test databases on SQLite and PostgreSQL: seeded once into a template, copied for each test.

A template costs a migration and a deploy once per session; a copy is all a test pays.

PostgreSQL is the server at ALUR_TEST_POSTGRES (an admin URL; by default user postgres with trust
auth on 127.0.0.1:5432). When it does not answer, the test fails; it never skips.
"""

from __future__ import annotations

import os
import sqlite3
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest
from psycopg import sql
from sqlalchemy import inspect

from engine.alur import Alur
from engine.config import Settings

POSTGRES_ADMIN_URL = os.environ.get(
    "ALUR_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres"
)
KINDS = ["sqlite", "postgresql"]


def postgres_admin() -> psycopg.Connection:
    """A connection to the maintenance database; the test fails (never skips) without one."""
    try:
        return psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as error:
        problem = str(error).strip()
    pytest.fail(
        f"PostgreSQL is unreachable at {POSTGRES_ADMIN_URL}: {problem}\n"
        "These tests run on SQLite and on PostgreSQL; start PostgreSQL "
        "(trust auth, user postgres) or point ALUR_TEST_POSTGRES at an admin URL.",
        pytrace=False,
    )


def postgres_url(name: str) -> str:
    return POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + "/" + name


@contextmanager
def postgres_database(prefix: str, template: str | None = None) -> Iterator[str]:
    """CREATE DATABASE <prefix>_<random> (a copy of template, if given); its name; dropped after."""
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    create = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
    if template is not None:
        create = sql.SQL("{} TEMPLATE {}").format(create, sql.Identifier(template))
    with postgres_admin() as admin:
        admin.execute(create)
    try:
        yield name
    finally:
        with postgres_admin() as admin:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def seeded(url: str, seed: Callable[[Alur], None]) -> None:
    """Run seed on an Alur at url (seeding writes no uploaded files), then close its connections."""
    alur = Alur(Settings(database_url=url, upload_dir=Path("/nonexistent")))
    try:
        seed(alur)
    finally:
        alur.db.dispose()


def sqlite_template(folder: Path, seed: Callable[[Alur], None]) -> Path:
    """A SQLite file in folder, seeded."""
    path = folder / "alur.sqlite3"
    seeded(f"sqlite:///{path}", seed)
    return path


@contextmanager
def postgres_template(prefix: str, seed: Callable[[Alur], None]) -> Iterator[str]:
    """A PostgreSQL database <prefix>_<random>, seeded; its name; dropped after."""
    with postgres_database(prefix) as name:
        seeded(postgres_url(name), seed)
        yield name


@contextmanager
def fresh_copy(kind: str, template: Path | str, folder: Path) -> Iterator[str]:
    """A copy of a template of that kind, its URL: SQLite in folder, PostgreSQL dropped after.

    SQLite copies with the backup API, PostgreSQL with CREATE DATABASE ... TEMPLATE.
    """
    if kind == "sqlite":
        path = folder / "alur.sqlite3"
        source, target = sqlite3.connect(template), sqlite3.connect(path)
        try:
            source.backup(target)
        finally:
            source.close()
            target.close()
        yield f"sqlite:///{path}"
        return
    with postgres_database("alur_test", template) as name:
        yield postgres_url(name)


def columns(engine, table: str) -> set[str]:
    """The column names of table as the database has them."""
    return {c["name"] for c in inspect(engine).get_columns(table)}
