"""Moving running instances to another version of their SOP: plan, check, migrate.

Steps are matched by BPMN id; where ids changed the caller maps old step to new step
(`{"Langkah_3": "Langkah_3b"}`), as a Camunda 7 migration plan does. The library's
`SpiffWorkflow.bpmn.util.diff` aligns the specs and re-points the tasks; this module decides
what is safe, because the library leaves that to its caller:

- every open (READY, WAITING, STARTED) task needs a step of the same id or a mapping;
- a finished task needs its step in the new version (its history must stay readable);
- a finished task whose step changed may only have changed in what does not alter what
  happened: its label, its SOP properties (Waktu, Kelengkapan, Output: `extensions`), its
  documentation, its incoming flows (`inputs`: a new loop back to it);
- its outgoing flows (`outputs`) may change only while nothing after it has been done: every
  child task of it is still unfinished. Then the branch after it is built again from the new
  version, so a step inserted right after the last completed step runs next, before the step
  that was open (whose task is withdrawn and comes back after the inserted step). A step
  inserted between two completed steps would claim a history that never happened: refused.
- subprocesses already running must be unchanged (the library leaves them to the caller).

A plan migrates a copy of the workflow in memory and reports per instance; executing does the
same under the instance's row lock and saves it through the store, keeping the open human-task
rows (id, claim, notes, files) re-pointed to their new task, step and due date.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from SpiffWorkflow.bpmn.util.diff import SpecDiff, WorkflowDiff, migrate_workflow
from SpiffWorkflow.exceptions import SpiffWorkflowException
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import select
from sqlalchemy.orm import Session

from engine import audit
from engine.errors import Conflict, InvalidInput
from engine.messages import text
from engine.runtime import failures, lifecycle, spiff
from engine.runtime.lifecycle import Context
from engine.runtime.store import Handle
from engine.sop import Waktu
from engine.storage.tables import Definition, HumanTask, Instance, User

# what may change on a finished task without rewriting what happened
HARMLESS = frozenset({"bpmn_name", "description", "documentation", "extensions", "inputs"})
OPEN = TaskState.READY | TaskState.WAITING | TaskState.STARTED
MIGRATABLE_STATES = ("running", "suspended")


@dataclass(frozen=True)
class Reason:
    """Why an instance cannot move: a message key of engine.messages with its parameters."""

    key: str
    params: dict = field(default_factory=dict)

    @property
    def message(self) -> str:
        return text(self.key, self.params)

    def as_json(self) -> dict:
        return {"key": self.key, "params": self.params, "message": self.message}


@dataclass
class Outcome:
    """What migrating one instance would do (a plan) or did (after execute)."""

    instance_id: int
    from_version: int | None = None
    to_version: int | None = None
    status: str = "migratable"  # migratable | refused | migrated | failed
    reasons: list[Reason] = field(default_factory=list)
    tasks: list[dict] = field(default_factory=list)  # per open human task: what happens to it

    @property
    def ok(self) -> bool:
        return self.status in ("migratable", "migrated")

    def as_json(self) -> dict:
        return {
            "instance": self.instance_id,
            "from_version": self.from_version,
            "to_version": self.to_version,
            "status": self.status,
            "reasons": [r.as_json() for r in self.reasons],
            "tasks": self.tasks,
        }


def check_mapping(old: Definition, new: Definition, mapping: dict[str, str]) -> None:
    """Refuse a mapping that names a step missing from its version."""
    old_specs, new_specs = old.spec["spec"]["task_specs"], new.spec["spec"]["task_specs"]
    for source, target in mapping.items():
        for name, specs, version in ((source, old_specs, old), (target, new_specs, new)):
            if name not in specs:
                raise InvalidInput(
                    "migration_map_unknown", old=source, new=target, missing=name,
                    version=version.version,
                )  # fmt: skip


def instances_of(session: Session, definition: Definition, ids: list[int] | None) -> list[int]:
    """The ids to migrate: those given, else every running or suspended one of the version."""
    if ids:
        return list(dict.fromkeys(ids))
    query = select(Instance.id).where(
        Instance.definition_id == definition.id, Instance.state.in_(MIGRATABLE_STATES)
    )
    return list(session.scalars(query.order_by(Instance.id)))


def plan(
    session: Session,
    ctx: Context,
    instance: Instance,
    old: Definition,
    new: Definition,
    mapping: dict[str, str],
) -> Outcome:
    """What migrating the instance would do; nothing is stored (the workflow is a fresh copy)."""
    outcome = _outcome(instance, old, new)
    if outcome.reasons:
        return outcome
    handle = _fresh(session, ctx, instance)
    targets = _targets(handle, mapping)
    _apply(handle, ctx, old, new, mapping, outcome)
    if not outcome.reasons:
        try:  # as the migration will: the copy runs on to its next human tasks
            handle.workflow.do_engine_steps()
        except SpiffWorkflowException as err:
            error = failures.as_engine_error(err)
            outcome.reasons.append(Reason(error.key, error.params))
    if not outcome.reasons:
        ready, taken = _ready_by_id(handle), set()
        outcome.tasks = [
            _task_plan(row, ready, taken, targets, new) for row in _open_rows(session, instance.id)
        ]
    outcome.status = "refused" if outcome.reasons else "migratable"
    return outcome


def execute(
    session: Session,
    ctx: Context,
    instance: Instance,
    old: Definition,
    new: Definition,
    mapping: dict[str, str],
    user: User,
    note: str,
) -> tuple[Outcome, Handle | None]:
    """Migrate the (locked) instance; the caller commits. Refusals change nothing."""
    since = 0.0  # every task row is written again: their steps may have new names
    outcome = _outcome(instance, old, new)
    if outcome.reasons:
        return outcome, None
    handle = _fresh(session, ctx, instance)
    targets = _targets(handle, mapping)
    _apply(handle, ctx, old, new, mapping, outcome)
    if outcome.reasons:
        outcome.status = "refused"
        return outcome, None
    now = ctx.clock()
    instance.definition, instance.definition_id = new, new.id
    ready, taken = _ready_by_id(handle), set()
    for row in _open_rows(session, instance.id):
        outcome.tasks.append(_repoint(ctx, row, ready, taken, targets, new, now))
    lifecycle._advance(session, ctx, instance, handle, user.username, since, returned=None)
    if instance.state == "suspended":  # woken again once resumed
        instance.next_wakeup_at = lifecycle.next_wakeup(handle.workflow, now)
    created = [
        {"task": row.id, "step": row.step_no, "name": row.name, "due_at": _iso(row.due_at)}
        for row in _open_rows(session, instance.id)
        if row.id not in {t["task"] for t in outcome.tasks}
    ]
    audit.record(
        session, instance.id, "migrated", user.username, at=now,
        from_version=old.version, to_version=new.version, from_definition=old.id,
        to_definition=new.id, mapping=mapping, note=note, tasks=outcome.tasks, created=created,
    )  # fmt: skip
    outcome.status = "migrated"
    return outcome, handle


def _outcome(instance: Instance, old: Definition, new: Definition) -> Outcome:
    outcome = Outcome(instance.id, instance.definition.version, new.version)
    if instance.definition_id != old.id:
        outcome.reasons.append(
            Reason(
                "migration_wrong_version",
                {
                    "id": instance.id,
                    "key": instance.process_key,
                    "actual": instance.definition.version,
                    "version": old.version,
                },
            )  # fmt: skip
        )
    elif instance.state not in MIGRATABLE_STATES:
        outcome.reasons.append(
            Reason("instance_not_running", {"id": instance.id, "state": instance.state})
        )
    if outcome.reasons:
        outcome.status = "refused"
    return outcome


def _fresh(session: Session, ctx: Context, instance: Instance) -> Handle:
    """The instance's workflow read from the database, never a cached object others share."""
    ctx.store.discard(instance.id)
    return ctx.store.load(session, instance)


