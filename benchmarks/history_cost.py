"""complete_task_ms at a short and a long history: a draft/review loop sent back again and again.

The process is written for the benchmark: "draft" (Penyusun) then "review" (Pemeriksa) deciding
Ya -> end, Tidak -> draft. One round is two completions. The short size is measured on fresh
instances driven to `SMALL_ROUNDS` rounds, one measured round each; the long size on one instance
driven to `rounds` rounds, then measured rounds that alternate warm (cache hit) and cold
(`alur.store.discard` before each completion, so the workflow is reloaded from its task rows).
The plain-SpiffWorkflow baseline is a completion plus `spiff.dump` of the whole workflow.
analytics_sums_write_ratio is what keeping the analytics' sums adds to a warm completion (with and
without them, alternating). round_trip_floor_ms is what the same number of statements costs
through the bare driver: the least a completion that keeps its rows in this database can cost,
whatever the code around it. complete_task_database_ms splits warm completions at 10 done into
the time their own statements and COMMIT take in the database and its driver, and the rest.
"""

from __future__ import annotations

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import event, func, select

from benchmarks import DatabaseClock, Emit, median, note, timed_ms
from engine.alur import Alur
from engine.bpmn.writer import write_bpmn
from engine.inbox import InboxFilter
from engine.runtime import spiff
from engine.runtime.lifecycle import Completion
from engine.sop import Decision, Sop, Step
from engine.storage.db import session_factory
from engine.storage.tables import Instance, WorkflowTask

SMALL_ROUNDS = 5  # 10 completed tasks
TARGET_RATIO = 1.5
USER = "bench"
LOOP = Sop(
    code="BENCH.LOOP",
    name="Revisi berulang (benchmark)",
    owner="Benchmark",
    actors=["Penyusun", "Pemeriksa"],
    steps=[
        Step(1, "Menyusun draf", "Penyusun"),
        Step(2, "Memeriksa draf", "Pemeriksa", decision=Decision("Draf benar?", yes=None, no=1)),
    ],
)
SEND_BACK = Completion(decision="Tidak", note="perbaiki lagi")


def loop_xml() -> bytes:
    return write_bpmn(LOOP)


def loop_workflow():
    return spiff.new_workflow(spiff.parse_specs(loop_xml(), LOOP.key, "bench_loop.bpmn"))


def setup(alur: Alur) -> None:
    alur.deploy_sources([("bench_loop.bpmn", loop_xml())], USER)
    alur.add_user(USER, LOOP.actors)


def engine_round(alur: Alur, instance_id: int, cold: bool = False) -> tuple[float, float]:
    """Complete the draft, then send it back; the two completion times in ms."""
    times = []
    for form in (Completion(), SEND_BACK):
        (task,) = alur.inbox(USER, InboxFilter(instance_id=instance_id))
        if cold:
            alur.store.discard(instance_id)
        ms, _ = timed_ms(alur.complete, task.id, USER, Completion(**vars(form)))
        times.append(ms)
    return times[0], times[1]


def drive(alur: Alur, rounds: int) -> int:
    instance = alur.start(LOOP.key, USER, title="benchmark")
    for _ in range(rounds):
        engine_round(alur, instance.id)
    return instance.id


def measure_engine(alur: Alur, rounds: int, samples: int) -> dict:
    """{(size, path): [(draft_ms, review_ms), ...]} for both sizes and paths warm/cold.

    Short and long measurements interleave, so a change in machine load hits both sizes alike.
    """
    small = min(SMALL_ROUNDS, rounds)
    shorts = [drive(alur, small) for _ in range(2 * samples)]
    long = drive(alur, rounds)
    out: dict = {}
    for i, short in enumerate(shorts):
        path = "cold" if i % 2 else "warm"
        for size, iid in ((2 * small, short), (2 * rounds, long)):
            out.setdefault((size, path), []).append(engine_round(alur, iid, cold=path == "cold"))
    with alur.session() as s:
        out["workflow_tasks"] = s.scalar(
            select(func.count()).where(WorkflowTask.instance_id == long)
        )
    return out


