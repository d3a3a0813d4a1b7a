"""GET /api/v1/processes/<key>/diff: the changes of `alur diff --json`, for analysts and admins."""

from __future__ import annotations

from engine.sop_diff import diff, with_task_ids
from tests.engine.helpers import deploy_approved
from tests.engine.table_edits import NEW_STEP, c1_version_2


def test_diff_lists_each_change_with_step_old_and_new(api, alur):
    deploy_approved(alur, [("sop_c_1.bpmn", c1_version_2())], "lead", approver="admin")
    status, body = api.get("/processes/sop_c_1/diff?old=1&new=2", "admin")
    assert status == 200
    assert [(c["step_no"], c["change"]) for c in body] == [(3, "added"), (4, "waktu"), (5, "actor")]
    assert body[0]["new"] == NEW_STEP and body[0]["old"] is None
    assert (body[1]["old"], body[1]["new"]) == ("180 Menit", "4 jam")
    assert (body[2]["old"], body[2]["new"]) == ("Fungsional Umum", "Sub. Koordinator Sosial Budaya")
    one, two = alur.definition("sop_c_1", 1), alur.definition("sop_c_1", 2)
    cli = [c.to_dict() for c in diff(*(with_task_ids(d.model, d.task_steps) for d in (one, two)))]
    assert body == cli  # the same list as `alur diff sop_c_1@1 sop_c_1@2 --json`
    assert api.get("/processes/sop_c_1/diff", "admin")[1] == body  # newest against the one before
    status, reverse = api.get("/processes/sop_c_1/diff?old=2&new=1", "admin")
    assert [c["change"] for c in reverse] == ["removed", "waktu", "actor"]


def test_diff_refusals(api, alur):
    assert api.get("/processes/sop_c_1/diff?old=1&new=1", "admin") == (200, [])
    assert api.get("/processes/sop_c_1/diff", "kabid")[0] == 403
    assert api.get("/processes/sop_c_1/diff", "auditor")[0] == 403
    assert api.get("/processes/sop_c_1/diff")[0] == 401
    assert api.get("/processes/sop_c_1/diff?old=9", "admin")[0] == 404
    assert api.get("/processes/nope/diff", "admin")[0] == 404
    status, body = api.get("/processes/sop_c_1/diff?new=-1", "admin")
    assert status == 422 and body["error"]["key"] == "version_invalid"


def test_diff_is_in_the_openapi_document(api):
    status, document = api.get("/openapi.json")
    operation = document["paths"]["/api/v1/processes/{key}/diff"]["get"]
    assert {p["name"] for p in operation["parameters"]} == {"key", "old", "new"}
    assert "Change" in document["components"]["schemas"]
