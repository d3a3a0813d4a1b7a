"""Migrating, suspending and resuming instances through /api/v1 (analysts and admins only)."""

from __future__ import annotations

from tests.engine import migration_edits
from tests.webui.api.conftest import BPMN_DIR


def _version_2(alur) -> int:
    source = (BPMN_DIR / "sop_b.bpmn").read_bytes()
    changed = migration_edits.set_waktu(source, "Langkah_3", "3 Hari Kerja")
    (deployed,) = alur.deploy_sources([("sop_b.bpmn", changed)], "lead")
    return deployed.definition.version


def test_a_dry_run_changes_nothing_and_the_real_run_moves_the_instance(api, alur):
    started = api.start()
    v2 = _version_2(alur)
    request = {"from": 1, "to": v2, "instances": [started["id"]], "dry_run": True}

    status, body = api.post("/processes/sop_b/migrations", "admin", json=request)
    assert status == 200, body
    (result,) = body["results"]
    assert (body["dry_run"], result["instance"], result["status"]) == (
        True,
        started["id"],
        "migratable",
    )
    assert [t["action"] for t in result["tasks"]] == ["kept"]
    assert api.get(f"/instances/{started['id']}", "admin")[1]["process"]["version"] == 1

    request |= {"dry_run": False, "note": "Waktu langkah 3 direvisi"}
    status, body = api.post("/processes/sop_b/migrations", "admin", json=request)
    assert status == 200, body
    assert [r["status"] for r in body["results"]] == ["migrated"]
    assert api.get(f"/instances/{started['id']}", "admin")[1]["process"]["version"] == v2


def test_only_analysts_and_admins_migrate_suspend_and_resume(api, alur):
    started = api.start()
    v2 = _version_2(alur)
    status, body = api.post("/processes/sop_b/migrations", "kabid", json={"from": 1, "to": v2})
    assert status == 403 and body["error"]["key"] == "migrate_forbidden"
    assert api.post(f"/instances/{started['id']}/suspend", "kabid")[0] == 403
    assert api.post(f"/instances/{started['id']}/resume", "kabid")[0] == 403


def test_suspend_and_resume(api):
    started = api.start()
    path = f"/instances/{started['id']}"
    status, body = api.post(path + "/suspend", "admin", json={"note": "Menunggu revisi SOP"})
    assert (status, body["state"]) == (200, "suspended")
    status, body = api.post(path + "/suspend", "admin")
    assert status == 409, body
    status, body = api.post(path + "/resume", "admin", json={})
    assert (status, body["state"]) == (200, "running")


def test_a_malformed_migration_request_is_a_422(api):
    for bad in ({"from": 1}, {"from": 1, "to": 2, "instances": ["x"]}, {"from": 1, "to": 1}):
        status, body = api.post("/processes/sop_b/migrations", "admin", json=bad)
        assert status == 422, (bad, body)
