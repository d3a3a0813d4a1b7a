"""A completion that fails half way (engine stepped, nothing committed) leaves no trace."""

from __future__ import annotations

import pytest
from SpiffWorkflow.util.task import TaskState

import engine.audit
from engine.alur import Alur
from engine.runtime.lifecycle import Completion
from engine.runtime.store import WorkflowStore
from engine.storage.tables import Instance
from tests.engine.helpers import holder, only_task, run_to_step, snapshot, starter

KEY = "sop_b"


class Boom(RuntimeError):
    pass


def _fail_on_save(monkeypatch) -> None:
    def save(*args, **kwargs):
        raise Boom("disk penuh")

    monkeypatch.setattr(WorkflowStore, "save", save)


def _fail_on_task_created(monkeypatch) -> None:
    """Writing the step's events fails once the new tasks are flushed (their ids given)."""
    write = engine.audit.write

    def flaky(session, rows):
        if any(row["kind"] == "task_created" for row in rows):
            raise Boom("audit mati")
        return write(session, rows)

    monkeypatch.setattr(engine.audit, "write", flaky)


FAILURES = {"save": _fail_on_save, "task_created": _fail_on_task_created}


def _ready_user_tasks(alur: Alur, instance_id: int) -> list[str]:
    """The READY user tasks of the workflow as this Alur loads it (its cache, else the DB)."""
    with alur.session() as s:
        handle = alur.store.load(s, s.get(Instance, instance_id))
        ready = [str(t.id) for t in handle.workflow.get_tasks(state=TaskState.READY, manual=True)]
        alur.store.committed(handle, handle.revision)  # hand it back as a completion would
    return ready


@pytest.mark.parametrize("failure", list(FAILURES))
@pytest.mark.parametrize("answer", ["Ya", "Tidak"])
def test_a_failure_before_commit_leaves_the_instance_as_it_was(
    alur, make_alur, monkeypatch, failure, answer
):
    instance = alur.start(KEY, starter(alur, KEY))
    task = run_to_step(alur, instance.id, 8)  # the Alur's cache now holds the workflow
    assert _ready_user_tasks(alur, instance.id) == [task.task_id]
    before = snapshot(alur, instance.id)

    with monkeypatch.context() as patch:
        FAILURES[failure](patch)
        with pytest.raises(Boom):
            alur.complete(task.id, holder(task.role), Completion(answer, note="kurang data"))

    assert snapshot(alur, instance.id) == before
    assert only_task(alur, instance.id).id == task.id
    assert alur.task(task.id).state == "open"
    # neither this Alur's cache nor a fresh process sees the half-run step
    assert _ready_user_tasks(alur, instance.id) == [task.task_id]
    assert _ready_user_tasks(make_alur(), instance.id) == [task.task_id]

    alur.complete(task.id, holder(task.role), Completion(answer, note="kurang data"))
    assert only_task(alur, instance.id).step_no == (9 if answer == "Ya" else 7)
    kinds = [e.kind for e in alur.history(instance.id)]
    assert kinds.count("completed") == 8


def test_a_failed_start_leaves_no_instance(alur, monkeypatch):
    _fail_on_task_created(monkeypatch)
    with pytest.raises(Boom):
        alur.start(KEY, starter(alur, KEY))
    monkeypatch.undo()
    assert alur.instances() == [] and alur.tasks() == []
    instance = alur.start(KEY, starter(alur, KEY))
    assert only_task(alur, instance.id).step_no == 1
