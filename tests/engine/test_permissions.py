"""Who may start, claim, unclaim, reassign and complete: refusals name what was missing."""

from __future__ import annotations

import pytest

from engine.errors import InvalidInput, PermissionDenied
from tests.engine.helpers import (
    ADMIN,
    NOBODY,
    holder,
    only_task,
    role_for,
    run_to_step,
    snapshot,
    starter,
)

KEY = "sop_a"  # 1-3 Kabid, 4-6 Fungsional Tertentu, 8 Fungsional Umum, 11 Sub Koordinator


@pytest.fixture
def instance(alur):
    return alur.start(KEY, starter(alur, KEY), title="Uji izin")


@pytest.fixture
def fungsional_task(alur, instance):
    """The open step 4 (Fungsional Tertentu), a role that is not a supervisor."""
    return run_to_step(alur, instance.id, 4)


def test_completing_another_roles_task_is_refused_naming_the_role(alur, instance):
    task = only_task(alur, instance.id)
    role = role_for(alur, KEY, 1)
    outsider = holder(role_for(alur, KEY, 4))
    before = snapshot(alur, instance.id)
    with pytest.raises(PermissionDenied) as refused:
        alur.complete(task.id, outsider)
    assert f"'{role}'" in refused.value.message
    assert outsider in refused.value.message
    assert snapshot(alur, instance.id) == before
    alur.complete(task.id, holder(role))
    assert only_task(alur, instance.id).step_no == 2


def test_a_claimed_task_is_only_completed_by_its_claimant(alur, fungsional_task):
    role = fungsional_task.role
    first, second = holder(role), holder(role, second=True)
    claimed = alur.claim(fungsional_task.id, first)
    assert claimed.claimed_by == first
    with pytest.raises(PermissionDenied) as refused:
        alur.complete(fungsional_task.id, second)
    assert first in refused.value.message
    assert alur.task(fungsional_task.id).state == "open"
    alur.complete(fungsional_task.id, first)
    assert alur.task(fungsional_task.id).completed_by == first


def test_unclaim_by_someone_else_of_the_same_role_is_refused(alur, fungsional_task):
    role = fungsional_task.role
    alur.claim(fungsional_task.id, holder(role))
    with pytest.raises(PermissionDenied):
        alur.unclaim(fungsional_task.id, holder(role, second=True))
    assert alur.task(fungsional_task.id).claimed_by == holder(role)
    assert alur.unclaim(fungsional_task.id, holder(role)).claimed_by is None


@pytest.mark.parametrize("supervisor", ["kabid", ADMIN])
def test_a_kabid_or_an_admin_may_release_anyones_claim(alur, fungsional_task, supervisor):
    who = holder(role_for(alur, KEY, 1)) if supervisor == "kabid" else ADMIN
    alur.claim(fungsional_task.id, holder(fungsional_task.role))
    for reason in ("", "   "):  # someone else's claim: only with a reason
        with pytest.raises(InvalidInput) as refused:
            alur.unclaim(fungsional_task.id, who, reason=reason)
        assert refused.value.key == "unclaim_reason_required"
        assert alur.task(fungsional_task.id).claimed_by == holder(fungsional_task.role)
    released = alur.unclaim(fungsional_task.id, who, reason="sedang cuti sampai Senin")
    assert released.claimed_by is None
    unclaimed = [e for e in alur.history(fungsional_task.instance_id) if e.kind == "unclaimed"]
    assert [(e.actor, e.data["was"], e.data["reason"]) for e in unclaimed] == [
        (who, holder(fungsional_task.role), "sedang cuti sampai Senin")
    ]
    # released: the second holder may now take it
    assert alur.claim(fungsional_task.id, holder(fungsional_task.role, True)).claimed_by


def test_reassign_only_by_kabid_or_admin_and_only_to_a_holder_of_the_role(alur, fungsional_task):
    role = fungsional_task.role
    kabid = holder(role_for(alur, KEY, 1))
    first, second = holder(role), holder(role, second=True)
    alur.claim(fungsional_task.id, first)

    with pytest.raises(PermissionDenied):
        alur.reassign(fungsional_task.id, to=second, by=first)  # a peer, not a supervisor
    with pytest.raises(InvalidInput) as wrong_role:
        alur.reassign(fungsional_task.id, to=holder(role_for(alur, KEY, 8)), by=kabid)
    assert f"'{role}'" in wrong_role.value.message
    assert alur.task(fungsional_task.id).claimed_by == first

    assert alur.reassign(fungsional_task.id, to=second, by=kabid).claimed_by == second
    with pytest.raises(PermissionDenied):
        alur.complete(fungsional_task.id, first)
    assert alur.reassign(fungsional_task.id, to=first, by=ADMIN).claimed_by == first
    alur.complete(fungsional_task.id, first)
    events = [e for e in alur.history(fungsional_task.instance_id) if e.kind == "reassigned"]
    assert [(e.actor, e.data["to"]) for e in events] == [(kabid, second), (ADMIN, first)]


@pytest.mark.parametrize("who", ["fungsional", NOBODY])
def test_starting_without_the_starter_role_is_refused(alur, who):
    username = holder(role_for(alur, KEY, 4)) if who == "fungsional" else who
    with pytest.raises(PermissionDenied) as refused:
        alur.start(KEY, username)
    assert alur.definition(KEY).starter_roles[0] in refused.value.message
    assert alur.instances() == []
    assert alur.start(KEY, ADMIN).state == "running"  # an admin may start anything
