"""The append-only audit trail: events are inserted, never updated or deleted."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from engine.storage import guard
from engine.storage.tables import Event, HumanTask

KINDS = (
    "started",
    "task_created",
    "claimed",
    "unclaimed",
    "reassigned",
    "completed",
    "sent_back",
    "decided",
    "file_attached",
    "file_removed",
    "file_kept",
    "cancelled",
    "finished",
    "suspended",
    "resumed",
    "migrated",
)


def record(
    session: Session,
    instance_id: int,
    kind: str,
    actor: str,
    task: HumanTask | None = None,
    *,
    at: datetime,
    **data,
) -> Event:
    """Append one event that happened `at` (the engine clock's time), flushed with the session."""
    found = Event(**row(instance_id, kind, actor, task, at=at, **data))
    session.add(found)
    return found


def row(
    instance_id: int,
    kind: str,
    actor: str,
    task: HumanTask | None = None,
    *,
    at: datetime,
    **data,
) -> dict:
    """One event's column values, for `write` (a task given must have its id)."""
    if kind not in KINDS:
        raise ValueError(f"unknown audit event {kind!r}")
    if task is not None and (task.step_no is None or task.called_definition_id is not None):
        data = {"task_name": task.name, **data}  # not (only) a step of the SOP: named as well
    return {
        "instance_id": instance_id,
        "kind": kind,
        "actor": actor,
        "at": at,
        "human_task_id": task.id if task else None,
        "step_no": task.step_no if task else None,
        "data": data,
    }


_INSERT = insert(Event.__table__)


def write(session: Session, rows: list[dict]) -> None:
    """Append events given as `row`s in one insert, held to the row guard as a flush would be:
    a step's events, written after the flush that gave its new tasks their ids."""
    if rows:
        guard.check_rows(Event, rows)
        session.execute(_INSERT, rows)


def history(session: Session, instance_id: int) -> list[Event]:
    return list(
        session.scalars(select(Event).where(Event.instance_id == instance_id).order_by(Event.id))
    )


def history_ends(
    session: Session, instance_id: int, first: int, newest: int
) -> tuple[int, list[Event]]:
    """How many events the instance has, and its first `first` and newest `newest` of them,
    oldest first: all of them when there are no more than first + newest.

    A long-running case's page shows its opening and its latest events; the ones between are
    counted, not read.
    """
    of = select(Event).where(Event.instance_id == instance_id)
    count = session.scalar(select(func.count()).where(Event.instance_id == instance_id)) or 0
    if count <= first + newest:
        return count, list(session.scalars(of.order_by(Event.id)))
    head = list(session.scalars(of.order_by(Event.id).limit(first))) if first else []
    tail = list(session.scalars(of.order_by(Event.id.desc()).limit(newest)))
    return count, head + tail[::-1]
