"""Acting officials (Plh./Plt.): a colleague sees and completes an official's tasks during the
period, the audit names both, and the delegation ends by itself; time away without a delegate."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from engine.errors import InvalidInput, NotFound, PermissionDenied
from engine.runtime.lifecycle import Completion
from tests.engine.helpers import ADMIN, NOBODY, holder, run_to_step

WIB = ZoneInfo("Asia/Pontianak")
KABAN = "kepala badan"
OFFICIAL = holder(KABAN)
OTHER_KABAN = holder(KABAN, second=True)
PLH = "sekretaris_badan"  # the Sekretaris acts for the Kepala Badan


def wib(*args: int) -> datetime:
    return datetime(*args, tzinfo=WIB)


@pytest.fixture
def kaban_task(alur, clock):
    """SOP B at step 11 (Kepala Badan's decision), on a Tuesday morning."""
    clock.now = wib(2026, 6, 2, 8, 0)
    instance = alur.start("sop_b", holder("kabid pemerintahan dan sosial budaya"))
    task = run_to_step(alur, instance.id, 11)
    assert task.role == KABAN
    return task


def _ids(tasks) -> list[int]:
    return [t.id for t in tasks]


def test_a_plh_sees_and_completes_the_officials_task_and_the_audit_names_both(
    alur, clock, kaban_task
):
    assert kaban_task.id not in _ids(alur.inbox(PLH))
    with pytest.raises(PermissionDenied):
        alur.complete(kaban_task.id, PLH, Completion(decision="Ya"))
    [made] = alur.delegate(OFFICIAL, PLH, until=wib(2026, 6, 5, 17, 0), by=OFFICIAL, roles=[KABAN])
    assert (made.from_user, made.to_user, made.role, made.in_force) == (OFFICIAL, PLH, KABAN, True)
    assert _ids(alur.inbox(PLH)) == [kaban_task.id]
    assert kaban_task.id in _ids(alur.inbox(OFFICIAL))  # the official still sees it

    clock.now = wib(2026, 6, 2, 10, 0)
    done = alur.complete(kaban_task.id, PLH, Completion(decision="Ya"))
    assert done.completed_by == PLH
    acting = {"user": OFFICIAL, "name": OFFICIAL, "role": "Kepala Badan", "title": "Plh"}
    assert done.data["acting_for"] == acting
    [event] = [e for e in alur.history(kaban_task.instance_id) if e.kind == "completed"][-1:]
    assert (event.actor, event.data["acting_for"]) == (PLH, acting)
    assert alur.instance(kaban_task.instance_id).state == "completed"


def test_the_delegation_ends_by_itself_and_does_not_start_early(alur, clock, kaban_task):
    start, end = wib(2026, 6, 3, 0, 0), wib(2026, 6, 4, 0, 0)
    alur.delegate(OFFICIAL, PLH, until=end, since=start, by=ADMIN)
    with pytest.raises(PermissionDenied):  # not yet
        alur.claim(kaban_task.id, PLH)
    assert alur.inbox(PLH) == []
    assert [d.in_force for d in alur.delegations(PLH)] == [False]  # upcoming is listed

    clock.now = wib(2026, 6, 3, 9, 0)
    assert _ids(alur.inbox(PLH)) == [kaban_task.id]
    alur.claim(kaban_task.id, PLH)
    alur.unclaim(kaban_task.id, PLH)

    clock.now = end  # over: no job ran, the rule compares with the clock
    assert alur.inbox(PLH) == []
    with pytest.raises(PermissionDenied):
        alur.complete(kaban_task.id, PLH, Completion(decision="Ya"))
    assert alur.delegations(PLH) == []  # neither current nor upcoming


def test_a_revoked_delegation_gives_nothing(alur, kaban_task):
    [made] = alur.delegate(OFFICIAL, PLH, until=wib(2026, 6, 5, 17, 0), by=OFFICIAL)
    assert made.role == KABAN  # no role named: every role the official holds
    with pytest.raises(PermissionDenied):  # someone else may not end it
        alur.revoke_delegation(made.id, OTHER_KABAN)
    alur.revoke_delegation(made.id, PLH)  # the delegate may give it back
    assert alur.inbox(PLH) == []
    with pytest.raises(NotFound):
        alur.revoke_delegation(9999, ADMIN)


def test_who_may_delegate_what(alur, kaban_task):
    until = wib(2026, 6, 5, 17, 0)
    with pytest.raises(PermissionDenied):  # another person's roles: only an admin
        alur.delegate(OFFICIAL, PLH, until=until, by=OTHER_KABAN)
    with pytest.raises(PermissionDenied):  # a role the official does not hold
        alur.delegate(PLH, NOBODY, until=until, by=PLH, roles=[KABAN])
    with pytest.raises(InvalidInput):  # nothing to delegate
        alur.delegate(NOBODY, PLH, until=until, by=NOBODY)
    with pytest.raises(InvalidInput):
        alur.delegate(OFFICIAL, OFFICIAL, until=until, by=OFFICIAL)
    # an admin may name an acting official for any role, a vacant post too (Plt.)
    [made] = alur.delegate(PLH, NOBODY, until=until, by=ADMIN, roles=["Kepala Badan"], title="Plt")
    assert (made.role, made.title) == (KABAN, "Plt")
    assert alur.delegations() and all(d.in_force for d in alur.delegations())


@pytest.mark.parametrize(
    ("since", "until"),
    [
        (None, wib(2026, 6, 2, 7, 0)),  # already over
        (wib(2026, 6, 9, 0, 0), wib(2026, 6, 8, 0, 0)),  # ends before it starts
        (None, wib(2026, 6, 2, 8, 0) + timedelta(days=367)),  # more than a year
    ],
)
def test_a_period_must_be_forward_and_bounded(alur, kaban_task, since, until):
    with pytest.raises(InvalidInput):
        alur.delegate(OFFICIAL, PLH, until=until, since=since, by=OFFICIAL)
    assert alur.delegations() == []


def test_tasks_of_a_role_whose_holders_are_all_away_are_flagged(alur, kaban_task):
    until = wib(2026, 6, 5, 17, 0)
    assert alur.uncovered_roles([KABAN]) == set()
    alur.mark_away(OFFICIAL, until, by=OFFICIAL)
    assert alur.uncovered_roles([KABAN]) == set()  # the other Kepala Badan is in
    away = alur.mark_away(OTHER_KABAN, until, by=ADMIN)
    assert alur.uncovered_roles([KABAN]) == {KABAN}
    alur.delegate(OFFICIAL, PLH, until=until, by=OFFICIAL)
    assert alur.uncovered_roles([KABAN]) == set()  # someone acts for them
    assert away.away and away.role is None
