"""What the database would choke on is refused before it is written, naming the field:
NUL characters, over-long text, oversized form data; nothing of the action is stored."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from engine import users
from engine.errors import InvalidInput
from engine.runtime.lifecycle import Completion
from tests.engine.helpers import holder, only_task, snapshot, starter

KEY = "sop_b"


@pytest.mark.parametrize(
    ("title", "data", "words"),
    [
        ("Renja\x002027", {}, "judul memuat karakter NUL"),
        ("R" * 301, {}, "judul terlalu panjang: 301 karakter, paling banyak 300"),
        ("Renja", {"lampiran": "x" * 300_000}, "isian terlalu besar: 292 KiB"),
    ],
    ids=["nul", "long-title", "big-data"],
)
def test_a_start_with_bad_text_is_refused_and_leaves_no_instance(alur, title, data, words):
    before = len(alur.instances())
    with pytest.raises(InvalidInput) as refused:
        alur.start(KEY, starter(alur, KEY), title=title, data=data)
    assert words in refused.value.message and refused.value.status == 422
    assert len(alur.instances()) == before


def test_a_title_at_the_limit_is_kept_whole(alur):
    instance = alur.start(KEY, starter(alur, KEY), title="R" * 300)
    assert alur.instance(instance.id).title == "R" * 300


def test_a_nul_in_a_cancel_reason_or_a_note_changes_nothing(alur):
    instance = alur.start(KEY, starter(alur, KEY), title="Renja")
    before = snapshot(alur, instance.id)
    with pytest.raises(InvalidInput, match="alasan memuat karakter NUL"):
        alur.cancel(instance.id, starter(alur, KEY), "salah\x00ketik")
    task = only_task(alur, instance.id)
    with pytest.raises(InvalidInput, match="isian memuat karakter NUL"):
        alur.complete(task.id, holder(task.role), Completion(note="catatan\x00"))
    alur.complete(task.id, holder(task.role), Completion(note="jalur \\u0000 bukan NUL"))
    assert alur.instance(instance.id).state == "running"
    assert alur.task(task.id).data["note"] == "jalur \\u0000 bukan NUL"
    assert before != snapshot(alur, instance.id)


def test_a_nul_in_a_token_label_is_refused(alur):
    with pytest.raises(InvalidInput, match="api_tokens.name memuat"), alur.session() as s:
        users.create_token(s, users.get(s, starter(alur, KEY)), "laptop\x00", alur.clock())


def test_a_value_stored_before_the_checks_is_left_alone(alur):
    instance = alur.start(KEY, starter(alur, KEY), title="Renja")
    with alur.session() as s:  # as an older release could have stored it
        s.execute(
            text("UPDATE instances SET title = :t WHERE id = :i"),
            {"t": "R" * 400, "i": instance.id},
        )
    task = only_task(alur, instance.id)
    alur.complete(task.id, holder(task.role))  # the instance row changes, its title does not
    assert alur.instance(instance.id).title == "R" * 400


def test_oversized_form_data_in_a_completion_is_refused_and_changes_nothing(alur):
    """The form's values reach the database in the completion's audit event (written apart from
    the task rows, after their flush): held to the same limit, the step left as it was."""
    instance = alur.start(KEY, starter(alur, KEY), title="Renja")
    task = only_task(alur, instance.id)
    before = snapshot(alur, instance.id)
    with pytest.raises(InvalidInput) as refused:
        alur.complete(task.id, holder(task.role), Completion(data={"uraian": "x" * 300_000}))
    assert "isian terlalu besar: 293 KiB, paling banyak 256 KiB" in refused.value.message
    assert snapshot(alur, instance.id) == before
    alur.complete(task.id, holder(task.role), Completion(data={"uraian": "x" * 1000}))
    assert alur.task(task.id).state == "completed"
