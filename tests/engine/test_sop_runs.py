"""The six SOPs end to end through the engine API, by users holding each step's lane role."""

from __future__ import annotations

import pytest

from engine.runtime.lifecycle import Completion
from engine.storage.tables import HumanTask
from tests.engine.helpers import (
    PROCESS_KEYS,
    complete_step,
    only_task,
    role_for,
    starter,
    step_of,
    user_for,
)


@pytest.fixture(params=PROCESS_KEYS)
def process_key(request) -> str:
    return request.param


def test_all_ya_runs_every_step_in_order_and_finishes(alur, process_key):
    definition = alur.definition(process_key)
    steps = definition.sop["steps"]
    decisions = {s["no"] for s in steps if s["decision"]}
    instance = alur.start(process_key, starter(alur, process_key), title="Uji Ya")
    seen: list[HumanTask] = []
    while alur.instance(instance.id).state == "running":
        task = only_task(alur, instance.id)
        step = step_of(alur, process_key, task.step_no)
        assert (task.lane, task.role) == (step["actor"], role_for(alur, process_key, step["no"]))
        assert task.name == step["activity"]
        decision = "Ya" if step["decision"] else None
        alur.complete(task.id, user_for(alur, process_key, task.step_no), Completion(decision))
        seen.append(task)

    assert [t.step_no for t in seen] == [s["no"] for s in steps]
    final = alur.instance(instance.id)
    assert final.state == "completed" and final.ended_at is not None
    assert alur.tasks() == []
    for task in seen:
        done = alur.task(task.id)
        assert done.state == "completed"
        assert done.completed_by == user_for(alur, process_key, task.step_no)
    events = alur.history(instance.id)
    assert [e.kind for e in events] == [
        "started",
        *["task_created", "completed"] * len(steps),
        "finished",
    ]
    assert [e.step_no for e in events if e.kind == "completed"] == [s["no"] for s in steps]
    assert [e.human_task_id for e in events if e.kind == "task_created"] == [t.id for t in seen]
    decided = [e for e in events if e.kind == "completed" and e.step_no in decisions]
    assert [e.data["decision"] for e in decided] == ["Ya"] * len(decisions)


def test_each_tidak_sends_the_draft_back_to_its_writer(alur, process_key):
    steps = alur.definition(process_key).sop["steps"]
    decisions = {s["no"]: s["decision"] for s in steps if s["decision"]}
    instance = alur.start(process_key, starter(alur, process_key))
    refused: set[int] = set()
    sent_back = 0
    while alur.instance(instance.id).state == "running":
        task = only_task(alur, instance.id)
        if task.step_no in decisions and task.step_no not in refused:
            refused.add(task.step_no)
            reviewer = user_for(alur, process_key, task.step_no)
            reason = f"langkah {task.step_no}: data belum lengkap"
            alur.complete(task.id, reviewer, Completion("Tidak", note=reason))
            sent_back += 1
            back = only_task(alur, instance.id)
            assert back.step_no == decisions[task.step_no]["no"]
            returned = back.data["dikembalikan"]
            assert returned["reason"] == reason
            assert returned["by"] == reviewer
            assert returned["from_step"] == task.step_no
            assert alur.task(task.id).decision == "Tidak"
        else:
            complete_step(alur, task)

    assert refused == set(decisions)
    assert alur.instance(instance.id).state == "completed"
    events = alur.history(instance.id)
    backs = [e for e in events if e.kind == "sent_back"]
    assert len(backs) == sent_back == len(decisions)
    assert sorted(e.step_no for e in backs) == sorted(decisions)
    assert all(e.data["reason"].startswith(f"langkah {e.step_no}:") for e in backs)
    assert events[-1].kind == "finished"
