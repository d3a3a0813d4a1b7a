"""Gateways with conditions as the editors write them take the path their condition chooses."""

from __future__ import annotations

import pytest
from SpiffWorkflow.util.task import TaskState

from engine.inbox import InboxFilter
from engine.storage.tables import Instance
from tests.engine.worker.test_model_budgets import gateway


def ended_at(alur, instance_id: int) -> str:
    with alur.session() as s:
        workflow = alur.store.load(s, s.get(Instance, instance_id)).workflow
    ends = [
        t
        for t in workflow.get_tasks(state=TaskState.COMPLETED)
        if t.task_spec.bpmn_id in ("E1", "E2")
    ]
    return ends[0].task_spec.bpmn_id


@pytest.mark.parametrize(
    "condition",
    [
        "${jumlah &gt; 1000 &amp;&amp; jenis == 'Renja'}",  # Camunda 7 (JUEL)
        '=jumlah &gt; 1000 and jenis in ("Renja", "RKPD")',  # Camunda 8 (FEEL)
        "jumlah &gt; 1000 and jenis == 'Renja'",  # Python, as before
    ],
    ids=["juel", "feel", "python"],
)
@pytest.mark.parametrize(("jumlah", "end"), [(1500, "E1"), (500, "E2")])
def test_the_condition_chooses_the_path(alur, condition, jumlah, end):
    alur.deploy_sources([("syarat.bpmn", gateway(condition))], "dewi")
    instance = alur.start("uji_syarat", "ana", data={"jumlah": jumlah, "jenis": "Renja"})
    (task,) = alur.tasks(flt=InboxFilter(instance_id=instance.id))
    alur.complete(task.id, "ana")
    assert alur.instance(instance.id).state == "completed"
    assert ended_at(alur, instance.id) == end
