"""The JSON API: tokens, every endpoint and its refusals, a whole SOP run, the OpenAPI document."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select, update

from engine.storage.tables import ApiToken, HumanTask, User, utcnow

BPMN_DIR = Path(__file__).resolve().parents[3] / "bpmn"
KABID = "kabid pemerintahan dan sosial budaya"
# SOP B: steps 1, 2, 4 Kabid; 3 Fungsional Umum; 5-7 Fungsional Tertentu; decisions 8 Sub
# Koordinator, 9 Kabid, 10 Sekretaris Badan, 11 Kepala Badan (Tidak returns to step 7)
HOLDER = {
    KABID: "kabid",
    "fungsional umum": "fu",
    "fungsional tertentu": "ft",
    "sub koordinator pemerintahan": "subkoor",
    "sekretaris badan": "sekban",
    "kepala badan": "kaban",
}


def _run_to(api, instance: dict, step_no: int) -> dict:
    """Complete SOP B with Ya until the open task is step_no; returns that task."""
    (task,) = api.get(f"/instances/{instance['id']}", "admin")[1]["open_tasks"]
    while task["step_no"] != step_no:
        body = {"decision": "Ya"} if task["question"] else {}
        status, result = api.post(f"/tasks/{task['id']}/complete", HOLDER[task["role"]], json=body)
        assert status == 200, result
        (task,) = result["next"]
    return task


def _error(status_body, status: int, code: str) -> str:
    got, body = status_body
    assert got == status, body
    assert set(body) == {"error"} and body["error"]["code"] == code
    assert body["error"]["message"]
    return body["error"]["message"]


# -- tokens ---------------------------------------------------------------------------------
def test_no_token_is_401_with_a_json_error(api, app):
    response = api.client.get("/api/v1/tasks")
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert response.get_json()["error"]["code"] == "unauthorized"


def test_bad_malformed_revoked_and_inactive_tokens_are_401(api, alur, tokens):
    for header in ("Bearer alur_nonsense", "Basic a2FiaWQ6eA==", "Bearer ", tokens["ft"]):
        _error(api.get("/tasks", headers={"Authorization": header}), 401, "unauthorized")
    assert api.get("/tasks", "ft")[0] == 200
    with alur.session() as s:
        s.execute(
            update(ApiToken).where(ApiToken.user_id == alur.user("ft").id).values(revoked=True)
        )
        s.execute(update(User).where(User.username == "fu").values(active=False))
    _error(api.get("/tasks", "ft"), 401, "unauthorized")
    _error(api.get("/tasks", "fu"), 401, "unauthorized")


def test_a_token_records_when_it_was_last_used(api, alur):
    def last_used():
        with alur.session() as s:
            return s.scalar(select(ApiToken.last_used_at).join(User).where(User.username == "ft"))

    assert last_used() is None
    api.get("/processes", "ft")
    assert utcnow() - last_used() < timedelta(minutes=1)


def test_a_session_cookie_is_no_api_credential(api, alur):
    with api.client.session_transaction() as session:
        session["_user_id"] = str(alur.user("kabid").id)
        session["_fresh"] = True
    _error(api.get("/tasks"), 401, "unauthorized")


# -- processes and instances ----------------------------------------------------------------
def test_processes_lists_the_latest_version_of_each(api, alur):
    changed = (BPMN_DIR / "sop_b.bpmn").read_bytes() + b"\n<!-- versi 2 -->\n"
    alur.deploy_sources([("sop_b.bpmn", changed)], "lead")
    status, body = api.get("/processes", "tamu")
    assert status == 200
    by_key = {p["key"]: p for p in body["processes"]}
    assert sorted(by_key) == ["sop_a", "sop_b", "sop_c_1", "sop_c_2", "sop_c_3", "sop_d"]
    b = by_key["sop_b"]
    assert (b["code"], b["version"], b["versions"], b["steps"]) == ("B", 2, [2, 1], 11)
    assert b["starter_roles"] == [KABID]
    assert b["actors"][:3] == [
        "Kabid Pemerintahan dan Sosial Budaya",
        "Sub. Koordinator Pemerintahan",
        "Fungsional Tertentu",
    ]
    assert by_key["sop_c_3"]["steps"] == 21 and by_key["sop_a"]["versions"] == [1]


def test_start_returns_201_with_the_instance_and_its_first_task(api, alur):
    changed = (BPMN_DIR / "sop_b.bpmn").read_bytes() + b"\n<!-- versi 2 -->\n"
    alur.deploy_sources([("sop_b.bpmn", changed)], "lead")
    body = {"title": "Monev RKPD", "data": {"tahun": 2025}, "version": 1}
    response = api.client.post(
        "/api/v1/processes/sop_b/instances",
        json=body,
        headers={"Authorization": f"Bearer {api.tokens['kabid']}"},
    )
    assert response.status_code == 201
    instance = response.get_json()
    assert response.headers["Location"].endswith(f"/api/v1/instances/{instance['id']}")
    assert instance["process"] == {
        "key": "sop_b",
        "code": "B",
        "name": alur.definition("sop_b").name,
        "version": 1,
    }
    assert (instance["title"], instance["state"], instance["started_by"]) == (
        "Monev RKPD",
        "running",
        "kabid",
    )
    assert instance["data"] == {"tahun": 2025} and instance["ended_at"] is None
    (task,) = instance["open_tasks"]
    assert (task["step_no"], task["role"], task["claimed_by"], task["question"]) == (
        1,
        KABID,
        None,
        None,
    )
    assert task["process_code"] == "B" and task["instance_title"] == "Monev RKPD"
    assert api.get(f"/instances/{instance['id']}", "kabid") == (200, instance)


def test_start_refusals(api):
    path = "/processes/sop_b/instances"
    _error(api.post(path, "ft", json={"title": "x"}), 403, "forbidden")
    _error(api.post("/processes/sop_z/instances", "kabid", json={"title": "x"}), 404, "not_found")
    _error(api.post(path, "kabid", json={"title": "x", "version": 9}), 404, "not_found")
    for bad in (
        {},
        {"data": {}},
        {"title": 3},
        {"title": "x", "data": "tahun=2025"},
        {"title": "x", "version": True},
        {"title": "x", "version": 0},
        {"title": "x", "versi": 1},
        ["title"],
    ):
        _error(api.post(path, "kabid", json=bad), 422, "invalid")
    for raw in (b'{"title": "x"', b"title=x", b'{"title": NaN}', b"\xff\xfe{", b"[" * 100000):
        got = api.post(path, "kabid", data=raw, content_type="application/json")
        _error(got, 422, "invalid")


def test_instance_read_rule(api):
    instance = api.start()
    path = f"/instances/{instance['id']}"
    for reader in ("kabid", "auditor", "admin"):
        assert api.get(path, reader)[0] == 200
        assert api.get(path + "/history", reader)[0] == 200
    for stranger in ("tamu", "ft", "ft2", "fu"):  # no task of their role yet
        _error(api.get(path, stranger), 403, "forbidden")
        _error(api.get(path + "/history", stranger), 403, "forbidden")
    _run_to(api, instance, 5)  # fu completed step 3; a Fungsional Tertentu task is open
    for reader in ("fu", "ft", "ft2"):
        assert api.get(path, reader)[0] == 200
    _error(api.get(path, "tamu"), 403, "forbidden")
    _error(api.get("/instances/999", "admin"), 404, "not_found")
    _error(api.get("/instances/999/history", "admin"), 404, "not_found")


def test_history_lists_the_audit_trail(api):
    instance = api.start()
    (task,) = instance["open_tasks"]
    api.post(f"/tasks/{task['id']}/claim", "kabid")
    api.post(f"/tasks/{task['id']}/complete", "kabid", json={"note": "tim dibentuk"})
    status, body = api.get(f"/instances/{instance['id']}/history", "auditor")
    assert status == 200 and body["instance_id"] == instance["id"]
    events = body["events"]
    kinds = [e["kind"] for e in events]
    assert kinds == ["started", "task_created", "claimed", "completed", "task_created"]
    assert all(e["actor"] == "kabid" and e["at"] for e in events)
    completed = events[3]
    assert (completed["step_no"], completed["task_id"]) == (1, task["id"])
    assert completed["data"]["note"] == "tim dibentuk"


# -- inbox and tasks ------------------------------------------------------------------------
def test_inbox_shows_my_roles_tasks_with_filters(api, alur):
    instance = api.start()
    (task,) = instance["open_tasks"]
    assert [t["id"] for t in api.inbox("kabid")] == [task["id"]]
    assert api.inbox("ft") == [] and api.inbox("admin") == []
    assert len(api.inbox("kabid", unclaimed="true")) == 1
    assert api.inbox("kabid", mine="true") == []
    assert api.inbox("kabid", process="sop_a") == []
    assert len(api.inbox("kabid", process="sop_b")) == 1
    api.post(f"/tasks/{task['id']}/claim", "kabid")
    assert [t["claimed_by"] for t in api.inbox("kabid", mine="1")] == ["kabid"]
    assert api.inbox("kabid", unclaimed="true") == []
    assert api.inbox("kabid", overdue="true") == []
    with alur.session() as s:
        s.execute(update(HumanTask).values(due_at=utcnow() - timedelta(days=1)))
    (late,) = api.inbox("kabid", overdue="true")
    assert late["overdue"] is True
    assert api.inbox("kabid", overdue="false") == []
    _error(api.get("/tasks", "kabid", query_string={"overdue": "kadang"}), 422, "invalid")


def test_the_api_reads_the_engine_clock(api, alur, clock):
    """The app's engine is built with the test's clock: stopping it moves "overdue" in the API."""
    (task,) = api.start("sop_b")["open_tasks"]
    due = alur.task(task["id"]).due_at
    clock.now = due - timedelta(minutes=1)
    assert api.inbox("kabid", overdue="true") == []
    clock.now = due + timedelta(minutes=1)
    (late,) = api.inbox("kabid", overdue="true")
    assert late["overdue"] is True


def test_claim_and_its_refusals(api):
    task = _run_to(api, api.start(), 5)
    claim = f"/tasks/{task['id']}/claim"
    _error(api.post(claim, "kabid"), 403, "forbidden")
    status, body = api.post(claim, "ft")
    assert status == 200 and body["task"]["claimed_by"] == "ft" and body["task"]["claimed_at"]
    assert api.post(claim, "ft")[0] == 200  # claiming again is harmless
    assert "ft" in _error(api.post(claim, "ft2"), 409, "conflict")
    assert api.inbox("ft2") == []  # claimed by someone else: gone from their inbox
    _error(api.post(f"/tasks/{task['id']}/complete", "ft2", json={}), 403, "forbidden")
    _error(api.post("/tasks/999/claim", "ft"), 404, "not_found")


def test_engine_errors_carry_their_message_key(api):
    """The class-level code, the Indonesian message as before, and the message's stable key."""
    task = _run_to(api, api.start(), 5)
    claim = f"/tasks/{task['id']}/claim"
    api.post(claim, "ft")
    status, body = api.post(claim, "ft2")
    assert status == 409 and body["error"] == {
        "code": "conflict",
        "key": "task_claimed",
        "message": f"tugas {task['id']} sudah diambil oleh ft",
    }
    status, body = api.post(f"/tasks/{task['id']}/complete", "ft2", json={})
    assert (status, body["error"]["key"]) == (403, "task_claimed_by_other")
    assert api.post("/tasks/999/claim", "ft")[1]["error"]["key"] == "task_missing"
    assert api.get("/tasks", "kabid", query_string={"overdue": "x"})[1]["error"]["key"] == (
        "flag_invalid"
    )


