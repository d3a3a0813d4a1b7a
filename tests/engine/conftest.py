"""Engine fixtures: every test runs on a fresh SQLite file and on a fresh PostgreSQL database.

Seeding (schema via Alur.upgrade, the six SOPs, users) runs once per database kind into a
template; each test gets its own copy (SQLite: the backup API; PostgreSQL: CREATE DATABASE ...
TEMPLATE), so a test costs a copy, not a migration and a deploy.
"""

from __future__ import annotations

import os
import sqlite3
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

import engine.audit
import engine.inbox
import engine.runtime
from engine.alur import Alur
from engine.config import Settings
from tests.engine.helpers import seed

POSTGRES_ADMIN_URL = os.environ.get(
    "ALUR_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres"
)
DATABASES = ["sqlite", "postgresql"]


def _postgres_admin() -> psycopg.Connection:
    """A connection to the maintenance database; the test fails (never skips) without one."""
    try:
        return psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as error:
        problem = str(error).strip()
    pytest.fail(
        f"PostgreSQL is unreachable at {POSTGRES_ADMIN_URL}: {problem}\n"
        "The engine tests run on SQLite and on PostgreSQL; start PostgreSQL "
        "(trust auth, user postgres) or point ALUR_TEST_POSTGRES at an admin URL.",
        pytrace=False,
    )


def _postgres_url(name: str) -> str:
    return POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + "/" + name


def _seeded(url: str, upload_dir: Path) -> None:
    alur = Alur(Settings(database_url=url, upload_dir=upload_dir))
    try:
        seed(alur)
    finally:
        alur.db.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("template") / "alur.sqlite3"
    _seeded(f"sqlite:///{path}", path.parent / "files")
    return path


@pytest.fixture(scope="session")
def postgres_template() -> Iterator[str]:
    name = f"alur_tpl_{uuid.uuid4().hex[:12]}"
    with _postgres_admin() as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        try:
            _seeded(_postgres_url(name), Path("/nonexistent"))
            yield name
        finally:
            admin.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))


@pytest.fixture(params=DATABASES)
def database_url(request, tmp_path) -> Iterator[str]:
    """A fresh, seeded database of the parametrized kind; dropped (PostgreSQL) afterwards."""
    if request.param == "sqlite":
        template = request.getfixturevalue("sqlite_template")
        path = tmp_path / "alur.sqlite3"
        source, target = sqlite3.connect(template), sqlite3.connect(path)
        try:
            source.backup(target)
        finally:
            source.close()
            target.close()
        yield f"sqlite:///{path}"
        return
    template = request.getfixturevalue("postgres_template")
    name = f"alur_test_{uuid.uuid4().hex[:12]}"
    with _postgres_admin() as admin:
        admin.execute(
            sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                sql.Identifier(name), sql.Identifier(template)
            )
        )
        try:
            yield _postgres_url(name)
        finally:
            admin.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))


@pytest.fixture
def make_alur(database_url, tmp_path) -> Iterator[Callable[..., Alur]]:
    """Another Alur on the test's database (as a second worker would have); settings overridable."""
    made: list[Alur] = []
    base = Settings(database_url=database_url, upload_dir=tmp_path / "files")

    def make(**overrides) -> Alur:
        alur = Alur(replace(base, **overrides))
        made.append(alur)
        return alur

    yield make
    for alur in made:
        alur.db.dispose()


@pytest.fixture
def alur(make_alur) -> Alur:
    """The engine on a fresh database: schema, the six SOPs, two users per lane role, an admin."""
    return make_alur()


@dataclass
class Clock:
    now: datetime

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock(monkeypatch) -> Clock:
    """Freeze the engine's "now" (task creation, completion, overdue queries, audit times)."""
    frozen = Clock(datetime.now().astimezone())
    for module in (engine.runtime, engine.inbox, engine.audit):
        monkeypatch.setattr(module, "utcnow", frozen)
    return frozen
