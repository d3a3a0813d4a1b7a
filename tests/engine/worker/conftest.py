"""Worker fixtures: every test runs on a fresh SQLite file and on a fresh PostgreSQL database.

The schema, the three small test processes (tests/worker/data) and the people are seeded once per
database kind into a template; each test's database_url, make_alur and alur (tests/conftest.py)
use a copy of it. PostgreSQL unreachable fails the tests.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from engine.alur import Alur
from engine.notifications import SmtpSettings
from engine.worker import Worker, WorkerSettings
from tests import databases
from tests.engine.worker.helpers import Mailbox, free_port, seed


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    return databases.sqlite_template(tmp_path_factory.mktemp("worker_template"), seed)


@pytest.fixture(scope="session")
def postgresql_template() -> Iterator[str]:
    with databases.postgres_template("alur_wtpl", seed) as name:
        yield name


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
