"""Multi-instance user tasks (a fixed count or one per item of a list), embedded subprocesses,
and what deploy refuses of multi-instance and flows across a subprocess (call activities:
test_call_activities)."""

from __future__ import annotations

import pytest

from engine.errors import DeployError, ProcessError
from engine.inbox import InboxFilter
from engine.runtime.lifecycle import Completion
from tests.engine.helpers import ADMIN, ROOT

BPMN = (ROOT / "tests" / "data" / "forms" / "pengadaan.bpmn").read_text(encoding="utf-8")
KEY = "pengadaan"
LOOP = """      <bpmn:incoming>Flow_besar</bpmn:incoming>
      <bpmn:outgoing>Flow_3</bpmn:outgoing>
"""


def with_loop(characteristics: str) -> bytes:
    return BPMN.replace(LOOP, LOOP + characteristics + "\n").encode()


CARDINALITY = (
    '<bpmn:multiInstanceLoopCharacteristics isSequential="{seq}">'
    '<bpmn:loopCardinality xsi:type="bpmn:tFormalExpression" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">{n}</bpmn:loopCardinality>'
    "</bpmn:multiInstanceLoopCharacteristics>"
)
COLLECTION = (
    '<bpmn:multiInstanceLoopCharacteristics isSequential="{seq}" '
    'camunda:collection="{collection}" camunda:elementVariable="opd" />'
)


@pytest.mark.parametrize("sequential", ["false", "true"])
def test_a_fixed_count_makes_that_many_approvals(alur, sequential):
    data = with_loop(CARDINALITY.format(seq=sequential, n=3))
    alur.deploy_sources([("pengadaan.bpmn", data)], ADMIN)
    alur.add_user("staf", [alur.roles.role(KEY, "Staf Umum")])
    alur.add_user("kadis", [alur.roles.role(KEY, "Kepala Dinas")])
    instance = alur.start(KEY, "staf")
    (task,) = alur.tasks(flt=InboxFilter(instance_id=instance.id))
    alur.complete(task.id, "staf", Completion(data={"nama_barang": "Laptop", "amount": 5000}))
    seen = 0
    for _round in range(5):
        tasks = alur.tasks(flt=InboxFilter(instance_id=instance.id))
        if not tasks:
            break
        assert len(tasks) == (1 if sequential == "true" else 3)
        for task in tasks:
            assert task.lane == "Kepala Dinas"
            alur.complete(task.id, "kadis")
            seen += 1
    assert seen == 3
    assert alur.instance(instance.id).state == "completed"


@pytest.mark.parametrize(("sequential", "collection"), [("false", "daftar"), ("true", "${daftar}")])
def test_one_task_per_item_of_a_list(alur, sequential, collection):
    data = with_loop(COLLECTION.format(seq=sequential, collection=collection))
    alur.deploy_sources([("pengadaan.bpmn", data)], ADMIN)
    alur.add_user("staf", [alur.roles.role(KEY, "Staf Umum")])
    alur.add_user("kadis", [alur.roles.role(KEY, "Kepala Dinas")])
    instance = alur.start(KEY, "staf", data={"daftar": ["Bappeda", "Dinkes"]})
    (task,) = alur.tasks(flt=InboxFilter(instance_id=instance.id))
    alur.complete(task.id, "staf", Completion(data={"nama_barang": "Laptop", "amount": 5000}))
    seen = 0
    for _round in range(4):
        tasks = alur.tasks(flt=InboxFilter(instance_id=instance.id))
        if not tasks:
            break
        for task in tasks:
            alur.complete(task.id, "kadis")
            seen += 1
    assert seen == 2
    assert alur.instance(instance.id).state == "completed"


def test_more_open_tasks_than_the_bound_stop_the_step_and_nothing_is_stored(alur):
    data = with_loop(COLLECTION.format(seq="false", collection="${daftar}"))
    alur.deploy_sources([("pengadaan.bpmn", data)], ADMIN)
    alur.add_user("staf", [alur.roles.role(KEY, "Staf Umum")])
    instance = alur.start(KEY, "staf", data={"daftar": [f"OPD {i}" for i in range(101)]})
    (task,) = alur.tasks(flt=InboxFilter(instance_id=instance.id))
    with pytest.raises(ProcessError) as stopped:
        alur.complete(task.id, "staf", Completion(data={"nama_barang": "Laptop", "amount": 5000}))
    assert stopped.value.params["element"] == "Activity_setujui"
    assert "101 tasks at once from one multi-instance marker; at most 100" in stopped.value.message
    (still,) = alur.tasks(flt=InboxFilter(instance_id=instance.id))
    assert still.id == task.id and still.state == "open"


@pytest.mark.parametrize(
    ("data", "said"),
    [
        (with_loop(CARDINALITY.format(seq="false", n=101)), "write a count from 1 to 100"),
        (with_loop(CARDINALITY.format(seq="false", n=0)), "write a count from 1 to 100"),
        (
            with_loop(COLLECTION.format(seq="false", collection="${daftar.opd}")),
            "name the list variable",
        ),
    ],
)
def test_what_cannot_run_is_refused_at_deploy(alur, data, said):
    with pytest.raises(DeployError) as refused:
        alur.deploy_sources([("pengadaan.bpmn", data)], ADMIN)
    (problem,) = refused.value.problems
    assert problem.element == "Activity_setujui" and problem.line and said in problem.message


SUBPROCESS = (ROOT / "tests" / "data" / "forms" / "subproses.bpmn").read_bytes()


def test_a_task_inside_an_embedded_subprocess_runs_in_its_lane(alur):
    alur.deploy_sources([("pengadaan.bpmn", SUBPROCESS)], ADMIN)
    alur.add_user("staf", [alur.roles.role(KEY, "Staf Umum")])
    alur.add_user("kadis", [alur.roles.role(KEY, "Kepala Dinas")])
    instance = alur.start(KEY, "staf")
    (task,) = alur.tasks(flt=InboxFilter(instance_id=instance.id))
    alur.complete(task.id, "staf", Completion(data={"nama_barang": "Laptop", "amount": 5000}))
    (inner,) = alur.tasks(flt=InboxFilter(instance_id=instance.id))
    assert (inner.name, inner.lane) == ("Menyetujui pengadaan", "Kepala Dinas")
    alur.complete(inner.id, "kadis")
    assert alur.instance(instance.id).state == "completed"


def test_a_sequence_flow_into_a_subprocess_is_refused_at_deploy(alur):
    crossing = SUBPROCESS.replace(
        b'sourceRef="Gateway_jumlah" targetRef="Sub_setujui"',
        b'sourceRef="Gateway_jumlah" targetRef="Activity_setujui"',
    )
    with pytest.raises(DeployError) as refused:
        alur.deploy_sources([("pengadaan.bpmn", crossing)], ADMIN)
    messages = [(p.element, p.message) for p in refused.value.problems]
    assert (
        "Flow_besar",
        "the sequence flow goes into a subprocess to 'Activity_setujui': connect it to the "
        "subprocess itself, and inside start from its start event and finish at its end event",
    ) in messages
