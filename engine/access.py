"""Who may do what: start, read, view, claim, unclaim, reassign, complete, cancel, migrate,
deploy, edit and approve SOP drafts; one rule each. The role matrix in docs/security.md is these
rules in a table, and tests/engine/test_role_matrix.py walks every cell of it.

The engine's actions enforce these rules (raising the refusal) and the pages ask the same rules
through the facade's view rows to show or hide a button, so the two never disagree.
"""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from engine.errors import Conflict, EngineError, InvalidInput, NotFound, PermissionDenied
from engine.storage.tables import Definition, Draft, Event, HumanTask, Instance, StoredFile, User

# Read every instance of the office: auditors, and the office's heads (its Kepala Badan and
# Sekretaris Badan), who answer for all of its work.
AUDITOR_ROLE = "auditor"
READ_ALL_ROLES = frozenset({AUDITOR_ROLE, "kepala badan", "sekretaris badan"})
SUPERVISOR_PREFIXES = ("kabid", "kepala bidang")
ANALYST_ROLE = "analis"


def is_supervisor(user: User) -> bool:
    """Kabid (any 'kepala bidang' role) and admins: reassign tasks, cancel any instance."""
    return user.is_admin or any(r.startswith(SUPERVISOR_PREFIXES) for r in user.role_names)


def may_supervise(user: User) -> bool:
    return user.active and is_supervisor(user)


def is_analyst(user: User) -> bool:
    """Analysts and admins deploy processes."""
    return user.active and (user.is_admin or ANALYST_ROLE in user.role_names)


def may_handle_incidents(user: User) -> bool:
    """Admins and analysts see the incidents (steps the model could not run) and retry them."""
    return is_analyst(user)


def may_edit_drafts(user: User) -> bool:
    """Analysts and admins edit SOPs in the studio and publish them."""
    return is_analyst(user)


def draft_approval_refusal(draft: Draft, user: User) -> EngineError | None:
    """Why user may not approve a draft awaiting approval: only another analyst or an admin
    may, never its author (four eyes)."""
    if not may_edit_drafts(user):
        return PermissionDenied("drafts_forbidden")
    if draft.state != "awaiting_approval":
        return Conflict("draft_state", id=draft.id, state=draft.state)
    if draft.author == user.username:
        if draft.source == "deploy":
            return PermissionDenied("deploy_own_approval", id=draft.id, key=draft.process_key)
        return PermissionDenied("draft_own_approval", id=draft.id)
    return None


def holds(user: User, role: str) -> bool:
    """Whether user holds role: as their own, or acting (Plh./Plt.) for an absent official in a
    delegation attached for now (engine.delegations.attach); a delegation past its end time is
    never attached, so it ends by itself."""
    return role in user.role_names or role in user.acting_for


def acting_for(task: HumanTask, user: User):
    """Whom user would act for on task (an engine.delegations.Acting), None when the task's role
    is their own or it is named for them."""
    if task.assignee or task.role in user.role_names:
        return None
    return user.acting_for.get(task.role)


def may_start(definition: Definition, user: User) -> bool:
    """Admins, and holders of one of the process's starter roles (default: step 1's lane)."""
    if not user.active:
        return False
    return (
        user.is_admin
        or not definition.starter_roles
        or bool(user.role_names & set(definition.starter_roles))
    )


def may_model(user: User) -> bool:
    """Admins and analysts: compare versions, turn BPMN into the SOP table and back."""
    return is_analyst(user)


def may_migrate(user: User) -> bool:
    """Admins and analysts: move instances to another version, suspend and resume them."""
    return is_analyst(user)


def reads_everything(user: User) -> bool:
    """Admins, auditors, the office's heads, and analysts (who move, suspend and resume any
    instance, so they see what they act on: counts per version, the instances, their history)."""
    return user.active and (
        user.is_admin or bool(user.role_names & READ_ALL_ROLES) or ANALYST_ROLE in user.role_names
    )


def may_list_instances(user: User) -> bool:
    """Who sees every instance ('Semua proses'): admins, auditors, supervisors and analysts."""
    return user.active and (reads_everything(user) or is_supervisor(user) or is_analyst(user))


def works_on_tasks(user: User) -> bool:
    """Whether user holds a role that SOP steps go to (any besides auditor and analyst)."""
    return user.active and bool(user.role_names - {AUDITOR_ROLE, ANALYST_ROLE})


def may_read_analytics(user: User) -> bool:
    """A process's figures across instances: auditors, analysts, supervisors and admins."""
    return reads_everything(user) or is_analyst(user) or may_supervise(user)


def may_see_people_figures(user: User) -> bool:
    """The figures per person (who completed what, how fast): supervisors, auditors, the
    office's heads and admins; not analysts as such."""
    return user.active and (
        user.is_admin or bool(user.role_names & READ_ALL_ROLES) or may_supervise(user)
    )


