"""Who sees which task: inbox and task queries on the human-task rows; claim, unclaim, reassign."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Integer, Row, String, bindparam, exists, func, not_, or_, select, union_all
from sqlalchemy.orm import Session

from engine import access, audit, notifications, rows
from engine.errors import Conflict, NotFound
from engine.storage.tables import HumanTask, Instance, User, UTCDateTime


@dataclass(frozen=True)
class InboxFilter:
    process: str | None = None
    overdue: bool | None = None
    mine_only: bool = False  # claimed by me
    unclaimed_only: bool = False
    instance_id: int | None = None
    limit: int = 200


def inbox(session: Session, user: User, flt: InboxFilter, now: datetime) -> list[Row]:
    """Open tasks of the user's roles (unclaimed or claimed by them) and tasks named for them;
    the roles they act in for an absent official count (attached to the user beforehand).
    Read-only rows with the columns of HumanTask as attributes, not ORM objects: an inbox reads
    up to its limit of them on every call, and nothing changes them.

    One branch per role plus one for tasks named for the user, each answered in due order by
    the (state, role, due_at, id) index and cut at the limit, then merged: an OR over roles
    would make the database read and sort every visible row instead.
    """
    statement, params = _inbox_statement(user, flt, now, count=False)
    return list(session.execute(statement, params))


def inbox_count(session: Session, user: User, flt: InboxFilter, now: datetime) -> int:
    """len(inbox(...)) without loading the tasks: the same ids, counted by the database."""
    statement, params = _inbox_statement(user, flt, now, count=True)
    return session.scalar(statement, params) or 0


# Inbox statements by shape (number of roles, the filter's fields in use, list or count), built
# once per process: building the UNION ALL of one branch per role costs more than running it.
# Every value (roles, user, limit, process, instance, now) is a bound parameter.
_STATEMENTS: dict[tuple, object] = {}
_STATEMENTS_MAX = 256


def _inbox_statement(user: User, flt: InboxFilter, now: datetime, count: bool):
    roles = sorted(user.role_names | set(user.acting_for))
    shape = (
        len(roles),
        bool(flt.process),
        bool(flt.instance_id),
        flt.overdue,
        flt.mine_only,
        flt.unclaimed_only,
        count,
    )
    statement = _STATEMENTS.get(shape)
    if statement is None:
        if len(_STATEMENTS) >= _STATEMENTS_MAX:
            _STATEMENTS.clear()
        statement = _STATEMENTS[shape] = _build_inbox(*shape)
    params = {f"role_{i}": role for i, role in enumerate(roles)}
    params.update(me=user.username, limit=flt.limit, now=now)
    if shape[1]:
        params["process"] = flt.process
    if shape[2]:
        params["instance_id"] = flt.instance_id
    return statement, params


def _build_inbox(roles, process, instance, overdue, mine_only, unclaimed_only, count):
    me = bindparam("me", type_=String)
    # a suspended instance's tasks leave the inbox: nobody can take or complete them
    active = ~exists().where(Instance.id == HumanTask.instance_id, Instance.state == "suspended")
    shape = _Shape(process, instance, overdue, bindparam("now", type_=UTCDateTime()))
    branches = [
        _branch(
            shape,
            active,
            HumanTask.role == bindparam(f"role_{i}", type_=String),
            HumanTask.assignee.is_(None),
            or_(HumanTask.claimed_by.is_(None), HumanTask.claimed_by == me),
        )
        for i in range(roles)
    ]
    branches.append(_branch(shape, active, HumanTask.assignee == me))
    if mine_only:
        branches = [b.where(HumanTask.claimed_by == me) for b in branches]
    if unclaimed_only:
        branches = [b.where(HumanTask.claimed_by.is_(None)) for b in branches]
    merged = union_all(*(select(b.subquery()) for b in branches)).subquery()
    limit = bindparam("limit", type_=Integer)
    ids = select(merged.c.id).order_by(*_due_order(merged.c)).limit(limit)
    if count:
        return select(func.count()).select_from(ids.subquery())
    columns = select(*HumanTask.__table__.columns)
    return columns.where(HumanTask.id.in_(ids)).order_by(*_due_order(HumanTask))


@dataclass(frozen=True)
class _Shape:
    """Which of the filter's conditions a statement has; values are bound at execution."""

    process: bool
    instance: bool
    overdue: bool | None
    now: object


