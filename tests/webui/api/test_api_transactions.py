"""A completion through the API is one write transaction: the token's owner is checked in it,
not in a read of its own before it."""

from __future__ import annotations

from sqlalchemy import select

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


def _forget_token_use(alur, username: str) -> None:
    with alur.session() as s:
        for row in s.query(ApiToken).join(User).filter(User.username == username):
            row.last_used_at = None


def test_an_api_inbox_is_one_read_that_checks_the_token_too(api, alur):
    instance = api.start()
    api.inbox("kabid")  # the token's use written down: the next minute's reads write nothing
    with transactions(alur) as begun:
        tasks = api.inbox("kabid")
    assert (begun.read, begun.write) == (1, 0)
    assert [t["instance_id"] for t in tasks] == [instance["id"]]


def test_an_api_inbox_writes_down_a_stale_tokens_use_in_a_write_of_its_own(api, alur):
    api.start()
    _forget_token_use(alur, "kabid")
    with transactions(alur) as begun:
        assert api.inbox("kabid")
    assert (begun.read, begun.write) == (1, 1)
    with alur.session(read_only=True) as s:
        used = s.scalars(select(ApiToken.last_used_at).join(User).where(User.username == "kabid"))
        assert None not in list(used)


def test_an_api_claim_is_one_write_transaction(api, alur):
    task = api.start()["open_tasks"][0]
    api.inbox("kabid")
    with transactions(alur) as begun:
        status, body = api.post(f"/tasks/{task['id']}/claim", "kabid")
    assert status == 200, body
    assert (begun.read, begun.write) == (0, 1)
    assert body["task"]["claimed_by"] == "kabid" and body["task"]["claimed_at"]
    assert alur.task(task["id"]).claimed_by == "kabid"


def test_a_refused_token_reads_no_inbox_and_claims_nothing(api, alur):
    task = api.start()["open_tasks"][0]
    alur.set_active("kabid", False, "admin")
    status, body = api.get("/tasks", "kabid")
    assert status == 401 and body["error"]["key"] == "token_refused"
    status, body = api.post(f"/tasks/{task['id']}/claim", "kabid")
    assert status == 401 and body["error"]["key"] == "token_refused"
    assert alur.task(task["id"]).claimed_by is None


def test_an_api_call_with_a_signed_in_session_cookie_does_not_read_the_sessions_user(api, alur):
    api.start()
    api.inbox("kabid")
    with api.client.session_transaction() as session:
        session["_user_id"], session["_fresh"] = "0:kabid", True  # signed in to the pages too
    assert api.client.get("/").status_code == 200  # the cookie signs the pages in
    with transactions(alur) as begun:
        assert api.inbox("kabid")
    assert (begun.read, begun.write) == (1, 0)  # the inbox's own read, not the session's user
