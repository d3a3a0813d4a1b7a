"""GET /api/v1/incidents and retrying one: admins and analysts only, the reason with its key."""

from __future__ import annotations

import pytest

from engine.errors import ProcessError
from engine.inbox import InboxFilter
from engine.users import add, create_token
from tests.engine.worker.test_model_budgets import GATEWAY


def gateway(condition: str) -> bytes:
    return (
        GATEWAY.replace("Sub Koordinator", "Fungsional Tertentu")
        .replace("CONDITION", condition)
        .encode()
    )


@pytest.fixture
def analyst(alur, tokens):
    with alur.session() as s:
        user = add(s, "ana", ["analis"], now=alur.clock())
        tokens["ana"] = create_token(s, user, "t", alur.clock())
    return "ana"


def test_incidents_are_listed_for_admins_and_analysts_and_refused_to_staff(api, alur, analyst):
    alur.deploy_sources([("syarat.bpmn", gateway("jumlah / nol &gt; 1"))], "lead")
    instance = alur.start("uji_syarat", "ft", title="Surat 3", data={"jumlah": 1, "nol": 0})
    (task,) = alur.tasks(flt=InboxFilter(instance_id=instance.id))
    status, body = api.post(f"/tasks/{task.id}/complete", "ft", json={})
    assert (status, body["error"]["code"]) == (422, "process_error")

    for who in ("admin", analyst):
        status, body = api.get("/incidents", who)
        assert status == 200
        (incident,) = body["incidents"]
        assert incident["instance_id"] == instance.id and incident["title"] == "Surat 3"
        assert (incident["source"], incident["task_id"], incident["element"]) == (
            "completion", task.id, "G",
        )  # fmt: skip
        assert incident["reason_key"] == "process_error" and incident["count"] == 1
        assert "ZeroDivisionError" in incident["params"]["reason"]
        assert incident["resolved_at"] is None
    for who in ("ft", "kabid", "auditor"):
        status, body = api.get("/incidents", who)
        assert (status, body["error"]["key"]) == (403, "incidents_forbidden")
        status, _ = api.post(f"/incidents/{incident['id']}/retry", who)
        assert status == 403
    status, body = api.post(f"/incidents/{incident['id']}/retry", "admin")
    assert (status, body["error"]["key"]) == (409, "incident_not_retryable")


def test_retry_over_the_api_resolves_a_worker_step_once_it_runs(api, alur):
    alur.deploy_sources([("syarat.bpmn", gateway("jumlah &gt; 1"))], "lead")
    instance = alur.start("uji_syarat", "ft", data={"jumlah": 1, "nol": 0})
    error = ProcessError("process_error", name="Tunggu", element="W", reason="sempat gagal")
    alur.note_incident(error, (instance.id, "worker", None))
    (incident,) = api.get("/incidents", "admin")[1]["incidents"]
    status, body = api.post(f"/incidents/{incident['id']}/retry", "admin")
    assert status == 200
    assert (body["incident"]["resolution"], body["incident"]["resolved_by"]) == (
        "retried", "admin",
    )  # fmt: skip
    assert api.get("/incidents", "admin")[1]["incidents"] == []
    (everything,) = api.get("/incidents", "admin", query_string={"all": "true"})[1]["incidents"]
    assert everything["id"] == incident["id"]
    status, body = api.post("/incidents/999/retry", "admin")
    assert (status, body["error"]["key"]) == (404, "incident_missing")
