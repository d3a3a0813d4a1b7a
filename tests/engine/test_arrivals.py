"""Notifications when work arrives, written by the transaction that makes it (no worker runs
here): a new task for my role, a task returned or reassigned to me, a process I started finished."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

from engine.notifications import FINISHED, MAIL, NEW_TASK, REASSIGNED, RETURNED
from engine.runtime.lifecycle import Completion
from engine.storage.tables import Notification
from tests.engine.helpers import ADMIN, finish, holder, only_task, run_to_step

WIB = ZoneInfo("Asia/Pontianak")
KABID = "kabid pemerintahan dan sosial budaya"


def kinds(alur, username: str) -> list[tuple[str, int | None]]:
    return [(n.kind, n.human_task_id) for n in alur.notifications(username, unread_only=True)]


def test_a_new_task_rings_its_roles_bell_at_once_and_leaves_it_when_done(alur):
    instance = alur.start("sop_b", holder(KABID))
    first = only_task(alur, instance.id)
    assert first.role == KABID
    for person in (holder(KABID), holder(KABID, second=True)):
        assert alur.unread_count(person) == 1
        assert kinds(alur, person) == [(NEW_TASK, first.id)]
    assert alur.unread_count(holder("fungsional umum")) == 0
    # one person reading it leaves it unread for the other holder
    assert alur.mark_read(holder(KABID, second=True)) == 1
    assert alur.unread_count(holder(KABID, second=True)) == 0
    assert alur.unread_count(holder(KABID)) == 1
    alur.complete(first.id, holder(KABID))  # step 2 is the Kabid's again
    second = only_task(alur, instance.id)
    assert kinds(alur, holder(KABID, second=True)) == [(NEW_TASK, second.id)]
    with alur.session() as s:  # one row per task for the whole role, not one per holder
        rows = s.scalars(select(Notification).where(Notification.human_task_id == second.id))
        assert [(n.kind, n.username, n.role) for n in rows] == [(NEW_TASK, "", KABID)]


def test_a_claimed_task_leaves_the_other_holders_bell(alur):
    task = only_task(alur, alur.start("sop_b", holder(KABID)).id)
    alur.claim(task.id, holder(KABID))
    assert alur.unread_count(holder(KABID, second=True)) == 0
    assert alur.unread_count(holder(KABID)) == 1


def test_a_sent_back_task_tells_who_did_the_step_before(alur):
    instance = alur.start("sop_b", holder(KABID))
    review = run_to_step(alur, instance.id, 8)  # the Sub Koordinator's check
    alur.complete(review.id, holder(review.role), Completion(decision="Tidak", note="Lengkapi"))
    back = only_task(alur, instance.id)
    done_before = holder(back.role)  # run_to_step completes as the first holder
    notes = [n for n in alur.notifications(done_before) if n.kind == RETURNED]
    assert [n.human_task_id for n in notes] == [back.id]
    assert "Lengkapi" in notes[0].message
    assert RETURNED not in [k for k, _ in kinds(alur, holder(back.role, second=True))]


def test_a_reassigned_task_tells_its_new_holder(alur):
    task = only_task(alur, alur.start("sop_b", holder(KABID)).id)
    alur.reassign(task.id, holder(KABID, second=True), ADMIN)
    assert (REASSIGNED, task.id) in kinds(alur, holder(KABID, second=True))
    assert REASSIGNED not in [k for k, _ in kinds(alur, holder(KABID))]


def test_the_starter_hears_that_the_process_finished(alur):
    instance = alur.start("sop_c_1", holder(alur.definition("sop_c_1").starter_roles[0]))
    finish(alur, instance.id)
    starter = instance.started_by
    assert [n.instance_id for n in alur.notifications(starter) if n.kind == FINISHED] == [
        instance.id
    ]


def test_an_acting_official_hears_of_the_officials_new_task(alur, clock):
    clock.now = datetime(2026, 6, 2, 8, 0, tzinfo=WIB)
    instance = alur.start("sop_b", holder(KABID))
    plh = holder("sekretaris badan")
    alur.delegate(holder("kepala badan"), plh, until=datetime(2026, 6, 30, tzinfo=WIB), by=ADMIN)
    task = run_to_step(alur, instance.id, 11)
    assert (NEW_TASK, task.id) in kinds(alur, plh)


def test_email_is_queued_only_for_people_with_an_address_who_want_each_mail(make_alur):
    alur = make_alur(email=True)
    alur.set_email(holder(KABID), "kabid@bappeda.test")
    alur.set_email(holder("fungsional umum"), "umum@bappeda.test")
    alur.set_digest(holder("fungsional umum"), True)  # a daily digest instead
    instance = alur.start("sop_b", holder(KABID))
    task = only_task(alur, instance.id)
    with alur.session() as s:
        mails = s.scalars(select(Notification).where(Notification.email_to.is_not(None))).all()
        assert [(n.kind, n.username, n.email_to, n.human_task_id) for n in mails] == [
            (MAIL, holder(KABID), "kabid@bappeda.test", task.id)
        ]
    assert alur.unread_count(holder(KABID)) == 1  # the e-mail copy is not in the bell
    alur.complete(task.id, holder(KABID))
    step_3 = run_to_step(alur, instance.id, 3)  # the Fungsional Umum's step: a digest person
    with alur.session() as s:
        queued = s.scalars(
            select(Notification.email_to).where(Notification.human_task_id == step_3.id)
        ).all()
        assert queued == [None]


def test_no_email_is_queued_without_smtp(alur):
    alur.set_email(holder(KABID), "kabid@bappeda.test")
    alur.start("sop_b", holder(KABID))
    with alur.session() as s:
        assert s.scalars(select(Notification.email_to)).all() == [None]
