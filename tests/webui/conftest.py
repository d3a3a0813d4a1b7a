"""Fixtures: an app on a fresh SQLite database with the six SOPs and the demo users."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from flask.testing import FlaskClient

from engine import users
from engine.alur import Alur
from engine.config import Settings
from engine.inbox import InboxFilter
from engine.runtime.lifecycle import Completion
from tests.conftest import BPMN_DIR
from tests.webapp import app_on_copy
from webui import demo

MAX_UPLOAD_MB = "0.05"  # 51,200 bytes per file keeps the upload tests small
TOKEN = re.compile(r'<meta name="csrf-token" content="([^"]+)">')


@pytest.fixture(scope="session", autouse=True)
def quick_password_hashes():
    """Cheap argon2 parameters for the tests' own users (a login costs ms, not half a second)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(
            users, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
        )
        yield


@pytest.fixture(scope="session")
def seeded_db(tmp_path_factory, quick_password_hashes) -> Path:
    """Migrate, deploy bpmn/ and add the demo users once; each test gets a copy of the file."""
    folder = tmp_path_factory.mktemp("seed")
    path = folder / "alur.sqlite3"
    alur = Alur(Settings(database_url=f"sqlite:///{path}", upload_dir=folder / "files"))
    demo.seed(alur, BPMN_DIR, sample=False)
    alur.db.dispose()
    return path


@pytest.fixture
def app(tmp_path, seeded_db, clock):
    with app_on_copy(
        seeded_db,
        tmp_path,
        SECRET_KEY="test",
        ALUR_MAX_UPLOAD_MB=MAX_UPLOAD_MB,
        ENGINE_CLOCK=clock,
    ) as app:
        yield app


@pytest.fixture
def alur(app) -> Alur:
    return app.extensions["alur"]


@pytest.fixture
def client(app) -> FlaskClient:
    return app.test_client()


def csrf_token(client: FlaskClient) -> str:
    return TOKEN.search(client.get("/login").text).group(1)


def post(client: FlaskClient, url: str, data: dict | None = None, **kwargs):
    """POST a form with the session's CSRF token, as the browser would."""
    return client.post(url, data={"csrf_token": csrf_token(client), **(data or {})}, **kwargs)


def username_for(who: str) -> str:
    """'kabid', or a role such as 'fungsional tertentu' -> its demo user."""
    return demo.USERNAMES.get(who, who)


@pytest.fixture
def login_as(app):
    """login_as('kabid') or login_as('fungsional tertentu'): a new client signed in as them."""

    def sign_in(who: str) -> FlaskClient:
        client = app.test_client()
        response = post(
            client, "/login", {"username": username_for(who), "password": demo.PASSWORD}
        )
        assert response.status_code == 302, response.text
        return client

    return sign_in


@pytest.fixture
def started(alur):
    """start('sop_a') -> the instance, started by the Kabid."""

    def start(key: str = "sop_a", title: str = "Renja Dinas Pendidikan 2027"):
        return alur.start(key, "kabid", title)

    return start


def open_task(alur: Alur, instance_id: int):
    """The one open task of an instance."""
    tasks = alur.tasks(flt=InboxFilter(instance_id=instance_id))
    assert len(tasks) == 1, tasks
    return tasks[0]


def all_ticked(alur: Alur, task) -> dict:
    """Form fields ticking every Kelengkapan item of the task's step."""
    return {f"check-{i}": "1" for i in range(len(_step(alur, task)["kelengkapan"]))}


def advance_to(alur: Alur, instance_id: int, step_no: int):
    """Complete steps through the engine (Ya at decisions) until step_no is open; return it."""
    for _ in range(50):
        task = open_task(alur, instance_id)
        if task.step_no == step_no:
            return task
        step = _step(alur, task)
        alur.complete(
            task.id,
            username_for(task.role),
            Completion(decision="Ya" if step["decision"] else None),
        )
    raise AssertionError(f"step {step_no} never opened")


def _step(alur: Alur, task) -> dict:
    steps = alur.instance(task.instance_id).definition.sop["steps"]
    return next(s for s in steps if s["no"] == task.step_no)
