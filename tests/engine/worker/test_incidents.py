"""Incidents: a step the model cannot run is recorded once, with its reason and how often it was
seen, for admins and analysts; the worker backs off instead of repeating it every round; retry
runs it again, and succeeds once the cause is fixed (the instance moved to a fixed version)."""

from __future__ import annotations

import pytest

from engine import incidents
from engine.errors import Conflict, PermissionDenied, ProcessError
from engine.inbox import InboxFilter
from engine.storage.tables import Incident
from tests.engine.worker.helpers import wait_until
from tests.engine.worker.test_model_budgets import gateway

# Start -> a 1 s timer -> gateway: CONDITION -> Periksa (Sub Koordinator), default -> Selesai;
# the start data (jumlah, nol) the condition reads is declared on the process.
TIMED_GATEWAY = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
    xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="Defs" targetNamespace="urn:t">
  <bpmn:collaboration id="Collab"><bpmn:participant id="P" name="Uji" processRef="uji_insiden"/>
  </bpmn:collaboration>
  <bpmn:process id="uji_insiden" name="Uji insiden" isExecutable="true">
    <bpmn:extensionElements><camunda:properties>
      <camunda:property name="data" value="jumlah nol"/></camunda:properties>
    </bpmn:extensionElements>
    <bpmn:laneSet id="LS"><bpmn:lane id="L" name="Sub Koordinator">
      <bpmn:flowNodeRef>S</bpmn:flowNodeRef><bpmn:flowNodeRef>W</bpmn:flowNodeRef>
      <bpmn:flowNodeRef>G</bpmn:flowNodeRef><bpmn:flowNodeRef>T</bpmn:flowNodeRef>
      <bpmn:flowNodeRef>E1</bpmn:flowNodeRef><bpmn:flowNodeRef>E2</bpmn:flowNodeRef>
    </bpmn:lane></bpmn:laneSet>
    <bpmn:startEvent id="S"><bpmn:outgoing>F1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:intermediateCatchEvent id="W" name="Tunggu"><bpmn:incoming>F1</bpmn:incoming>
      <bpmn:outgoing>F2</bpmn:outgoing>
      <bpmn:timerEventDefinition id="WD"><bpmn:timeDuration xsi:type="bpmn:tFormalExpression"
        >"PT1S"</bpmn:timeDuration></bpmn:timerEventDefinition>
    </bpmn:intermediateCatchEvent>
    <bpmn:exclusiveGateway id="G" name="Cukup?" default="F4"><bpmn:incoming>F2</bpmn:incoming>
      <bpmn:outgoing>F3</bpmn:outgoing><bpmn:outgoing>F4</bpmn:outgoing></bpmn:exclusiveGateway>
    <bpmn:userTask id="T" name="Periksa"><bpmn:incoming>F3</bpmn:incoming>
      <bpmn:outgoing>F5</bpmn:outgoing></bpmn:userTask>
    <bpmn:endEvent id="E1" name="Selesai"><bpmn:incoming>F5</bpmn:incoming></bpmn:endEvent>
    <bpmn:endEvent id="E2" name="Ditolak"><bpmn:incoming>F4</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="F1" sourceRef="S" targetRef="W"/>
    <bpmn:sequenceFlow id="F2" sourceRef="W" targetRef="G"/>
    <bpmn:sequenceFlow id="F3" name="cukup" sourceRef="G" targetRef="T">
      <bpmn:conditionExpression xsi:type="bpmn:tFormalExpression"
        >CONDITION</bpmn:conditionExpression>
    </bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="F4" sourceRef="G" targetRef="E2"/>
    <bpmn:sequenceFlow id="F5" sourceRef="T" targetRef="E1"/>
  </bpmn:process>
