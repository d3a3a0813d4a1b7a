"""A completion through the API is one write transaction (plus the token's read)."""

from __future__ import annotations

from tests.transactions import transactions


def test_an_api_completion_is_one_write_transaction(api, alur):
    instance = api.start()
    task = instance["open_tasks"][0]
    api.inbox("kabid")  # the token's first use is written down (then at most once a minute)
    with transactions(alur) as begun:
        status, body = api.post(f"/tasks/{task['id']}/complete", "kabid", json={"note": "ok"})
    assert status == 200, body
    assert begun.write == 1  # the task read, checked, completed, and the answer made
    assert begun.read <= 1  # the bearer token's owner
    assert body["task"]["state"] == "completed" and body["instance"]["id"] == instance["id"]
    assert body["finished"] is False and body["next"]
    assert body["next"][0]["instance_title"] == instance["title"]