def _apply(handle, ctx, old: Definition, new: Definition, mapping, outcome: Outcome) -> None:
    """Migrate handle.workflow to the new version in place, or add the reasons it may not."""
    workflow = handle.workflow
    new_spec, new_subs = ctx.store.specs(new)
    registry = spiff.store_serializer().registry
    diff = SpecDiff(registry, workflow.spec, new_spec)
    for old_spec in list(diff.alignment):  # by id only: no guessing by position
        target = diff.alignment[old_spec]
        if target is not None and target.name != old_spec.name:
            diff.alignment[old_spec], diff.comparisons[old_spec] = None, []
    for source, target in mapping.items():
        old_spec, new_task_spec = workflow.spec.task_specs[source], new_spec.task_specs[target]
        diff.alignment[old_spec] = new_task_spec
        diff.comparisons[old_spec] = diff._compare_task_specs(old_spec, new_task_spec)
    for old_spec in workflow.spec.task_specs.values():  # specs the traversal did not reach
        if old_spec not in diff.alignment:
            diff.alignment[old_spec] = new_spec.task_specs.get(old_spec.name)
            if diff.alignment[old_spec] is not None:
                diff.comparisons[old_spec] = diff._compare_task_specs(
                    old_spec, diff.alignment[old_spec]
                )
    matched = {id(spec) for spec in diff.alignment.values() if spec is not None}
    diff.added = [spec for spec in new_spec.task_specs.values() if id(spec) not in matched]
    changed = diff.changed
    rebuild = []
    for task in workflow.get_tasks(skip_subprocesses=True):
        spec, target = task.task_spec, diff.alignment.get(task.task_spec)
        step = _step_label(old, spec)
        if task.has_state(OPEN):
            if target is None:
                outcome.reasons.append(Reason("migration_current_removed", step))
            elif task.state == TaskState.STARTED and spec in changed:
                outcome.reasons.append(Reason("migration_subprocess_changed", {"name": spec.name}))
            continue
        if not task.has_state(TaskState.FINISHED_MASK):
            continue  # predicted: rebuilt from the new version with the branch it hangs on
        if target is None:
            outcome.reasons.append(Reason("migration_done_removed", step))
            continue
        changes = set(changed.get(spec, [])) - HARMLESS
        if not changes:
            continue
        if changes == {"outputs"} and _insertion_only(task, target, diff):
            rebuild.append(task.id)
            continue
        outcome.reasons.append(
            Reason("migration_history_changed", {**step, "changes": ", ".join(sorted(changes))})
        )
    for sub_id, sub in workflow.subprocesses.items():
        if sub_id not in workflow.tasks or not workflow.tasks[sub_id].has_state(OPEN):
            continue
        new_sub = new_subs.get(sub.spec.name)
        sub_diff = SpecDiff(registry, sub.spec, new_sub) if new_sub is not None else None
        if sub_diff is None or sub_diff.changed or sub_diff.removed or sub_diff.added:
            outcome.reasons.append(Reason("migration_subprocess_changed", {"name": sub.spec.name}))
    outcome.reasons = list(dict.fromkeys(_hashable(r) for r in outcome.reasons))
    outcome.reasons = [Reason(k, dict(p)) for k, p in outcome.reasons]
    if outcome.reasons:
        return
    migrate_workflow(WorkflowDiff(workflow, diff), workflow, new_spec)
    workflow.subprocess_specs = new_subs
    for task_id in rebuild:
        _rebuild_after(workflow, workflow.tasks[task_id])
    if workflow.last_task is not None and workflow.last_task.id not in workflow.tasks:
        workflow.last_task = None
    stale = [
        t for t in workflow.get_tasks(skip_subprocesses=True)
        if new_spec.task_specs.get(t.task_spec.name) is not t.task_spec
    ]  # fmt: skip
    for task in stale:  # nothing of the old version may be left in the tree
        outcome.reasons.append(Reason("migration_done_removed", _step_label(old, task.task_spec)))


