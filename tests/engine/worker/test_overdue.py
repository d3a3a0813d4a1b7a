"""Overdue tasks: flagged once, their holders reminded once, supervisors told after a day."""

from __future__ import annotations

from datetime import timedelta

import psycopg
import pytest
from sqlalchemy import select, update

from engine.inbox import InboxFilter
from engine.notifications import ESCALATION, REMINDER
from engine.sop import Waktu
from engine.storage.tables import HumanTask, Notification
from tests.engine.worker.helpers import DEADLINE, KABID, STAFF, STAFF_ACTIVE

MINUTE = timedelta(minutes=1)


def first_task(alur, instance_id) -> HumanTask:
    (task,) = alur.tasks(flt=InboxFilter(instance_id=instance_id))
    return task


def notes(alur, kind: str | None = None) -> list[tuple[int, str, str]]:
    """(task, kind, user) of every notification the worker wrote (or of one kind), sorted."""
    kinds = (kind,) if kind else (REMINDER, ESCALATION)
    with alur.session() as s:
        rows = s.scalars(select(Notification))
        return sorted((n.human_task_id, n.kind, n.username) for n in rows if n.kind in kinds)


def escalation_time(alur, task: HumanTask, after: str = "1 hari kerja"):
    return alur.calendar.due(task.due_at, Waktu.parse(after))


def test_overdue_tasks_are_flagged_and_their_holders_reminded_once(alur, make_worker):
    tasks = [first_task(alur, alur.start(DEADLINE, "ana", title=f"Draf {i}").id) for i in (1, 2)]
    due = max(t.due_at for t in tasks)
    worker = make_worker()

    early = worker.run_round(now=min(t.due_at for t in tasks) - MINUTE)
    assert (early.overdue, early.reminders) == (0, 0)
    assert not any(alur.task(t.id).overdue for t in tasks)

    report = worker.run_round(now=due + MINUTE)
    assert (report.overdue, report.reminders, report.escalated) == (2, 6, 0)
    assert all(alur.task(t.id).overdue for t in tasks)
    # every active holder of the role; fajar is inactive, citra holds another role
    expected = sorted((t.id, REMINDER, u) for t in tasks for u in STAFF_ACTIVE)
    assert notes(alur) == expected

    again = worker.run_round(now=due + 2 * MINUTE)
    assert (again.overdue, again.reminders) == (0, 0)
    assert notes(alur) == expected

    (latest, older) = [n for n in alur.notifications("ana") if n.kind == REMINDER]
    assert latest.kind == REMINDER and latest.human_task_id in {t.id for t in tasks}
    assert latest.subject == "Tugas terlambat: Menyusun draf"
    assert "melewati tenggat" in latest.message and "Draf " in latest.message
    assert f"(instans #{latest.instance_id})" in latest.message
    assert latest.read_at is None and latest.email_to is None  # no SMTP configured


def test_a_claimed_or_assigned_task_reminds_only_that_person(alur, make_worker):
    claimed = first_task(alur, alur.start(DEADLINE, "ana").id)
    alur.claim(claimed.id, "budi")
    assigned = first_task(alur, alur.start(DEADLINE, "ana").id)
    with alur.session() as s:  # as a role map's "users" entry names a person for a lane
        s.execute(update(HumanTask).where(HumanTask.id == assigned.id).values(assignee="eko"))
    report = make_worker().run_round(now=max(claimed.due_at, assigned.due_at) + MINUTE)
    assert report.overdue == 2
    assert notes(alur) == sorted([(claimed.id, REMINDER, "budi"), (assigned.id, REMINDER, "eko")])


def test_completed_and_undated_tasks_are_never_overdue(alur, make_worker):
    done = first_task(alur, alur.start(DEADLINE, "ana").id)
    alur.complete(done.id, "ana")
    with alur.session() as s:
        s.execute(update(HumanTask).where(HumanTask.state == "open").values(due_at=None))
    report = make_worker().run_round(now=done.due_at + timedelta(days=30))
    assert (report.overdue, report.reminders, report.escalated) == (0, 0, 0)
    assert notes(alur) == []


