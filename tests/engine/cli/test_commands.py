"""The engine CLI end to end: deploy, users, start, inbox, complete SOP A, history, cancel."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from engine.alur import Alur
from engine.bpmn.reader import read_bpmn
from engine.cli import main
from engine.roles import normalise
from engine.storage.tables import ApiToken
from engine.users import check_password, token_hash
from tests.conftest import BPMN_DIR, DATA, sop_path

INVALID = DATA / "invalid" / "dangling_reference.bpmn"
KEYS = ["sop_a", "sop_b", "sop_c_1", "sop_c_2", "sop_c_3", "sop_d"]
KABID = "Kabid Pemerintahan dan Sosial Budaya"
STAFF = {  # user -> the SOP A lane they hold, written as the SOP writes it
    "kabid": KABID,
    "subkor": "Sub. Koordinator Pemerintahan",
    "jft": "Fungsional Tertentu",
    "jfu": "Fungsional Umum",
    "kaban": "Kepala Badan",
}


def as_json(result):
    return json.loads(result.stdout)


@pytest.fixture
def office(engine_cli):
    """The six SOPs deployed and one user per SOP A lane; returns the runner."""
    engine_cli("deploy", BPMN_DIR, "--user", "analis")
    for name, lane in STAFF.items():
        engine_cli("users", "add", name, "--role", lane, "--full-name", name.title())
    return engine_cli


def holder(role: str) -> str:
    """The user holding a (normalised) role."""
    return next(name for name, lane in STAFF.items() if normalise(lane) == role)


def open_tasks(cli, instance: int) -> list[dict]:
    return as_json(cli("tasks", "--instance", instance, "--json"))


def test_db_upgrade_twice_is_fine(engine_cli):
    assert "basis data mutakhir" in engine_cli("db", "upgrade").output


def test_commands_before_db_upgrade_say_so(cli_env):
    result = CliRunner().invoke(main, ["processes"])
    assert result.exit_code == 1
    assert "alur db upgrade" in result.output


def test_deploy_folder_then_again_adds_no_version(engine_cli):
    first = engine_cli("deploy", BPMN_DIR).stdout.splitlines()
    assert first == [f"{key}: versi 1 (baru)" for key in KEYS]
    again = engine_cli("deploy", BPMN_DIR).stdout.splitlines()
    assert again == [f"{key}: versi 1 (tidak berubah)" for key in KEYS]
    listed = as_json(engine_cli("processes", "--json"))
    assert [(p["key"], p["version"]) for p in listed] == [(key, 1) for key in KEYS]
    assert listed[0]["code"] == "A" and listed[0]["steps"] == 14
    assert "sop_a    1      A" in engine_cli("processes").stdout


@pytest.mark.parametrize("extra", [[], [BPMN_DIR]], ids=["alone", "with-valid-files"])
def test_deploy_invalid_file_deploys_nothing(engine_cli, extra):
    result = engine_cli("deploy", *extra, INVALID, code=1)
    assert f"{INVALID}:44: [Flow_2] targetRef 'Task_9'" in result.stderr
    assert "Error: 1 masalah; tidak ada yang diterbitkan" in result.stderr
    assert as_json(engine_cli("processes", "--json")) == []


def test_users_add_with_lane_names_and_list(office):
    users = {u["username"]: u for u in as_json(office("users", "list", "--json"))}
    assert users["kabid"]["roles"] == ["kabid pemerintahan dan sosial budaya"]
    assert users["subkor"]["roles"] == ["sub koordinator pemerintahan"]
    assert users["kabid"]["full_name"] == "Kabid" and not users["kabid"]["is_admin"]
    result = office("users", "add", "kabid", "--role", "Kepala Badan", "--admin")
    assert (
        result.stdout.strip() == "kabid (admin): kabid pemerintahan dan sosial budaya, kepala badan"
    )
    typo = office("users", "add", "tamu", "--role", "Kabid Pemerintahan dan Sosbud")
    assert "tidak dipakai lajur SOP mana pun" in typo.stderr


def test_users_add_a_new_admin_without_roles(engine_cli):
    result = engine_cli("users", "add", "boss", "--admin", "--password-stdin", input="rahasia\n")
    assert result.stdout.strip() == "boss (admin): -"


@pytest.mark.parametrize(
    ("flag", "typed"), [("--password-stdin", "rahasia\n"), ("--password", "rahasia\nrahasia\n")]
)
def test_users_add_password(engine_cli, flag, typed):
    engine_cli("users", "add", "kabid", "--role", KABID, flag, input=typed)
    app = Alur()
    try:
        assert check_password(app.user("kabid"), "rahasia")
    finally:
        app.db.dispose()
    both = engine_cli("users", "add", "x", "--password", "--password-stdin", code=2)
    assert "pilih salah satu" in both.stderr


def test_users_token_is_printed_once_and_stored_hashed(office):
    result = office("users", "token", "kabid", "--label", "skrip")
    token = result.stdout.strip()
    assert token.startswith("alur_") and "tidak akan ditampilkan lagi" in result.stderr
    app = Alur()
    try:
        with app.session() as s:
            row = s.scalar(select(ApiToken))
            assert (row.token_hash, row.name, row.user.username) == (
                token_hash(token),
                "skrip",
                "kabid",
            )
    finally:
        app.db.dispose()
    assert "tidak ada" in office("users", "token", "nobody", code=1).stderr


def test_start_inbox_and_claim(office):
    started = as_json(
        office("start", "sop_a", "--user", "kabid", "--title", "Renja 2027", "--json")
    )
    assert (started["state"], started["title"], started["version"]) == ("running", "Renja 2027", 1)
    [first] = started["tasks"]
    assert (first["step_no"], first["role"]) == (1, "kabid pemerintahan dan sosial budaya")
    inbox = as_json(office("tasks", "--user", "kabid", "--json"))
    assert [t["id"] for t in inbox] == [first["id"]]
    assert inbox[0]["due_at"].endswith("+00:00") and inbox[0]["overdue"] is False
    assert as_json(office("tasks", "--user", "jft", "--json")) == []
    assert as_json(office("tasks", "--role", KABID, "--json"))[0]["id"] == first["id"]
    assert as_json(office("tasks", "--overdue", "--json")) == []
    assert office("claim", first["id"], "--user", "kabid").stdout.strip() == (
        f"tugas {first['id']} diambil oleh kabid"
    )
    assert open_tasks(office, started["id"])[0]["claimed_by"] == "kabid"
    human = office("tasks", "--user", "kabid").stdout.splitlines()
    assert (
        human[0].startswith("id  SOP    instans  langkah  kegiatan") and "diambil oleh" in human[0]
    )
    assert "Mengidentifikasi Isu Strategis Daerah, …" in human[1] and human[1].endswith("kabid")
    office("unclaim", first["id"], "--user", "kabid")
    assert open_tasks(office, started["id"])[0]["claimed_by"] is None
    office("users", "add", "kabid2", "--role", KABID)
    refused = office("reassign", first["id"], "--to", "kabid", "--user", "jft", code=1)
    assert "hanya Kabid atau admin" in refused.stderr
    office("reassign", first["id"], "--to", "kabid2", "--user", "kabid")
    assert open_tasks(office, started["id"])[0]["claimed_by"] == "kabid2"


def test_start_needs_the_first_lanes_role(office):
    result = office("start", "sop_a", "--user", "jft", code=1)
    assert "Error: jft tidak boleh memulai A" in result.stderr


def test_complete_sop_a_with_a_send_back_file_and_history(office, tmp_path):
    sop = read_bpmn(sop_path("A"))
    decisions = {s.no for s in sop.steps if s.decision}
    instance = as_json(office("start", "sop_a", "--user", "kabid", "--json"))["id"]
    first = open_tasks(office, instance)[0]
    refused = office("complete", first["id"], "--user", "jft", code=1)
    assert "tidak memegang peran 'kabid pemerintahan dan sosial budaya'" in refused.stderr
    notulen = tmp_path / "notulen.txt"
    notulen.write_text("hasil rapat", encoding="utf-8")
    visited, sent_back = [], False
    while tasks := open_tasks(office, instance):
        [task] = tasks
        step, user = task["step_no"], holder(task["role"])
        visited.append(step)
        office("claim", task["id"], "--user", user)
        args = ["complete", task["id"], "--user", user, "--check", "1=ok"]
        send_back = step == 12 and not sent_back
        if send_back:
            args += ["--decision", "tidak", "--note", "paraf belum lengkap"]
        elif step in decisions:
            args += ["--decision", "ya"]
        if step == 14:
            args += ["--file", notulen]
        result = office(*args)
        if send_back:
            sent_back = True
            back = open_tasks(office, instance)[0]
            assert back["step_no"] == 10
            returned = back["data"]["dikembalikan"]
            assert (returned["from_step"], returned["reason"]) == (12, "paraf belum lengkap")
            assert result.stdout.startswith(f"tugas {task['id']} selesai: Tidak")
    assert visited == [*range(1, 13), 10, 11, 12, 13, 14]
    assert result.stdout.splitlines()[-1] == f"instans {instance} selesai"

    [done] = as_json(office("instances", "--state", "completed", "--json"))
    assert (done["id"], done["state"], done["process_key"]) == (instance, "completed", "sop_a")
    assert as_json(office("instances", "--state", "running", "--json")) == []
    events = as_json(office("history", instance, "--json"))
    kinds = [e["kind"] for e in events]
    for kind in ("started", "task_created", "claimed", "completed", "sent_back", "file_attached"):
        assert kind in kinds
    assert kinds[-1] == "finished"
    attached = next(e for e in events if e["kind"] == "file_attached")
    assert (attached["step_no"], attached["data"]["name"]) == (14, "notulen.txt")
    completed_1 = next(e for e in events if e["kind"] == "completed")
    kelengkapan = sop.steps[0].kelengkapan[0]
    assert completed_1["data"]["checklist"] == {kelengkapan: True}
    assert events[0]["at"].endswith("+00:00")
    human = office("history", instance).stdout
    assert "dikembalikan" in human and "paraf belum lengkap" in human and "notulen.txt" in human


def test_decision_step_needs_a_decision_and_tidak_a_note(office):
    instance = as_json(office("start", "sop_a", "--user", "kabid", "--json"))["id"]
    while (task := open_tasks(office, instance)[0])["step_no"] != 11:
        office("complete", task["id"], "--user", holder(task["role"]))
    assert "pilih Ya atau Tidak" in office("complete", task["id"], "-u", "subkor", code=1).stderr
    result = office("complete", task["id"], "-u", "subkor", "--decision", "tidak", code=1)
    assert "wajib disertai alasan" in result.stderr
    office("complete", task["id"], "-u", "subkor", "--decision", "tidak", "--note", "salah ketik")
    assert open_tasks(office, instance)[0]["step_no"] == 10


def test_complete_rejects_bad_check_and_data(office):
    instance = as_json(office("start", "sop_a", "--user", "kabid", "--json"))["id"]
    task = open_tasks(office, instance)[0]["id"]
    assert "ITEM=ok" in office("complete", task, "-u", "kabid", "--check", "1", code=2).stderr
    assert "objek JSON" in office("complete", task, "-u", "kabid", "--data", "[1]", code=2).stderr
    office("complete", task, "-u", "kabid", "--data", '{"nomor": "12"}', "--check", "x=kurang")
    completed = [
        e for e in as_json(office("history", instance, "--json")) if e["kind"] == "completed"
    ]
    assert completed[0]["data"]["checklist"] == {"x": "kurang"}
    assert completed[0]["data"]["data"] == {"nomor": "12"}


def test_cancel_requires_a_reason(office):
    instance = as_json(office("start", "sop_a", "--user", "kabid", "--json"))["id"]
    assert "--reason" in office("cancel", instance, "--user", "kabid", code=2).output
    blank = office("cancel", instance, "--user", "kabid", "--reason", " ", code=1)
    assert "Error: alasan pembatalan wajib diisi" in blank.stderr
    assert as_json(office("instances", "--json"))[0]["state"] == "running"
    office("cancel", instance, "--user", "kabid", "--reason", "salah SOP")
    [cancelled] = as_json(office("instances", "--json"))
    assert (cancelled["state"], cancelled["cancel_reason"]) == ("cancelled", "salah SOP")
    assert open_tasks(office, instance) == []
    assert as_json(office("history", instance, "--json"))[-1]["kind"] == "cancelled"
    assert (
        "sudah cancelled"
        in office("cancel", instance, "-u", "kabid", "--reason", "x", code=1).stderr
    )


def test_unknown_ids_are_errors(office):
    assert (
        office("claim", 99, "--user", "kabid", code=1).stderr.strip() == "Error: tugas 99 tidak ada"
    )
    assert "instans 99 tidak ada" in office("history", 99, code=1).stderr
    assert "proses nope tidak ada" in office("start", "nope", "--user", "kabid", code=1).stderr


def test_db_rebuild_analytics_sums_them_anew(office, cli_env):
    """Sums lost (rows restored around the engine) come back from the tasks."""
    from engine.storage.tables import AnalyticsTotal

    office("start", "sop_a", "--title", "Rapat", "--user", "kabid")
    office("users", "add", "insp", "--role", "auditor")
    alur = Alur()
    before = alur.analytics("sop_a", "insp")
    with alur.session() as s:
        s.execute(AnalyticsTotal.__table__.delete())
    assert alur.analytics("sop_a", "insp").started == 0
    assert office("db", "rebuild-analytics").output == "analitik dihitung ulang: 1 instans\n"
    after = alur.analytics("sop_a", "insp")
    assert after.started == 1 and after.steps == before.steps
