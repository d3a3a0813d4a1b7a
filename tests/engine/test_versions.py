"""Deploying a changed SOP adds a version; running instances stay on the version they began on."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import event

from engine.bpmn.reader import read_bpmn
from engine.bpmn.writer import write_bpmn
from engine.errors import DeployError
from tests.engine.helpers import ADMIN, BPMN_DIR, complete_step, only_task, starter

KEY = "sop_a"
DATA = BPMN_DIR.parent / "tests" / "data"


def _changed(step_no: int, activity: str) -> bytes:
    """sop_a as the writer produces it after an analyst renamed one step's activity."""
    sop = read_bpmn(BPMN_DIR / "sop_a.bpmn")
    sop.step(step_no).activity = activity
    return write_bpmn(sop)


def _step_two_name(alur, instance_id: int) -> str:
    complete_step(alur, only_task(alur, instance_id))
    task = only_task(alur, instance_id)
    assert task.step_no == 2
    return task.name


def test_a_changed_file_is_version_two_and_old_instances_keep_version_one(alur):
    v1_name = alur.definition(KEY).sop["steps"][1]["activity"]
    v2_name = "Melaksanakan rapat persiapan asistensi (revisi 2026)"
    old = alur.start(KEY, starter(alur, KEY), title="sebelum revisi")

    (deployed,) = alur.deploy_sources([("sop_a.bpmn", _changed(2, v2_name))], ADMIN)
    assert deployed.created and deployed.definition.version == 2
    (again,) = alur.deploy_sources([("sop_a.bpmn", _changed(2, v2_name))], ADMIN)
    assert not again.created and again.definition.version == 2
    assert [d.version for d in alur.processes() if d.key == KEY] == [2, 1]
    assert alur.definition(KEY).version == 2

    new = alur.start(KEY, starter(alur, KEY), title="sesudah revisi")
    pinned = alur.start(KEY, starter(alur, KEY), title="versi 1", version=1)
    assert [alur.instance(i.id).definition.version for i in (old, new, pinned)] == [1, 2, 1]
    assert _step_two_name(alur, old.id) == v1_name
    assert _step_two_name(alur, new.id) == v2_name
    assert _step_two_name(alur, pinned.id) == v1_name


def test_a_folder_with_one_invalid_file_deploys_nothing(alur, tmp_path):
    folder = tmp_path / "proses"
    folder.mkdir()
    (folder / "sop_a.bpmn").write_bytes(_changed(3, "Langkah tiga yang diubah"))
    shutil.copy(DATA / "invalid" / "dangling_reference.bpmn", folder)
    before = [(d.key, d.version) for d in alur.processes()]

    with pytest.raises(DeployError) as refused:
        alur.deploy([folder], ADMIN)

    problems = refused.value.problems
    assert problems and {Path(p.file).name for p in problems} == {"dangling_reference.bpmn"}
    assert any("Task_9" in p.message for p in problems)
    assert [(d.key, d.version) for d in alur.processes()] == before
    assert alur.definition(KEY).version == 1

    (folder / "dangling_reference.bpmn").unlink()
    (deployed,) = alur.deploy([folder], ADMIN)
    assert deployed.created and deployed.definition.version == 2


def test_each_version_has_its_typed_sop_built_once(alur):
    v1 = alur.definition(KEY)
    assert v1.model.step(2).activity == v1.sop["steps"][1]["activity"]
    assert alur.definition(KEY, 1).model is v1.model  # another session, the same model
    (deployed,) = alur.deploy_sources([("sop_a.bpmn", _changed(2, "Rapat (revisi)"))], ADMIN)
    v2 = alur.definition(KEY)
    assert v2.version == 2 and v2.model.step(2).activity == "Rapat (revisi)"
    assert alur.definition(KEY, 1).model.step(2).activity == v1.sop["steps"][1]["activity"]


def test_the_process_list_reads_each_version_once_per_process(alur, make_alur):
    """A page lists the processes on every request: after the first read of a version, its
    BPMN, spec and SOP (tens of KB) come from the process's copy, not the database; a new
    version is read once when it appears, and another process sees the same rows."""
    sent: list[str] = []

    def listen(conn, cursor, statement, params, context, many):
        sent.append(statement)

    first = {(d.key, d.version): d.xml for d in alur.processes()}
    event.listen(alur.db, "before_cursor_execute", listen)
    again = {(d.key, d.version): (d.xml, d.name) for d in alur.processes()}
    newest = alur.definition(KEY)
    event.remove(alur.db, "before_cursor_execute", listen)
    assert {k: xml for k, (xml, _) in again.items()} == first
    assert newest.version == 1 and newest.xml == first[(KEY, 1)]
    assert sent and not [s for s in sent if "definitions.xml" in s]

    v2 = "Melaksanakan rapat persiapan asistensi (revisi 2026)"
    alur.deploy_sources([("sop_a.bpmn", _changed(2, v2))], ADMIN)
    listed = [d for d in alur.processes() if d.key == KEY]
    assert [d.version for d in listed] == [2, 1]
    assert listed[0].sop["steps"][1]["activity"] == v2
    other = make_alur()  # another server's process: reads the rows itself
    assert [(d.key, d.version, d.xml) for d in other.processes()] == [
        (d.key, d.version, d.xml) for d in alur.processes()
    ]
