"""Running instances: start, complete a human task, cancel; keep human-task rows in step."""

from __future__ import annotations

import json
import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from uuid import UUID
from weakref import WeakKeyDictionary

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.exceptions import SpiffWorkflowException
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import Integer, bindparam, or_, select
from sqlalchemy.orm import Session, defer, lazyload, make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key

from engine import access, analytics, audit, incidents, notifications, task_drafts
from engine.bpmn.forms import forms_of
from engine.bpmn.loops import INSTANCES_MAX
from engine.clock import Clock, system_clock
from engine.errors import Conflict, InvalidInput, NotFound, PermissionDenied, ProcessError
from engine.roles import RoleMap
from engine.runtime import failures
from engine.runtime.decision_task import DECIDED
from engine.runtime.form_values import form_values
from engine.runtime.store import Handle, WorkflowStore
from engine.sop import Step, Waktu
from engine.storage.tables import Definition, HumanTask, Incident, Instance, TaskDraft, User
from engine.workcalendar import OfficeCalendar

YES, NO = "Ya", "Tidak"
_TIMER_EVENTS = (
    "TimeDateEventDefinition",
    "DurationTimerEventDefinition",
    "CycleTimerEventDefinition",
)


@dataclass
class Completion:
    """What a person hands in when completing a task."""

    decision: str | None = None  # "Ya" / "Tidak" on a decision step
    note: str = ""
    checklist: dict[str, bool | str] = field(default_factory=dict)  # Kelengkapan -> ok / gap
    data: dict = field(default_factory=dict)  # process variables
    file_ids: list[int] = field(default_factory=list)


@dataclass
class Context:
    store: WorkflowStore
    roles: RoleMap
    calendar: OfficeCalendar
    clock: Clock = system_clock
    email: bool = False  # queue e-mail with the notifications of work arriving


def start(
    session: Session, ctx: Context, definition: Definition, user: User, title: str, data: dict
) -> tuple[Instance, Handle]:
    if not access.may_start(definition, user):
        raise PermissionDenied(
            "start_forbidden",
            user=user.username,
            process=definition.code or definition.key,
            roles=", ".join(definition.starter_roles),
        )
    since, now = time.time(), ctx.clock()
    instance = Instance(
        definition=definition,
        definition_id=definition.id,
        process_key=definition.key,
        title=title.strip() or definition.name,
        started_by=user.username,
        started_at=now,
        data=data,
    )
    session.add(instance)
    session.flush()
    handle = ctx.store.new(definition)
    handle.workflow.data.update(data)
    for task in handle.workflow.get_tasks(state=TaskState.READY, manual=False):
        task.data.update(data)
    audit.record(session, instance.id, "started", user.username, at=now, title=instance.title)
    _advance(session, ctx, instance, handle, user.username, since, returned=None)
    return instance, handle


