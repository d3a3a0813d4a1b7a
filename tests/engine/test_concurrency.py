"""Several OS processes, each with its own Alur, writing to one database at the same moment."""

from __future__ import annotations

from collections import Counter

import pytest
from SpiffWorkflow.util.task import TaskState

from engine.alur import Alur
from engine.storage.tables import Instance
from tests.barrier_pool import barrier_pool
from tests.engine.helpers import (
    drive_instance,
    holder,
    only_task,
    open_tasks,
    race_complete,
    roles_of,
    starter,
)

WORKERS = 6
ROUNDS = 4
TIMEOUT = 120  # seconds for one round of all workers; a hang fails the test instead of the run
KEY = "sop_a"


@pytest.fixture(scope="module")
def pool():
    """WORKERS spawned processes that meet at a barrier before each call, so all calls overlap."""
    with barrier_pool(WORKERS) as workers:
        yield workers


def _upload_dir(alur: Alur) -> str:
    return str(alur.settings.upload_dir)


def test_racing_completions_of_one_task_have_exactly_one_winner(alur, make_alur, pool):
    racers = [f"peserta_{i}" for i in range(WORKERS)]
    for name in racers:
        alur.add_user(name, roles_of(alur, KEY))
    instance = alur.start(KEY, starter(alur, KEY))
    url = alur.settings.database_url
    for round_no in range(ROUNDS):
        task = only_task(alur, instance.id)
        calls = [(url, _upload_dir(alur), task.id, name) for name in racers]
        results = pool.starmap_async(race_complete, calls).get(timeout=TIMEOUT)
        outcomes = Counter(kind for kind, _ in results)
        assert outcomes == {"ok": 1, "conflict": WORKERS - 1}, (round_no, results)
        winner = racers[[kind for kind, _ in results].index("ok")]
        for kind, message in results:
            if kind == "conflict":
                assert "sudah diselesaikan" in message and winner in message
        assert alur.task(task.id).completed_by == winner

    fresh = make_alur()  # nothing cached: everything below is read back from the database
    history = fresh.history(instance.id)
    completed = Counter(e.human_task_id for e in history if e.kind == "completed")
    assert len(completed) == ROUNDS and set(completed.values()) == {1}
    assert [e.step_no for e in history if e.kind == "task_created"] == list(range(1, ROUNDS + 2))
    nxt = only_task(fresh, instance.id)
    assert nxt.step_no == ROUNDS + 1
    with fresh.session() as s:
        row = s.get(Instance, instance.id)
        workflow = fresh.store.load(s, row).workflow
    ready = workflow.get_tasks(state=TaskState.READY, manual=True)
    assert [str(t.id) for t in ready] == [nxt.task_id]
    done = workflow.get_tasks(state=TaskState.COMPLETED, manual=True)
    assert len(done) == ROUNDS  # no step ran twice, none was lost
    fresh.complete(nxt.id, holder(nxt.role))
    assert only_task(fresh, instance.id).step_no == ROUNDS + 2


def test_parallel_completions_of_different_instances_all_succeed(alur, pool):
    instances = [alur.start(KEY, starter(alur, KEY), title=f"paralel {i}") for i in range(WORKERS)]
    url = alur.settings.database_url
    calls = [(url, _upload_dir(alur), i.id) for i in instances]
    results = pool.starmap_async(drive_instance, calls).get(timeout=TIMEOUT)
    steps = list(range(1, 15))
    assert results == [("completed", steps)] * WORKERS
    for instance in instances:
        assert alur.instance(instance.id).state == "completed"
        assert open_tasks(alur, instance.id) == []
        kinds = [e.kind for e in alur.history(instance.id)]
        assert kinds.count("completed") == len(steps) and kinds[-1] == "finished"
