"""Timers: the runtime records when an instance next wakes; the worker fires due timers once."""

from __future__ import annotations

from datetime import timedelta

import psycopg
import pytest
from SpiffWorkflow.util.task import TaskState

from engine.inbox import InboxFilter
from engine.storage.tables import Instance, utcnow
from engine.worker import ACTOR
from tests.engine.worker.helpers import BOUNDARY, DEADLINE, KABID, STAFF, TIMER, wait_until


def open_tasks(alur, instance_id):
    return alur.tasks(flt=InboxFilter(instance_id=instance_id))


def stored_workflow(alur, instance_id):
    with alur.session() as s:
        return alur.store.load(s, s.get(Instance, instance_id)).workflow


def test_the_worker_wakes_an_instance_waiting_on_a_timer(alur, make_alur, make_worker):
    before = utcnow()
    instance = alur.start(TIMER, "ana", title="Surat masuk 12")
    wakeup = alur.instance(instance.id).next_wakeup_at
    assert before + timedelta(seconds=1) <= wakeup <= utcnow() + timedelta(seconds=1)
    assert open_tasks(alur, instance.id) == []
    revision = alur.instance(instance.id).revision

    worker = make_worker(make_alur())  # another process: its own engine, its own cache
    early = worker.run_round()
    assert early.timers == 0 and open_tasks(alur, instance.id) == []

    wait_until(wakeup)
    report = worker.run_round()
    assert report.timers == 1 and report.errors == 0
    (task,) = open_tasks(alur, instance.id)
    assert (task.step_no, task.name, task.role) == (1, "Memeriksa berkas", STAFF)
    assert task.due_at is not None and task.due_at > task.created_at
    woken = alur.instance(instance.id)
    assert woken.next_wakeup_at is None and woken.revision == revision + 1
    created = [e for e in alur.history(instance.id) if e.kind == "task_created"]
    assert [(e.actor, e.human_task_id) for e in created] == [(ACTOR, task.id)]

    workflow = stored_workflow(make_alur(), instance.id)  # read back, nothing cached
    (timer,) = [t for t in workflow.get_tasks() if t.task_spec.bpmn_id == "Timer_1"]
    assert timer.state == TaskState.COMPLETED
    ready = workflow.get_tasks(state=TaskState.READY, manual=True)
    assert [str(t.id) for t in ready] == [task.task_id]

    assert worker.run_round().timers == 0  # fired once
    assert len(open_tasks(alur, instance.id)) == 1

    # the engine that started the instance holds an older revision in its cache: it reloads
    alur.complete(task.id, "ana")
    done = alur.instance(instance.id)
    assert done.state == "completed" and done.next_wakeup_at is None


def test_a_boundary_timer_takes_the_task_away_from_its_holders(alur, make_worker):
    instance = alur.start(BOUNDARY, "ana")
    (answer,) = open_tasks(alur, instance.id)
    wait_until(alur.instance(instance.id).next_wakeup_at)
    assert make_worker().run_round().timers == 1
    assert alur.task(answer.id).state == "cancelled"
    (takeover,) = open_tasks(alur, instance.id)
    assert (takeover.name, takeover.role) == ("Mengambil alih surat", KABID)
    assert alur.instance(instance.id).next_wakeup_at is None
    alur.complete(takeover.id, "citra")
    assert alur.instance(instance.id).state == "completed"


def test_completing_in_time_clears_the_wakeup(alur, make_worker):
    instance = alur.start(BOUNDARY, "ana")
    assert alur.instance(instance.id).next_wakeup_at is not None
    (answer,) = open_tasks(alur, instance.id)
    alur.complete(answer.id, "ana")
    done = alur.instance(instance.id)
    assert done.state == "completed" and done.next_wakeup_at is None


def test_an_instance_without_timers_never_wakes(alur, make_worker):
    instance = alur.start(DEADLINE, "ana")
    assert alur.instance(instance.id).next_wakeup_at is None
    assert make_worker().run_round().timers == 0


def test_cancelled_instances_are_left_asleep(alur, make_worker):
    instance = alur.start(TIMER, "ana")
    alur.cancel(instance.id, "dewi", "salah input")
    wait_until(alur.instance(instance.id).next_wakeup_at)
    assert make_worker().run_round().timers == 0
    assert open_tasks(alur, instance.id) == []


def test_many_due_timers_are_paged_through_in_one_round(alur, make_worker):
    ids = [alur.start(TIMER, "ana").id for _ in range(7)]
    wait_until(max(alur.instance(i).next_wakeup_at for i in ids))
    report = make_worker(batch=3).run_round()
    assert report.timers == 7
    assert all(len(open_tasks(alur, i)) == 1 for i in ids)


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_an_instance_locked_by_someone_else_is_skipped_not_waited_for(alur, make_worker):
    instance = alur.start(TIMER, "ana")
    wait_until(alur.instance(instance.id).next_wakeup_at)
    url = alur.settings.database_url
    with psycopg.connect(url) as other:  # a completion in progress holds the row
        other.execute("SELECT id FROM instances WHERE id = %s FOR UPDATE", (instance.id,))
        report = make_worker().run_round()
        assert report.timers == 0 and report.errors == 0
    assert open_tasks(alur, instance.id) == []
    assert make_worker().run_round().timers == 1
    assert len(open_tasks(alur, instance.id)) == 1