def complete(
    session: Session, ctx: Context, task: HumanTask, user: User, form: Completion
) -> tuple[Instance, Handle]:
    """Complete one human task; the caller commits, or rolls back on any error.

    The task should come from lock_task in this session (else it is locked here).
    """
    instance = session.info.get(_LOCKED, {}).get(task.id)  # read under lock_task's lock
    if instance is None:
        task = lock_task(session, task.id)
        instance = session.info[_LOCKED][task.id]
    if instance.state == "suspended":
        raise Conflict("instance_suspended", id=instance.id)
    if task.state != "open":
        if task.completed_by:
            at = task.completed_at.astimezone(ctx.calendar.timezone).strftime("%d-%m-%Y %H:%M %Z")
            raise Conflict("task_completed_by", id=task.id, by=task.completed_by, at=at)
        raise Conflict("task_completed_by_someone", id=task.id)
    access.check(access.completion_refusal(task, user))
    acting = access.acting_for(task, user)  # a Plh./Plt. completing for the role's official
    definition, step_no = step_of(session, instance, task)
    step = definition.model.find(step_no)
    decision = _decision(step, form)
    since = time.time()
    handle = ctx.store.load(session, instance)
    spiff_task = handle.workflow.get_task_from_id(UUID(task.task_id))
    if spiff_task is None or spiff_task.state != TaskState.READY:
        raise Conflict("task_not_waiting", id=task.id)
    forms = forms_of(definition.sha256, definition.xml)
    fields = forms.get(spiff_task.task_spec.bpmn_id, ())
    form.data = {**form.data, **form_values(fields, form.data, spiff_task.data)}
    spiff_task.data.update(form.data)
    if decision:
        spiff_task.data[f"keputusan_{step_no}"] = decision
    with model_failure(instance, incidents.COMPLETION, task.id):
        spiff_task.run()
    now = ctx.clock()
    task.state, task.completed_by, task.completed_at = "completed", user.username, now
    task.decision = decision
    on_behalf = {"acting_for": acting.as_data(task.lane or task.role)} if acting else {}
    task.data = {
        **task.data,
        "note": form.note,
        "checklist": form.checklist,
        "files": form.file_ids,
        **on_behalf,
    }
    analytics.stamp_task(ctx.calendar, task)  # working_minutes and the analytics' minutes
    pending = session.info.get(_PENDING, {}).get(task.id, Pending())
    if pending.draft:
        task_drafts.clear(session, task.id)  # done: no draft of it is left to resume
    events = [  # written after the step's new tasks have ids: one insert with their events
        audit.row(
            instance.id,
            "completed",
            user.username,
            task,
            at=now,
            decision=decision,
            note=form.note,
            checklist=form.checklist,
            files=form.file_ids,
            data=json.loads(json.dumps(form.data, default=str)),  # a date field as ISO text
            **on_behalf,
        )
    ]
    returned = None
    if decision == NO:
        returned = {
            "from_step": step_no,
            "by": user.username,
            "reason": form.note,
            "at": now.isoformat(),
        }
        events.append(
            audit.row(instance.id, "sent_back", user.username, task, at=now, reason=form.note)
        )
    with model_failure(instance, incidents.COMPLETION, task.id):
        _advance(session, ctx, instance, handle, user.username, since, returned, events)
    if pending.incident:
        incidents.resolve(
            session, instance.id, now, user.username, "completed", incidents.COMPLETION, task.id
        )
    return instance, handle


@contextmanager
def model_failure(instance: Instance, source: str, task_id: int | None = None):
    """Within: the model failing a step of this (stored) instance is raised as a ProcessError
    that names where, `error.incident` = (instance id, source, task id), so the caller records
    an incident once the step's transaction is rolled back (engine/incidents.py)."""
    try:
        yield
    except SpiffWorkflowException as err:
        error = failures.as_engine_error(err)
        error.incident = (instance.id, source, task_id)
        raise error from err
    except ProcessError as error:
        error.incident = (instance.id, source, task_id)
        raise


_LOCKED = "alur_locked_tasks"  # session.info: task id -> its instance, as lock_task read them
_PENDING = "alur_pending"  # session.info: task id -> Pending, as lock_task read it


@dataclass(frozen=True)
class Pending:
    """What a completion has to clear besides the task, known from lock_task's reads so
    that nothing is deleted or updated when there is nothing (a statement each saved)."""

    draft: bool = True  # someone keeps a draft of the task's form
    incident: bool = True  # the instance has an open incident


_HAS_INCIDENT = (
    select(Incident.id)
    .where(Incident.instance_id == Instance.id, Incident.resolved_at.is_(None))
    .exists()
    .label("has_incident")
)
_HAS_DRAFT = (
    select(TaskDraft.human_task_id)
    .where(TaskDraft.human_task_id == HumanTask.id)
    .exists()
    .label("has_draft")
)
_OPEN = "alur_open_tasks"  # session.info: instance id -> its open task rows, read by lock_task


