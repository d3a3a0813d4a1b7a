"""A draft sent back hundreds of times: the instance keeps working across reloads.

Each "Tidak" round of SOP B (7 draft -> 8 review -> back to 7) adds three tasks below the last
ones, so the task tree deepens by three levels a round (the open draft sits at depth 8 + 3n).
SpiffWorkflow's tree walk (TaskIterator, max_depth=1000) stops at depth 1000: before the engine
scanned the task index instead (engine.runtime.spiff.AlurWorkflow), round 331 put the draft at depth
1001, the walk missed it and the instance reported itself finished with the draft still open.
"""

from __future__ import annotations

import pytest

from engine.runtime.lifecycle import Completion
from tests.engine.helpers import holder, only_task, run_to_step, starter

KEY = "sop_b"
ROUNDS = 345  # past round 331, where the tree walk's depth limit used to end the instance
RELOAD_EVERY = 50


@pytest.mark.slow
def test_a_draft_survives_hundreds_of_send_backs_with_reloads(alur, make_alur):
    instance = alur.start(KEY, starter(alur, KEY))
    draft = run_to_step(alur, instance.id, 7)
    engine = alur
    for round_no in range(1, ROUNDS + 1):
        if round_no % RELOAD_EVERY == 0:
            engine = make_alur()  # a new process: the workflow is read back from the database
        engine.complete(draft.id, holder(draft.role), Completion(note=f"revisi {round_no}"))
        review = only_task(engine, instance.id)
        assert review.step_no == 8, round_no
        reason = f"putaran {round_no}: tabel belum sesuai"
        engine.complete(review.id, holder(review.role), Completion("Tidak", note=reason))
        draft = only_task(engine, instance.id)
        assert draft.step_no == 7, round_no
        assert draft.data["dikembalikan"]["reason"] == reason, round_no

    final = make_alur()
    assert final.instance(instance.id).state == "running"
    for step_no in (7, 8, 9, 10, 11):
        task = only_task(final, instance.id)
        assert task.step_no == step_no
        decision = "Ya" if step_no >= 8 else None
        final.complete(task.id, holder(task.role), Completion(decision))
    assert final.instance(instance.id).state == "completed"
    kinds = [e.kind for e in final.history(instance.id)]
    assert kinds.count("sent_back") == ROUNDS
    assert kinds.count("completed") == 6 + 2 * ROUNDS + 5
    assert kinds[-1] == "finished" and kinds.count("finished") == 1
