"""The JSON API fixtures: a fresh SQLite copy per test, the six SOPs, users with API tokens."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from engine.alur import Alur
from engine.config import Settings
from engine.users import add, create_token
from tests.webapp import app_on_copy

BPMN_DIR = Path(__file__).resolve().parents[3] / "bpmn"
KABID = "kabid pemerintahan dan sosial budaya"
# username -> roles (lane names normalise to roles); "admin" is also is_admin
PEOPLE = {
    "kabid": [KABID],
    "subkoor": ["Sub. Koordinator Pemerintahan"],
    "ft": ["Fungsional Tertentu"],
    "fu": ["Fungsional Umum"],
    "ft2": ["Fungsional Tertentu"],
    "sekban": ["Sekretaris Badan"],
    "kaban": ["Kepala Badan"],
    "auditor": ["auditor"],
    "tamu": ["tamu"],
    "admin": [],
}


@pytest.fixture(scope="session")
def seeded(tmp_path_factory) -> tuple[Path, dict[str, str]]:
    """Migrate, deploy bpmn/, add PEOPLE with a token each, once; each test gets a copy."""
    path = tmp_path_factory.mktemp("api-seed") / "api.sqlite3"
    engine = Alur(Settings(database_url=f"sqlite:///{path}", upload_dir=path.parent / "files"))
    engine.upgrade()
    engine.deploy([BPMN_DIR], "lead")
    with engine.session() as s:
        tokens = {}
        for name, roles in PEOPLE.items():
            user = add(s, name, roles, is_admin=name == "admin", now=engine.clock())
            tokens[name] = create_token(s, user, "tests", engine.clock())
    engine.db.dispose()
    return path, tokens


@pytest.fixture
def app(tmp_path, seeded, clock):
    with app_on_copy(seeded[0], tmp_path, ENGINE_CLOCK=clock) as app:
        yield app


@pytest.fixture
def alur(app) -> Alur:
    """The app's engine: a fresh copy of the database with the six SOPs and the PEOPLE."""
    return app.extensions["alur"]


@pytest.fixture
def tokens(seeded) -> dict[str, str]:
    """username -> that user's personal API token."""
    return seeded[1]


@dataclass
class Api:
    """Calls /api/v1 as a named user: api.get("/tasks", as_="ft") -> (status, json)."""

    client: object
    tokens: dict[str, str]

    def call(self, method: str, path: str, as_: str | None, headers=None, **kwargs):
        headers = dict(headers or {})
        if as_:
            headers["Authorization"] = f"Bearer {self.tokens[as_]}"
        response = self.client.open("/api/v1" + path, method=method, headers=headers, **kwargs)
        return response.status_code, response.get_json()

    def get(self, path: str, as_: str | None = None, **kwargs):
        return self.call("GET", path, as_, **kwargs)

    def post(self, path: str, as_: str | None = None, **kwargs):
        return self.call("POST", path, as_, **kwargs)

    def inbox(self, as_: str, **params) -> list[dict]:
        status, body = self.get("/tasks", as_, query_string=params)
        assert status == 200, body
        return body["tasks"]

    def start(self, key: str = "sop_b", as_: str = "kabid", title: str = "Monev 2025") -> dict:
        status, body = self.post(f"/processes/{key}/instances", as_, json={"title": title})
        assert status == 201, body
        return body


@pytest.fixture
def api(app, alur, tokens) -> Api:
    return Api(app.test_client(), tokens)