def test_supervisors_are_told_after_one_working_day_late(alur, make_worker):
    task = first_task(alur, alur.start(DEADLINE, "ana").id)
    worker = make_worker()
    worker.run_round(now=task.due_at + MINUTE)
    at = escalation_time(alur, task)
    assert at - task.due_at >= timedelta(hours=8)  # a working day, not a minute

    assert worker.run_round(now=at - MINUTE).escalated == 0
    report = worker.run_round(now=at)
    assert (report.escalated, report.escalations) == (1, 2)
    assert notes(alur, ESCALATION) == [
        (task.id, ESCALATION, "citra"),
        (task.id, ESCALATION, "dewi"),
    ]
    assert alur.task(task.id).escalated_at == at
    (note,) = [n for n in alur.notifications("citra") if n.kind == ESCALATION]
    assert note.subject == "Eskalasi: tugas terlambat: Menyusun draf"
    assert f"untuk peran {STAFF}" in note.message and "lebih dari 1 hari kerja" in note.message

    later = worker.run_round(now=at + timedelta(days=10))
    assert (later.escalated, later.escalations) == (0, 0)
    assert len(notes(alur, ESCALATION)) == 2


def test_escalation_skips_the_holders_themselves(alur, make_worker):
    """A Kabid's own late task goes to the other supervisors (here the admin), not to her."""
    first = first_task(alur, alur.start(DEADLINE, "ana").id)
    alur.complete(first.id, "ana")
    review = first_task(alur, first.instance_id)
    assert review.role == KABID
    make_worker().run_round(now=escalation_time(alur, review) + MINUTE)
    assert notes(alur) == [(review.id, ESCALATION, "dewi"), (review.id, REMINDER, "citra")]


def test_the_escalation_delay_is_configurable(alur, make_worker):
    task = first_task(alur, alur.start(DEADLINE, "ana").id)
    worker = make_worker(escalate_after=Waktu.parse("2 jam"))
    at = escalation_time(alur, task, "2 jam")
    assert task.due_at < at < escalation_time(alur, task)
    assert worker.run_round(now=at - MINUTE).escalated == 0
    assert worker.run_round(now=at).escalated == 1


def test_many_overdue_tasks_are_paged_through_in_one_round(alur, make_worker):
    tasks = [first_task(alur, alur.start(DEADLINE, "ana").id) for _ in range(7)]
    now = escalation_time(alur, max(tasks, key=lambda t: t.due_at)) + MINUTE
    report = make_worker(batch=3).run_round(now=now)
    assert (report.overdue, report.reminders) == (7, 21)
    assert (report.escalated, report.escalations) == (7, 14)


def test_the_bell(alur, make_worker):
    tasks = [first_task(alur, alur.start(DEADLINE, "ana").id) for _ in range(3)]
    # the new tasks are in the bell at once, one role-addressed note each, read per person
    assert alur.unread_count("ana") == alur.unread_count("budi") == 3
    assert alur.mark_read("ana") == 3 and alur.unread_count("ana") == 0
    assert alur.unread_count("budi") == 3 and alur.mark_read("budi") == 3
    make_worker().run_round(now=max(t.due_at for t in tasks) + MINUTE)
    assert alur.unread_count("ana") == 3 and alur.unread_count("tamu") == 0
    newest = alur.notifications("ana", limit=2)
    assert len(newest) == 2 and newest[0].id > newest[1].id
    others = [n.id for n in alur.notifications("budi")]
    assert alur.mark_read("ana", [newest[0].id, *others]) == 1  # only her own
    assert alur.unread_count("ana") == 2 and alur.unread_count("budi") == 3
    reminders = [n.id for n in alur.notifications("ana") if n.kind == REMINDER]
    assert [n.id for n in alur.notifications("ana", unread_only=True)] == reminders[1:]
    assert alur.mark_read("ana") == 2 and alur.unread_count("ana") == 0
    assert alur.mark_read("ana") == 0
    assert all(n.read_at is not None for n in alur.notifications("ana"))


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_a_task_being_completed_is_skipped_not_waited_for(alur, make_worker):
    task = first_task(alur, alur.start(DEADLINE, "ana").id)
    with psycopg.connect(alur.settings.database_url) as other:
        other.execute("SELECT id FROM human_tasks WHERE id = %s FOR UPDATE", (task.id,))
        report = make_worker().run_round(now=task.due_at + MINUTE)
        assert (report.overdue, report.reminders) == (0, 0)
    assert make_worker().run_round(now=task.due_at + MINUTE).overdue == 1


def test_a_round_reads_the_engine_clock(alur, make_worker, clock):
    """Without `now`, the worker's deadline is the clock the Alur was built with."""
    task = first_task(alur, alur.start(DEADLINE, "ana", title="Draf jam").id)
    worker = make_worker()
    clock.now = task.due_at - MINUTE
    assert worker.run_round().overdue == 0
    clock.now = task.due_at + MINUTE
    assert worker.run_round().overdue == 1
    (note,) = [
        n for n in alur.notifications("ana") if n.human_task_id == task.id and n.kind == REMINDER
    ]
    assert note.created_at == clock.now