def _insertion_only(task, target, diff: SpecDiff) -> bool:
    """Whether a completed task's new outgoing flows only put new steps before what was next.

    Nothing after it may be done yet; what follows it directly in the new version is either a
    step of the old version or a new step people do (a new gateway or event right after a done
    step would act on a decision or an event that never happened); and every step that was next
    is still reachable from there (the inserted steps lie on the path to it).
    """
    if task.state != TaskState.COMPLETED:
        return False
    if any(child.has_state(TaskState.FINISHED_MASK) for child in task.children):
        return False
    added = {spec.name for spec in diff.added}
    if any(out.name in added and not out.manual for out in target.outputs):
        return False
    reachable, queue = set(), list(target.outputs)
    while queue:
        spec = queue.pop()
        if spec.name not in reachable:
            reachable.add(spec.name)
            queue.extend(spec.outputs)
    following = (diff.alignment.get(child.task_spec) for child in task.children)
    # (a next step without a counterpart is refused on its own, as a removed current step)
    return all(spec is None or spec.name in reachable for spec in following)


def _rebuild_after(workflow, task) -> None:
    """The branch after a completed task whose outgoing flows changed, from the new version."""
    outputs = task.task_spec.outputs
    for child in list(task.children):  # a child of a step still next (a mapped one) stays
        if child.task_spec not in outputs:
            workflow._remove_task(child.id)
    task._sync_children(outputs, TaskState.FUTURE)
    for child in list(task.children):  # as Task.reset_branch predicts and updates a task
        child.task_spec._predict(child, mask=TaskState.PREDICTED_MASK | TaskState.FUTURE)
        child.task_spec._update(child)


def _hashable(reason: Reason) -> tuple:
    return reason.key, tuple(sorted(reason.params.items()))


def _step_label(definition: Definition, spec) -> dict:
    step_no = definition.task_steps.get(spec.name)
    step = definition.model.find(step_no) if step_no is not None else None
    name = step.activity if step else (getattr(spec, "bpmn_name", None) or spec.name)
    return {"step": name, "element": spec.name}