def test_complete_refusals(api):
    instance = api.start()
    (first,) = instance["open_tasks"]
    done = f"/tasks/{first['id']}/complete"
    _error(api.post(done, "ft", json={}), 403, "forbidden")
    _error(api.post(done, "kabid", json={"decision": "Ya"}), 422, "invalid")  # not a decision
    _error(api.post(done, "kabid", json={"checklist": {"SK Tim": 1}}), 422, "invalid")
    _error(api.post(done, "kabid", data=b"{oops", content_type="application/json"), 422, "invalid")
    _error(api.post(done, "kabid", json={"keputusan": "Ya"}), 422, "invalid")
    assert api.post(done, "kabid", json={"checklist": {"SK Tim": True}})[0] == 200
    twice = _error(api.post(done, "kabid", json={}), 409, "conflict")  # who and when
    assert re.search(r"diselesaikan oleh kabid pada \d\d-\d\d-\d{4} \d\d:\d\d", twice)
    _error(api.post(f"/tasks/{first['id']}/claim", "kabid"), 409, "conflict")
    _error(api.post("/tasks/999/complete", "kabid", json={}), 404, "not_found")

    review = _run_to(api, instance, 8)
    assert review["question"] == "Draft laporan sudah benar?"
    done = f"/tasks/{review['id']}/complete"
    _error(api.post(done, "subkoor", json={}), 422, "invalid")  # a decision needs Ya or Tidak
    _error(api.post(done, "subkoor", json={"decision": "Mungkin"}), 422, "invalid")
    message = _error(api.post(done, "subkoor", json={"decision": "Tidak"}), 422, "invalid")
    assert "alasan" in message
    _error(api.post(done, "subkoor", json={"decision": "Tidak", "note": "  "}), 422, "invalid")
    assert api.inbox("subkoor")[0]["id"] == review["id"]  # nothing of the refused tries stuck


