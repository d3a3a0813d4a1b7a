"""Call activities: a process calls another deployed process by key, which runs inside the
instance with its own lanes (roles), forms and steps; what deploy refuses of them."""

from __future__ import annotations

import pytest

from engine.errors import DeployError
from engine.inbox import InboxFilter
from engine.runtime.lifecycle import Completion
from engine.storage.tables import HumanTask
from tests.engine.helpers import ADMIN, ROOT

EDITORS = ROOT / "tests" / "data" / "editors"
CALLER = (EDITORS / "permohonan_izin.bpmn").read_bytes()
CALLED = (EDITORS / "verifikasi_berkas.bpmn").read_bytes()


def people(alur) -> None:
    alur.add_user("loket", [alur.roles.role("permohonan_izin", "Staf Pelayanan")])
    alur.add_user("verif", [alur.roles.role("verifikasi_berkas", "Verifikator")])
    alur.add_user("kadis_izin", [alur.roles.role("permohonan_izin", "Kepala Dinas")])


def run_to_the_call(alur):
    instance = alur.start("permohonan_izin", "loket")
    (task,) = alur.tasks(flt=InboxFilter(instance_id=instance.id))
    alur.complete(task.id, "loket", Completion(data={"nama_pemohon": "Budi"}))
    (called,) = alur.tasks(flt=InboxFilter(instance_id=instance.id))
    return instance, called


@pytest.mark.parametrize("together", [True, False])
def test_the_called_process_runs_its_tasks_in_its_own_lanes(alur, together):
    if together:  # in one deploy, in any order: the called process is deployed first
        alur.deploy_sources([("permohonan_izin.bpmn", CALLER), ("verifikasi.bpmn", CALLED)], ADMIN)
    else:
        alur.deploy_sources([("verifikasi.bpmn", CALLED)], ADMIN)
        alur.deploy_sources([("permohonan_izin.bpmn", CALLER)], ADMIN)
    people(alur)
    instance, called = run_to_the_call(alur)
    assert (called.name, called.lane, called.role) == (
        "Memeriksa kelengkapan berkas",
        "Verifikator",
        "verifikator",
    )
    assert (called.step_no, called.called_step_no) == (2, 1)  # the call's step; its step there
    assert alur.definition("verifikasi_berkas").id == called.called_definition_id
    assert [t.id for t in alur.inbox("verif")] == [called.id]
    assert alur.inbox("loket") == []
    page = alur.task_page(called.id, "verif")
    assert [f.id for f in page.fields] == ["lengkap", "catatan_verifikasi"]
    alur.complete(called.id, "verif", Completion(data={"lengkap": "true"}))
    (last,) = alur.tasks(flt=InboxFilter(instance_id=instance.id))
    assert (last.name, last.lane) == ("Menerbitkan izin", "Kepala Dinas")
    alur.complete(last.id, "kadis_izin")
    assert alur.instance(instance.id).state == "completed"
    done = [(t.name, t.completed_by) for t in alur.task_history(instance.id)]
    assert done == [
        ("Menerima permohonan", "loket"),
        ("Memeriksa kelengkapan berkas", "verif"),
        ("Menerbitkan izin", "kadis_izin"),
    ]
    completed = [e for e in alur.history(instance.id) if e.kind == "completed"]
    assert completed[1].data["data"]["lengkap"] is True


def test_the_called_process_answers_the_callers_condition(alur):
    alur.deploy_sources([("verifikasi.bpmn", CALLED), ("permohonan_izin.bpmn", CALLER)], ADMIN)
    people(alur)
    instance, called = run_to_the_call(alur)
    alur.complete(called.id, "verif", Completion(data={"lengkap": "false"}))
    assert alur.tasks(flt=InboxFilter(instance_id=instance.id)) == []
    assert alur.instance(instance.id).state == "completed"


