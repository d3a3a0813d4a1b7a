"""A completion through the API is one write transaction: the token's owner is checked in it,
not in a read of its own before it."""

from __future__ import annotations

from engine.storage.tables import ApiToken, User
from tests.transactions import transactions


def test_an_api_completion_is_one_write_transaction(api, alur):
    instance = api.start()
    task = instance["open_tasks"][0]
    api.inbox("kabid")  # the token's first use is written down (then at most once a minute)
    with transactions(alur) as begun:
        status, body = api.post(f"/tasks/{task['id']}/complete", "kabid", json={"note": "ok"})
    assert status == 200, body
    assert begun.write == 1  # the token checked, the task read, checked, completed, answered
    assert begun.read == 0
    assert body["task"]["state"] == "completed" and body["instance"]["id"] == instance["id"]
    assert body["finished"] is False and body["next"]
    assert body["next"][0]["instance_title"] == instance["title"]


def test_a_refused_token_completes_nothing(api, alur):
    instance = api.start()
    task = instance["open_tasks"][0]
    alur.set_active("kabid", False, "admin")
    status, body = api.post(f"/tasks/{task['id']}/complete", "kabid", json={"note": "ok"})
    assert status == 401 and body["error"]["key"] == "token_refused"
    assert alur.task(task["id"]).state == "open"
    unknown = {"Authorization": "Bearer alur_" + "x" * 40}
    status, body = api.post(f"/tasks/{task['id']}/complete", headers=unknown, json={"note": "ok"})
    assert status == 401 and body["error"]["key"] == "token_refused"
    assert alur.task(task["id"]).state == "open"


def test_a_completion_writes_down_the_tokens_use(api, alur):
    instance = api.start()
    task = instance["open_tasks"][0]
    with alur.session() as s:
        for row in s.query(ApiToken).join(User).filter(User.username == "kabid"):
            row.last_used_at = None
    status, _ = api.post(f"/tasks/{task['id']}/complete", "kabid", json={"note": "ok"})
    assert status == 200
    with alur.session(read_only=True) as s:
        used = [
            r.last_used_at for r in s.query(ApiToken).join(User).filter(User.username == "kabid")
        ]
    assert used and all(at is not None for at in used)
