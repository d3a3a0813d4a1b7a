"""Who may start a process and who may read an instance or a task: one rule for every caller."""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from engine.inbox import is_supervisor
from engine.storage.tables import Definition, Event, HumanTask, Instance, User

READ_ALL_ROLES = frozenset({"auditor"})
ANALYST_ROLE = "analis"  # writes and deploys SOP versions, moves instances between them


def may_start(definition: Definition, user: User) -> bool:
    """Admins, and holders of one of the process's starter roles (default: step 1's lane)."""
    if not user.active:
        return False
    return (
        user.is_admin
        or not definition.starter_roles
        or bool(user.role_names & set(definition.starter_roles))
    )


def may_migrate(user: User) -> bool:
    """Admins and analysts: move instances to another version, suspend and resume them."""
    return user.active and (user.is_admin or ANALYST_ROLE in user.role_names)


def reads_everything(user: User) -> bool:
    return user.active and (user.is_admin or bool(user.role_names & READ_ALL_ROLES))


def may_read_instance(session: Session, instance: Instance, user: User) -> bool:
    """Admins, auditors and supervisors; its starter; anyone who acted on it or holds (or held,
    was named for, claimed or completed) one of its tasks."""
    if reads_everything(user) or is_supervisor(user) or instance.started_by == user.username:
        return user.active
    name = user.username
    acted = select(Event.id).where(Event.instance_id == instance.id, Event.actor == name)
    mine = [HumanTask.role.in_(sorted(user.role_names))] + [
        column == name
        for column in (HumanTask.assignee, HumanTask.claimed_by, HumanTask.completed_by)
    ]
    task = select(HumanTask.id).where(HumanTask.instance_id == instance.id, or_(*mine))
    return session.scalar(acted.limit(1)) is not None or session.scalar(task.limit(1)) is not None


def may_view_task(task: HumanTask, user: User) -> bool:
    """Holders of the task's role, its assignee, claimant or completer, supervisors, auditors."""
    return user.active and (
        task.role in user.role_names
        or user.username in {task.assignee, task.claimed_by, task.completed_by}
        or is_supervisor(user)
        or reads_everything(user)
    )