</bpmn:definitions>
"""
KEY = "uji_insiden"
BROKEN, FIXED = "jumlah / nol &gt; 1", "jumlah &gt; 1"


def timed_gateway(condition: str) -> bytes:
    return TIMED_GATEWAY.replace("CONDITION", condition).encode()


def failed_timer(alur, make_worker):
    """An instance whose timer step fails in the worker (a division by zero), and the worker."""
    alur.deploy_sources([("insiden.bpmn", timed_gateway(BROKEN))], "dewi")
    instance = alur.start(KEY, "ana", title="Surat 7", data={"jumlah": 5, "nol": 0})
    wait_until(alur.instance(instance.id).next_wakeup_at)
    worker = make_worker()
    report = worker.run_round()
    assert (report.timers, report.errors, report.incidents) == (0, 1, 1)
    return instance, worker


def test_a_failing_timer_step_is_an_incident_with_its_reason_and_the_worker_backs_off(
    alur, make_worker
):
    instance, worker = failed_timer(alur, make_worker)
    (incident,) = alur.incidents("dewi")
    assert (incident.instance_id, incident.source, incident.element) == (instance.id, "worker", "G")
    assert (incident.reason_key, incident.count, incident.resolved_at) == ("process_error", 1, None)
    assert "ZeroDivisionError" in incident.params["reason"] and incident.retryable
    assert incident.instance_title == "Surat 7" and incident.version == 1
    assert "ZeroDivisionError" in incident.message
    # the next try waits BACKOFF_FIRST: the next rounds leave it alone, the instance is intact
    wakeup = alur.instance(instance.id).next_wakeup_at
    assert wakeup == incident.retry_at == incident.last_seen_at + incidents.BACKOFF_FIRST
    assert [worker.run_round().errors for _ in range(3)] == [0, 0, 0]
    assert alur.incidents("dewi")[0].count == 1
    assert alur.instance(instance.id).state == "running"
    assert alur.tasks(flt=InboxFilter(instance_id=instance.id)) == []


def test_the_back_off_doubles_per_failure_up_to_its_cap():
    assert incidents.backoff(1) == incidents.BACKOFF_FIRST
    assert incidents.backoff(2) == 2 * incidents.BACKOFF_FIRST
    assert incidents.backoff(3) == 4 * incidents.BACKOFF_FIRST
    assert incidents.backoff(50) == incidents.BACKOFF_MAX


def test_retry_fails_while_the_cause_remains_and_succeeds_once_it_is_fixed(alur, make_worker):
    instance, _ = failed_timer(alur, make_worker)
    (incident,) = alur.incidents("dewi")
    with pytest.raises(ProcessError):
        alur.retry_incident(incident.id, "dewi")
    again = alur.incidents("dewi")[0]
    assert (again.id, again.count, again.resolved_at) == (incident.id, 2, None)
    assert again.retry_at == again.last_seen_at + 2 * incidents.BACKOFF_FIRST

    # the cause fixed: a version whose condition does not divide, the instance moved to it
    alur.deploy_sources([("insiden.bpmn", timed_gateway(FIXED))], "dewi")
    assert alur.incidents("dewi")[0].newer_version == 2
    (moved,) = alur.migrate(KEY, 1, 2, "dewi", [instance.id])
    assert moved.status == "migrated"
    wait_until(alur.instance(instance.id).next_wakeup_at)  # the moved timer counts again
    done = alur.retry_incident(incident.id, "dewi")
    assert (done.resolved_by, done.resolution) == ("dewi", "retried")
    assert done.resolved_at is not None and alur.incidents("dewi") == []
    assert [i.id for i in alur.incidents("dewi", open_only=False)] == [incident.id]
    (task,) = alur.tasks(flt=InboxFilter(instance_id=instance.id))
    assert task.name == "Periksa"
    with pytest.raises(Conflict):  # resolved: nothing to retry
        alur.retry_incident(incident.id, "dewi")


def test_incidents_are_for_admins_and_analysts(alur, make_worker):
    failed_timer(alur, make_worker)
    (incident,) = alur.incidents("dewi")
    for person in ("ana", "citra"):  # staff, a supervisor
        with pytest.raises(PermissionDenied):
            alur.incidents(person)
        with pytest.raises(PermissionDenied):
            alur.retry_incident(incident.id, person)
    assert alur.nav("dewi").incident_count == 1 and alur.nav("ana").incident_count == 0


def test_a_failing_completion_is_an_incident_resolved_when_the_task_completes(alur):
    alur.deploy_sources([("syarat.bpmn", gateway("jumlah / nol &gt; 1"))], "dewi")
    instance = alur.start("uji_syarat", "ana", data={"jumlah": 1, "nol": 0})
    (task,) = alur.tasks(flt=InboxFilter(instance_id=instance.id))
    for _ in range(2):
        with pytest.raises(ProcessError):
            alur.complete(task.id, "ana")
    (incident,) = alur.incidents("dewi")
    assert (incident.source, incident.task_id, incident.element) == ("completion", task.id, "G")
    assert incident.count == 2 and not incident.retryable  # the performer completes it again
    with pytest.raises(Conflict):
        alur.retry_incident(incident.id, "dewi")
    assert alur.instance(instance.id).next_wakeup_at is None  # no timer armed by it

    alur.deploy_sources([("syarat.bpmn", gateway("jumlah &gt; 1"))], "dewi")
    (moved,) = alur.migrate("uji_syarat", 1, 2, "dewi", [instance.id])
    assert moved.status == "migrated" and len(alur.incidents("dewi")) == 1
    alur.complete(task.id, "ana")
    assert alur.incidents("dewi") == []
    (done,) = alur.incidents("dewi", open_only=False)
    assert (done.resolution, done.resolved_by) == ("completed", "ana")


def test_cancelling_the_instance_resolves_its_incidents(alur, make_worker):
    instance, _ = failed_timer(alur, make_worker)
    alur.cancel(instance.id, "dewi", "model rusak")
    (done,) = alur.incidents("dewi", open_only=False)
    assert (done.resolution, done.resolved_by) == ("cancelled", "dewi")
    with alur.session() as s:
        assert s.get(Incident, done.id).retry_at is None