def test_whole_sop_b_through_the_api_with_one_tidak(api):
    """Start, then each step from its role's inbox: claim, complete; Tidak once at step 8."""
    instance = api.start(title="Monev Renja 2025")
    open_tasks, visited, finished = instance["open_tasks"], [], False
    while not finished:
        (task,) = open_tasks
        user = HOLDER[task["role"]]
        assert task["id"] in [t["id"] for t in api.inbox(user, process="sop_b", unclaimed="true")]
        for other in set(HOLDER.values()) - {user}:
            assert task["id"] not in [t["id"] for t in api.inbox(other)]
        status, claimed = api.post(f"/tasks/{task['id']}/claim", user)
        assert status == 200 and claimed["task"]["claimed_by"] == user
        body = {"data": {f"langkah_{task['step_no']}": "selesai"}, "note": "ok"}
        if task["question"]:
            tidak = task["step_no"] == 8 and 8 not in visited
            body |= {"decision": "Tidak", "note": "Data lapangan kurang"} if tidak else {}
            body.setdefault("decision", "Ya")
        status, result = api.post(f"/tasks/{task['id']}/complete", user, json=body)
        assert status == 200, result
        assert result["task"]["state"] == "completed" and result["task"]["completed_by"] == user
        assert result["task"]["decision"] == body.get("decision")
        visited.append(task["step_no"])
        open_tasks, finished = result["next"], result["finished"]
        if task["step_no"] == 8 and body["decision"] == "Tidak":
            (back,) = open_tasks
            assert back["step_no"] == 7 and back["role"] == "fungsional tertentu"
            assert back["returned"]["reason"] == "Data lapangan kurang"
            assert back["returned"]["by"] == "subkoor"
    assert visited == [1, 2, 3, 4, 5, 6, 7, 8, 7, 8, 9, 10, 11]
    assert result["instance"] == {
        "id": instance["id"],
        "title": "Monev Renja 2025",
        "state": "completed",
    }
    assert result["next"] == []
    status, done = api.get(f"/instances/{instance['id']}", "auditor")
    assert done["state"] == "completed" and done["ended_at"] and done["open_tasks"] == []
    status, history = api.get(f"/instances/{instance['id']}/history", "kaban")
    kinds = [e["kind"] for e in history["events"]]
    assert kinds.count("completed") == 13 and kinds.count("claimed") == 13
    assert kinds.count("sent_back") == 1 and kinds[-1] == "finished"