def test_a_call_binds_to_the_version_latest_when_the_caller_was_deployed(alur):
    alur.deploy_sources([("verifikasi.bpmn", CALLED)], ADMIN)
    (caller,) = alur.deploy_sources([("permohonan_izin.bpmn", CALLER)], ADMIN)
    renamed = CALLED.replace(b'name="Memeriksa kelengkapan berkas"', b'name="Memeriksa berkas"')
    (second,) = alur.deploy_sources([("verifikasi.bpmn", renamed)], ADMIN)
    assert second.definition.version == 2
    people(alur)
    _instance, called = run_to_the_call(alur)
    assert called.name == "Memeriksa kelengkapan berkas"  # version 1, bound at deploy
    (again,) = alur.deploy_sources([("permohonan_izin.bpmn", CALLER)], ADMIN)
    assert again.created and again.definition.version == caller.definition.version + 1
    _instance, called = run_to_the_call(alur)
    assert called.name == "Memeriksa berkas"
    (same,) = alur.deploy_sources([("permohonan_izin.bpmn", CALLER)], ADMIN)
    assert not same.created  # nothing changed: no new version


def test_a_call_bound_to_a_version_runs_that_version(alur):
    alur.deploy_sources([("verifikasi.bpmn", CALLED)], ADMIN)
    renamed = CALLED.replace(b'name="Memeriksa kelengkapan berkas"', b'name="Memeriksa berkas"')
    alur.deploy_sources([("verifikasi.bpmn", renamed)], ADMIN)
    bound = CALLER.replace(
        b'calledElement="verifikasi_berkas"',
        b'calledElement="verifikasi_berkas" camunda:calledElementBinding="version" '
        b'camunda:calledElementVersion="1"',
    )
    alur.deploy_sources([("permohonan_izin.bpmn", bound)], ADMIN)
    people(alur)
    _instance, called = run_to_the_call(alur)
    assert called.name == "Memeriksa kelengkapan berkas"


def refusal(alur, sources) -> tuple[str, int | None, str | None, str]:
    with pytest.raises(DeployError) as refused:
        alur.deploy_sources(sources, ADMIN)
    (problem,) = [p for p in refused.value.problems if p.element == "Activity_verifikasi"]
    return problem.file, problem.line, problem.element, problem.message


def test_an_unknown_called_process_is_refused_naming_file_line_and_element(alur):
    file, line, element, message = refusal(alur, [("permohonan_izin.bpmn", CALLER)])
    assert (file, element) == ("permohonan_izin.bpmn", "Activity_verifikasi")
    assert line == CALLER[: CALLER.index(b"<bpmn:callActivity")].count(b"\n") + 1
    assert message == (
        "call activity ('verifikasi_berkas') names a process that is not deployed: deploy that "
        "process first, or together with this file (the key is its process id)"
    )
    assert alur.instances(process="permohonan_izin") == []


@pytest.mark.parametrize(
    ("edit", "said"),
    [
        (b'calledElement="${proses}"', "is not a process key: an expression cannot choose"),
        (b'calledElement=""', "names no process: set Called element"),
        (b'calledElement="permohonan_izin"', "calls its own process"),
        (
            b'calledElement="verifikasi_berkas" camunda:calledElementBinding="version" '
            b'camunda:calledElementVersion="7"',
            "binds to version 7, which is not deployed (deployed versions: 1)",
        ),
    ],
)
def test_what_a_call_cannot_name_is_refused(alur, edit, said):
    alur.deploy_sources([("verifikasi.bpmn", CALLED)], ADMIN)
    data = CALLER.replace(b'calledElement="verifikasi_berkas"', edit)
    with pytest.raises(DeployError) as refused:
        alur.deploy_sources([("permohonan_izin.bpmn", data)], ADMIN)
    mine = [p.message for p in refused.value.problems if p.element == "Activity_verifikasi"]
    assert any(said in message for message in mine), mine  # (the XSD may add its own words)