def statements_per_completion(alur: Alur) -> float:
    """Statements a warm completion sends (the mean of a draft and a review), counted."""
    instance_id = drive(alur, 1)
    counts = []
    for form in (Completion(), SEND_BACK):
        (task,) = alur.inbox(USER, InboxFilter(instance_id=instance_id))
        sent = []

        def count(*_args, sent=sent) -> None:
            sent.append(1)

        event.listen(alur.db, "before_cursor_execute", count)
        try:
            alur.complete(task.id, USER, Completion(**vars(form)))
        finally:
            event.remove(alur.db, "before_cursor_execute", count)
        counts.append(len(sent))
    return sum(counts) / len(counts)


def database_time(alur: Alur, samples: int) -> dict:
    """Warm completions at 10 done, each split into the time inside the database and its
    driver (DatabaseClock) and the rest (Python: the ORM, the engine, SpiffWorkflow); medians
    in ms."""
    shorts = [drive(alur, SMALL_ROUNDS) for _ in range(samples)]
    clock = DatabaseClock(alur)
    totals, database = [], []
    for iid in shorts:
        for form in (Completion(), SEND_BACK):
            (task,) = alur.inbox(USER, InboxFilter(instance_id=iid))
            clock.seconds = 0.0
            with clock.running():
                ms, _ = timed_ms(alur.complete, task.id, USER, Completion(**vars(form)))
            totals.append(ms)
            database.append(1000 * clock.seconds)
    rest = [t - d for t, d in zip(totals, database, strict=True)]
    return {"engine": median(totals), "database": median(database), "rest": median(rest)}


def sums_cost(alur: Alur, samples: int) -> dict:
    """Warm completions at 10 done with the analytics' sums kept and without (a session
    factory without their listeners), alternating: the cost of keeping them per write."""
    kept, plain = alur.sessions, session_factory(alur.db)
    shorts = [drive(alur, SMALL_ROUNDS) for _ in range(2 * samples)]
    times: dict[str, list[float]] = {"with": [], "without": []}
    try:
        for i, iid in enumerate(shorts):
            which = "without" if i % 2 else "with"
            alur.sessions = plain if which == "without" else kept
            times[which].extend(engine_round(alur, iid))
    finally:
        alur.sessions = kept
    return {k: median(v) for k, v in times.items()}


def round_trip_floor(alur: Alur, statements: int, samples: int = 60) -> float:
    """The least any client pays for a write transaction of `statements` statements on this
    database: the driver alone (no SQLAlchemy, no engine), statements - 1 `SELECT 1` and one
    real row update, then COMMIT (BEGIN goes with the first); the median in ms."""
    with alur.session() as s:
        row = s.scalar(select(Instance.id).limit(1))
    raw = alur.db.raw_connection()
    try:
        cursor = raw.cursor()
        marker = "%s" if alur.db.dialect.paramstyle in ("format", "pyformat") else "?"
        update = f"UPDATE instances SET title = title WHERE id = {marker}"
        times = []
        for _ in range(samples + 5):
            ms, _ = timed_ms(_transaction, raw, cursor, statements, update, row)
            times.append(ms)
        return median(times[5:])
    finally:
        raw.close()


def _transaction(raw, cursor, statements: int, update: str, row: int) -> None:
    for _ in range(statements - 1):
        cursor.execute("SELECT 1")
        cursor.fetchall()
    cursor.execute(update, (row,))
    raw.commit()


def spiff_round(workflow) -> tuple[float, float, int]:
    """One round in plain SpiffWorkflow, each completion followed by a full dump."""
    times, size = [], 0
    for decision in (None, "Tidak"):
        (task,) = workflow.get_tasks(state=TaskState.READY, manual=True)

        def step(task=task, decision=decision):
            if decision:
                task.data["keputusan_2"] = decision
            task.run()
            workflow.do_engine_steps()
            return spiff.dump(workflow)

        ms, dumped = timed_ms(step)
        times.append(ms)
        size = len(dumped)
    return times[0], times[1], size


def measure_spiff(rounds: int, samples: int) -> dict:
    workflow = loop_workflow()
    specs = workflow.spec, workflow.subprocess_specs

    def fresh(n: int):  # the library's own class: the baseline is SpiffWorkflow as shipped
        workflow = BpmnWorkflow(*specs, script_engine=spiff.script_engine())
        workflow.do_engine_steps()
        for _ in range(n):
            spiff_round(workflow)
        return workflow

    small = min(SMALL_ROUNDS, rounds)
    shorts = [fresh(small) for _ in range(samples)]
    long = fresh(rounds)
    out: dict = {2 * small: [], 2 * rounds: []}
    for short in shorts:
        out[2 * small].append(spiff_round(short))
        out[2 * rounds].append(spiff_round(long))
    return out


