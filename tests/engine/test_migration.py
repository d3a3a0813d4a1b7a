"""Moving running instances to a new version of their SOP: plan, refuse with a reason, migrate.

The new versions are edited copies of bpmn/sop_b.bpmn, as an analyst saves them from a BPMN
editor (ids stay, a new element gets a new id). Every migrated instance is then run to its end by
another engine that has nothing cached, through the normal completion path.
"""

from __future__ import annotations

import pytest

from engine import migration
from engine.errors import Conflict, PermissionDenied
from engine.storage.tables import Instance
from engine.waktu import Waktu
from tests.barrier_pool import barrier_pool
from tests.engine import migration_edits
from tests.engine.helpers import (
    BPMN_DIR,
    complete_step,
    deploy_approved,
    finish,
    holder,
    only_task,
    race_complete,
    run_to_step,
    starter,
)

KEY = "sop_b"
ANALYST = "analis"
SOURCE = (BPMN_DIR / "sop_b.bpmn").read_bytes()
LATER = list(range(4, 12))  # the steps after step 3, in order, all answered Ya


@pytest.fixture
def alur(alur):
    alur.add_user(ANALYST, [ANALYST])
    return alur


def _deploy(alur, data: bytes) -> int:
    (deployed,) = deploy_approved(alur, [("sop_b.bpmn", data)], ANALYST)
    return deployed.definition.version


def _at_step(alur, step_no: int, claim: bool = True):
    """An instance of version 1 whose open task is step_no, claimed by a holder of its role."""
    instance = alur.start(KEY, starter(alur, KEY), version=1)
    task = run_to_step(alur, instance.id, step_no)
    if claim:
        alur.claim(task.id, holder(task.role))
    return instance, alur.task(task.id)


def _event(alur, instance_id: int, kind: str):
    (event,) = [e for e in alur.history(instance_id) if e.kind == kind]
    return event


def _finish_cold(make_alur, instance_id: int) -> list[int]:
    fresh = make_alur()  # another engine: nothing cached, the migrated workflow is read back
    done = finish(fresh, instance_id)
    assert fresh.instance(instance_id).state == "completed"
    return done


def test_a_changed_waktu_moves_the_instance_and_its_open_task_keeps_its_identity(alur, make_alur):
    instance, task = _at_step(alur, 3)
    v2 = _deploy(alur, migration_edits.set_waktu(SOURCE, "Langkah_3", "3 Hari Kerja"))

    (planned,) = alur.plan_migration(KEY, 1, v2, ANALYST)
    assert planned.status == "migratable" and planned.reasons == []
    assert planned.tasks == [{"task": task.id, "old_step": 3, "new_step": 3, "action": "kept"}]
    assert alur.instance(instance.id).definition.version == 1  # a plan changes nothing

    (done,) = alur.migrate(KEY, 1, v2, ANALYST, note="Waktu langkah 3 direvisi")
    assert done.status == "migrated"
    after = alur.task(task.id)
    assert (after.state, after.claimed_by, after.task_id) == ("open", task.claimed_by, task.task_id)
    expected = alur.calendar.due(task.created_at, Waktu.parse("3 hari kerja"))
    assert after.due_at == expected != task.due_at
    moved = alur.instance(instance.id)
    assert (moved.definition.version, moved.state) == (v2, "running")
    event = _event(alur, instance.id, "migrated")
    assert event.actor == ANALYST and event.data["note"] == "Waktu langkah 3 direvisi"
    assert (event.data["from_version"], event.data["to_version"]) == (1, v2)
    (change,) = event.data["tasks"]
    assert change["old_due_at"] == task.due_at.isoformat()
    assert change["new_due_at"] == expected.isoformat()
    kinds = [e.kind for e in alur.history(instance.id)]
    assert kinds[-3:] == ["suspended", "migrated", "resumed"]
    assert _finish_cold(make_alur, instance.id) == [3, *LATER]


