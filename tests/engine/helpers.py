"""Helpers for the engine tests: seeding, users by role, driving instances, worker processes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sqlalchemy import func, select

from engine import users
from engine.alur import Alur
from engine.config import Settings
from engine.errors import Conflict
from engine.inbox import InboxFilter
from engine.runtime.lifecycle import Completion
from engine.storage.tables import Event, HumanTask, Instance, WorkflowTask
from tests.barrier_pool import meet

ROOT = Path(__file__).resolve().parents[2]
BPMN_DIR = ROOT / "bpmn"
PROCESS_KEYS = ["sop_a", "sop_b", "sop_c_1", "sop_c_2", "sop_c_3", "sop_d"]
ADMIN = "admin"
NOBODY = "tamu"  # a user without any role

Answer = Callable[[dict, int], str]  # (step, visit) -> "Ya" / "Tidak"


def holder(role: str, second: bool = False) -> str:
    """The seeded username of a role ('kabid pemerintahan ...' -> 'kabid_pemerintahan_...')."""
    name = role.replace(" ", "_")
    return f"{name}_2" if second else name


def seed(alur: Alur) -> None:
    """Schema, the six SOPs, two users per lane role of every SOP, an admin and a roleless user."""
    alur.upgrade()
    alur.deploy([BPMN_DIR], ADMIN)
    roles = {alur.roles.role(d.key, actor) for d in alur.processes() for actor in d.sop["actors"]}
    for role in sorted(roles):
        alur.add_user(holder(role), [role])
        alur.add_user(holder(role, second=True), [role])
    alur.add_user(ADMIN, [], is_admin=True)
    alur.add_user(NOBODY, [])


def step_of(alur: Alur, process_key: str, step_no: int) -> dict:
    """A step of the newest version, as the SOP model writes it."""
    definition = alur.definition(process_key)
    return next(s for s in definition.sop["steps"] if s["no"] == step_no)


def role_for(alur: Alur, process_key: str, step_no: int) -> str:
    """The role of the lane a step sits in."""
    return alur.roles.role(process_key, step_of(alur, process_key, step_no)["actor"])


def user_for(alur: Alur, process_key: str, step_no: int) -> str:
    """A username holding the role of the step's lane (the first holder by name)."""
    role = role_for(alur, process_key, step_no)
    with alur.session() as s:
        found = users.holders(s, role)
    assert found, f"nobody holds {role!r}"
    return found[0].username


def deploy_approved(alur: Alur, sources: list[tuple[str, bytes]], deployer: str, approver=ADMIN):
    """Deploy files and have approver (a second person) approve what waits for approval: the
    deployed versions, as a plain deploy gave them before the four-eyes rule."""
    results = []
    for result in alur.deploy_sources(sources, deployer):
        if result.awaiting:
            alur.approve_draft(result.draft.id, approver)
            result = type(result)(alur.definition(result.definition.key), True)
        results.append(result)
    return results


def starter(alur: Alur, process_key: str) -> str:
    return holder(alur.definition(process_key).starter_roles[0])


def open_tasks(alur: Alur, instance_id: int) -> list[HumanTask]:
    return alur.tasks(flt=InboxFilter(instance_id=instance_id))


def only_task(alur: Alur, instance_id: int) -> HumanTask:
    tasks = open_tasks(alur, instance_id)
    assert len(tasks) == 1, [(t.id, t.step_no) for t in tasks]
    return tasks[0]


def yes(step: dict, visit: int) -> str:
    return "Ya"


def complete_step(alur: Alur, task: HumanTask, answer: Answer = yes, visit: int = 1) -> None:
    """Complete a task as the first holder of its role, answering its decision if it has one."""
    step = step_of_task(alur, task)
    form = Completion()
    if step["decision"]:
        form.decision = answer(step, visit)
        if form.decision == "Tidak":
            form.note = f"langkah {step['no']} kunjungan {visit}: perbaiki"
    alur.complete(task.id, holder(task.role), form)


def step_of_task(alur: Alur, task: HumanTask) -> dict:
    """The task's step in the version its instance runs."""
    with alur.session() as s:
        sop = s.get(Instance, task.instance_id).definition.sop
    return next(s for s in sop["steps"] if s["no"] == task.step_no)


def finish(alur: Alur, instance_id: int, answer: Answer = yes, limit: int = 400) -> list[int]:
    """Complete open tasks until the instance ends; the step numbers in the order done."""
    done: list[int] = []
    while alur.instance(instance_id).state == "running":
        task = only_task(alur, instance_id)
        complete_step(alur, task, answer, done.count(task.step_no) + 1)
        done.append(task.step_no)
        assert len(done) < limit, f"instance {instance_id} still running after {limit} steps"
    return done


def run_to_step(alur: Alur, instance_id: int, step_no: int) -> HumanTask:
    """Complete (all Ya) until the open task is step_no; that task."""
    while (task := only_task(alur, instance_id)).step_no != step_no:
        complete_step(alur, task)
    return task


def snapshot(alur: Alur, instance_id: int) -> dict:
    """What a refused or failed call must leave untouched."""
    with alur.session() as s:
        instance = s.get(Instance, instance_id)
        tasks = s.scalars(
            select(HumanTask).where(HumanTask.instance_id == instance_id).order_by(HumanTask.id)
        )
        events = s.scalars(select(Event).where(Event.instance_id == instance_id))
        stored = s.scalar(select(func.count()).where(WorkflowTask.instance_id == instance_id))
        return {
            "instance": (instance.state, instance.revision, instance.workflow),
            "tasks": [(t.id, t.step_no, t.state, t.claimed_by, t.data) for t in tasks],
            "events": sorted((e.id, e.kind, e.step_no) for e in events),
            "workflow_tasks": stored,
        }


# -- worker processes (multiprocessing, spawn): each builds its own Alur on the same database --
_alurs: dict[str, Alur] = {}


def _worker_alur(url: str, upload_dir: str) -> Alur:
    if url not in _alurs:
        _alurs[url] = Alur(Settings(database_url=url, upload_dir=Path(upload_dir)))
    return _alurs[url]


def race_complete(url: str, upload_dir: str, task_id: int, username: str) -> tuple[str, str]:
    """Wait for every worker, then complete the task; ('ok' | 'conflict' | 'error', message)."""
    alur = _worker_alur(url, upload_dir)
    alur.user(username)  # connect before the barrier, so the race is about the completion
    meet()
    try:
        alur.complete(task_id, username)
    except Conflict as error:
        return "conflict", error.message
    except Exception as error:  # reported to the test, which fails on it
        return "error", f"{type(error).__name__}: {error}"
    return "ok", ""


def drive_instance(url: str, upload_dir: str, instance_id: int) -> tuple[str, list[int]]:
    """Wait for every worker, then run one instance to its end (all Ya)."""
    alur = _worker_alur(url, upload_dir)
    alur.instance(instance_id)
    meet()
    try:
        done = finish(alur, instance_id)
    except Exception as error:
        return f"error: {type(error).__name__}: {error}", []
    return alur.instance(instance_id).state, done


def roles_of(alur: Alur, process_key: str) -> list[str]:
    """Every lane role of a process."""
    actors = alur.definition(process_key).sop["actors"]
    return sorted({alur.roles.role(process_key, a) for a in actors})
