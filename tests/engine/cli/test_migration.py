"""alur migrate / suspend / resume: one line per instance, JSON on request, refusals exit 1."""

from __future__ import annotations

import json

import pytest

from tests.conftest import BPMN_DIR
from tests.engine import migration_edits

KABID = "Kabid Pemerintahan dan Sosial Budaya"


@pytest.fixture
def office(engine_cli, tmp_path):
    """SOP B deployed twice (version 2 inserts a step after step 1), an analyst, a Kabid."""
    engine_cli("deploy", BPMN_DIR / "sop_b.bpmn", "--user", "analis")
    changed = tmp_path / "sop_b.bpmn"
    source = (BPMN_DIR / "sop_b.bpmn").read_bytes()
    changed.write_bytes(migration_edits.insert_after(source, "Langkah_1", "Cek_DPA", "Cek DPA", 12))
    engine_cli("deploy", changed, "--user", "analis")
    engine_cli("users", "add", "analis", "--role", "analis")
    engine_cli("users", "add", "kabid", "--role", KABID)
    return engine_cli


def _start(cli, steps_done: int) -> int:
    started = json.loads(cli("start", "sop_b", "--user", "kabid", "--version", 1, "--json").stdout)
    for _ in range(steps_done):
        (task,) = json.loads(cli("tasks", "--instance", started["id"], "--json").stdout)
        cli("complete", task["id"], "--user", "kabid")
    return started["id"]


def test_migrate_dry_run_then_for_real_one_line_per_instance(office):
    at_two, at_three = _start(office, 1), _start(office, 2)
    args = ["migrate", "--process", "sop_b", "--from", 1, "--to", 2, "--user", "analis"]
    dry = office(*args, "--dry-run", code=1).stdout.splitlines()
    assert dry[0] == f"instans {at_two}: dapat dipindahkan (versi 1 -> 2)"
    assert dry[1].startswith(f"instans {at_three}: ditolak (versi 1 -> 2): langkah yang sudah")
    planned = json.loads(office(*args, "--dry-run", "--instance", at_two, "--json").stdout)
    assert [(p["instance"], p["status"]) for p in planned] == [(at_two, "migratable")]

    done = office(*args, "--note", "SOP revisi 2027", code=1).stdout.splitlines()
    assert done[0] == f"instans {at_two}: dipindahkan (versi 1 -> 2)"
    assert "ditolak" in done[1]
    history = json.loads(office("history", at_two, "--json").stdout)
    (migrated,) = [e for e in history if e["kind"] == "migrated"]
    assert migrated["data"]["note"] == "SOP revisi 2027" and migrated["actor"] == "analis"
    (task,) = json.loads(office("tasks", "--instance", at_two, "--json").stdout)
    assert task["step_no"] == 12


def test_migrate_refuses_a_bad_mapping_and_a_plain_user(office):
    _start(office, 1)
    args = ["migrate", "--process", "sop_b", "--from", 1, "--to", 2]
    bad = office(*args, "--map", "Langkah_1", "--user", "analis", code=2)
    assert "LAMA=BARU" in bad.output
    unknown = office(*args, "--map", "Langkah_1=Tidak_Ada", "--user", "analis", code=1)
    assert "langkah 'Tidak_Ada' tidak ada di versi 2" in unknown.stderr
    forbidden = office(*args, "--user", "kabid", code=1)
    assert "hanya admin atau analis" in forbidden.stderr


def test_suspend_and_resume(office):
    instance = _start(office, 0)
    assert office("suspend", instance, "--user", "analis").stdout.strip() == (
        f"instans {instance} ditangguhkan"
    )
    (task,) = json.loads(office("tasks", "--instance", instance, "--json").stdout)
    refused = office("complete", task["id"], "--user", "kabid", code=1)
    assert "ditangguhkan" in refused.stderr
    assert "berjalan lagi" in office("resume", instance, "--user", "analis").stdout
    office("complete", task["id"], "--user", "kabid")