# -- the OpenAPI document -------------------------------------------------------------------
def _refs(node):
    if isinstance(node, dict):
        yield from ([node["$ref"]] if "$ref" in node else [])
        for value in node.values():
            yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def test_openapi_describes_exactly_the_registered_api_routes(api, app):
    response = api.client.get("/api/v1/openapi.json")  # no token needed
    assert response.status_code == 200
    doc = response.get_json()
    assert doc["openapi"].startswith("3.1")
    registered = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/"):
            path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)
            registered |= {(m.lower(), path) for m in rule.methods - {"HEAD", "OPTIONS"}}
    documented = {(method, path) for path, ops in doc["paths"].items() for method in ops}
    assert registered == documented
    for path, ops in doc["paths"].items():
        for method, op in ops.items():
            names = {p["name"] for p in op.get("parameters", []) if p["in"] == "path"}
            assert names == set(re.findall(r"{(\w+)}", path)), (method, path)
            if path != "/api/v1/openapi.json":
                assert "401" in op["responses"] and op.get("security") is None
    assert doc["components"]["securitySchemes"]["bearer"] == {"type": "http", "scheme": "bearer"}
    for ref in set(_refs(doc)):
        node = doc
        for part in ref.removeprefix("#/").split("/"):
            node = node[part]
    errors = doc["components"]["schemas"]["Error"]
    assert errors["properties"]["error"]["required"] == ["code", "message"]


