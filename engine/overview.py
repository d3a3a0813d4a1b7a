"""'Semua proses': every instance with its current step, filtered in SQL and paged by id.

One page is two indexed queries: the instances (newest first, keyset on the id) and the open
tasks of those instances. Nothing scans all instances in Python.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import exists, func, or_, select
from sqlalchemy.orm import Session

from engine import rows
from engine.storage.tables import Definition, HumanTask, Instance

STATES = ("running", "suspended", "completed", "cancelled")
LIMIT_MAX = 500
SEARCH_MAX = 200


@dataclass(frozen=True)
class InstanceFilter:
    """Which instances to list; every field narrows (None or "": no narrowing)."""

    process: str | None = None  # the process key
    version: int | None = None
    state: str | None = None  # one of STATES
    overdue: bool | None = None  # True: an open step is past its due time; False: none is
    since: datetime | None = None  # started at or after
    until: datetime | None = None  # started before
    search: str = ""  # in the title, any case
    role: str | None = None  # the role of a current (open) step
    actor: str | None = None  # a username who started it, or claimed or completed a step of it
    before: int | None = None  # keyset: instances with a smaller id (older)
    after: int | None = None  # keyset: instances with a larger id (newer)
    limit: int = 50


@dataclass(frozen=True)
class CurrentStep:
    """An open step of an instance: where it stands and with whom."""

    task_id: int
    step_no: int | None
    name: str
    role: str
    claimed_by: str | None
    due_at: datetime | None
    overdue: bool


@dataclass(frozen=True)
class InstanceLine:
    """One line of the list."""

    id: int
    title: str
    state: str
    process_key: str
    process_code: str
    process_name: str
    version: int
    started_by: str
    started_at: datetime
    ended_at: datetime | None
    lead_minutes: int  # calendar minutes from start to end (to now while it is not ended)
    current: tuple[CurrentStep, ...] = ()
    overdue: bool = False  # a current step is overdue (engine.rows.overdue)


@dataclass(frozen=True)
class InstanceList:
    """A page of the list, newest first, with the keys of the pages beside it."""

    lines: tuple[InstanceLine, ...] = field(default_factory=tuple)
    older: int | None = None  # pass as before= for the next (older) page; None: no more
    newer: int | None = None  # pass as after= for the previous (newer) page; None: none


# what a line needs, not the instance's workflow JSON nor the version's diagram
COLUMNS = (
    Instance.id,
    Instance.title,
    Instance.state,
    Instance.process_key,
    Definition.code,
    Definition.name,
    Definition.version,
    Instance.started_by,
    Instance.started_at,
    Instance.ended_at,
)


def query(flt: InstanceFilter, now: datetime):
    """The filtered instances joined to their versions, without order or limit."""
    q = select(*COLUMNS).join(Definition, Instance.definition_id == Definition.id)
    if flt.process:
        q = q.where(Instance.process_key == flt.process)
    if flt.version is not None:
        q = q.where(Definition.version == flt.version)
    if flt.state:
        q = q.where(Instance.state == flt.state)
    if flt.since is not None:
        q = q.where(Instance.started_at >= flt.since)
    if flt.until is not None:
        q = q.where(Instance.started_at < flt.until)
    if text := flt.search.strip()[:SEARCH_MAX]:
        pattern = "%" + text.lower().replace("\\", "\\\\").replace("%", r"\%").replace("_", r"\_")
        q = q.where(func.lower(Instance.title).like(pattern + "%", escape="\\"))
    of_it = HumanTask.instance_id == Instance.id
    if flt.overdue is not None:
        late = exists().where(of_it, rows.overdue_clause(now))
        q = q.where(late if flt.overdue else ~late)
    if flt.role:
        q = q.where(exists().where(of_it, HumanTask.state == "open", HumanTask.role == flt.role))
    if flt.actor:
        # two EXISTS, not one with an OR: each is read from its own index (actor, instance)
        claimed = exists().where(of_it, HumanTask.claimed_by == flt.actor)
        completed = exists().where(of_it, HumanTask.completed_by == flt.actor)
        q = q.where(or_(Instance.started_by == flt.actor, claimed, completed))
    return q


def page(s: Session, flt: InstanceFilter, now: datetime) -> InstanceList:
    """One page of the list: at most flt.limit lines (1..LIMIT_MAX), newest first."""
    limit = max(1, min(flt.limit, LIMIT_MAX))
    q = query(flt, now)
    if flt.after is not None:  # the page above: the nearest newer ids, then newest first
        found = list(
            s.execute(q.where(Instance.id > flt.after).order_by(Instance.id).limit(limit + 1))
        )
        more_newer = len(found) > limit
        found = found[:limit][::-1]
        more_older = True
    else:
        if flt.before is not None:
            q = q.where(Instance.id < flt.before)
        found = list(s.execute(q.order_by(Instance.id.desc()).limit(limit + 1)))
        more_older = len(found) > limit
        found = found[:limit]
        more_newer = flt.before is not None and _any(s, query(flt, now), Instance.id >= flt.before)
    if flt.after is not None and found:
        more_older = _any(s, query(flt, now), Instance.id < found[-1].id)
    current = _current(s, [r.id for r in found], now)
    lines = tuple(_line(r, current.get(r.id, ()), now) for r in found)
    return InstanceList(
        lines,
        older=lines[-1].id if lines and more_older else None,
        newer=lines[0].id if lines and more_newer else None,
    )


def _any(s: Session, q, condition) -> bool:
    return s.execute(q.where(condition).limit(1)).first() is not None


def _current(s: Session, ids: list[int], now: datetime) -> dict[int, tuple[CurrentStep, ...]]:
    if not ids:
        return {}
    q = (
        select(HumanTask)
        .where(HumanTask.state == "open", HumanTask.instance_id.in_(ids))
        .order_by(HumanTask.instance_id, HumanTask.id)
    )
    found: dict[int, list[CurrentStep]] = {}
    for t in s.scalars(q):
        step = CurrentStep(
            t.id, t.step_no, t.name, t.role, t.claimed_by, t.due_at,
            rows.overdue(t.state, t.due_at, now),
        )  # fmt: skip
        found.setdefault(t.instance_id, []).append(step)
    return {k: tuple(v) for k, v in found.items()}


def _line(row, current: tuple[CurrentStep, ...], now: datetime) -> InstanceLine:
    end = row.ended_at or now
    return InstanceLine(
        id=row.id,
        title=row.title,
        state=row.state,
        process_key=row.process_key,
        process_code=row.code or "",
        process_name=row.name or "",
        version=row.version,
        started_by=row.started_by,
        started_at=row.started_at,
        ended_at=row.ended_at,
        lead_minutes=max(0, int((end - row.started_at).total_seconds() // 60)),
        current=current,
        overdue=any(c.overdue for c in current),
    )
