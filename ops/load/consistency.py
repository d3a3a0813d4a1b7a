"""After a load or fault run: every instance's state and audit trail agree with its human tasks.

Read through a fresh Alur (an empty workflow cache), so every workflow is loaded from the rows:
- each completed human task has exactly one "completed" event (by its completer, with its
  decision), and no other task has one: no completion lost, none doubled;
- each human task has exactly one "task_created" event; each instance one "started", and one
  "finished" exactly when it is completed;
- the workflow loads, its READY user tasks are exactly the open human tasks, and its COMPLETED
  user tasks are exactly the completed ones; a completed instance's workflow is completed;
- optionally, every completion a client was told succeeded (a ledger of task ids) is completed.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from SpiffWorkflow.util.task import TaskState
from sqlalchemy import select

from engine.alur import Alur
from engine.config import Settings
from engine.storage.tables import Event, HumanTask, Instance


@dataclass
class Report:
    instances: int = 0
    states: Counter = field(default_factory=Counter)
    human_tasks: int = 0
    completed_tasks: int = 0
    events: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> dict:
        return {
            "instances": self.instances,
            "states": dict(self.states),
            "human_tasks": self.human_tasks,
            "completed_tasks": self.completed_tasks,
            "events": self.events,
            "problems": len(self.problems),
            "first_problems": self.problems[:20],
        }


def check(url: str, upload_dir: Path, ledger: dict[int, str] | None = None) -> Report:
    """Check every instance of the database at url; ledger: task id -> who was told it is done."""
    alur = Alur(Settings(database_url=url, upload_dir=upload_dir))
    report = Report()
    try:
        with alur.session(read_only=True) as s:
            instances = list(s.scalars(select(Instance).order_by(Instance.id)))
            tasks: dict[int, list[HumanTask]] = defaultdict(list)
            for task in s.scalars(select(HumanTask).order_by(HumanTask.id)):
                tasks[task.instance_id].append(task)
            events: dict[int, list[Event]] = defaultdict(list)
            for event in s.scalars(select(Event).order_by(Event.id)):
                events[event.instance_id].append(event)
        report.instances = len(instances)
        report.human_tasks = sum(len(t) for t in tasks.values())
        report.events = sum(len(e) for e in events.values())
        for instance in instances:
            report.states[instance.state] += 1
            found = _instance_problems(alur, instance, tasks[instance.id], events[instance.id])
            report.problems += [f"instance {instance.id}: {p}" for p in found]
        by_id = {t.id: t for rows in tasks.values() for t in rows}
        report.completed_tasks = sum(t.state == "completed" for t in by_id.values())
        for task_id, who in sorted((ledger or {}).items()):
            task = by_id.get(task_id)
            if task is None or task.state != "completed" or task.completed_by != who:
                state = task and (task.state, task.completed_by)
                report.problems.append(f"task {task_id}: {who} was told done, but it is {state}")
    finally:
        alur.db.dispose()
    return report


def _instance_problems(alur: Alur, instance: Instance, tasks: list[HumanTask], events: list):
    problems = []
    kinds = Counter(e.kind for e in events)
    completed_events = Counter(e.human_task_id for e in events if e.kind == "completed")
    created_events = Counter(e.human_task_id for e in events if e.kind == "task_created")
    if kinds["started"] != 1:
        problems.append(f"{kinds['started']} 'started' events")
    if kinds["finished"] != (instance.state == "completed"):
        problems.append(f"state {instance.state} with {kinds['finished']} 'finished' events")
    ids = {t.id for t in tasks}
    for task in tasks:
        want = 1 if task.state == "completed" else 0
        if completed_events[task.id] != want:
            problems.append(
                f"task {task.id} ({task.state}) has {completed_events[task.id]} 'completed' events"
            )
        if created_events[task.id] != 1:
            problems.append(f"task {task.id} has {created_events[task.id]} 'task_created' events")
        if task.state == "completed":
            event = next(e for e in events if e.kind == "completed" and e.human_task_id == task.id)
            if event.actor != task.completed_by or event.data.get("decision") != task.decision:
                problems.append(f"task {task.id}: its 'completed' event disagrees with the row")
    strays = (set(completed_events) | set(created_events)) - ids
    if strays:
        problems.append(f"events for tasks that are not its rows: {sorted(strays)}")
    try:
        with alur.session(read_only=True) as s:
            row = s.get(Instance, instance.id)
            workflow = alur.store.load(s, row).workflow
    except Exception as error:  # a workflow that does not load is the finding itself
        return [*problems, f"workflow does not load: {type(error).__name__}: {error}"]
    ready = {str(t.id) for t in workflow.get_tasks(state=TaskState.READY, manual=True)}
    done = {str(t.id) for t in workflow.get_tasks(state=TaskState.COMPLETED, manual=True)}
    open_rows = {t.task_id for t in tasks if t.state == "open"}
    completed_rows = {t.task_id for t in tasks if t.state == "completed"}
    if instance.state == "running" and ready != open_rows:
        problems.append(
            f"READY user tasks {sorted(ready - open_rows)} without open rows, "
            f"open rows {sorted(open_rows - ready)} not READY"
        )
    if instance.state != "running" and open_rows:
        problems.append(f"{instance.state} but {len(open_rows)} tasks still open")
    if instance.state == "completed" and not workflow.is_completed():
        problems.append("completed, but its workflow is not")
    if done != completed_rows:
        problems.append(
            f"COMPLETED user tasks without a completed row: {sorted(done - completed_rows)}; "
            f"completed rows not COMPLETED in the workflow: {sorted(completed_rows - done)}"
        )
    return problems