def test_processes_calling_each_other_in_one_deploy_are_refused(alur):
    back = CALLED.replace(
        b'<bpmn:userTask id="Activity_periksa"',
        b'<bpmn:callActivity id="Activity_balik" calledElement="permohonan_izin">'
        b"<bpmn:incoming>Flow_x</bpmn:incoming></bpmn:callActivity>"
        b'<bpmn:sequenceFlow id="Flow_x" sourceRef="Activity_balik" targetRef="Activity_balik" />'
        b'<bpmn:userTask id="Activity_periksa"',
    )
    with pytest.raises(DeployError) as refused:
        alur.deploy_sources([("verifikasi.bpmn", back), ("permohonan_izin.bpmn", CALLER)], ADMIN)
    messages = [p.message for p in refused.value.problems]
    assert any("call each other in a circle" in m for m in messages), messages


def test_a_called_task_row_names_the_called_version(alur, database_url):
    alur.deploy_sources([("verifikasi.bpmn", CALLED), ("permohonan_izin.bpmn", CALLER)], ADMIN)
    people(alur)
    _instance, called = run_to_the_call(alur)
    with alur.session(read_only=True) as s:
        row = s.get(HumanTask, called.id)
        assert row.called_definition_id == alur.definition("verifikasi_berkas").id


def test_an_instance_waiting_in_a_called_process_moves_to_a_new_version_of_the_caller(alur):
    alur.deploy_sources([("verifikasi.bpmn", CALLED), ("permohonan_izin.bpmn", CALLER)], ADMIN)
    people(alur)
    alur.add_user("analis", ["analis"])
    instance, called = run_to_the_call(alur)
    renamed = CALLER.replace(b'name="Menerbitkan izin"', b'name="Menerbitkan surat izin"')
    (v2,) = alur.deploy_sources([("permohonan_izin.bpmn", renamed)], ADMIN)
    (done,) = alur.migrate("permohonan_izin", 1, v2.definition.version, "analis")
    assert done.status == "migrated", done.reasons
    (kept,) = alur.tasks(flt=InboxFilter(instance_id=instance.id))
    assert kept.id == called.id and (kept.name, kept.role, kept.due_at) == (
        called.name,
        called.role,
        called.due_at,
    )
    alur.complete(kept.id, "verif", Completion(data={"lengkap": "true"}))
    (last,) = alur.tasks(flt=InboxFilter(instance_id=instance.id))
    assert last.name == "Menerbitkan surat izin"  # the new version's step


def test_an_instance_waiting_in_a_changed_called_process_is_not_moved(alur):
    alur.deploy_sources([("verifikasi.bpmn", CALLED), ("permohonan_izin.bpmn", CALLER)], ADMIN)
    people(alur)
    alur.add_user("analis", ["analis"])
    instance, called = run_to_the_call(alur)
    changed = CALLED.replace(
        b'<camunda:constraint name="maxlength" config="200" />',
        b'<camunda:constraint name="maxlength" config="100" />',
    ).replace(b'name="Memeriksa kelengkapan berkas"', b'name="Memeriksa berkas"')
    alur.deploy_sources([("verifikasi.bpmn", changed)], ADMIN)
    (v2,) = alur.deploy_sources([("permohonan_izin.bpmn", CALLER)], ADMIN)
    (refused,) = alur.migrate("permohonan_izin", 1, v2.definition.version, "analis")
    assert refused.status == "refused"
    assert [r.key for r in refused.reasons] == ["migration_subprocess_changed"]
    (still,) = alur.tasks(flt=InboxFilter(instance_id=instance.id))
    assert still.id == called.id and alur.instance(instance.id).definition.version == 1


def test_a_cold_engine_resumes_an_instance_waiting_in_a_called_process(alur, make_alur):
    alur.deploy_sources([("verifikasi.bpmn", CALLED), ("permohonan_izin.bpmn", CALLER)], ADMIN)
    people(alur)
    instance, called = run_to_the_call(alur)
    cold = make_alur()  # another process: nothing cached, the workflow read from its rows
    cold.complete(called.id, "verif", Completion(data={"lengkap": "true"}))
    (last,) = cold.tasks(flt=InboxFilter(instance_id=instance.id))
    assert (last.name, last.lane) == ("Menerbitkan izin", "Kepala Dinas")
    make_alur().complete(last.id, "kadis_izin")
    assert make_alur().instance(instance.id).state == "completed"
