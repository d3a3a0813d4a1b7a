"""Migration and embedded subprocesses. Alur's parser lays an embedded subprocess's steps into
its process, so they are judged as any step is: a step added inside it after the current one
migrates and then runs; a running subprocess of its own (a call activity) that changed is
refused by engine.migration (migration_subprocess_changed)."""

from __future__ import annotations

from pathlib import Path

from engine.inbox import InboxFilter

ROOT = Path(__file__).resolve().parents[2]
VALID = (ROOT / "tests" / "data" / "valid" / "simple_lanes.bpmn").read_text(encoding="utf-8")
ANALYST = "analis"
TASK_2 = """    <bpmn:userTask id="Task_2" name="Memeriksa draf">
      <bpmn:incoming>Flow_2</bpmn:incoming>
      <bpmn:outgoing>Flow_3</bpmn:outgoing>
    </bpmn:userTask>"""
INNER_END = '<bpmn:endEvent id="Sub_end"><bpmn:incoming>S2</bpmn:incoming></bpmn:endEvent>'


def with_subprocess(inner_extra: bool = False, waktu: str = "30 menit") -> bytes:
    """The two-lane process with step 'Memeriksa draf' inside an embedded subprocess; with
    inner_extra a second step follows it inside the subprocess."""
    after = "Task_3" if inner_extra else "Sub_end"
    inner = [
        '<bpmn:subProcess id="Sub_1" name="Pemeriksaan">',
        "<bpmn:incoming>Flow_2</bpmn:incoming><bpmn:outgoing>Flow_3</bpmn:outgoing>",
        '<bpmn:startEvent id="Sub_start"><bpmn:outgoing>S1</bpmn:outgoing></bpmn:startEvent>',
        '<bpmn:userTask id="Task_2" name="Memeriksa draf"><bpmn:incoming>S1</bpmn:incoming>',
        "<bpmn:outgoing>S2</bpmn:outgoing></bpmn:userTask>",
        INNER_END if not inner_extra else "",
        '<bpmn:sequenceFlow id="S1" sourceRef="Sub_start" targetRef="Task_2" />',
        f'<bpmn:sequenceFlow id="S2" sourceRef="Task_2" targetRef="{after}" />',
    ]
    if inner_extra:
        inner += [
            '<bpmn:userTask id="Task_3" name="Memeriksa ulang"><bpmn:incoming>S2</bpmn:incoming>',
            "<bpmn:outgoing>S3</bpmn:outgoing></bpmn:userTask>",
            '<bpmn:endEvent id="Sub_end"><bpmn:incoming>S3</bpmn:incoming></bpmn:endEvent>',
            '<bpmn:sequenceFlow id="S3" sourceRef="Task_3" targetRef="Sub_end" />',
        ]
    inner.append("</bpmn:subProcess>")
    text = VALID.replace(TASK_2, "\n".join(inner))
    refs = ["Sub_1", "Task_2", *(["Task_3"] if inner_extra else [])]
    text = text.replace(
        "<bpmn:flowNodeRef>Task_2</bpmn:flowNodeRef>",
        "".join(f"<bpmn:flowNodeRef>{ref}</bpmn:flowNodeRef>" for ref in refs),
    )
    text = text.replace(
        'sourceRef="Task_1" targetRef="Task_2"', 'sourceRef="Task_1" targetRef="Sub_1"'
    )
    text = text.replace(
        'sourceRef="Task_2" targetRef="Gateway_1"', 'sourceRef="Sub_1" targetRef="Gateway_1"'
    )
    text = text.replace('bpmnElement="Task_2"', 'bpmnElement="Sub_1"')
    text = text.replace('value="30 menit"', f'value="{waktu}"')
    return text.encode()


def _waiting_inside(alur):
    (deployed,) = alur.deploy_sources([("uji.bpmn", with_subprocess())], ANALYST)
    key = deployed.definition.key
    instance = alur.start(key, "admin", title="Uji subproses")
    (first,) = alur.tasks(flt=InboxFilter(instance_id=instance.id))
    alur.add_user("penyusun", [first.role])
    alur.complete(first.id, "penyusun")
    (inside,) = alur.tasks(flt=InboxFilter(instance_id=instance.id))
    assert inside.name == "Memeriksa draf"
    return key, instance.id


def test_a_step_added_inside_the_running_subprocess_is_refused_with_its_name(alur):
    """The instance waits inside Sub_1; a version that changes Sub_1 cannot take it over (the
    library would rebuild the running sub-workflow), so the plan says why and nothing moves."""
    alur.add_user(ANALYST, [ANALYST])
    key, instance_id = _waiting_inside(alur)
    alur.deploy_sources([("uji.bpmn", with_subprocess(inner_extra=True))], ANALYST)
    (plan,) = alur.plan_migration(key, 1, 2, ANALYST, [instance_id], {})
    assert plan.status == "refused"
    assert [r["key"] for r in plan.as_json()["reasons"]] == ["migration_subprocess_changed"]
    assert "Sub_1" in plan.as_json()["reasons"][0]["message"]
    (done,) = alur.migrate(key, 1, 2, ANALYST, [instance_id], {}, "")
    assert done.status == "refused" and alur.instance(instance_id).definition.version == 1
    (inside,) = alur.tasks(flt=InboxFilter(instance_id=instance_id))
    assert inside.name == "Memeriksa draf"


def test_an_unchanged_subprocess_moves_with_its_instance(alur):
    alur.add_user(ANALYST, [ANALYST])
    key, instance_id = _waiting_inside(alur)
    alur.deploy_sources([("uji.bpmn", with_subprocess(waktu="2 jam"))], ANALYST)
    (plan,) = alur.plan_migration(key, 1, 2, ANALYST, [instance_id], {})
    assert plan.status == "migratable", plan.as_json()
    (done,) = alur.migrate(key, 1, 2, ANALYST, [instance_id], {}, "")
    assert done.status == "migrated" and alur.instance(instance_id).definition.version == 2
