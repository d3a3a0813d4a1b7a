"""The stored form of a workflow: the library's JSON split into a header and one row per task."""

from __future__ import annotations

from sqlalchemy import select

from engine.runtime import spiff
from engine.storage.tables import Instance, WorkflowTask
from tests.engine.helpers import holder, only_task, starter

KEY = "sop_a"
HEADER_KEYS = {
    "data",
    "correlations",
    "last_task",
    "success",
    "completed",
    "root",
    "subprocesses",
    "bpmn_events",
    "typename",
    "serializer_version",
}
TASK_KEYS = {"id", "parent", "children", "last_state_change", "state", "task_spec"}


def test_header_and_task_rows_keep_the_library_format(alur):
    instance = alur.start(KEY, starter(alur, KEY), data={"tahun": 2027})
    with alur.session(read_only=True) as s:
        header = s.get(Instance, instance.id).workflow
        bodies = list(
            s.scalars(select(WorkflowTask.body).where(WorkflowTask.instance_id == instance.id))
        )
    assert set(header) == HEADER_KEYS
    assert header["typename"] == "BpmnWorkflow"
    assert header["serializer_version"] == spiff.store_serializer().VERSION
    assert header["data"] == {"tahun": 2027}
    assert bodies and all(TASK_KEYS <= set(body) for body in bodies)
    assert {body["typename"] for body in bodies} == {"Task"}


def test_a_header_stored_without_its_typename_still_loads(alur, make_alur):
    """Headers written before the typename was kept: a cold load adds it, as before."""
    instance = alur.start(KEY, starter(alur, KEY))
    with alur.session() as s:
        row = s.get(Instance, instance.id)
        row.workflow = {k: v for k, v in row.workflow.items() if k != "typename"}
    fresh = make_alur()  # nothing cached: the step below loads from the rows
    task = only_task(fresh, instance.id)
    fresh.complete(task.id, holder(task.role))
    assert only_task(fresh, instance.id).step_no == task.step_no + 1