_TASK_ID = bindparam("task_id", type_=Integer)
_OWNER = select(HumanTask.instance_id).where(HumanTask.id == _TASK_ID).scalar_subquery()
# lock_task's two reads, built once (a statement built per call costs its construction and
# cache key on every completion)
_LOCK_INSTANCE = (
    select(Instance, _HAS_INCIDENT)
    .where(Instance.id == _OWNER)
    .options(
        lazyload(Instance.definition),  # a join would not lock (see lock_instance)
        defer(Instance.workflow),  # the header: read only when the cache misses (store.load)
    )
    .with_for_update(of=Instance)
    .execution_options(populate_existing=True)
)
_LOCK_TASKS = (
    select(HumanTask, _HAS_DRAFT)
    .where(
        HumanTask.instance_id == bindparam("instance_id", type_=Integer),
        or_(HumanTask.state == "open", HumanTask.id == _TASK_ID),
    )
    .with_for_update(of=HumanTask)
    .execution_options(populate_existing=True)
)


def lock_task(session: Session, task_id: int) -> HumanTask:
    """A task to complete: its instance locked FOR UPDATE and read (the lock first: the order
    every writer of an instance takes), then the task and the instance's other open tasks read
    under the lock (these locked too), two statements in all. The instance's version comes from
    the process's copy (versions never change once deployed). _advance uses the open rows read
    here instead of asking again."""
    found = session.execute(_LOCK_INSTANCE, {"task_id": task_id}).first()
    if found is None:
        raise NotFound("task_missing", id=task_id)
    instance, has_incident = found
    # the version, as loaded (no history: nothing of it is written back)
    set_committed_value(instance, "definition", known_definition(session, instance.definition_id))
    found = session.execute(_LOCK_TASKS, {"task_id": task_id, "instance_id": instance.id}).all()
    rows = [row for row, _ in found]
    task = next(t for t in rows if t.id == task_id)
    session.info.setdefault(_LOCKED, {})[task_id] = instance
    session.info.setdefault(_PENDING, {})[task_id] = Pending(
        draft=next(d for t, d in found if t.id == task_id), incident=has_incident
    )
    session.info.setdefault(_OPEN, {})[instance.id] = [t for t in rows if t.state == "open"]
    return task


# database (engine) -> definition id -> the version's column values, read once per process
_DEFINITIONS: WeakKeyDictionary = WeakKeyDictionary()
_COLUMNS = [c.key for c in Definition.__table__.columns]


def known_definition(session: Session, definition_id: int) -> Definition:
    """The version in the session: read once per process and database, then put in as a
    persistent copy without a statement (a deployed version's row is never changed)."""
    found = session.identity_map.get(identity_key(Definition, definition_id))
    if found is not None:
        return found
    known = _DEFINITIONS.setdefault(session.get_bind(), {})
    values = known.get(definition_id)
    if values is None:
        found = session.get(Definition, definition_id)
        known[definition_id] = {k: getattr(found, k) for k in _COLUMNS}
        return found
    copy = Definition(**values)
    make_transient_to_detached(copy)
    session.add(copy)
    return copy


def lock_instance(session: Session, instance_id: int) -> Instance | None:
    """The instance row locked FOR UPDATE, read once the lock is held.

    A migration holding the lock may move the instance to another version. Locking the row
    with its definition joined would, on PostgreSQL, re-check the waiting row's new version
    against the definition row read before the wait: the join fails and the definition comes
    back as None. So the lock is taken on the bare row, and the instance read after it.
    """
    locked = select(Instance.id).where(Instance.id == instance_id).with_for_update()
    if session.execute(locked).first() is None:
        return None
    return session.get(Instance, instance_id, populate_existing=True)


def cancel(session: Session, ctx: Context, instance: Instance, user: User, reason: str) -> None:
    if not reason.strip():
        raise InvalidInput("cancel_reason_missing")
    if instance.state != "running":
        raise Conflict("instance_not_running", id=instance.id, state=instance.state)
    for task in _open_tasks(session, instance.id):
        task.state = "cancelled"
        task_drafts.clear(session, task.id)
    now = ctx.clock()
    instance.state, instance.ended_at, instance.cancel_reason = "cancelled", now, reason
    audit.record(session, instance.id, "cancelled", user.username, at=now, reason=reason)
    incidents.resolve(session, instance.id, now, user.username, "cancelled")