def _line(figure, db, size, pairs, **extra) -> dict:
    flat = [ms for pair in pairs for ms in pair[:2]]
    return {
        "figure": figure,
        "value": median(flat),
        "unit": "ms",
        "db": db,
        "completed_tasks": size,
        "completions_measured": len(flat),
        "draft_ms": median([p[0] for p in pairs]),
        "review_ms": median([p[1] for p in pairs]),
        **extra,
    }


def _ratio(db: str, path: str, value: float, sizes: list[int], target: bool = False) -> dict:
    line = {"figure": "history_cost_ratio", "value": value, "unit": "ratio", "db": db}
    line.update(path=path, completed_tasks=[sizes[0], sizes[-1]])
    if target:
        line.update(target=TARGET_RATIO, met=value <= TARGET_RATIO)
    return line


def run(emit: Emit, kinds: list[str], rounds: int, samples: int, database) -> None:
    for kind in kinds:
        with database(kind) as alur:
            note(f"history_cost on {kind}: {rounds} rounds, {samples} measured rounds per size")
            setup(alur)
            got = measure_engine(alur, rounds, samples)
            bugs = alur.bench_workarounds
            statements = statements_per_completion(alur)
            floor = round_trip_floor(alur, round(statements))
            sums = sums_cost(alur, samples)
            split = database_time(alur, samples)
        sizes = sorted({k[0] for k in got if isinstance(k, tuple)})
        medians = {}
        for path, figure in (("warm", "complete_task_ms"), ("cold", "complete_task_cold_ms")):
            for size in sizes:
                extra = {"cache": "hit" if path == "warm" else "miss (store.discard)"}
                if bugs:
                    extra["engine_bug_workarounds"] = bugs
                if size == sizes[-1]:
                    extra["completed_tasks_max"] = size + 4 * samples - 2
                    extra["workflow_tasks_rows"] = got["workflow_tasks"]
                line = _line(figure, kind, size, got[(size, path)], **extra)
                medians[(path, size)] = line["value"]
                emit(line)
        for path in ("warm", "cold"):
            value = medians[(path, sizes[-1])] / medians[(path, sizes[0])]
            emit(_ratio(kind, path, value, sizes, target=path == "warm"))
        emit(
            {
                "figure": "analytics_sums_write_ratio",
                "value": round(sums["with"] / sums["without"], 3),
                "unit": "ratio",
                "db": kind,
                "completed_tasks": 2 * SMALL_ROUNDS,
                "with_ms": round(sums["with"], 3),
                "without_ms": round(sums["without"], 3),
                "added_ms": round(sums["with"] - sums["without"], 3),
                "what": "a warm completion with the analytics' sums kept / without",
            }
        )
        emit(
            {
                "figure": "round_trip_floor_ms",
                "value": round(floor, 3),
                "unit": "ms",
                "db": kind,
                "statements": statements,
                "what": "the driver alone: as many statements as a warm completion sends "
                "(SELECT 1 and one row update) and COMMIT",
            }
        )
        emit(
            {
                "figure": "complete_task_database_ms",
                "value": round(split["database"], 3),
                "unit": "ms",
                "db": kind,
                "completed_tasks": 2 * SMALL_ROUNDS,
                "engine_ms": round(split["engine"], 3),
                "rest_ms": round(split["rest"], 3),
                "what": "a warm completion's time inside the database and its driver (its "
                "statements from sending to result, and the COMMIT); rest: everything else",
            }
        )
    note(f"history_cost in plain SpiffWorkflow: {rounds} rounds")
    got = measure_spiff(rounds, samples)
    sizes = sorted(got)
    what = "BpmnWorkflow: task.run + do_engine_steps + spiff.dump (whole, with spec)"
    lines = [
        _line("spiff_complete_dump_ms", "memory", n, got[n], dump_bytes=got[n][-1][2], what=what)
        for n in sizes
    ]
    for line in lines:
        emit(line)
    emit(_ratio("memory", "spiff_dump", lines[-1]["value"] / lines[0]["value"], sizes))
