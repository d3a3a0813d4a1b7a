"""Due dates from the Mutu Baku Waktu in office working time; overdue tasks; time worked."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from engine.inbox import InboxFilter
from tests.engine.helpers import complete_step, holder, only_task, run_to_step, starter

WIB = ZoneInfo("Asia/Pontianak")  # Ketapang, UTC+7
KEY = "sop_a"  # step 1: 300 Menit, step 5: "-", step 6: 2.550 menit


def wib(*args: int) -> datetime:
    return datetime(*args, tzinfo=WIB)


def test_due_dates_follow_the_office_calendar_over_a_long_weekend(alur, clock):
    # Friday 29 May 2026, 14:00; Sat 30, Sun 31 (Waisak) and Mon 1 June (Pancasila) are off.
    clock.now = wib(2026, 5, 29, 14, 0)
    instance = alur.start(KEY, starter(alur, KEY))
    first = only_task(alur, instance.id)
    # 300 min: Fri 14:00-16:30 = 150, then Tue 2 June 07:30 + 150 = 10:00
    assert first.created_at == clock.now
    assert first.due_at == wib(2026, 6, 2, 10, 0)

    no_time = run_to_step(alur, instance.id, 5)
    assert no_time.due_at is None  # Waktu "-"
    complete_step(alur, no_time)
    task = only_task(alur, instance.id)
    assert task.step_no == 6
    # 2.550 min: Fri 150 -> 2400; Tue-Thu 3 x 510 -> 870; Fri 5 June 540 -> 330;
    # Mon 8 June 07:30 + 330 min = 13:00
    assert task.due_at == wib(2026, 6, 8, 13, 0)

    fungsional = holder(task.role)
    overdue, on_time = InboxFilter(overdue=True), InboxFilter(overdue=False)
    clock.now = wib(2026, 6, 8, 12, 59)
    assert [t.id for t in alur.inbox(fungsional, overdue)] == []
    assert [t.id for t in alur.inbox(fungsional, on_time)] == [task.id]
    clock.now = wib(2026, 6, 8, 13, 1)
    assert [t.id for t in alur.inbox(fungsional, overdue)] == [task.id]
    assert [t.id for t in alur.inbox(fungsional, on_time)] == []
    assert [t.id for t in alur.tasks(task.role, overdue)] == [task.id]

    complete_step(alur, task)
    done = alur.task(task.id)
    assert done.completed_at == wib(2026, 6, 8, 13, 1)
    assert done.working_minutes == 2551  # one working minute late
    assert alur.task(first.id).working_minutes == 0  # done the minute it was created


def test_time_worked_skips_nights_weekends_and_holidays(alur, clock):
    clock.now = wib(2026, 5, 29, 16, 0)  # Friday, half an hour before closing
    instance = alur.start(KEY, starter(alur, KEY))
    task = only_task(alur, instance.id)
    clock.now = wib(2026, 6, 2, 8, 0)  # Tuesday after the long weekend, 30 min after opening
    complete_step(alur, task)
    assert alur.task(task.id).working_minutes == 60
