"""Who sees which task: inbox and task queries on the human-task rows; claim, unclaim, reassign."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from engine import audit
from engine.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from engine.tables import HumanTask, User, utcnow

SUPERVISOR_PREFIXES = ("kabid", "kepala bidang")


@dataclass(frozen=True)
class InboxFilter:
    process: str | None = None
    overdue: bool | None = None
    mine_only: bool = False  # claimed by me
    unclaimed_only: bool = False
    instance_id: int | None = None
    limit: int = 200


def inbox(session: Session, user: User, flt: InboxFilter = InboxFilter()) -> list[HumanTask]:
    """Open tasks of the user's roles (unclaimed or claimed by them) and tasks named for them."""
    roles = sorted(user.role_names)
    visible = or_(
        and_(
            HumanTask.role.in_(roles),
            HumanTask.assignee.is_(None),
            or_(HumanTask.claimed_by.is_(None), HumanTask.claimed_by == user.username),
        ),
        HumanTask.assignee == user.username,
    )
    query = select(HumanTask).where(HumanTask.state == "open", visible)
    if flt.mine_only:
        query = query.where(HumanTask.claimed_by == user.username)
    if flt.unclaimed_only:
        query = query.where(HumanTask.claimed_by.is_(None))
    return _filtered(session, query, flt)


def tasks(
    session: Session, role: str | None = None, flt: InboxFilter = InboxFilter()
) -> list[HumanTask]:
    """Open tasks of one role, or all open tasks (for supervisors and the CLI)."""
    query = select(HumanTask).where(HumanTask.state == "open")
    if role:
        query = query.where(HumanTask.role == role)
    return _filtered(session, query, flt)


def _filtered(session: Session, query, flt: InboxFilter) -> list[HumanTask]:
    if flt.process:
        query = query.where(HumanTask.process_key == flt.process)
    if flt.instance_id:
        query = query.where(HumanTask.instance_id == flt.instance_id)
    if flt.overdue is True:
        query = query.where(HumanTask.due_at < utcnow())
    elif flt.overdue is False:
        query = query.where(or_(HumanTask.due_at.is_(None), HumanTask.due_at >= utcnow()))
    query = query.order_by(HumanTask.due_at.is_(None), HumanTask.due_at, HumanTask.id)
    return list(session.scalars(query.limit(flt.limit)))


def get(session: Session, task_id: int, lock: bool = False) -> HumanTask:
    task = session.get(HumanTask, task_id, with_for_update=lock)
    if task is None:
        raise NotFound(f"tugas {task_id} tidak ada")
    return task


def claim(session: Session, task: HumanTask, user: User) -> None:
    _open(task)
    if task.claimed_by == user.username:
        return
    if task.claimed_by:
        raise Conflict(f"tugas {task.id} sudah diambil oleh {task.claimed_by}")
    if task.assignee and task.assignee != user.username:
        raise PermissionDenied(f"tugas {task.id} ditugaskan kepada {task.assignee}")
    if not task.assignee and task.role not in user.role_names:
        raise PermissionDenied(f"{user.username} tidak memegang peran '{task.role}'")
    task.claimed_by, task.claimed_at = user.username, utcnow()
    audit.record(session, task.instance_id, "claimed", user.username, task)


def unclaim(session: Session, task: HumanTask, user: User) -> None:
    _open(task)
    if not task.claimed_by:
        return
    if task.claimed_by != user.username and not is_supervisor(user):
        raise PermissionDenied(f"hanya {task.claimed_by}, Kabid atau admin yang dapat melepas")
    audit.record(session, task.instance_id, "unclaimed", user.username, task, was=task.claimed_by)
    task.claimed_by, task.claimed_at = None, None


def reassign(session: Session, task: HumanTask, to: User, by: User) -> None:
    """Hand a task to another holder of its role; only a Kabid or an admin may."""
    _open(task)
    if not is_supervisor(by):
        raise PermissionDenied("hanya Kabid atau admin yang dapat mengalihkan tugas")
    if task.role not in to.role_names or not to.active:
        raise InvalidInput(f"{to.username} tidak memegang peran '{task.role}'")
    audit.record(
        session,
        task.instance_id,
        "reassigned",
        by.username,
        task,
        was=task.claimed_by,
        to=to.username,
    )
    task.claimed_by, task.claimed_at = to.username, utcnow()


def is_supervisor(user: User) -> bool:
    return user.is_admin or any(r.startswith(SUPERVISOR_PREFIXES) for r in user.role_names)


def _open(task: HumanTask) -> None:
    if task.state != "open":
        raise Conflict(f"tugas {task.id} sudah {task.state}")
