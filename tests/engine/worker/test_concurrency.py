"""Three worker processes, each with its own engine, on one database: no job is done twice."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from engine.storage.tables import Event, HumanTask, Instance, Notification
from engine.worker import WorkerSettings
from tests.barrier_pool import barrier_pool
from tests.engine.worker.helpers import DEADLINE, TIMER, wait_until, worker_round

WORKERS = 3
TIMERS, DEADLINES = 15, 25
TIMEOUT = 300  # seconds for one round of all workers; a hang fails the test instead of the run


@pytest.fixture(scope="module")
def pool():
    """WORKERS spawned processes that meet at a barrier before each round, so rounds overlap."""
    with barrier_pool(WORKERS) as workers:
        yield workers


def run_rounds(pool, url, settings, now) -> list[dict]:
    calls = [(url, settings, now)] * WORKERS
    return pool.starmap_async(worker_round, calls).get(timeout=TIMEOUT)


def total(reports: list[dict], key: str) -> int:
    return sum(r[key] for r in reports)


def test_three_workers_do_every_job_exactly_once(alur, pool, mailbox, smtp):
    timer_ids = [alur.start(TIMER, "ana", title=f"Timer {i}").id for i in range(TIMERS)]
    for i in range(DEADLINES):
        alur.start(DEADLINE, "ana", title=f"Tenggat {i}")
    revisions = {i: alur.instance(i).revision for i in timer_ids}
    wait_until(max(alur.instance(i).next_wakeup_at for i in timer_ids))
    url = alur.settings.database_url
    settings = replace(WorkerSettings(), batch=4, smtp=smtp)  # small pages: more interleaving
    now = alur.instance(timer_ids[0]).started_at + timedelta(days=30)

    reports = run_rounds(pool, url, settings, now)
    assert total(reports, "errors") == 0, reports
    tasks = TIMERS + DEADLINES
    holders, supervisors = 3, 2  # ana, budi, eko; citra (Kabid) and dewi (admin)
    assert total(reports, "timers") == TIMERS, reports
    assert total(reports, "overdue") == tasks, reports
    assert total(reports, "reminders") == tasks * holders, reports
    assert total(reports, "escalated") == tasks, reports
    assert total(reports, "escalations") == tasks * supervisors, reports
    emailed = tasks * (holders - 1 + supervisors)  # eko has no address
    assert total(reports, "emailed") == emailed and total(reports, "email_failed") == 0

    with alur.session() as s:
        for instance_id in timer_ids:  # each timer fired once: one wake-up, one task
            created = s.scalars(
                select(Event).where(Event.instance_id == instance_id, Event.kind == "task_created")
            ).all()
            assert len(created) == 1, instance_id
            assert s.get(Instance, instance_id).revision == revisions[instance_id] + 1
        open_tasks = s.scalars(select(HumanTask).where(HumanTask.state == "open")).all()
        assert len(open_tasks) == tasks
        assert all(t.overdue and t.escalated_at == now for t in open_tasks)
        per_key = Counter(
            s.execute(
                select(Notification.human_task_id, Notification.kind, Notification.username).where(
                    Notification.kind.in_(("reminder", "escalation"))  # the worker's own
                )
            ).all()
        )
        assert len(per_key) == tasks * (holders + supervisors) and set(per_key.values()) == {1}
        assert s.scalar(select(func.count()).where(Notification.emailed_at.is_not(None))) == emailed

    # every message arrived once: one (recipient, subject, body) each
    arrived = Counter(
        (tos[0], str(m["Subject"]), m.get_payload()) for _, tos, m in mailbox.messages
    )
    assert len(arrived) == emailed and set(arrived.values()) == {1}
    assert all(len(tos) == 1 for _, tos, _ in mailbox.messages)

    again = run_rounds(pool, url, settings, now + timedelta(days=1))
    assert all(r == dict.fromkeys(r, 0) for r in again), (
        again
    )  # nothing left to do, nothing done twice
    assert len(mailbox.messages) == emailed
