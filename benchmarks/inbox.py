"""inbox_ms_p95: one user's inbox (Alur.inbox, default limit) over many open instances.

The tables are filled by bulk inserts (COPY on PostgreSQL), not by running workflows: running
instances of the six SOPs, each at a random step with its one open task and a completed task
for every step before it; open tasks some claimed, due dates spread around now; a few thousand
users holding one or two of the roles. Then Alur.inbox is timed for a 2-role and a 1-role user,
EXPLAIN ANALYZE is run on the SQL it issues, and candidate fixes are timed the same way.
"""

from __future__ import annotations

import json
import random
import uuid
from datetime import timedelta

from sqlalchemy import event, insert, text

from benchmarks import BPMN_DIR, Emit, note, percentile, timed_ms
from benchmarks.inbox_plan import driver_ms, plan_summary
from engine.alur import Alur
from engine.roles import normalise
from engine.sop import Step
from engine.storage.tables import HumanTask, Instance, User, UserRole, utcnow

TARGET_MS = 20.0
# how many users hold each role (the rest of the users are fungsional umum / tertentu)
FEW = {"kepala badan": 1, "sekretaris badan": 1, "kabid pemerintahan dan sosial budaya": 2}


def populate(alur: Alur, instances: int, users: int, seed: int = 7) -> dict:
    """Fill users, instances and human_tasks; returns {role: open tasks} and the users' roles."""
    rng = random.Random(seed)
    alur.deploy([BPMN_DIR], "admin")
    definitions = alur.processes()
    roles = sorted({normalise(s.actor) for d in definitions for s in d.model.steps})
    holders = {r: [] for r in roles}
    user_rows, role_rows, user_roles = [], [], {}
    plenty = [r for r in roles if r not in FEW]
    for uid in range(1, users + 1):
        name = f"user{uid:05d}"
        few = [r for r in FEW if len(holders[r]) < FEW[r]]
        mine = [few[0]] if few else rng.sample(plenty, rng.choice((1, 1, 1, 2)))
        if not few and uid % 10 == 0:  # some people act in a second, rarer role too
            mine = sorted({*mine, rng.choice(roles)})
        user_roles[name] = mine
        user_rows.append({"id": uid, "username": name, "full_name": name})
        for role in mine:
            holders[role].append(name)
            role_rows.append({"user_id": uid, "role": role})
    now, open_count = utcnow(), dict.fromkeys(roles, 0)
    inst_rows, task_rows = [], []
    for iid in range(1, instances + 1):
        d = rng.choice(definitions)
        steps = d.model.steps
        at = rng.randrange(len(steps))
        started = now - timedelta(minutes=rng.randrange(1, 120 * 24 * 60))
        inst_rows.append(_instance(iid, d, rng.choice(user_rows)["username"], started))
        for i, step in enumerate(steps[: at + 1]):
            role = normalise(step.actor)
            created = started + (now - started) * (i / (at + 1))
            row = _task(iid, d.key, step, role, created)
            if i < at:
                row.update(state="completed", completed_by=rng.choice(holders[role] or ["x"]))
                row["completed_at"] = created + (now - started) / (at + 1)
            else:
                open_count[role] += 1
                if holders[role] and rng.random() < 0.15:
                    row.update(claimed_by=rng.choice(holders[role]), claimed_at=now)
            task_rows.append(row)
    for i, row in enumerate(task_rows, start=1):
        row["id"] = i
    _bulk(alur, [(User, user_rows), (UserRole, role_rows)], [])
    _bulk(alur, [], [(Instance, inst_rows), (HumanTask, task_rows)])
    note(f"inbox: {instances} open instances, {len(task_rows)} human tasks, {users} users")
    return {"open": open_count, "user_roles": user_roles, "human_tasks": len(task_rows)}


def _instance(iid, d, user, started) -> dict:
    return {
        **{"id": iid, "definition_id": d.id, "process_key": d.key, "title": f"{d.code} #{iid}"},
        **{"state": "running", "started_by": user, "started_at": started, "ended_at": None},
        **{"cancel_reason": "", "data": {}, "workflow": {}, "revision": 1},
    }