def test_a_removed_current_step_is_refused_until_it_is_mapped(alur, make_alur):
    instance, task = _at_step(alur, 3)
    v2 = _deploy(alur, migration_edits.remove(SOURCE, "Langkah_3"))

    (planned,) = alur.plan_migration(KEY, 1, v2, ANALYST)
    assert planned.status == "refused"
    assert [(r.key, r.params["element"]) for r in planned.reasons] == [
        ("migration_current_removed", "Langkah_3")
    ]
    assert "tidak ada di versi baru" in planned.reasons[0].message
    (refused,) = alur.migrate(KEY, 1, v2, ANALYST)
    assert refused.status == "refused"
    still = alur.instance(instance.id)
    assert (still.definition.version, still.state) == (1, "running")
    assert alur.task(task.id).state == "open"

    (done,) = alur.migrate(KEY, 1, v2, ANALYST, mapping={"Langkah_3": "Langkah_4"})
    assert done.status == "migrated"
    after = only_task(alur, instance.id)
    assert after.id == task.id and after.step_no == 4
    assert after.name == alur.definition(KEY, v2).model.find(4).activity
    # step 4 is another lane's: the claim of step 3's holder is released, and recorded
    assert after.claimed_by is None and after.role != task.role
    (change,) = _event(alur, instance.id, "migrated").data["tasks"]
    assert change["claim_released"] == task.claimed_by
    assert _event(alur, instance.id, "migrated").data["mapping"] == {"Langkah_3": "Langkah_4"}
    assert _finish_cold(make_alur, instance.id) == LATER


def test_a_renamed_step_is_matched_by_the_mapping_and_keeps_its_claim(alur, make_alur):
    instance, task = _at_step(alur, 3)
    renamed = "Menyiapkan undangan rapat OPD (revisi)"
    v2 = _deploy(alur, migration_edits.rename_id(SOURCE, "Langkah_3", "Undangan_OPD", renamed))
    (planned,) = alur.plan_migration(KEY, 1, v2, ANALYST)
    assert [r.key for r in planned.reasons] == ["migration_current_removed"]

    (done,) = alur.migrate(KEY, 1, v2, ANALYST, mapping={"Langkah_3": "Undangan_OPD"})
    assert done.status == "migrated"
    after = alur.task(task.id)
    assert (after.state, after.name, after.claimed_by) == ("open", renamed, task.claimed_by)
    assert _finish_cold(make_alur, instance.id) == [3, *LATER]


def test_a_step_inserted_before_the_current_one_runs_next(alur, make_alur):
    """Inserted right after the last completed step: nothing after it was done, so it runs."""
    instance, task = _at_step(alur, 3)
    inserted = "Memeriksa daftar OPD sasaran Monev"
    v2 = _deploy(
        alur, migration_edits.insert_after(SOURCE, "Langkah_2", "Periksa_OPD", inserted, 12)
    )

    (planned,) = alur.plan_migration(KEY, 1, v2, ANALYST)
    assert planned.status == "migratable"
    assert planned.tasks == [
        {"task": task.id, "old_step": 3, "new_step": None, "action": "withdrawn"}
    ]

    (done,) = alur.migrate(KEY, 1, v2, ANALYST)
    assert done.status == "migrated"
    assert alur.task(task.id).state == "cancelled"
    now_open = only_task(alur, instance.id)
    assert (now_open.step_no, now_open.name) == (12, inserted)
    event = _event(alur, instance.id, "migrated")
    assert event.data["tasks"][0]["action"] == "withdrawn"
    assert [c["step"] for c in event.data["created"]] == [12]
    assert _finish_cold(make_alur, instance.id) == [12, 3, *LATER]


def test_a_step_inserted_after_a_completed_one_is_safe_only_while_nothing_after_it_was_done(
    alur, make_alur
):
    at_two, _ = _at_step(alur, 2)
    at_three, task = _at_step(alur, 3)
    v2 = _deploy(alur, migration_edits.insert_after(SOURCE, "Langkah_1", "Cek_DPA", "Cek DPA", 12))

    plans = {p.instance_id: p for p in alur.plan_migration(KEY, 1, v2, ANALYST)}
    assert plans[at_two.id].status == "migratable"
    refused = plans[at_three.id]
    assert refused.status == "refused"
    assert [(r.key, r.params["element"], r.params["changes"]) for r in refused.reasons] == [
        ("migration_history_changed", "Langkah_1", "outputs")
    ]

    results = {o.instance_id: o.status for o in alur.migrate(KEY, 1, v2, ANALYST)}
    assert results == {at_two.id: "migrated", at_three.id: "refused"}
    assert alur.instance(at_three.id).definition.version == 1
    assert alur.instance(at_three.id).state == "running"
    assert alur.task(task.id).state == "open"
    assert _finish_cold(make_alur, at_two.id) == [12, 2, 3, *LATER]
    assert _finish_cold(make_alur, at_three.id) == [3, *LATER]


