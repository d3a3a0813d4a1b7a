"""/api/v1/delegations: acting officials (Plh./Plt.) through the API."""

from __future__ import annotations

from datetime import timedelta

from engine.inbox import InboxFilter
from engine.roles import normalise
from engine.runtime.lifecycle import Completion
from engine.storage.tables import utcnow
from tests.webui.api.conftest import PEOPLE

HOLDER = {normalise(roles[0]): name for name, roles in PEOPLE.items() if roles and name != "ft2"}


def _run_to_step(alur, instance_id: int, step_no: int):
    """Complete the instance's tasks (Ya on decisions) as their role's holder up to step_no."""
    while True:
        [task] = alur.tasks(flt=InboxFilter(instance_id=instance_id))
        if task.step_no == step_no:
            return task
        step = alur.instance(instance_id).definition.model.find(task.step_no)
        alur.complete(
            task.id, HOLDER[task.role], Completion(decision="Ya" if step.decision else None)
        )


def _day(days: int) -> str:
    return (utcnow() + timedelta(days=days)).date().isoformat()


def test_delegate_list_and_revoke(api):
    status, body = api.post("/delegations", "kaban", json={"to": "sekban", "ends_at": _day(7)})
    assert status == 201, body
    [made] = body["delegations"]
    assert (made["from_user"], made["to_user"], made["role"], made["title"]) == (
        "kaban", "sekban", "kepala badan", "Plh",
    )  # fmt: skip
    assert made["in_force"] is True and made["away"] is False
    for who in ("kaban", "sekban", "admin"):
        assert [d["id"] for d in api.get("/delegations", who)[1]["delegations"]] == [made["id"]]
    assert api.get("/delegations", "ft")[1]["delegations"] == []
    status, body = api.call("DELETE", f"/delegations/{made['id']}", "ft")
    assert status == 403 and body["error"]["key"] == "delegation_revoke_forbidden"
    status, body = api.call("DELETE", f"/delegations/{made['id']}", "kaban")
    assert status == 200 and body["delegation"]["id"] == made["id"]
    assert api.get("/delegations", "kaban")[1]["delegations"] == []


def test_the_plh_completes_the_kepala_badan_step_named_for_both(api, alur):
    api.post("/delegations", "admin", json={"official": "kaban", "to": "sekban",
                                            "ends_at": _day(3), "title": "Plt"})  # fmt: skip
    instance = api.start()
    task = _run_to_step(alur, instance["id"], 11)
    assert task.id in [t["id"] for t in api.inbox("sekban")]
    status, body = api.post(f"/tasks/{task.id}/complete", "sekban", json={"decision": "Ya"})
    assert status == 200, body
    status, history = api.get(f"/instances/{instance['id']}/history", "sekban")
    [done] = [e for e in history["events"] if e["kind"] == "completed" and e["step_no"] == 11]
    assert done["actor"] == "sekban"
    assert done["data"]["acting_for"] == {
        "user": "kaban", "name": "kaban", "role": "Kepala Badan", "title": "Plt",
    }  # fmt: skip


def test_delegation_refusals(api):
    cases = [
        ("ft", {"official": "kaban", "to": "ft2", "ends_at": _day(3)}, 403, "delegate_forbidden"),
        ("ft", {"to": "ft2", "roles": ["Kepala Badan"], "ends_at": _day(3)}, 403,
         "delegate_role_missing"),
        ("kaban", {"to": "sekban", "ends_at": "besok"}, 422, "delegation_date"),
        ("kaban", {"to": "sekban", "ends_at": _day(-2)}, 422, "delegation_period"),
        ("kaban", {"to": "sekban", "ends_at": _day(400)}, 422, "delegation_too_long"),
        ("kaban", {"to": "nobody", "ends_at": _day(3)}, 404, "user_missing"),
        ("kaban", {"to": "sekban"}, 422, "fields_missing"),
    ]  # fmt: skip
    for who, body, status, key in cases:
        got, answer = api.post("/delegations", who, json=body)
        assert (got, answer["error"].get("key")) == (status, key), body
    assert api.get("/delegations", "admin")[1]["delegations"] == []