def _advance(session, ctx, instance, handle, actor, since, returned, events=()) -> None:
    """Run engine steps, then mirror READY user tasks into human-task rows and save; events:
    the step's own (audit.row), recorded before what the engine did.

    Every change to a mapped row is made first and flushed once (the new tasks get their ids);
    the events and notifications, which name those ids, are inserted after it."""
    workflow: BpmnWorkflow = handle.workflow
    workflow.do_engine_steps()
    known = session.info.get(_OPEN, {}).pop(instance.id, None)  # read under lock_task's lock
    if known is None:
        known = _open_tasks(session, instance.id)
    open_rows = {t.task_id: t for t in known if t.state == "open"}
    ready = {str(t.id): t for t in workflow.get_tasks(state=TaskState.READY, manual=True)}
    _check_instances(ready.values())
    now = ctx.clock()
    for task_id, row in open_rows.items():
        if task_id not in ready:
            row.state = "cancelled"
            task_drafts.clear(session, row.id)  # nobody can resume a cancelled task
            incidents.resolve(session, instance.id, now, actor, "withdrawn", task_id=row.id)
    created = []
    for task_id, spiff_task in ready.items():
        if task_id in open_rows:
            continue
        row = _human_task(session, ctx, instance, spiff_task, now)
        if returned:
            row.data = {"dikembalikan": returned}
        created.append(row)
    decided = _decisions(instance, workflow, actor, now)  # taken out before the tasks are saved
    finished = workflow.is_completed()
    if finished:
        instance.state, instance.ended_at = "completed", now
        analytics.stamp_instance(ctx.calendar, instance)
    ctx.store.save(session, instance, handle, since)
    instance.next_wakeup_at = None if instance.state != "running" else next_wakeup(workflow, now)
    session.add_all(created)
    session.flush()  # the one flush of the step: the tasks, the new ones' ids, the instance
    rows = [*events, *decided]
    rows += [audit.row(instance.id, "task_created", actor, t, at=now, role=t.role) for t in created]
    if finished:
        rows.append(audit.row(instance.id, "finished", actor, at=now))
    audit.write(session, rows)
    for row in created:
        notifications.task_arrived(session, row, instance, returned, now, ctx.email)
    if finished:
        notifications.instance_finished(session, instance, now, ctx.email)


def _check_instances(ready) -> None:
    """A multi-instance marker makes at most INSTANCES_MAX open tasks (nothing stored else)."""
    counts = Counter(t.task_spec for t in ready)
    for spec, count in counts.items():
        if count > INSTANCES_MAX:
            name = spec.bpmn_name or spec.bpmn_id
            reason = (
                f"{count} tasks at once from one multi-instance marker; at most {INSTANCES_MAX}"
            )
            raise ProcessError("process_error", name=name, element=spec.bpmn_id, reason=reason)


def _decisions(instance, workflow, actor, now) -> list[dict]:
    """The events of what the business rule tasks of this step decided (stashed by
    DecisionTask), in subprocesses too (one that ended in this step as well)."""
    rows = []
    for flow in [workflow, *workflow.subprocesses.values()]:
        for task in [t for t in flow.tasks.values() if DECIDED in t.internal_data]:
            decided = task.internal_data.pop(DECIDED)
            data = json.loads(json.dumps(decided, default=str))  # dates as ISO text
            element = task.task_spec.bpmn_id
            rows.append(audit.row(instance.id, "decided", actor, at=now, element=element, **data))
    return rows


