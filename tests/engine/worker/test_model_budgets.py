"""A deployed model can never hang the engine: expressions and timers bounded at deploy and run."""

from __future__ import annotations

import time

import pytest

from engine.errors import DeployError, ExpressionLimit, ProcessError
from engine.inbox import InboxFilter
from engine.storage.tables import Instance
from tests.engine.worker.helpers import DATA, TIMER

# Start -> Periksa (Sub Koordinator) -> gateway: CONDITION -> Selesai, default -> Ditolak;
# the start data (jumlah, jenis, nol) the conditions read is declared on the process.
GATEWAY = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
    xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="Defs" targetNamespace="urn:t">
  <bpmn:collaboration id="Collab"><bpmn:participant id="P" name="Uji" processRef="uji_syarat"/>
  </bpmn:collaboration>
  <bpmn:process id="uji_syarat" name="Uji syarat" isExecutable="true">
    <bpmn:extensionElements><camunda:properties>
      <camunda:property name="data" value="jumlah jenis nol"/></camunda:properties>
    </bpmn:extensionElements>
    <bpmn:laneSet id="LS"><bpmn:lane id="L" name="Sub Koordinator">
      <bpmn:flowNodeRef>S</bpmn:flowNodeRef><bpmn:flowNodeRef>T</bpmn:flowNodeRef>
      <bpmn:flowNodeRef>G</bpmn:flowNodeRef><bpmn:flowNodeRef>E1</bpmn:flowNodeRef>
      <bpmn:flowNodeRef>E2</bpmn:flowNodeRef></bpmn:lane></bpmn:laneSet>
    <bpmn:startEvent id="S"><bpmn:outgoing>F1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:userTask id="T" name="Periksa"><bpmn:incoming>F1</bpmn:incoming>
      <bpmn:outgoing>F2</bpmn:outgoing></bpmn:userTask>
    <bpmn:exclusiveGateway id="G" default="F4"><bpmn:incoming>F2</bpmn:incoming>
      <bpmn:outgoing>F3</bpmn:outgoing><bpmn:outgoing>F4</bpmn:outgoing></bpmn:exclusiveGateway>
    <bpmn:endEvent id="E1" name="Selesai"><bpmn:incoming>F3</bpmn:incoming></bpmn:endEvent>
    <bpmn:endEvent id="E2" name="Ditolak"><bpmn:incoming>F4</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="F1" sourceRef="S" targetRef="T"/>
    <bpmn:sequenceFlow id="F2" sourceRef="T" targetRef="G"/>
    <bpmn:sequenceFlow id="F3" name="lolos" sourceRef="G" targetRef="E1">
      <bpmn:conditionExpression xsi:type="bpmn:tFormalExpression"
        >CONDITION</bpmn:conditionExpression>
    </bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="F4" sourceRef="G" targetRef="E2"/>
  </bpmn:process>
</bpmn:definitions>
"""
HOSTILE = "len(str([[jumlah] * 99999] * 99999)) &gt; 0"  # reads data: passes deploy


def gateway(condition: str) -> bytes:
    return GATEWAY.replace("CONDITION", condition).encode()


def snapshot(alur, instance_id: int):
    with alur.session() as s:
        instance = s.get(Instance, instance_id)
        return instance.revision, instance.state, len(alur.history(instance_id))


def test_a_condition_that_would_blow_up_stops_at_its_budget_and_changes_nothing(alur):
    alur.deploy_sources([("syarat.bpmn", gateway(HOSTILE))], "dewi")
    instance = alur.start("uji_syarat", "ana", data={"jumlah": 1})
    (task,) = alur.tasks(flt=InboxFilter(instance_id=instance.id))
    before = snapshot(alur, instance.id)
    started = time.monotonic()
    with pytest.raises(ExpressionLimit) as stopped:
        alur.complete(task.id, "ana")
    assert time.monotonic() - started < 10  # stopped, not run to exhaustion (minutes, GBs)
    error = stopped.value
    assert (error.code, error.status, error.params["element"]) == ("expression_limit", 422, "G")
    assert "larger than 100000" in error.message
    assert snapshot(alur, instance.id) == before
    assert alur.task(task.id).state == "open"  # the analyst fixes the model; the task waits


def test_a_condition_that_always_fails_is_a_process_error_not_a_crash(alur):
    alur.deploy_sources([("syarat.bpmn", gateway("jumlah / nol &gt; 1"))], "dewi")
    instance = alur.start("uji_syarat", "ana", data={"jumlah": 1, "nol": 0})
    (task,) = alur.tasks(flt=InboxFilter(instance_id=instance.id))
    with pytest.raises(ProcessError) as failed:
        alur.complete(task.id, "ana")
    assert failed.value.code == "process_error" and "ZeroDivisionError" in failed.value.message
    assert alur.task(task.id).state == "open"


@pytest.mark.parametrize(
    ("condition", "words"),
    [
        ("len(str([[1] * 99999] * 99999)) &gt; jumlah", "larger than 100000"),
        ("((10 ** 100) ** 100) ** 100 &gt; jumlah", "power larger than 4096 bits"),
        ("jumlah &gt; 1 / 0", "always fails: ZeroDivisionError"),
    ],
)
def test_constant_parts_are_evaluated_under_the_budget_at_deploy(alur, condition, words):
    versions = len(alur.processes())
    with pytest.raises(DeployError) as refused:
        alur.deploy_sources([("syarat.bpmn", gateway(condition))], "dewi")
    (problem,) = refused.value.problems
    assert problem.element == "F3" and problem.line is not None and words in problem.message
    assert len(alur.processes()) == versions  # nothing deployed


def test_a_timer_value_from_the_data_is_bounded_when_it_is_read(alur):
    xml = (DATA / "timer.bpmn").read_bytes().replace(b'"PT1S"', b"tenggat")
    alur.deploy_sources([("timer.bpmn", xml)], "dewi")
    count = len(alur.instances(process=TIMER))
    with pytest.raises(ExpressionLimit) as stopped:
        alur.start(TIMER, "ana", data={"tenggat": "P9999999Y"})
    assert "longer than ten years" in stopped.value.message
    assert stopped.value.params["element"] == "Timer_1"
    assert len(alur.instances(process=TIMER)) == count  # no half-started instance
    started = alur.start(TIMER, "ana", data={"tenggat": "PT1S"})
    assert alur.instance(started.id).next_wakeup_at is not None


def test_a_bare_iso_timer_runs_as_drawn(alur):
    xml = (DATA / "timer.bpmn").read_bytes().replace(b'"PT1S"', b"PT2H")
    alur.deploy_sources([("timer.bpmn", xml)], "dewi")
    started = alur.start(TIMER, "ana")
    waits = alur.instance(started.id).next_wakeup_at - alur.instance(started.id).started_at
    assert 7190 <= waits.total_seconds() <= 7210
