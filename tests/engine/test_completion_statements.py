"""What one completion sends to the database: each round trip is time on every completion, so
the ones that are not needed are not sent, and the history reads in the order things happened.

A completion with nothing to clear deletes no form draft and updates no incident; its events
(completed, task_created) are one insert; a draft kept on the task is still removed.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import event

from engine.runtime.lifecycle import Completion
from tests import analytics_data as data
from tests.analytics_data import KEY, wib


@pytest.fixture
def started(alur, clock):
    data.deploy(alur)
    clock.now = wib(2026, 3, 2, 8, 0)
    iid = alur.start(KEY, "ana", "A").id
    return iid, data._task(alur, iid)


def _statements(alur, action) -> list[str]:
    seen: list[str] = []

    def listen(conn, cursor, statement, params, context, many):
        seen.append(" ".join(statement.split()[:3]))

    event.listen(alur.db, "before_cursor_execute", listen)
    try:
        action()
    finally:
        event.remove(alur.db, "before_cursor_execute", listen)
    return seen


def test_a_plain_completion_sends_only_what_it_needs(alur, clock, started):
    iid, task = started
    clock.now = wib(2026, 3, 2, 8, 40)
    sent = _statements(alur, lambda: alur.complete(task.id, "ana", Completion()))
    assert not [s for s in sent if s.startswith("DELETE FROM task_drafts")]
    assert not [s for s in sent if s.startswith("UPDATE incidents")]
    # written after the flush that gave the new task its id, in one statement
    assert len([s for s in sent if s.startswith("INSERT INTO events")]) == 1
    assert len([s for s in sent if re.match(r"SELECT .*", s)]) <= 6, sent
    kinds = [e.kind for e in alur.history(iid)]
    assert kinds == ["started", "task_created", "completed", "task_created"]


def test_a_kept_draft_is_removed_by_the_completion(alur, clock, started):
    iid, task = started
    alur.save_task_draft(task.id, "ana", {"note": "setengah jadi"})
    assert alur.task_draft(task.id, "ana") is not None
    clock.now = wib(2026, 3, 2, 8, 40)
    sent = _statements(alur, lambda: alur.complete(task.id, "ana", Completion()))
    assert [s for s in sent if s.startswith("DELETE FROM task_drafts")]
    assert alur.task_draft(task.id, "ana") is None


def test_a_send_back_reads_in_order(alur, clock, started):
    iid, task = started
    alur.complete(task.id, "ana", Completion())
    review = data._task(alur, iid)
    alur.complete(review.id, "rudi", Completion(decision="Tidak", note="perbaiki"))
    kinds = [e.kind for e in alur.history(iid)][-3:]
    assert kinds == ["completed", "sent_back", "task_created"]