def _task(iid, key, step: Step, role, created) -> dict:
    minutes = step.waktu.minutes
    return {
        **{"instance_id": iid, "process_key": key, "task_id": str(uuid.uuid4())},
        **{"step_no": step.no, "name": step.activity, "lane": step.actor},
        **{"role": role, "assignee": None, "state": "open", "created_at": created},
        "due_at": created + timedelta(minutes=minutes) if minutes else None,
        **{"claimed_by": None, "claimed_at": None, "completed_by": None, "completed_at": None},
        **{"decision": None, "data": {}, "working_minutes": None, "overdue": False},
    }


def _bulk(alur: Alur, small: list, large: list) -> None:
    """Core executemany inserts; on PostgreSQL the large tables go through COPY."""
    pg = alur.db.dialect.name == "postgresql"
    with alur.db.begin() as conn:
        for table, rows in small + ([] if pg else large):
            conn.execute(insert(table), rows)
        if pg:
            cursor = conn.connection.dbapi_connection.cursor()
            for table, rows in large:
                cols = list(rows[0])
                with cursor.copy(f"COPY {table.__tablename__} ({', '.join(cols)}) FROM STDIN") as c:
                    for row in rows:
                        c.write_row([_copy_value(row[k]) for k in cols])
            for table in ("users", "instances", "human_tasks"):
                sequence = f"pg_get_serial_sequence('{table}', 'id')"
                conn.execute(text(f"SELECT setval({sequence}, max(id)) FROM {table}"))
    with alur.db.connect() as conn:
        conn.execute(text("ANALYZE"))
        conn.commit()


def _copy_value(value):
    return json.dumps(value) if isinstance(value, dict) else value


def pick_users(info: dict) -> list[tuple[str, list[str], int]]:
    """The 2-role and the 1-role user with the most visible open tasks: (name, roles, open)."""
    picked = []
    for count in (2, 1):
        name, roles = max(
            ((u, r) for u, r in info["user_roles"].items() if len(r) == count),
            key=lambda ur: (sum(info["open"][r] for r in ur[1]), ur[0]),
        )
        picked.append((name, roles, sum(info["open"][r] for r in roles)))
    return picked


def time_inbox(call, calls: int) -> tuple[float, float]:
    for _ in range(5):  # warm the connection pool, caches and the statement cache
        call()
    times = [timed_ms(call)[0] for _ in range(calls)]
    return percentile(times, 50), percentile(times, 95)


def captured_sql(alur: Alur, call) -> tuple[str, object]:
    """The statement and parameters of the human_tasks query a call issues."""
    seen = []

    def grab(conn, cursor, statement, parameters, context, executemany):
        if "FROM human_tasks" in statement:
            seen.append((statement, parameters))

    event.listen(alur.db, "before_cursor_execute", grab)
    try:
        call()
    finally:
        event.remove(alur.db, "before_cursor_execute", grab)
    return seen[-1]


def run(emit: Emit, kind: str, instances: int, users: int, calls: int, database) -> None:
    with database(kind) as alur:
        note(f"inbox on {kind}: populating {instances} open instances")
        info = populate(alur, instances, users)
        base = {"unit": "ms", "db": kind, "open_instances": instances}
        base["human_tasks_rows"] = info["human_tasks"]
        picked = pick_users(info)
        for n, (name, roles, visible) in enumerate(picked):
            call = lambda n=name: alur.inbox(n)  # noqa: E731
            p50, p95 = time_inbox(call, calls)
            sql, params = captured_sql(alur, call)
            ctx = {**base, "calls": calls, "user_roles": roles, "visible_open_tasks": visible}
            ctx["rows_returned"] = len(call())
            if n == 0:
                emit({"figure": "inbox_ms_p50", "value": p50, **ctx})
            line = {"figure": "inbox_ms_p95", "value": p95, **ctx, "p50_ms": p50}
            line.update(target=TARGET_MS, met=p95 <= TARGET_MS, **plan_summary(alur, sql, params))
            line["driver_ms_p50"], line["driver_ms_p95"] = driver_ms(alur, sql, params, calls)
            emit(line)
