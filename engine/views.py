"""What the web UI may use of the engine besides the facade: view rows, the rules' answers, and
the engine's input types. Rows here are plain frozen snapshots, made inside the facade's session.

Tasks, events and files are frozen snapshots (engine.rows). Definitions, instances and users are
still the ORM rows, detached (expire_on_commit is off): named here only so the pages can annotate
what the facade hands them; the pages never open a session themselves.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from engine import access
from engine.access import ANALYST_ROLE, may_start, may_view_task
from engine.analytics import (
    ActorFigures,
    Analytics,
    Figures,
    LateInstance,
    MonthFigures,
    Period,
    PersonFigures,
    Spread,
    StepFigures,
    figures_dict,
    step_dict,
)
from engine.analytics import (
    as_json as analytics_json,
)
from engine.bpmn.forms import FormField
from engine.bpmn.validate import Problem
from engine.definitions import Deployed
from engine.delegations import MAX_PERIOD, TITLES, moment
from engine.drafts import AWAITING, DRAFT, PUBLISHED, DraftRow, NewSop, Publication
from engine.eventlog import FORMATS as LOG_FORMATS
from engine.eventlog import all_traces
from engine.eventlog import chunks as log_chunks
from engine.files import Upload
from engine.inbox import InboxFilter
from engine.overview import STATES, CurrentStep, InstanceFilter, InstanceLine, InstanceList
from engine.roles import normalise
from engine.rows import (
    DecisionFileRow,
    DecisionRow,
    DelegationRow,
    EventRow,
    FileRow,
    InboxRow,
    TaskRow,
    event_row,
    file_row,
    inbox_row,
    overdue,
    plain,
    task_row,
)
from engine.runtime.lifecycle import NO, YES, Completion
from engine.storage.tables import ApiToken, Definition, HumanTask, Instance, User
from engine.users import PASSWORD_MIN

__all__ = [
    "DecisionFileRow",
    "DecisionRow",
    "FormField",
    "ActorFigures",
    "Analytics",
    "Figures",
    "LateInstance",
    "MonthFigures",
    "Period",
    "PersonFigures",
    "Spread",
    "StepFigures",
    "analytics_json",
    "figures_dict",
    "step_dict",
    "DelegationRow",
    "MAX_PERIOD",
    "moment",
    "TITLES",
    "ANALYST_ROLE",
    "AWAITING",
    "DRAFT",
    "PUBLISHED",
    "DraftRow",
    "NewSop",
    "Publication",
    "NO",
    "PASSWORD_MIN",
    "YES",
    "Abilities",
    "ApiToken",
    "Completion",
    "Definition",
    "Deployed",
    "EventRow",
    "FileRow",
    "HumanTask",
    "InboxFilter",
    "InboxRow",
    "all_traces",
    "eventlog_formats",
    "log_chunks",
    "CurrentStep",
    "InstanceFilter",
    "InstanceLine",
    "InstanceList",
    "STATES",
    "InstancePage",
    "Instance",
    "MineRow",
    "MineTask",
    "Nav",
    "NextStep",
    "Outcome",
    "Problem",
    "TaskActions",
    "TaskPage",
    "TaskRow",
    "Upload",
    "User",
    "abilities",
    "event_row",
    "file_row",
    "inbox_row",
    "task_row",
    "plain",
    "may_cancel",
    "may_start",
    "may_view_task",
    "normalise",
    "overdue",
    "task_actions",
]


def eventlog_formats() -> tuple[str, ...]:
    """The event log's file formats: xes, csv."""
    return LOG_FORMATS


@dataclass(frozen=True)
class Abilities:
    """What a person may do across the app (the engine's rules, answered once)."""

    read_all: bool = False  # every instance: admins, auditors, heads, analysts, supervisors
    tasks: bool = False  # holds a role SOP steps go to: the inbox is where they start
    analyst: bool = False  # deploy processes
    supervise: bool = False  # reassign tasks, cancel any instance
    admin: bool = False
    analytics: bool = False  # a process's figures across instances (engine/analytics.py)


