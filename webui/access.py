"""Who may see what in the web UI: the engine's rules (through the facade), raised as 403 pages."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask import g
from flask_babel import gettext as _
from flask_login import current_user

from engine.errors import PermissionDenied
from engine.views import (
    Abilities,
    HumanTask,
    Instance,
    InstancePage,
    TaskPage,
    User,
    may_view_task,
)
from engine.views import abilities as abilities_of
from webui import request_cache
from webui.facade import alur


def me() -> User:
    """The signed-in person's engine row as read once for this request (roles may change)."""
    if g.get("me") is None or g.me.username != current_user.username:
        g.me = alur().person(current_user.username)
    return g.me


def abilities() -> Abilities:
    """What the signed-in person may do across the app, by the engine's rules."""
    return abilities_of(me())


def hidden_task(task_id: int, role: str) -> PermissionDenied:
    """The 403 for a task of a role the person does not hold."""
    return PermissionDenied(
        _(
            "Task %(id)s belongs to the role %(role)s; you do not hold it.",
            id=task_id,
            role=request_cache.role_label(role),
        )
    )


def task_page(task_id: int) -> TaskPage:
    """The task page's data from one read of the engine, or PermissionDenied (403)."""
    with worded(task_id):
        return alur().task_page(task_id, current_user.username)


@contextmanager
def worded(task_id: int) -> Iterator[None]:
    """Within: the engine's refusal of a task hidden from the person, worded for the page."""
    try:
        yield
    except PermissionDenied as error:
        if error.params.get("hidden"):
            raise hidden_task(task_id, error.params["role"]) from None
        raise


def viewable_task(task_id: int) -> tuple[HumanTask, User]:
    """The task and the signed-in user, or PermissionDenied (403)."""
    task, user = alur().task(task_id), me()
    if not may_view_task(task, user):
        raise hidden_task(task.id, task.role)
    return task, user


def instance_page(instance_id: int, window: tuple[int, int] | None = None) -> InstancePage:
    """The instance page's data from one read of the engine, or PermissionDenied (403);
    window=(first, newest) reads only those events of a longer history."""
    try:
        return alur().instance_page(instance_id, current_user.username, window)
    except PermissionDenied as error:
        if error.params.get("unreadable"):
            raise _unreadable(instance_id) from None
        raise


def _unreadable(instance_id: int) -> PermissionDenied:
    return PermissionDenied(
        _("You took no part in process %(id)s, so you may not read it.", id=instance_id)
    )


def readable_instance(instance_id: int) -> tuple[Instance, User]:
    """The instance and the signed-in user when the engine lets them read it, else 403."""
    instance, user = request_cache.instance(instance_id), me()
    if not alur().may_read(instance.id, user.username):
        raise _unreadable(instance.id)
    return instance, user


def require_analyst() -> User:
    user = me()
    if not abilities_of(user).analyst:
        raise PermissionDenied(_("Only analysts and administrators may deploy processes."))
    return user


def require_admin() -> User:
    user = me()
    if not abilities_of(user).admin:
        raise PermissionDenied(_("Only administrators may open this page."))
    return user
