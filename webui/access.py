"""Who may see what in the web UI: the engine's rules (engine.access), raised as 403 pages."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_login import current_user

from engine import access
from engine.errors import PermissionDenied
from engine.inbox import is_supervisor
from engine.runtime import lifecycle
from engine.storage.tables import HumanTask, Instance, User
from webui import request_cache
from webui.facade import alur

ANALYST_ROLE = "analis"


def me() -> User:
    """The signed-in person's engine row, read fresh (roles may have changed)."""
    return alur().user(current_user.username)


def may_act(task: HumanTask, user: User) -> bool:
    """Open, and the engine would let this person complete it."""
    if task.state != "open":
        return False
    try:
        lifecycle.may_complete(task, user)
    except PermissionDenied:
        return False
    return True


def may_view(task: HumanTask, user: User) -> bool:
    return access.may_view_task(task, user)


def viewable_task(task_id: int) -> tuple[HumanTask, User]:
    """The task and the signed-in user, or PermissionDenied (403)."""
    task, user = alur().task(task_id), me()
    if not may_view(task, user):
        raise PermissionDenied(
            _(
                "Task %(id)s belongs to the role %(role)s; you do not hold it.",
                id=task.id,
                role=request_cache.role_label(task.role),
            )
        )
    return task, user


def readable_instance(instance_id: int) -> tuple[Instance, User]:
    """The instance and the signed-in user when the engine lets them read it, else 403."""
    instance, user = request_cache.instance(instance_id), me()
    if not alur().may_read(instance.id, user.username):
        raise PermissionDenied(
            _("You took no part in process %(id)s, so you may not read it.", id=instance.id)
        )
    return instance, user


def reads_everything(user: User) -> bool:
    """Auditors and admins read every instance; supervisors (Kabid) do too."""
    return access.reads_everything(user) or is_supervisor(user)


def may_supervise(user: User) -> bool:
    """Kabid and admins: reassign tasks, cancel any instance."""
    return user.active and is_supervisor(user)


def may_cancel(instance: Instance, user: User) -> bool:
    return instance.state == "running" and (
        may_supervise(user) or instance.started_by == user.username
    )


def is_analyst(user: User) -> bool:
    return user.active and (user.is_admin or ANALYST_ROLE in user.role_names)


def require_analyst() -> User:
    user = me()
    if not is_analyst(user):
        raise PermissionDenied(_("Only analysts and administrators may deploy processes."))
    return user


def require_admin() -> User:
    user = me()
    if not (user.active and user.is_admin):
        raise PermissionDenied(_("Only administrators may open this page."))
    return user
