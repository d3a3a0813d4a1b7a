"""GET /healthz: 200 when the database answers, 503 with the reason when it does not."""

from __future__ import annotations

import socket
import time

from webui import create_app


def _closed_port() -> int:
    """A local port nothing listens on (bound, read, released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_healthz_answers_ok_without_signing_in(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}
    assert "Set-Cookie" not in response.headers  # a load balancer's probe gets no session
    assert response.headers["Cache-Control"] == "no-store"


def test_healthz_is_503_when_the_database_is_unreachable(tmp_path):
    url = f"postgresql://postgres@127.0.0.1:{_closed_port()}/alur"
    app = create_app(
        {"TESTING": True, "ALUR_DATABASE_URL": url, "ALUR_UPLOAD_DIR": str(tmp_path / "files")}
    )
    try:
        began = time.monotonic()
        response = app.test_client().get("/healthz")
        took = time.monotonic() - began
    finally:
        app.extensions["alur"].db.dispose()
    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] == "error"
    assert "refused" in body["database"] or "failed" in body["database"]
    assert "Set-Cookie" not in response.headers
    assert took < 10  # refused at once, not a hang


def test_healthz_takes_no_other_method(client):
    assert client.post("/healthz").status_code == 405


def test_requests_get_503_with_retry_after_while_the_database_is_down(tmp_path):
    url = f"postgresql://postgres@127.0.0.1:{_closed_port()}/alur"
    app = create_app(
        {
            "TESTING": True,
            "WTF_CSRF_ENABLED": False,
            "ALUR_DATABASE_URL": url,
            "ALUR_UPLOAD_DIR": str(tmp_path / "files"),
        }
    )
    try:
        client = app.test_client()
        api = client.get("/api/v1/tasks", headers={"Authorization": "Bearer alur_x"})
        login = client.post("/login", data={"username": "kabid", "password": "demo"})
    finally:
        app.extensions["alur"].db.dispose()
    assert api.status_code == 503
    assert api.get_json()["error"]["code"] == "database_unavailable"
    assert api.headers["Retry-After"] == "5"
    assert login.status_code == 503
    assert login.headers["Retry-After"] == "5"