def tasks(session: Session, role: str | None, flt: InboxFilter, now: datetime) -> list[HumanTask]:
    """Open tasks of one role, or all open tasks (for supervisors and the CLI)."""
    query = _filtered(flt, now, HumanTask.role == role) if role else _filtered(flt, now)
    ids = select(query.subquery().c.id)
    return list(
        session.scalars(
            select(HumanTask).where(HumanTask.id.in_(ids)).order_by(*_due_order(HumanTask))
        )
    )


def _filtered(flt: InboxFilter, now: datetime, *conditions):
    """Ids and due dates of open tasks matching conditions and the filter, in due order."""
    query = select(HumanTask.id, HumanTask.due_at).where(HumanTask.state == "open", *conditions)
    if flt.process:
        query = query.where(HumanTask.process_key == flt.process)
    if flt.instance_id:
        query = query.where(HumanTask.instance_id == flt.instance_id)
    if flt.overdue is not None:  # the engine's one overdue rule, as SQL
        late = rows.overdue_clause(now)
        query = query.where(late if flt.overdue else not_(late))
    return query.order_by(*_due_order(HumanTask)).limit(flt.limit)


def _branch(shape: _Shape, *conditions):
    """_filtered with the filter's values as bound parameters (for a statement built once)."""
    query = select(HumanTask.id, HumanTask.due_at).where(HumanTask.state == "open", *conditions)
    if shape.process:
        query = query.where(HumanTask.process_key == bindparam("process", type_=String))
    if shape.instance:
        query = query.where(HumanTask.instance_id == bindparam("instance_id", type_=Integer))
    if shape.overdue is not None:
        late = rows.overdue_clause(shape.now)
        query = query.where(late if shape.overdue else not_(late))
    return query.order_by(*_due_order(HumanTask)).limit(bindparam("limit", type_=Integer))


def _due_order(columns) -> tuple:
    """Soonest due first, tasks without a due date last, then oldest first."""
    return columns.due_at.asc().nulls_last(), columns.id


def get(session: Session, task_id: int, lock: bool = False) -> HumanTask:
    task = session.get(HumanTask, task_id, with_for_update=lock)
    if task is None:
        raise NotFound("task_missing", id=task_id)
    return task


def claim(session: Session, task: HumanTask, user: User, now: datetime) -> None:
    access.check(access.claim_refusal(task, user))
    state = session.scalar(select(Instance.state).where(Instance.id == task.instance_id))
    if state == "suspended":
        raise Conflict("instance_suspended", id=task.instance_id)
    if task.claimed_by == user.username:
        return
    task.claimed_by, task.claimed_at = user.username, now
    audit.record(session, task.instance_id, "claimed", user.username, task, at=now)


def unclaim(session: Session, task: HumanTask, user: User, now: datetime, reason: str = "") -> None:
    """Hand a claimed task back to its role; someone else's claim only with a reason."""
    access.check(access.unclaim_refusal(task, user, reason))
    if not task.claimed_by:
        return
    reason = reason.strip()
    extra = {"reason": reason} if reason else {}
    audit.record(
        session,
        task.instance_id,
        "unclaimed",
        user.username,
        task,
        at=now,
        was=task.claimed_by,
        **extra,
    )
    task.claimed_by, task.claimed_at = None, None


def reassign(
    session: Session, task: HumanTask, to: User, by: User, now: datetime, email: bool = False
) -> None:
    """Hand a task to another holder of its role; only a Kabid or an admin may. The new holder
    is told (their bell at once, e-mail queued when email)."""
    access.check(access.reassign_refusal(task, to, by))
    audit.record(
        session,
        task.instance_id,
        "reassigned",
        by.username,
        task,
        at=now,
        was=task.claimed_by,
        to=to.username,
    )
    task.claimed_by, task.claimed_at = to.username, now
    if to.username != by.username:
        notifications.task_reassigned(session, task, to, by, now, email)


# Where callers looked for these before the rules moved to engine.access.
is_supervisor = access.is_supervisor
SUPERVISOR_PREFIXES = access.SUPERVISOR_PREFIXES
