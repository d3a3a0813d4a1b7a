"""Engine fixtures: every test runs on a fresh SQLite file and on a fresh PostgreSQL database.

Seeding (schema via Alur.upgrade, the six SOPs, users) runs once per database kind into a
template; each test's database_url, make_alur and alur (tests/conftest.py) use a copy of it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests import databases
from tests.engine.helpers import seed


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    return databases.sqlite_template(tmp_path_factory.mktemp("template"), seed)


@pytest.fixture(scope="session")
def postgresql_template() -> Iterator[str]:
    with databases.postgres_template("alur_tpl", seed) as name:
        yield name


@pytest.fixture(params=databases.KINDS)
def empty_url(request, tmp_path):
    """The URL of an empty database of each kind, for migration tests that build the schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.sqlite3'}"
        return
    with databases.postgres_database("alur_mig") as name:
        yield databases.postgres_url(name)
