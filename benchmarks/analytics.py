"""analytics_page_ms: the figures of one SOP (Alur.analytics, everything the page shows) over
100,000 completed instances on PostgreSQL; target under 1 s. Before and after in one run:
analytics_direct_ms reads every task (engine/analytics.py's direct queries, what the page did
before the maintained sums), analytics_page_ms reads the sums (engine/analytics_totals.py).

The tables are filled by COPY, not by running workflows: completed instances of SOP C.1 started
across one year, each with one completed task per step (one in ten sent back once at its first
decision, so those steps run twice), with claim times, due dates and the minutes the engine
stamps at completion drawn at random; then VACUUM ANALYZE (what autovacuum does). COPY goes
around the engine, so the sums are built by `alur db rebuild-analytics` (timed:
analytics_rebuild_s). The page's read is timed for an auditor (who also gets the figures per
person) over the year and over one month, both ways, and the two answers must be equal.
instance_list_ms: a page of 'Semua proses' (engine/overview.py) at the same size, per filter.
"""

from __future__ import annotations

import random
import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import text

from benchmarks import BPMN_DIR, Emit, median, note, timed_ms
from engine import analytics
from engine.alur import Alur
from engine.overview import InstanceFilter
from engine.storage.tables import HumanTask, Instance

TARGET_MS = 1000.0
KEY = "sop_c_1"
AUDITOR = "inspektur"


def populate(alur: Alur, instances: int, seed: int = 11) -> int:
    """COPY instances and their completed tasks; how many task rows."""
    alur.deploy([BPMN_DIR / "sop_c_1.bpmn"], "admin")
    alur.add_user(AUDITOR, ["auditor"])
    definition = alur.definition(KEY)
    steps = definition.model.steps
    people = [f"pegawai{n}" for n in range(40)]
    first_decision = next((s.no for s in steps if s.decision), None)
    year = datetime(2026, 1, 1, tzinfo=UTC)
    instance_cols = ["id", "definition_id", "process_key", "title", "state", "started_by",
                     "started_at", "ended_at", "cancel_reason", "data", "workflow", "revision",
                     "lead_minutes", "lead_calendar_minutes"]  # fmt: skip
    task_cols = ["id", "instance_id", "process_key", "task_id", "step_no", "name", "lane", "role",
                 "state", "created_at", "due_at", "claimed_by", "claimed_at", "completed_by",
                 "completed_at", "decision", "data", "working_minutes", "overdue",
                 "calendar_minutes", "wait_minutes", "handle_minutes",
                 "over_minutes"]  # fmt: skip

    def generate(iid: int) -> tuple[list, list]:
        """One instance's row and its task rows, the same on every call (seeded by its id)."""
        rng = random.Random(seed * 1_000_003 + iid)
        start = year + timedelta(minutes=rng.randrange(365 * 24 * 60))
        at = start
        sent_back = rng.random() < 0.1
        order = [s.no for s in steps]
        if sent_back and first_decision:
            i = order.index(first_decision)
            order = order[: i + 1] + [order[i - 1], first_decision] + order[i + 1 :]
        done_once: set[int] = set()
        tasks = []
        for no in order:
            step = definition.model.step(no)
            work = rng.randrange(5, 900)
            wait = rng.randrange(0, work + 1) if rng.random() < 0.7 else None
            standard = step.waktu.minutes
            due = at + timedelta(minutes=standard) if standard else None
            done = at + timedelta(minutes=work)
            decision = None
            if step.decision:
                decision = "Tidak" if sent_back and no not in done_once else "Ya"
            done_once.add(no)
            tasks.append([
                iid, KEY, no, step.activity, step.actor, step.actor.lower(), "completed", at, due,
                rng.choice(people) if wait is not None else None,
                at + timedelta(minutes=wait) if wait is not None else None,
                rng.choice(people), done, decision, "{}", work, False,
                work + rng.randrange(0, 3000), wait,
                None if wait is None else work - wait,
                None if due is None else max(0, work - standard),
            ])  # fmt: skip
            at = done
        lead = int((at - start) / timedelta(minutes=1))
        instance = [
            iid, definition.id, KEY, f"Bench {iid}", "completed", "admin", start, at, "",
            "{}", "{}", 1, lead, lead + rng.randrange(0, 20000),
        ]  # fmt: skip
        return instance, tasks

    task_id = 0
    with alur.db.begin() as conn:
        cursor = conn.connection.dbapi_connection.cursor()
        # one COPY at a time on a connection: the instances first (the tasks refer to them)
        with cursor.copy(f"COPY instances ({', '.join(instance_cols)}) FROM STDIN") as copy:
            for iid in range(1, instances + 1):
                copy.write_row(generate(iid)[0])
        with cursor.copy(f"COPY human_tasks ({', '.join(task_cols)}) FROM STDIN") as copy:
            for iid in range(1, instances + 1):
                for row in generate(iid)[1]:
                    task_id += 1
                    copy.write_row([task_id, row[0], row[1], str(uuid.UUID(int=task_id)), *row[2:]])
        for table in ("instances", "human_tasks"):
            sequence = f"pg_get_serial_sequence('{table}', 'id')"
            conn.execute(text(f"SELECT setval({sequence}, max(id)) FROM {table}"))
    vacuum(alur)
    assert HumanTask and Instance  # the tables COPY fills
    return task_id


