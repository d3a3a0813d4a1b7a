"""e2e_instances_per_s: whole runs of SOP C.3 (start plus 21 completions, every decision "Ya").

Through the engine API on SQLite and PostgreSQL (start, inbox of the instance, complete), beside
the same run in memory with SpiffWorkflow alone (engine.runtime.spiff.parse_specs +
new_workflow), and in memory with a whole-workflow `spiff.dump` after every completion (what
storing the library's JSON per step would cost without a database).
"""

from __future__ import annotations

import time
from functools import partial

from SpiffWorkflow.util.task import TaskState

from benchmarks import BPMN_DIR, DatabaseClock, Emit, median, note
from engine.alur import Alur
from engine.bpmn.reader import read_bpmn
from engine.inbox import InboxFilter
from engine.runtime import spiff
from engine.runtime.lifecycle import Completion

SOP_FILE = BPMN_DIR / "sop_c_3.bpmn"
USER = "pelaksana"
STEPS = 21


def setup(alur: Alur) -> tuple[str, set[int]]:
    """Deploy C.3 and a user holding every lane of it; the key and the decision step numbers."""
    sop = read_bpmn(SOP_FILE.read_bytes())
    alur.deploy([SOP_FILE], "admin")
    alur.add_user(USER, sop.actors)
    return sop.key, {s.no for s in sop.steps if s.decision}


def engine_run(alur: Alur, key: str, decisions: set[int]) -> int:
    """One whole run through the engine API; the number of completions."""
    instance = alur.start(key, USER, title="benchmark C.3")
    done = 0
    while tasks := alur.inbox(USER, InboxFilter(instance_id=instance.id)):
        for task in tasks:
            form = Completion(decision="Ya") if task.step_no in decisions else Completion()
            alur.complete(task.id, USER, form)
            done += 1
    state = alur.instance(instance.id).state
    if state != "completed" or done != STEPS:
        raise RuntimeError(f"C.3 run ended {state} after {done} completions, not {STEPS}")
    return done


def memory_run(specs, decision_of: dict[str, int | None], dump: bool = False) -> int:
    """The same run in SpiffWorkflow alone (optionally dumping the whole workflow per step)."""
    workflow = spiff.new_workflow(specs)
    workflow.do_engine_steps()
    done = 0
    while tasks := workflow.get_tasks(state=TaskState.READY, manual=True):
        for task in tasks:
            no = decision_of.get(task.task_spec.name)
            if no is not None:
                task.data[f"keputusan_{no}"] = "Ya"
            task.run()
            workflow.do_engine_steps()
            if dump:
                spiff.dump(workflow)
            done += 1
    if not workflow.is_completed() or done != STEPS:
        raise RuntimeError(f"C.3 in memory ended after {done} completions, not {STEPS}")
    return done


def rate(run, runs: int) -> tuple[float, float]:
    """(runs per second over the whole batch, median ms of one run), after one warm-up run."""
    run()
    times = []
    start = time.perf_counter()
    for _ in range(runs):
        t0 = time.perf_counter()
        run()
        times.append((time.perf_counter() - t0) * 1000)
    return runs / (time.perf_counter() - start), median(times)


def run(emit: Emit, kinds: list[str], runs: int, memory_runs: int, database) -> None:
    xml = SOP_FILE.read_bytes()
    sop = read_bpmn(xml)
    specs = spiff.parse_specs(xml, sop.key, SOP_FILE.name)
    decision_of = {s.element_id or s.task_id: s.no if s.decision else None for s in sop.steps}
    note(f"e2e in memory: {memory_runs} runs of C.3")
    per_s, run_ms = rate(lambda: memory_run(specs, decision_of), memory_runs)
    dumped_per_s, dumped_ms = rate(lambda: memory_run(specs, decision_of, True), memory_runs)
    common = {"unit": "1/s", "process": "sop_c_3", "completions_per_run": STEPS}
    workflow_class = type(spiff.new_workflow(specs)).__name__
    emit(
        {
            "figure": "e2e_instances_per_s",
            "value": per_s,
            "db": "memory",
            **common,
            "runs": memory_runs,
            "run_ms_median": run_ms,
            "variant": f"SpiffWorkflow only ({workflow_class}), no persistence",
        }
    )
    emit(
        {
            "figure": "e2e_instances_per_s",
            "value": dumped_per_s,
            "db": "memory",
            **common,
            "runs": memory_runs,
            "run_ms_median": dumped_ms,
            "variant": "SpiffWorkflow + spiff.dump of the whole workflow after each completion",
        }
    )
    for kind in kinds:
        with database(kind) as alur:
            note(f"e2e on {kind}: {runs} runs of C.3 through the engine API")
            key, decisions = setup(alur)
            per_s_db, run_ms_db = rate(partial(engine_run, alur, key, decisions), runs)
            clock, inside = DatabaseClock(alur), []
            for _ in range(min(runs, 5)):  # apart from the rate: the hooks cost time too
                clock.seconds = 0.0
                with clock.running():
                    engine_run(alur, key, decisions)
                inside.append(1000 * clock.seconds)
            line = {
                "figure": "e2e_instances_per_s",
                "value": per_s_db,
                "db": kind,
                **common,
                "runs": runs,
                "run_ms_median": run_ms_db,
                "ms_per_step_mean": run_ms_db / (STEPS + 1),
                "overhead_vs_memory": per_s / per_s_db,
                # a run's statements and commits, timed inside the database and its driver
                "database_ms_per_run": median(inside),
                "api_calls_per_run": "start + 22 inbox + 21 complete + 1 instance",
            }
            if alur.bench_workarounds:
                line["engine_bug_workarounds"] = alur.bench_workarounds
            emit(line)
