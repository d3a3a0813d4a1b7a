"""Engine fixtures: every test runs on a fresh SQLite file and on a fresh PostgreSQL database.

Seeding (schema via Alur.upgrade, the six SOPs, users) runs once per database kind into a
template; each test's database_url, make_alur and alur (tests/conftest.py) use a copy of it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest

import engine.audit
import engine.inbox
import engine.runtime.lifecycle
from tests import databases
from tests.engine.helpers import seed


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    return databases.sqlite_template(tmp_path_factory.mktemp("template"), seed)


@pytest.fixture(scope="session")
def postgresql_template() -> Iterator[str]:
    with databases.postgres_template("alur_tpl", seed) as name:
        yield name


@dataclass
class Clock:
    now: datetime

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock(monkeypatch) -> Clock:
    """Freeze the engine's "now" (task creation, completion, overdue queries, audit times)."""
    frozen = Clock(datetime.now().astimezone())
    for module in (engine.runtime.lifecycle, engine.inbox, engine.audit):
        monkeypatch.setattr(module, "utcnow", frozen)
    return frozen
