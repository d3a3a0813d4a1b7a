"""Ya/Tidak on review steps: a malformed answer is refused and changes nothing."""

from __future__ import annotations

import pytest

from engine.errors import InvalidInput
from engine.runtime.lifecycle import Completion
from tests.engine.helpers import holder, only_task, run_to_step, snapshot, starter

KEY = "sop_b"  # step 8 (Sub Koordinator) decides: Ya -> 9, Tidak -> 7


@pytest.fixture
def instance(alur):
    return alur.start(KEY, starter(alur, KEY))


@pytest.mark.parametrize(
    ("form", "complaint"),
    [
        (Completion(), "pilih Ya atau Tidak"),
        (Completion(decision="mungkin"), "pilih Ya atau Tidak"),
        (Completion(decision="Tidak"), "wajib disertai alasan"),
        (Completion(decision="Tidak", note="   "), "wajib disertai alasan"),
    ],
    ids=["missing", "not-ya-or-tidak", "tidak-without-reason", "tidak-blank-reason"],
)
def test_a_decision_step_refuses_a_bad_answer_and_changes_nothing(alur, instance, form, complaint):
    task = run_to_step(alur, instance.id, 8)
    before = snapshot(alur, instance.id)
    with pytest.raises(InvalidInput) as refused:
        alur.complete(task.id, holder(task.role), form)
    assert complaint in refused.value.message
    assert snapshot(alur, instance.id) == before
    assert alur.task(task.id).state == "open"
    alur.complete(task.id, holder(task.role), Completion("tidak", note="angka salah"))
    assert only_task(alur, instance.id).step_no == 7  # answers are case-insensitive


@pytest.mark.parametrize("answer", ["Ya", "Tidak"])
def test_a_decision_on_a_step_that_decides_nothing_is_refused(alur, instance, answer):
    task = only_task(alur, instance.id)  # step 1: no decision
    before = snapshot(alur, instance.id)
    with pytest.raises(InvalidInput) as refused:
        alur.complete(task.id, holder(task.role), Completion(answer, note="alasan"))
    assert "bukan keputusan" in refused.value.message
    assert snapshot(alur, instance.id) == before
    alur.complete(task.id, holder(task.role))
    assert only_task(alur, instance.id).step_no == 2


def test_ya_moves_on_and_records_the_answer(alur, instance):
    task = run_to_step(alur, instance.id, 8)
    alur.complete(task.id, holder(task.role), Completion("ya", note="sudah benar"))
    done = alur.task(task.id)
    assert (done.decision, done.data["note"]) == ("Ya", "sudah benar")
    nxt = only_task(alur, instance.id)
    assert nxt.step_no == 9 and "dikembalikan" not in nxt.data