def test_send_back_through_the_api_needs_a_reason_and_no_checklist(api):
    instance = api.start(title="Monev Renja 2025")
    review = _run_to(api, instance, 8)
    done = f"/tasks/{review['id']}/complete"
    message = _error(
        api.post(done, "subkoor", json={"decision": "Tidak", "note": ""}), 422, "invalid"
    )
    assert "alasan" in message
    status, body = api.post(done, "subkoor", json={"decision": "Tidak", "note": "Data kurang"})
    assert status == 200, body  # no checklist sent at all
    assert body["task"]["decision"] == "Tidak"
    (back,) = body["next"]
    assert back["step_no"] == 7 and back["returned"]["reason"] == "Data kurang"


def test_a_draft_through_the_api_is_saved_read_and_gone_after_completion(api):
    instance = api.start(title="Monev Renja 2025")
    (task,) = instance["open_tasks"]
    url = f"/tasks/{task['id']}/draft"
    assert api.get(url, "kabid") == (200, {"draft": None})
    draft = {"note": "separuh", "checked": [0], "gaps": {"1": "belum ada"}}
    status, body = api.call("PUT", url, "kabid", json=draft)
    assert status == 200 and body["draft"] == draft | {"decision": ""}, body
    status, body = api.get(url, "kabid")
    assert status == 200 and body["draft"]["note"] == "separuh"
    assert api.get(url, "fu")[0] == 403  # not a task of the Fungsional Umum
    too_long = {"note": "x" * 4001}  # the API's note cap (2,000) speaks before the draft's own
    status, body = api.call("PUT", url, "kabid", json=too_long)
    assert status == 422 and body["error"]["key"] == "field_too_long"
    status, body = api.call("PUT", url, "kabid", json={"checked": list(range(201))})
    assert status == 422 and body["error"]["key"] == "task_draft_invalid"
    assert api.get(url, "kabid")[1]["draft"]["note"] == "separuh"  # the refused one changed nothing
    assert api.post(f"/tasks/{task['id']}/complete", "kabid", json={})[0] == 200
    assert api.call("PUT", url, "kabid", json=draft)[0] == 409
    assert api.get(url, "kabid") == (200, {"draft": None})