def test_a_step_inserted_further_on_changes_nothing_done(alur, make_alur):
    instance, task = _at_step(alur, 3)
    v2 = _deploy(alur, migration_edits.insert_after(SOURCE, "Langkah_5", "Rekap", "Rekap data", 12))
    (done,) = alur.migrate(KEY, 1, v2, ANALYST, instance_ids=[instance.id])
    assert done.status == "migrated" and alur.task(task.id).state == "open"
    assert _finish_cold(make_alur, instance.id) == [3, 4, 5, 12, 6, 7, 8, 9, 10, 11]


def test_a_suspended_instance_refuses_claims_and_completions_until_resumed(alur):
    instance, task = _at_step(alur, 3, claim=False)
    with pytest.raises(PermissionDenied) as forbidden:
        alur.suspend(instance.id, holder(task.role))
    assert forbidden.value.key == "migrate_forbidden"

    assert alur.suspend(instance.id, ANALYST, note="menunggu revisi SOP").state == "suspended"
    with pytest.raises(Conflict) as refused:
        alur.claim(task.id, holder(task.role))
    assert refused.value.key == "instance_suspended"
    with pytest.raises(Conflict) as refused:
        complete_step(alur, task)
    assert refused.value.key == "instance_suspended"
    with pytest.raises(Conflict) as twice:
        alur.suspend(instance.id, "admin")
    assert twice.value.key == "instance_not_running"

    assert alur.resume(instance.id, "admin").state == "running"
    with pytest.raises(Conflict) as again:
        alur.resume(instance.id, ANALYST)
    assert again.value.key == "instance_not_suspended"
    complete_step(alur, alur.task(task.id))
    assert only_task(alur, instance.id).step_no == 4
    kinds = [e.kind for e in alur.history(instance.id)]
    assert "suspended" in kinds and "resumed" in kinds


def test_a_migration_leaves_no_other_version_and_no_other_process_untouched(alur):
    instance, _ = _at_step(alur, 3)
    v2 = _deploy(alur, migration_edits.set_waktu(SOURCE, "Langkah_4", "2 Jam"))
    (moved,) = alur.migrate(KEY, 1, v2, ANALYST, instance_ids=[instance.id])
    (again,) = alur.migrate(KEY, 1, v2, ANALYST, instance_ids=[instance.id])
    assert moved.status == "migrated" and again.status == "refused"
    assert again.reasons[0].key == "migration_wrong_version"
    assert alur.plan_migration(KEY, 1, v2, ANALYST) == []  # none left on version 1


def race_migrate(url: str, upload_dir: str, version: int) -> tuple[str, str]:
    """In a pool process: wait for the completer, then migrate every instance of version 1."""
    from tests.barrier_pool import meet
    from tests.engine.helpers import _worker_alur

    alur = _worker_alur(url, upload_dir)
    alur.user(ANALYST)
    meet()
    try:
        outcomes = alur.migrate(KEY, 1, version, ANALYST)
    except Exception as error:
        return "error", f"{type(error).__name__}: {error}"
    return ",".join(o.status for o in outcomes), ""


def test_a_completion_racing_a_migration_leaves_one_consistent_instance(alur, make_alur):
    instance, task = _at_step(alur, 3)
    v2 = _deploy(alur, migration_edits.set_waktu(SOURCE, "Langkah_4", "2 Jam"))
    url, files = alur.settings.database_url, str(alur.settings.upload_dir)
    with barrier_pool(2) as pool:
        completing = pool.apply_async(race_complete, (url, files, task.id, task.claimed_by))
        migrating = pool.apply_async(race_migrate, (url, files, v2))
        completed, migrated = completing.get(timeout=120), migrating.get(timeout=120)
    # the completion either ran first or after the migration, or met the suspension
    assert completed[0] in ("ok", "conflict"), completed
    assert migrated == ("migrated", ""), migrated
    if completed[0] == "conflict":
        assert "ditangguhkan" in completed[1]
    fresh = make_alur()
    assert fresh.instance(instance.id).definition.version == v2
    done = finish(fresh, instance.id)
    assert done == ([3] if completed[0] == "conflict" else []) + LATER
    completions = [e for e in fresh.history(instance.id) if e.kind == "completed"]
    assert len({e.human_task_id for e in completions}) == len(completions)


def test_only_admins_and_analysts_plan_or_migrate(alur):
    instance, task = _at_step(alur, 3)
    v2 = _deploy(alur, migration_edits.set_waktu(SOURCE, "Langkah_3", "1 Jam"))
    with pytest.raises(PermissionDenied):
        alur.plan_migration(KEY, 1, v2, holder(task.role))
    with pytest.raises(PermissionDenied):
        alur.migrate(KEY, 1, v2, holder(task.role))
    (planned,) = alur.plan_migration(KEY, 1, v2, "admin", instance_ids=[instance.id])
    assert planned.status == "migratable"


