"""Rows the facade hands out: frozen snapshots of tasks, events and files, their JSON (one shape
for the CLI's --json and the JSON API), and the overdue rule."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

from sqlalchemy import and_

from engine.sop import Sop
from engine.storage.tables import Definition, Event, HumanTask, Instance, StoredFile, utcnow

TASK_KEYS = (
    "id instance_id process_key step_no name lane role assignee state created_at due_at"
    " claimed_by claimed_at completed_by completed_at decision called_definition_id called_step_no"
)
INSTANCE_KEYS = "id title state started_by started_at ended_at cancel_reason data"
EVENT_KEYS = "id kind actor at step_no data"
DEFINITION_KEYS = "key version code name filename sha256 starter_roles deployed_by deployed_at"


def overdue(state: str, due_at: datetime | None, now: datetime | None = None) -> bool:
    """An open task is overdue once its due time has passed; the one definition of it."""
    return state == "open" and due_at is not None and due_at < (now or utcnow())


def overdue_clause(now: datetime | None = None):
    """The same rule as a SQL condition on human_tasks, for queries that filter by it."""
    return and_(
        HumanTask.state == "open",
        HumanTask.due_at.is_not(None),
        HumanTask.due_at < (utcnow() if now is None else now),
    )


def plain(row: Any, keys: str, **extra) -> dict:
    """The named attributes of a row as JSON values (datetimes as ISO 8601), plus extra."""
    values = {k: getattr(row, k) for k in keys.split()}
    return {k: v.isoformat() if isinstance(v, datetime) else v for k, v in values.items()} | extra


def task_json(task: HumanTask, now: datetime | None = None, data: bool = False) -> dict:
    """A task row: its columns (and its data when asked) and whether it is overdue."""
    extra = {"data": task.data} if data else {}
    return plain(task, TASK_KEYS, **extra, overdue=overdue(task.state, task.due_at, now))


def task_detail_json(
    task: HumanTask, title: str, code: str | None, sop: Sop, now: datetime | None = None
) -> dict:
    """A task with its instance title and SOP step (question, Kelengkapan, Waktu, Output);
    sop: the SOP the task's step belongs to (a called process's, for a task it runs)."""
    step = sop.find(task.step_no if task.called_definition_id is None else task.called_step_no)
    return task_json(task, now) | {
        "instance_title": title,
        "process_code": code,
        "returned": (task.data or {}).get("dikembalikan"),
        "question": step.decision.question if step and step.decision else None,
        "kelengkapan": list(step.kelengkapan) if step else [],
        "output": list(step.output) if step else [],
        "waktu": step.waktu.text if step else "",
    }


def instance_json(instance: Instance) -> dict:
    """An instance row with its process key and version."""
    return plain(
        instance,
        INSTANCE_KEYS,
        process_key=instance.process_key,
        version=instance.definition.version,
    )


def definition_json(definition: Definition) -> dict:
    return plain(definition, DEFINITION_KEYS, steps=len(definition.model.steps))


def event_json(event: Event) -> dict:
    """An audit event with its instance and task ids."""
    return plain(event, EVENT_KEYS, instance_id=event.instance_id, task_id=event.human_task_id)


@dataclass(frozen=True)
class TaskRow:
    """A human task as the pages and exporters read it, with whether it is late now."""

    id: int
    instance_id: int
    process_key: str
    step_no: int | None
    name: str
    lane: str
    role: str
    assignee: str | None
    state: str
    created_at: datetime
    due_at: datetime | None
    claimed_by: str | None
    claimed_at: datetime | None
    completed_by: str | None
    completed_at: datetime | None
    decision: str | None
    data: dict
    working_minutes: int | None
    late: bool  # open and past its due time (engine.rows.overdue), at the time of reading
    # a task of a process a call activity started: that version and its step number there
    called_definition_id: int | None = None
    called_step_no: int | None = None


def task_row(task: HumanTask, now: datetime | None = None) -> TaskRow:
    return _copy(TaskRow, task, late=overdue(task.state, task.due_at, now))


@dataclass(frozen=True)
class EventRow:
    """An audit event: what happened to an instance, who did it, when, with what."""

    id: int
    instance_id: int
    kind: str
    actor: str
    at: datetime
    human_task_id: int | None
    step_no: int | None
    data: dict

    @property
    def file_ids(self) -> list[int]:
        """The stored files the event names: a completion's uploads, or the one file attached,
        removed or kept."""
        data = self.data or {}
        return data.get("files") or ([data["file"]] if "file" in data else [])


@dataclass(frozen=True)
class DecisionRow:
    """One decision of a DMN file deployed with a version: its id, name and what it holds."""

    id: str
    name: str
    table: bool  # a decision table (else a literal expression)
    hit_policy: str  # UNIQUE, FIRST, ... ("" for a literal expression)
    rules: int


@dataclass(frozen=True)
class DecisionFileRow:
    """A DMN file deployed with a process version (its business rule tasks decide with it)."""

    filename: str
    sha256: str
    xml: bytes
    decisions: tuple[DecisionRow, ...]


@dataclass(frozen=True)
class FileRow:
    """A stored output document (its bytes are in the file store under sha256)."""

    id: int
    sha256: str
    name: str
    content_type: str
    size: int
    uploaded_by: str
    uploaded_at: datetime
    instance_id: int | None
    human_task_id: int | None


def event_row(event: Event) -> EventRow:
    return _copy(EventRow, event)


def file_row(stored: StoredFile) -> FileRow:
    return _copy(FileRow, stored)


def _copy(cls, row, **given):
    """A cls snapshot of an ORM row: its fields copied by name, given ones as given."""
    names = [f.name for f in fields(cls) if f.name not in given]
    return cls(**{n: getattr(row, n) for n in names}, **given)


@dataclass(frozen=True)
class InboxRow:
    """One open task in a person's inbox, with the title of its instance."""

    id: int
    instance_id: int
    instance_title: str
    process_key: str
    step_no: int | None
    name: str
    role: str
    claimed_by: str | None
    due_at: datetime | None
    returned: bool  # a reviewer sent the draft back to this step
    version: int | None = None  # its process's version, when several versions are running
    uncovered: bool = False  # every holder of its role is away and nobody acts for them
    # seen through a delegation: the title (Plh/Plt) and the official's username and name
    acting_title: str | None = None
    acting_official: str | None = None
    acting_name: str | None = None


def inbox_row(
    task: HumanTask,
    instance_title: str,
    version: int | None = None,
    uncovered: bool = False,
    acting=None,
) -> InboxRow:
    """acting: the engine.delegations.Acting through which the person sees the task, if any."""
    return InboxRow(
        task.id, task.instance_id, instance_title, task.process_key, task.step_no, task.name,
        task.role, task.claimed_by, task.due_at, bool((task.data or {}).get("dikembalikan")),
        version, uncovered,
        acting.title if acting else None,
        acting.official if acting else None,
        acting.name if acting else None,
    )  # fmt: skip


@dataclass(frozen=True)
class DelegationRow:
    """A delegation (someone acts in an official's role for a period) or an absence without one
    (to_user and role None), with the display names of both people."""

    id: int
    from_user: str
    from_name: str
    to_user: str | None
    to_name: str | None
    role: str | None
    title: str
    starts_at: datetime
    ends_at: datetime
    created_by: str
    in_force: bool  # at the time of reading

    @property
    def away(self) -> bool:
        return self.to_user is None

    def as_json(self) -> dict:
        return plain(self, " ".join(f.name for f in fields(self)), away=self.away)