def vacuum(alur: Alur) -> None:
    with alur.db.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE"))


def direct(alur: Alur, period):
    """The figures from every task, as the page read them before the sums."""
    with alur.session(read_only=True) as s:
        return analytics.compute(s, alur.calendar, KEY, period, None, True, alur.clock(), True)


def same(fast, slow) -> bool:
    """The two answers alike in every figure (generated_at aside: the clock moved between)."""
    a, b = analytics.as_json(fast), analytics.as_json(slow)
    a.pop("generated_at"), b.pop("generated_at")
    return a == b


LISTS = {
    "newest": {},
    "one_sop": {"process": KEY},
    "one_sop_completed": {"process": KEY, "state": "completed"},
    "overdue": {"overdue": True},
    "actor": {"actor": "pegawai3"},
    "actor_nobody": {"actor": "nobody"},
    "search": {"search": "Bench 99"},
    "search_nothing": {"search": "zzz"},
    "older_page": {"before": 500},
}


def run(emit: Emit, instances: int, calls: int, database) -> None:
    with database("postgresql") as alur:
        note(f"analytics on postgresql: populating {instances} completed instances")
        rows = populate(alur, instances)
        periods = (("year", alur.period("2026")), ("month", alur.period("2026-06")))
        before, direct_ms = {}, {}
        for label, period in periods:
            note(f"analytics: reading every task ({label})")
            direct(alur, period)
            times = [timed_ms(direct, alur, period)[0] for _ in range(max(1, calls // 2))]
            before[label] = direct(alur, period)
            direct_ms[label] = round(median(times), 1)
            emit({
                "figure": "analytics_direct_ms", "value": direct_ms[label], "unit": "ms",
                "db": "postgresql", "period": label, "instances": before[label].started,
                "human_tasks_rows": rows, "calls": len(times), "max_ms": round(max(times), 1),
            })  # fmt: skip
        note("analytics: building the sums (alur db rebuild-analytics)")
        seconds, _count = timed_ms(alur.rebuild_analytics)
        vacuum(alur)
        emit({
            "figure": "analytics_rebuild_s", "value": round(seconds / 1000, 1), "unit": "s",
            "db": "postgresql", "instances": instances, "human_tasks_rows": rows,
        })  # fmt: skip
        for label, period in periods:
            call = lambda p=period: alur.analytics(KEY, AUDITOR, p)  # noqa: E731
            call()  # warm the pool and the statement cache
            times = [timed_ms(call)[0] for _ in range(calls)]
            value = median(times)
            figures = call()
            emit({
                "figure": "analytics_page_ms", "value": round(value, 1), "unit": "ms",
                "db": "postgresql", "period": label, "instances": figures.started,
                "human_tasks_rows": rows, "calls": calls, "max_ms": round(max(times), 1),
                "target": TARGET_MS, "met": value <= TARGET_MS,
                "direct_ms": direct_ms[label],
                "same_as_direct": same(figures, before[label]),
            })  # fmt: skip
        for label, args in LISTS.items():
            flt = InstanceFilter(**args)
            alur.all_instances(AUDITOR, flt)
            times = [timed_ms(alur.all_instances, AUDITOR, flt)[0] for _ in range(calls)]
            lines = len(alur.all_instances(AUDITOR, flt).lines)
            emit({
                "figure": "instance_list_ms", "value": round(median(times), 1), "unit": "ms",
                "db": "postgresql", "filter": label, "instances": instances, "calls": calls,
                "max_ms": round(max(times), 1), "lines": lines,
            })  # fmt: skip
