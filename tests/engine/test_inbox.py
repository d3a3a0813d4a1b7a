"""Inboxes: a user sees the open tasks of their roles, soonest due first; lanes map to roles."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from engine.inbox import InboxFilter
from engine.runtime.lifecycle import Completion
from tests.engine.helpers import NOBODY, holder, only_task, role_for, run_to_step, starter

WIB = ZoneInfo("Asia/Pontianak")


def wib(*args: int) -> datetime:
    return datetime(*args, tzinfo=WIB)


@pytest.fixture
def kabid_tasks(alur, clock):
    """Open Kabid tasks: sop_c_3/1 due 16:00, sop_a/1 due 13:00, sop_b/1 due 14:00, sop_d/6 none."""
    clock.now = wib(2026, 6, 2, 8, 0)  # Tuesday
    c3 = alur.start("sop_c_3", starter(alur, "sop_c_3"))  # 480 menit
    a = alur.start("sop_a", starter(alur, "sop_a"))  # 300 menit
    d = alur.start("sop_d", starter(alur, "sop_d"))
    d6 = run_to_step(alur, d.id, 6)  # Waktu "-": no due date
    clock.now = wib(2026, 6, 2, 9, 0)
    b = alur.start("sop_b", starter(alur, "sop_b"))  # 300 menit
    tasks = {i.process_key: only_task(alur, i.id) for i in (c3, a, b)} | {"sop_d": d6}
    assert [tasks[k].due_at for k in ("sop_a", "sop_b", "sop_c_3", "sop_d")] == [
        wib(2026, 6, 2, 13, 0),
        wib(2026, 6, 2, 14, 0),
        wib(2026, 6, 2, 16, 0),
        None,
    ]
    return tasks


def _ids(tasks) -> list[int]:
    return [t.id for t in tasks]


def test_the_inbox_lists_the_roles_open_tasks_soonest_due_first(alur, kabid_tasks):
    kabid = holder(kabid_tasks["sop_a"].role)
    order = ["sop_a", "sop_b", "sop_c_3", "sop_d"]
    assert _ids(alur.inbox(kabid)) == [kabid_tasks[k].id for k in order]
    assert _ids(alur.inbox(holder(kabid_tasks["sop_a"].role, second=True))) == _ids(
        alur.inbox(kabid)
    )
    for other in (holder(role_for(alur, "sop_a", 4)), holder(role_for(alur, "sop_a", 8)), NOBODY):
        assert alur.inbox(other) == []


def test_a_claimed_task_leaves_the_other_holders_inbox(alur, kabid_tasks):
    role = kabid_tasks["sop_a"].role
    first, second = holder(role), holder(role, second=True)
    claimed = kabid_tasks["sop_b"]
    alur.claim(claimed.id, second)
    assert claimed.id not in _ids(alur.inbox(first))
    assert claimed.id in _ids(alur.inbox(second))
    assert _ids(alur.inbox(second, InboxFilter(mine_only=True))) == [claimed.id]
    assert claimed.id not in _ids(alur.inbox(second, InboxFilter(unclaimed_only=True)))
    alur.complete(claimed.id, second)
    assert claimed.id not in _ids(alur.inbox(second))


def test_the_inbox_count_every_page_shows_follows_the_inbox(alur, kabid_tasks):
    role = kabid_tasks["sop_a"].role
    first, second = holder(role), holder(role, second=True)
    assert alur.nav(first).inbox_count == len(alur.inbox(first)) == 4
    alur.claim(kabid_tasks["sop_b"].id, second)
    assert alur.nav(first).inbox_count == len(alur.inbox(first)) == 3
    assert alur.nav(second).inbox_count == 4
    assert alur.nav(NOBODY).inbox_count == 0


def test_filter_by_process_and_by_overdue(alur, kabid_tasks, clock):
    kabid = holder(kabid_tasks["sop_a"].role)
    assert _ids(alur.inbox(kabid, InboxFilter(process="sop_c_3"))) == [kabid_tasks["sop_c_3"].id]
    overdue = InboxFilter(overdue=True)
    clock.now = wib(2026, 6, 2, 13, 30)
    assert _ids(alur.inbox(kabid, overdue)) == [kabid_tasks["sop_a"].id]
    clock.now = wib(2026, 6, 2, 14, 30)
    assert _ids(alur.inbox(kabid, overdue)) == [kabid_tasks[k].id for k in ("sop_a", "sop_b")]
    on_time = _ids(alur.inbox(kabid, InboxFilter(overdue=False)))
    assert on_time == [kabid_tasks[k].id for k in ("sop_c_3", "sop_d")]  # no due: never late
    late_a = InboxFilter(process="sop_a", overdue=True)
    assert _ids(alur.inbox(kabid, late_a)) == [kabid_tasks["sop_a"].id]


def test_a_role_map_points_two_differently_named_lanes_at_one_role(alur, make_alur):
    mapped = make_alur(
        role_map={
            "lanes": {
                "Sub. Koordinator Pemerintahan": "Sub Koordinator",
                "sub koordinator  SOSIAL budaya": "sub. koordinator",
            }
        }
    )
    mapped.add_user("sub_koordinator", ["Sub Koordinator"])
    a = mapped.start("sop_a", starter(mapped, "sop_a"))
    c1 = mapped.start("sop_c_1", starter(mapped, "sop_c_1"))
    review_a = run_to_step(mapped, a.id, 11)  # lane "Sub. Koordinator Pemerintahan"
    review_c1 = run_to_step(mapped, c1.id, 7)  # lane "Sub. Koordinator Sosial Budaya"

    assert {review_a.lane, review_c1.lane} == {
        "Sub. Koordinator Pemerintahan",
        "Sub. Koordinator Sosial Budaya",
    }
    assert review_a.role == review_c1.role == "sub koordinator"
    assert sorted(_ids(mapped.inbox("sub_koordinator"))) == [review_a.id, review_c1.id]
    assert mapped.inbox("sub_koordinator_pemerintahan") == []
    assert mapped.inbox("sub_koordinator_sosial_budaya") == []
    mapped.complete(review_a.id, "sub_koordinator", Completion("Ya"))
    mapped.complete(review_c1.id, "sub_koordinator", Completion("Ya"))
    assert mapped.inbox("sub_koordinator") == []