def may_read_instance(session: Session, instance: Instance, user: User) -> bool:
    """Whoever reads everything, supervisors and analysts; its starter; anyone who acted on it or
    holds (or held, was named for, claimed or completed) one of its tasks."""
    if may_list_instances(user) or instance.started_by == user.username:
        return user.active
    name = user.username
    acted = select(Event.id).where(Event.instance_id == instance.id, Event.actor == name)
    mine = [HumanTask.role.in_(sorted(user.role_names | set(user.acting_for)))] + [
        column == name
        for column in (HumanTask.assignee, HumanTask.claimed_by, HumanTask.completed_by)
    ]
    task = select(HumanTask.id).where(HumanTask.instance_id == instance.id, or_(*mine))
    return session.scalar(acted.limit(1)) is not None or session.scalar(task.limit(1)) is not None


def may_view_task(task: HumanTask, user: User) -> bool:
    """Holders of the task's role, its assignee, claimant or completer, supervisors, auditors."""
    return user.active and (
        holds(user, task.role)
        or user.username in {task.assignee, task.claimed_by, task.completed_by}
        or is_supervisor(user)
        or reads_everything(user)
    )


def claim_refusal(task: HumanTask, user: User) -> EngineError | None:
    """Why user may not claim task (None: they may; claiming one's own claim is a no-op)."""
    if task.state != "open":
        return Conflict("task_not_open", id=task.id, state=task.state)
    if task.claimed_by == user.username:
        return None
    if task.claimed_by:
        return Conflict("task_claimed", id=task.id, claimant=task.claimed_by)
    if task.assignee and task.assignee != user.username:
        return PermissionDenied("task_assigned_to_other", id=task.id, assignee=task.assignee)
    if not task.assignee and not holds(user, task.role):
        return PermissionDenied("claim_role_missing", user=user.username, role=task.role)
    return None


def unclaim_refusal(task: HumanTask, user: User, reason: str | None = None) -> EngineError | None:
    """Why user may not hand task back: only its claimant, a Kabid or an admin may; releasing
    someone else's claim needs a reason (None: the caller only asks who may, as a page does)."""
    if task.state != "open":
        return Conflict("task_not_open", id=task.id, state=task.state)
    if not user.active:
        return PermissionDenied("user_inactive", user=user.username)
    if task.claimed_by and task.claimed_by != user.username:
        if not is_supervisor(user):
            return PermissionDenied("unclaim_forbidden", claimant=task.claimed_by)
        if reason is not None and not reason.strip():
            return InvalidInput("unclaim_reason_required", claimant=task.claimed_by)
    return None


def reassign_refusal(task: HumanTask, to: User, by: User) -> EngineError | None:
    """Why by may not hand task to to: only a Kabid or an admin may, to a holder of its role."""
    if task.state != "open":
        return Conflict("task_not_open", id=task.id, state=task.state)
    if not is_supervisor(by):
        return PermissionDenied("reassign_forbidden")
    if task.role not in to.role_names or not to.active:
        return InvalidInput("reassign_role_missing", user=to.username, role=task.role)
    return None


def complete_refusal(task: HumanTask, user: User) -> EngineError | None:
    """Why user may not complete task: it is closed, or completion_refusal says why not."""
    if task.state != "open":
        return Conflict("task_not_open", id=task.id, state=task.state)
    return completion_refusal(task, user)


def completion_refusal(task: HumanTask, user: User) -> PermissionDenied | None:
    """Who may complete an open task: its named assignee, else its claimant, else a holder of
    its role (acting for its official during a delegation counts); never an inactive user."""
    if not user.active:
        return PermissionDenied("user_inactive", user=user.username)
    if task.assignee and task.assignee != user.username:
        return PermissionDenied("task_assigned_to_other", id=task.id, assignee=task.assignee)
    if task.claimed_by and task.claimed_by != user.username:
        return PermissionDenied("task_claimed_by_other", id=task.id, claimant=task.claimed_by)
    if not task.assignee and not holds(user, task.role):
        return PermissionDenied("task_role_missing", user=user.username, role=task.role, id=task.id)
    return None


def file_removal_refusal(task: HumanTask, file: StoredFile, user: User) -> EngineError | None:
    """Only the person who uploaded a file removes it, and only while its task is open."""
    if file.human_task_id != task.id:
        return NotFound("file_not_of_task", id=file.id, task=task.id)
    if task.state != "open":
        return Conflict("task_not_open_files", id=task.id, state=task.state)
    if file.uploaded_by != user.username:
        return PermissionDenied("file_not_yours", id=file.id, by=file.uploaded_by)
    return None


def supervises(user: User, lane_roles: Collection[str]) -> bool:
    """An admin, or a Kabid holding one of the process's lane roles (a supervisor of its unit)."""
    return user.active and (
        user.is_admin or (is_supervisor(user) and bool(user.role_names & set(lane_roles)))
    )


def cancel_refusal(
    instance: Instance, user: User, lane_roles: Collection[str]
) -> EngineError | None:
    """Why user may not cancel instance: only its starter, a supervisor of its unit (a Kabid
    holding one of its lane roles, see supervises) or an admin may. lane_roles: the roles of
    the process's lanes (Alur.lane_roles)."""
    if not user.active:
        return PermissionDenied("user_inactive", user=user.username)
    if not (supervises(user, lane_roles) or instance.started_by == user.username):
        return PermissionDenied("cancel_forbidden")
    if instance.state != "running":
        return Conflict("instance_not_running", id=instance.id, state=instance.state)
    return None


def check(refusal: EngineError | None) -> None:
    """Raise the refusal a rule gave, if any."""
    if refusal is not None:
        raise refusal
