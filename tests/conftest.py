"""Shared fixtures: the SOP diagrams and their transcription, the engine CLI, test databases."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from engine.alur import Alur
from engine.config import Settings
from tests import databases
from tests.clock import Clock

ROOT = Path(__file__).resolve().parents[1]
BPMN_DIR = ROOT / "bpmn"
DATA = Path(__file__).resolve().parent / "data"
TRANSCRIPTION_DIR = DATA / "transcription"
SOP_CODES = ["A", "B", "C.1", "C.2", "C.3", "D"]
STEP_COUNTS = {"A": 14, "B": 11, "C.1": 10, "C.2": 11, "C.3": 21, "D": 18}


def sop_path(code: str) -> Path:
    """bpmn/sop_c_1.bpmn for code C.1."""
    return BPMN_DIR / f"sop_{code.lower().replace('.', '_')}.bpmn"


def transcription(code: str) -> dict:
    """The hand transcription of the source PDF text for one procedure."""
    path = TRANSCRIPTION_DIR / f"{code.lower().replace('.', '')}.json"
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture(params=SOP_CODES)
def code(request) -> str:
    return request.param


# --- engine CLI (tests/engine/cli/): a fresh SQLite database per test, an `alur` runner ---
@pytest.fixture
def cli_env(tmp_path, monkeypatch) -> Path:
    """ALUR_DATABASE_URL and ALUR_UPLOAD_DIR under tmp_path; no ALUR_USER or role map inherited."""
    monkeypatch.setenv("ALUR_DATABASE_URL", f"sqlite:///{tmp_path / 'alur.sqlite3'}")
    monkeypatch.setenv("ALUR_UPLOAD_DIR", str(tmp_path / "files"))
    for name in ("ALUR_USER", "ALUR_ROLE_MAP", "ALUR_CALENDAR"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


@pytest.fixture
def engine_cli(cli_env):
    """run(*args, code=0, input=None): invoke `alur` on an upgraded database, check the exit code.

    An exit code other than 0 must come from the command itself (Error: ..., usage), never from
    an exception the command let through.
    """
    from click.testing import CliRunner

    from engine.cli import main

    runner = CliRunner()

    def run(*args, code: int = 0, input: str | None = None):
        result = runner.invoke(main, [str(a) for a in args], input=input)
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception
        assert result.exit_code == code, result.output
        return result

    run("db", "upgrade")
    return run


# --- end engine CLI ---


@pytest.fixture
def clock() -> Clock:
    """The engine's clock in this test (every Alur and app the fixtures build): the system
    clock until the test sets `clock.now`, then stopped there, in the worker and the web too."""
    return Clock()


# --- engine and worker tests: an Alur on a fresh copy of the folder's seeded database ---
# tests/engine and tests/worker each define the session fixtures sqlite_template and
# postgresql_template (with tests/databases.py and their own seed); each test runs on both kinds.
@pytest.fixture(params=databases.KINDS)
def database_url(request, tmp_path) -> Iterator[str]:
    """A fresh copy of the folder's seeded template of the parametrized kind."""
    template = request.getfixturevalue(f"{request.param}_template")
    with databases.fresh_copy(request.param, template, tmp_path) as url:
        yield url


@pytest.fixture
def make_alur(database_url, tmp_path, clock) -> Iterator[Callable[..., Alur]]:
    """Another Alur on the test's database (as another process would have); settings overridable."""
    made: list[Alur] = []
    base = Settings(database_url=database_url, upload_dir=tmp_path / "files")

    def make(**overrides) -> Alur:
        alur = Alur(replace(base, **overrides), clock=clock)
        made.append(alur)
        return alur

    yield make
    for alur in made:
        alur.db.dispose()


@pytest.fixture
def alur(make_alur) -> Alur:
    """The engine on the test's fresh database, seeded as the folder's conftest says."""
    return make_alur()