def _open_rows(session: Session, instance_id: int) -> list[HumanTask]:
    query = select(HumanTask).where(HumanTask.instance_id == instance_id, HumanTask.state == "open")
    return list(session.scalars(query.order_by(HumanTask.id)))


def _task_plan(row: HumanTask, ready: dict, taken: set, targets: dict, new: Definition) -> dict:
    """In a plan: whether an open task stays open (and as which step) after the migration."""
    task = _match(row, ready, taken, targets)
    if task is None:
        return {"task": row.id, "old_step": row.step_no, "new_step": None, "action": "withdrawn"}
    return {
        "task": row.id,
        "old_step": row.step_no,
        "new_step": new.task_steps.get(task.task_spec.name),
        "action": "kept",
    }


def _ready_by_id(handle: Handle) -> dict:
    manual_ready = handle.workflow.get_tasks(state=TaskState.READY, manual=True)
    return {str(t.id): t for t in manual_ready}


def _targets(handle: Handle, mapping: dict[str, str]) -> dict[str, str]:
    """Before migrating: each ready task's id -> the element id its step has in the new version."""
    return {
        tid: mapping.get(t.task_spec.name, t.task_spec.name)
        for tid, t in _ready_by_id(handle).items()
    }


def _match(row: HumanTask, ready: dict, taken: set, targets: dict):
    """The ready task an open row stands for after the migration: its own task, or, where its
    branch was built again, the ready task of its step in the new version (None: withdrawn)."""
    task = ready.get(row.task_id) if row.task_id not in taken else None
    if task is None:
        target = targets.get(row.task_id)
        task = next(
            (t for tid, t in ready.items() if tid not in taken and t.task_spec.name == target),
            None,
        )
    if task is not None:
        taken.add(str(task.id))
    return task


def _repoint(ctx: Context, row, ready: dict, taken: set, targets: dict, new: Definition, now):
    """Keep an open human-task row for its task in the new version (withdrawn when none)."""
    task = _match(row, ready, taken, targets)
    if task is not None:
        row.task_id = str(task.id)
    if task is None:
        return {
            "task": row.id, "old_step": row.step_no, "new_step": None, "action": "withdrawn",
            "old_due_at": _iso(row.due_at), "new_due_at": None,
        }  # fmt: skip
    if row.called_definition_id is not None:  # a called process's task: that process did not
        row.step_no = new.task_steps.get(_call_element(task))  # change (else the migration is
        return {  # refused): its role and due stay; its step is its call's in the new version
            "task": row.id, "old_step": row.step_no, "new_step": row.step_no, "action": "kept",
            "old_due_at": _iso(row.due_at), "new_due_at": _iso(row.due_at),
        }  # fmt: skip
    spec = task.task_spec
    step_no = new.task_steps.get(spec.name)
    step = new.model.find(step_no) if step_no is not None else None
    old_due, old_step = row.due_at, row.step_no
    row.step_no = step_no
    row.name = step.activity if step else (spec.bpmn_name or spec.name)
    lane = spec.lane or ""
    role = ctx.roles.role(new.key, lane)
    released = None
    if role != row.role and row.claimed_by:
        released, row.claimed_by, row.claimed_at = row.claimed_by, None, None
    row.lane, row.role, row.assignee = lane, role, ctx.roles.assignee(lane)
    row.due_at = ctx.calendar.due(row.created_at, step.waktu if step else Waktu())
    row.overdue = row.overdue and row.due_at is not None and row.due_at < now
    result = {
        "task": row.id, "old_step": old_step, "new_step": step_no, "action": "kept",
        "old_due_at": _iso(old_due), "new_due_at": _iso(row.due_at),
    }  # fmt: skip
    if released:
        result["claim_released"] = released
    return result


def _call_element(task) -> str | None:
    """The element of the outermost call activity a called process's task runs under."""
    workflow, found = task.workflow, None
    while workflow is not None and workflow is not workflow.top_workflow:
        found = workflow.top_workflow.get_task_from_id(workflow.parent_task_id).task_spec.name
        workflow = workflow.parent_workflow
    return found


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def suspend(session: Session, ctx: Context, instance: Instance, user: User, note: str) -> None:
    if instance.state != "running":
        raise Conflict("instance_not_running", id=instance.id, state=instance.state)
    instance.state = "suspended"
    audit.record(session, instance.id, "suspended", user.username, at=ctx.clock(), note=note)


def resume(session: Session, ctx: Context, instance: Instance, user: User, note: str) -> None:
    if instance.state != "suspended":
        raise Conflict("instance_not_suspended", id=instance.id, state=instance.state)
    instance.state = "running"
    audit.record(session, instance.id, "resumed", user.username, at=ctx.clock(), note=note)