def test_a_new_decision_applies_where_no_step_of_it_was_done(alur, make_alur):
    before, _ = _at_step(alur, 3)
    after, _ = _at_step(alur, 5)
    question = "Data pelaksanaan lengkap?"
    v2 = _deploy(alur, migration_edits.add_decision(SOURCE, "Langkah_4", 4, question, "Langkah_3"))
    assert alur.definition(KEY, v2).model.find(4).decision.question == question

    plans = {p.instance_id: p for p in alur.plan_migration(KEY, 1, v2, ANALYST)}
    assert plans[before.id].status == "migratable"
    # step 4 was done without the question: a decision now after it would never have been made
    assert [(r.key, r.params["element"]) for r in plans[after.id].reasons] == [
        ("migration_history_changed", "Langkah_4")
    ]
    results = {o.instance_id: o.status for o in alur.migrate(KEY, 1, v2, ANALYST)}
    assert results == {before.id: "migrated", after.id: "refused"}

    fresh = make_alur()
    done = finish(
        fresh, before.id, lambda step, visit: "Tidak" if (step["no"], visit) == (4, 1) else "Ya"
    )
    assert done == [3, 4, 3, *LATER]  # step 4 sent the case back once, as version 2 says
    assert _finish_cold(make_alur, after.id) == [5, 6, 7, 8, 9, 10, 11]


def test_one_instance_failing_stops_no_other_and_leaves_no_trace(alur, make_alur, monkeypatch):
    first, _ = _at_step(alur, 3)
    victim, victim_task = _at_step(alur, 3)
    last, _ = _at_step(alur, 3)
    v2 = _deploy(alur, migration_edits.set_waktu(SOURCE, "Langkah_3", "4 Jam"))
    with alur.session() as s:
        header_before = s.get(Instance, victim.id).workflow
    original = migration.lifecycle._advance

    def failing(session, ctx, instance, *args, **kwargs):
        original(session, ctx, instance, *args, **kwargs)
        if instance.id == victim.id:  # after the work: all of it must roll back
            raise RuntimeError("disk on fire")

    monkeypatch.setattr(migration.lifecycle, "_advance", failing)
    ids = [first.id, victim.id, 999_999, last.id]
    outcomes = alur.migrate(KEY, 1, v2, ANALYST, instance_ids=ids)
    monkeypatch.undo()

    assert [(o.instance_id, o.status) for o in outcomes] == [
        (first.id, "migrated"),
        (victim.id, "failed"),
        (999_999, "failed"),
        (last.id, "migrated"),
    ]
    assert outcomes[1].reasons[0].key == "migration_failed"
    assert "disk on fire" in outcomes[1].reasons[0].message
    assert outcomes[2].reasons[0].key == "instance_missing"
    with alur.session() as s:
        kept = s.get(Instance, victim.id)
        assert (kept.definition.version, kept.state) == (1, "running")
        assert kept.workflow == header_before
    task = alur.task(victim_task.id)
    assert (task.state, task.due_at, task.task_id) == (
        "open",
        victim_task.due_at,
        victim_task.task_id,
    )
    assert "migrated" not in [e.kind for e in alur.history(victim.id)]
    for instance in (first, victim, last):
        assert _finish_cold(make_alur, instance.id) == [3, *LATER]


def test_a_completed_step_given_to_another_pelaksana_rewrites_history(alur):
    done_it, _ = _at_step(alur, 2)  # step 1 done by the Kabid
    not_yet, task = _at_step(alur, 1, claim=False)
    v2 = _deploy(alur, migration_edits.move_to_lane(SOURCE, "Langkah_1", "Sekretaris Badan"))
    plans = {p.instance_id: p for p in alur.plan_migration(KEY, 1, v2, ANALYST)}
    assert [(r.key, r.params["changes"]) for r in plans[done_it.id].reasons] == [
        ("migration_history_changed", "lane")
    ]
    assert plans[not_yet.id].status == "migratable"
    alur.migrate(KEY, 1, v2, ANALYST, instance_ids=[not_yet.id])
    moved = alur.task(task.id)  # the open step 1 now waits for the Sekretaris Badan
    assert moved.id == task.id and moved.lane == "Sekretaris Badan" and moved.role != task.role