def abilities(user: User) -> Abilities:
    return Abilities(
        read_all=access.may_list_instances(user),
        tasks=access.works_on_tasks(user),
        analyst=access.is_analyst(user),
        supervise=access.may_supervise(user),
        admin=user.active and user.is_admin,
        analytics=access.may_read_analytics(user),
    )


def may_cancel(instance: Instance, user: User, lane_roles: frozenset[str]) -> bool:
    """Whether the instance offers user a Cancel button (the rule Alur.cancel enforces)."""
    return access.cancel_refusal(instance, user, lane_roles) is None


@dataclass(frozen=True)
class Nav:
    """The navigation bar's counts and links for one person."""

    inbox_count: int
    unread_count: int
    can: Abilities
    incident_count: int = 0  # open incidents, for those who handle them (admins, analysts)


@dataclass(frozen=True)
class TaskActions:
    """Which task buttons a person gets: the same rules the engine enforces on the action."""

    can_act: bool = False  # complete, upload
    can_claim: bool = False
    can_unclaim: bool = False


def task_actions(task: HumanTask, user: User, suspended: bool = False) -> TaskActions:
    """The buttons; none while the task's instance is suspended (the engine refuses them)."""
    if suspended:
        return TaskActions()
    can_act = access.complete_refusal(task, user) is None
    return TaskActions(
        can_act=can_act,
        can_claim=can_act and not task.claimed_by,
        can_unclaim=bool(task.claimed_by) and access.unclaim_refusal(task, user) is None,
    )


@dataclass(frozen=True)
class NextStep:
    step_no: int | None
    name: str
    lane: str  # the SOP's Pelaksana column the step sits in
    role: str


@dataclass(frozen=True)
class Outcome:
    """A completion from the web: done (and where the process went), or the form to correct."""

    task_id: int
    instance_id: int
    step_no: int | None
    done: bool = False
    decision: str | None = None
    finished: bool = False
    next: tuple[NextStep, ...] = ()
    attached: int = 0  # files kept with the task while the form is corrected


@dataclass(frozen=True)
class TaskPage:
    """Everything the task page shows, read in one session."""

    task: TaskRow
    user: User  # the person looking at it
    instance: Instance  # with its definition
    files: tuple[FileRow, ...]  # every file of the instance, oldest first
    history: tuple[EventRow, ...]  # the instance's audit events, oldest first
    actions: TaskActions
    fields: tuple[FormField, ...] = ()  # the user task's form (camunda:formData), in file order
    draft: dict | None = None  # the person's saved draft of this task (engine/task_drafts.py)
    # the version whose step the task is: a called process's for a task it runs (engine.bpmn.calls)
    step_version: Definition | None = None


@dataclass(frozen=True)
class InstancePage:
    """Everything the instance page shows, read in one session."""

    instance: Instance  # with its definition
    user: User  # the person looking at it
    tasks: tuple[TaskRow, ...]  # every human task, oldest first
    files: tuple[FileRow, ...]  # oldest first: all, or those the history's shown events name
    history: tuple[EventRow, ...]  # audit events, oldest first: all, or a long one's two ends
    history_count: int  # every audit event of the instance, shown or not
    holders: dict[str, list[User]]  # open task's role -> who it may be handed to (supervisors)
    can: Abilities
    may_cancel: bool
    uncovered: frozenset[str] = frozenset()  # open tasks' roles whose holders are all away
    incidents: tuple = ()  # open engine.incidents.IncidentRow of the instance (its banner)


@dataclass(frozen=True)
class MineTask:
    id: int
    step_no: int | None
    name: str
    role: str
    claimed_by: str | None
    due_at: datetime | None
    mine: bool  # the person may act on it


@dataclass(frozen=True)
class MineRow:
    """One line of 'My processes'."""

    id: int
    title: str
    state: str
    started_by: str
    started_at: datetime
    ended_at: datetime | None
    process_key: str
    process_code: str | None
    process_name: str
    open: tuple[MineTask, ...] = field(default_factory=tuple)
    overdue: bool = False