def wake(
    session: Session, ctx: Context, instance: Instance, actor: str, resolution: str = "ran"
) -> Handle:
    """Fire the instance's due timers and run on, as a completion does; the caller commits.
    The worker's incidents of the instance are resolved when this runs through."""
    since = time.time()
    handle = ctx.store.load(session, instance)
    with model_failure(instance, incidents.WORKER):
        handle.workflow.refresh_timers()
        _advance(session, ctx, instance, handle, actor, since, returned=None)
    incidents.resolve(session, instance.id, ctx.clock(), actor, resolution, incidents.WORKER)
    return handle


def next_wakeup(workflow: BpmnWorkflow, now: datetime) -> datetime | None:
    """When the earliest timer the workflow waits on fires (now when its time is not known yet)."""
    times = [
        _fire_time(event.value, now)
        for event in workflow.waiting_events()
        if event.event_type in _TIMER_EVENTS
    ]
    return min(times, default=None)


def _fire_time(value, now: datetime) -> datetime:
    """A timer's pending value: an ISO time (a cycle's next one); anything else wakes it now."""
    try:
        moment = TimerEventDefinition.get_datetime(value) if isinstance(value, str) else None
    except ValueError:
        moment = None
    if moment is None:
        return now
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _human_task(session, ctx: Context, instance: Instance, spiff_task, now: datetime) -> HumanTask:
    spec = spiff_task.task_spec
    called, call = called_version(session, instance, spiff_task)
    definition = called or instance.definition
    step_no = definition.task_steps.get(spec.name)
    step = definition.model.find(step_no)
    lane = spec.lane or ""
    waktu = step.waktu if step else Waktu()
    return HumanTask(
        instance_id=instance.id,
        process_key=instance.process_key,
        task_id=str(spiff_task.id),
        # a called process's task is, in the instance's own SOP, the step of its call activity
        step_no=instance.definition.task_steps.get(call) if called else step_no,
        called_definition_id=called.id if called else None,
        called_step_no=step_no if called else None,
        name=step.activity if step else (spec.bpmn_name or spec.name),
        lane=lane,
        role=ctx.roles.role(definition.key, lane),
        assignee=ctx.roles.assignee(lane),
        created_at=now,
        due_at=ctx.calendar.due(now, waktu),
        data={},
    )


def called_version(
    session: Session, instance: Instance, spiff_task
) -> tuple[Definition | None, str | None]:
    """The version of another process whose task this is, when a call activity started that
    process (the nearest call outward; engine.bpmn.calls), and the element of the outermost
    call activity, in the instance's own process; (None, None): the instance's own task."""
    calls = instance.definition.spec.get("calls")
    workflow, nearest, outer = spiff_task.workflow, None, None
    while calls and workflow is not None and workflow is not workflow.top_workflow:
        if workflow.spec.name in calls:
            nearest = nearest or calls[workflow.spec.name]
            outer = workflow.top_workflow.get_task_from_id(workflow.parent_task_id)
        workflow = workflow.parent_workflow
    if nearest is None:
        return None, None
    return session.get(Definition, nearest), outer.task_spec.name


def step_of(session: Session, instance: Instance, task: HumanTask) -> tuple[Definition, int | None]:
    """The version and step number a human task performs: a called process's own for a task
    that process runs, else the instance's."""
    if task.called_definition_id is not None:
        return session.get(Definition, task.called_definition_id), task.called_step_no
    return instance.definition, task.step_no


def _decision(step: Step | None, form: Completion) -> str | None:
    if not step or not step.decision:
        if form.decision:
            raise InvalidInput("not_a_decision")
        return None
    answer = {"ya": YES, "tidak": NO}.get((form.decision or "").strip().lower())
    if answer is None:
        raise InvalidInput("decision_missing", step=step.no)
    if answer == NO and not form.note.strip():
        raise InvalidInput("send_back_reason_missing")
    return answer


def _open_tasks(session: Session, instance_id: int) -> list[HumanTask]:
    query = select(HumanTask).where(HumanTask.instance_id == instance_id, HumanTask.state == "open")
    return list(session.scalars(query))
