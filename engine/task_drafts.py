"""Drafts of a task: what one person typed and ticked, kept per task and person until completion.

A draft holds the task form's values only: the decision, the note, the ticked Kelengkapan items
and the gaps explained. Files chosen with a draft are stored as the task's files (see
engine/files.py), so they are listed with the task and can be removed before completing.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.orm import Session

from engine.errors import InvalidInput
from engine.storage.tables import TaskDraft

NOTE_MAX = 4000  # as the task form's note
GAP_MAX = 500  # as one Kelengkapan gap
ITEMS_MAX = 200  # Kelengkapan items of one step
DECISIONS = ("", "Ya", "Tidak")


def clean(data: dict) -> dict:
    """The draft as stored: known keys, bounded sizes; anything else is InvalidInput."""
    note, decision = data.get("note", ""), data.get("decision", "") or ""
    checked, gaps = data.get("checked", []), data.get("gaps", {})
    if not isinstance(note, str) or len(note) > NOTE_MAX:
        raise InvalidInput("task_draft_invalid", field="note")
    if decision not in DECISIONS:
        raise InvalidInput("task_draft_invalid", field="decision")
    if not isinstance(checked, list | tuple) or len(checked) > ITEMS_MAX:
        raise InvalidInput("task_draft_invalid", field="checked")
    if not all(
        isinstance(i, int) and not isinstance(i, bool) and 0 <= i < ITEMS_MAX for i in checked
    ):
        raise InvalidInput("task_draft_invalid", field="checked")
    if not isinstance(gaps, dict) or len(gaps) > ITEMS_MAX:
        raise InvalidInput("task_draft_invalid", field="gaps")
    kept = {}
    for key, why in gaps.items():
        if not (str(key).isdigit() and int(key) < ITEMS_MAX):
            raise InvalidInput("task_draft_invalid", field="gaps")
        if not isinstance(why, str) or len(why) > GAP_MAX:
            raise InvalidInput("task_draft_invalid", field="gaps")
        if why.strip():
            kept[str(int(key))] = why
    return {"decision": decision, "note": note, "checked": sorted(set(checked)), "gaps": kept}


def get(session: Session, task_id: int, username: str) -> TaskDraft | None:
    return session.get(TaskDraft, (task_id, username))


def save(session: Session, task_id: int, username: str, data: dict, now: datetime) -> TaskDraft:
    """Store (or replace) the person's draft of the task."""
    draft = get(session, task_id, username)
    if draft is None:
        draft = TaskDraft(human_task_id=task_id, username=username)
        session.add(draft)
    draft.data, draft.saved_at = clean(data), now
    session.flush()
    return draft


def clear(session: Session, task_id: int) -> None:
    """Remove every draft of the task (it was completed: nothing is left to resume)."""
    session.execute(delete(TaskDraft).where(TaskDraft.human_task_id == task_id))


def of(session: Session, task_id: int, username: str) -> dict | None:
    """The person's draft as a plain dict with its saved_at, or None."""
    draft = get(session, task_id, username)
    if draft is None:
        return None
    return {**draft.data, "saved_at": draft.saved_at}


__all__ = ["clean", "clear", "get", "of", "save"]
