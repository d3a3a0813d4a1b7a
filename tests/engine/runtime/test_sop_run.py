"""SpiffWorkflow runs every SOP lane by lane, with a save/restore after every step."""

from __future__ import annotations

from SpiffWorkflow.util.task import TaskState

from engine.bpmn.reader import read_bpmn
from engine.runtime import spiff
from tests.conftest import sop_path


def _start(code: str):
    xml = sop_path(code).read_bytes()
    sop = read_bpmn(xml)
    workflow = spiff.new_workflow(spiff.parse_specs(xml, sop.key, sop_path(code).name))
    workflow.do_engine_steps()
    return sop, workflow


def _run(code: str, answer) -> tuple[list[int], object]:
    """Complete ready user tasks lane by lane; answer(step, visit) gives Ya/Tidak at decisions."""
    sop, workflow = _start(code)
    visited: list[int] = []
    while not workflow.is_completed():
        progressed = False
        for lane in sop.actors:
            for task in workflow.get_tasks(state=TaskState.READY, manual=True, lane=lane):
                step = sop.step(int(task.task_spec.name.removeprefix("Langkah_")))
                assert step.actor == lane
                visited.append(step.no)
                if step.decision:
                    task.data[step.decision_variable] = answer(step, visited.count(step.no))
                task.run()
                workflow.do_engine_steps()
                workflow = spiff.load(spiff.dump(workflow))
                progressed = True
        assert progressed, f"{code}: no ready user task but the workflow is not complete"
        assert len(visited) < 500
    return visited, sop


def test_all_ya_runs_every_step_once_in_order(code):
    visited, sop = _run(code, lambda step, visit: "Ya")
    assert visited == [s.no for s in sop.steps]


def test_each_tidak_returns_to_the_step_that_prepared_the_draft(code):
    sop = read_bpmn(sop_path(code))
    for decision_step in (s for s in sop.steps if s.decision):

        def answer(step, visit, target=decision_step.no):
            return "Tidak" if step.no == target and visit == 1 else "Ya"

        visited, _ = _run(code, answer)
        back = decision_step.decision.no
        at = visited.index(decision_step.no)
        assert visited[at + 1] == back, f"{code}: Tidak at {decision_step.no}"
        # after the send-back the steps from the draft onwards run again, then the rest
        assert visited[at + 1 :] == list(range(back, len(sop.steps) + 1))
