"""Worker fixtures: every test runs on a fresh SQLite file and on a fresh PostgreSQL database.

The schema, the three small test processes (tests/worker/data) and the people are seeded once per
database kind into a template; each test gets a copy. PostgreSQL unreachable fails the tests.
"""

from __future__ import annotations

import os
import sqlite3
import uuid
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import psycopg
import pytest
from aiosmtpd.controller import Controller
from psycopg import sql

from engine.alur import Alur
from engine.config import Settings
from engine.notify import SmtpSettings
from engine.worker import Worker, WorkerSettings
from tests.worker.helpers import Mailbox, free_port, seed

POSTGRES_ADMIN_URL = os.environ.get(
    "ALUR_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres"
)


def postgres_admin() -> psycopg.Connection:
    try:
        return psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as error:
        pytest.fail(
            f"PostgreSQL is unreachable at {POSTGRES_ADMIN_URL}: {error}\n"
            "The worker tests run on SQLite and on PostgreSQL; start PostgreSQL "
            "(trust auth, user postgres) or point ALUR_TEST_POSTGRES at an admin URL.",
            pytrace=False,
        )


def postgres_url(name: str) -> str:
    return POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + "/" + name


def _seeded(url: str) -> None:
    alur = Alur(Settings(database_url=url, upload_dir=Path("/nonexistent")))
    try:
        seed(alur)
    finally:
        alur.db.dispose()


@pytest.fixture(scope="session")
def worker_sqlite_template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("worker_template") / "alur.sqlite3"
    _seeded(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def worker_postgres_template() -> Iterator[str]:
    name = f"alur_wtpl_{uuid.uuid4().hex[:12]}"
    with postgres_admin() as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        try:
            _seeded(postgres_url(name))
            yield name
        finally:
            admin.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))


@pytest.fixture
def fresh_database(request, tmp_path) -> Callable[[str], str]:
    """make(kind): a new seeded database of that kind; PostgreSQL ones dropped afterwards."""
    created: list[str] = []

    def make(kind: str) -> str:
        if kind == "sqlite":
            template = request.getfixturevalue("worker_sqlite_template")
            path = tmp_path / f"alur-{uuid.uuid4().hex[:8]}.sqlite3"
            source, target = sqlite3.connect(template), sqlite3.connect(path)
            try:
                source.backup(target)
            finally:
                source.close()
                target.close()
            return f"sqlite:///{path}"
        template = request.getfixturevalue("worker_postgres_template")
        name = f"alur_wtest_{uuid.uuid4().hex[:12]}"
        with postgres_admin() as admin:
            admin.execute(
                sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                    sql.Identifier(name), sql.Identifier(template)
                )
            )
        created.append(name)
        return postgres_url(name)

    yield make
    if created:
        with postgres_admin() as admin:
            for name in created:
                admin.execute(
                    sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
                )


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, fresh_database) -> str:
    return fresh_database(request.param)


@pytest.fixture
def make_alur(database_url, tmp_path) -> Iterator[Callable[..., Alur]]:
    """Another Alur on the test's database (as another process would have)."""
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
    return make_alur()


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    """A local SMTP server on 127.0.0.1 (a free port) that keeps what it receives."""
    box = Mailbox()
    controller = Controller(box, hostname="127.0.0.1", port=free_port())
    controller.start()
    box.port = controller.port
    try:
        yield box
    finally:
        controller.stop()


@pytest.fixture
def smtp(mailbox) -> SmtpSettings:
    return SmtpSettings(host="127.0.0.1", port=mailbox.port, sender="alur@bappeda.test")


@pytest.fixture
def make_worker(alur) -> Callable[..., Worker]:
    """A worker on the test's engine; WorkerSettings fields overridable (no SMTP by default)."""

    def make(engine: Alur | None = None, **overrides) -> Worker:
        return Worker(engine or alur, replace(WorkerSettings(), **overrides))

    return make
