"""Files as Camunda Modeler 5 saves them (tests/data/editors: Camunda 7 and Camunda 8 flavours,
with forms, JUEL and FEEL conditions, ISO timers as written, DMN tables, a call activity and a
collaboration of two executable pools) deploy in one folder deploy and run to their end."""

from __future__ import annotations

from datetime import timedelta

import pytest

from engine.inbox import InboxFilter
from engine.runtime.lifecycle import Completion
from tests.engine.helpers import ADMIN, ROOT

EDITORS = ROOT / "tests" / "data" / "editors"
KEYS = {
    "disposisi_surat",
    "pengajuan_cuti",
    "permohonan_izin",
    "surat_masuk",
    "verifikasi_berkas",
}


@pytest.fixture
def deployed(alur):
    results = alur.deploy([EDITORS], ADMIN)
    assert {r.definition.key for r in results} == KEYS and all(r.created for r in results)
    for key, lane, user in [
        ("pengajuan_cuti", "Pegawai", "pegawai"),
        ("pengajuan_cuti", "Kepala Bidang", "kabid_cuti"),
        ("pengajuan_cuti", "Kepala Badan", "kaban"),
        ("surat_masuk", "Sekretariat", "sekretariat"),
        ("permohonan_izin", "Staf Pelayanan", "loket"),
        ("permohonan_izin", "Kepala Dinas", "kadis_izin"),
        ("verifikasi_berkas", "Verifikator", "verif"),
    ]:
        alur.add_user(user, [alur.roles.role(key, lane)])
    return alur


def one_task(alur, instance_id: int):
    (task,) = alur.tasks(flt=InboxFilter(instance_id=instance_id))
    return task


def walk(alur, instance_id: int, steps: list[tuple[str, str, str, dict]]) -> None:
    """Complete the open task named in each step (name, lane, by whom, form data) in turn."""
    for name, lane, user, data in steps:
        task = one_task(alur, instance_id)
        assert (task.name, task.lane) == (name, lane)
        alur.complete(task.id, user, Completion(data=data))
    assert alur.tasks(flt=InboxFilter(instance_id=instance_id)) == []
    assert alur.instance(instance_id).state == "completed"


@pytest.mark.parametrize(
    ("lama", "jenis", "approver", "lane"),
    [
        (2, "tahunan", "kabid_cuti", "Kepala Bidang"),
        (5, "tahunan", "kaban", "Kepala Badan"),
        (1, "besar", "kaban", "Kepala Badan"),
    ],
)
def test_camunda_7_leave_request_goes_where_its_decision_table_says(
    deployed, lama, jenis, approver, lane
):
    alur = deployed
    instance = alur.start("pengajuan_cuti", "pegawai")
    task = one_task(alur, instance.id)
    assert [f.id for f in alur.task_page(task.id, "pegawai").fields] == [
        "lama_cuti",
        "jenis_cuti",
        "mulai_cuti",
    ]
    form = {"lama_cuti": str(lama), "jenis_cuti": jenis, "mulai_cuti": "2026-12-21"}
    alur.complete(task.id, "pegawai", Completion(data=form))
    approval = one_task(alur, instance.id)
    assert approval.lane == lane
    (decided,) = [e for e in alur.history(instance.id) if e.kind == "decided"]
    assert decided.data["decision_id"] == "cuti_penyetuju"
    assert decided.data["result"] == ("kabid" if lane == "Kepala Bidang" else "kaban")
    waking = alur.instance(instance.id).next_wakeup_at
    if lane == "Kepala Badan":  # the reminder timer, written P3D, is armed on the approval
        assert waking is not None
        assert timedelta(days=3) - timedelta(minutes=1) < waking - approval.created_at
    else:
        assert waking is None
    walk(alur, instance.id, [(approval.name, lane, approver, {})])


def test_camunda_7_call_activity_runs_the_called_process(deployed):
    alur = deployed
    instance = alur.start("permohonan_izin", "loket")
    walk(
        alur,
        instance.id,
        [
            ("Menerima permohonan", "Staf Pelayanan", "loket", {"nama_pemohon": "Budi"}),
            ("Memeriksa kelengkapan berkas", "Verifikator", "verif", {"lengkap": "true"}),
            ("Menerbitkan izin", "Kepala Dinas", "kadis_izin", {}),
        ],
    )


@pytest.mark.parametrize(
    ("asal", "disposisi"),
    [("Bupati", True), ("Dinas Kesehatan", False)],
)
def test_camunda_8_collaboration_runs_its_decision_feel_condition_and_call(
    deployed, asal, disposisi
):
    alur = deployed
    alur.add_user("kaban_surat", [alur.roles.role("disposisi_surat", "Kepala Badan")])
    instance = alur.start("surat_masuk", "sekretariat", data={"asal_surat": asal})
    catat = one_task(alur, instance.id)
    assert alur.task_page(catat.id, "sekretariat").fields == ()  # zeebe:userTask, no form
    alur.complete(catat.id, "sekretariat")
    (decided,) = [e for e in alur.history(instance.id) if e.kind == "decided"]
    assert decided.data["result"] == ("penting" if disposisi else "biasa")  # one value (C8)
    steps = [("Mengarsipkan surat", "Sekretariat", "sekretariat", {})]
    if disposisi:
        beri = one_task(alur, instance.id)
        assert alur.instance(instance.id).next_wakeup_at is not None  # P2D reminder armed
        assert [t.id for t in alur.inbox("kaban_surat")] == [beri.id]
        steps.insert(0, ("Memberi disposisi", "Kepala Badan", "kaban_surat", {}))
    walk(alur, instance.id, steps)


def test_the_second_executable_pool_runs_as_a_process_of_its_own(deployed):
    alur = deployed
    alur.add_user("kaban_surat", [alur.roles.role("disposisi_surat", "Kepala Badan")])
    definition = alur.definition("disposisi_surat")
    assert (definition.name, definition.filename) == ("Disposisi surat", "surat_masuk.bpmn")
    instance = alur.start("disposisi_surat", "kaban_surat")
    walk(alur, instance.id, [("Memberi disposisi", "Kepala Badan", "kaban_surat", {})])


def test_deploying_the_same_folder_again_adds_no_version(deployed):
    again = deployed.deploy([EDITORS], ADMIN)
    assert {r.definition.key for r in again} == KEYS and not any(r.created for r in again)
