"""Maintained sums behind the analytics page: what it reads instead of every task.

What is kept
    analytics_totals holds, per deployed version, per month ('m', 'YYYY-MM') and per year ('y',
    'YYYY') of the instances' start (office time zone), rows (dim, gkey, metric, value) -> n:
      step|lane|person <key>  instances, tasks, completions, unclaimed, with_standard, over,
                              over_minutes, sendbacks (value 0: n is the count or the sum)
      step <no>               work|calendar|wait|handle <minutes>: completed tasks with that value
      person <username>       work <minutes>
      rounds <step no>        rounds <k>: instances with k Tidak answers at that step
      instance ''             s:<state>, late (value 0: instances; late: with a step completed
                              after its due time), lead|lead_cal <minutes>: completed instances
    the same things engine/analytics.py's direct queries count, per instance. Percentiles stay
    exact: the rows keep every distinct value with its count (compressed by how often values
    repeat, and a year read as its year rows, not twelve months of them); the database finds
    the values at the percentiles' ranks among them (analytics.spreads_in_db). analytics_late
    holds each instance that has a step completed after its due time, with its worst step.

How they stay right
    An instance's share of the sums is a function of its row and its tasks (`contribution`).
    A write session remembers, before it first flushes a change to an instance or one of its
    tasks, the instance's share as the database has it; at commit it reads the share again and
    adds the difference, in the same transaction (upserts in key order, so two completions lock
    rows in one order). A rollback takes the difference with it. Every way a task or instance
    changes (start, claim, completion, send-back, cancel, migration to a new version) goes
    through the ORM session and is caught; rows written otherwise (COPY, a restore) need
    `rebuild` (`alur db rebuild-analytics`), which Alur.upgrade runs when the sums are empty.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import and_, delete, event, func, insert, literal, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, sessionmaker

from engine.storage.tables import AnalyticsLate, AnalyticsTotal, HumanTask, Instance

SENT_BACK = "Tidak"
COUNTS = (
    "instances",
    "tasks",
    "completions",
    "unclaimed",
    "with_standard",
    "over",
    "over_minutes",
    "sendbacks",
)
STEP_METRICS = ("work", "calendar", "wait", "handle")
_SNAPSHOT = "analytics_totals_before"

_TASK_COLUMNS = (
    HumanTask.instance_id,
    HumanTask.id,
    HumanTask.state,
    HumanTask.step_no,
    HumanTask.name,
    HumanTask.lane,
    HumanTask.completed_by,
    HumanTask.claimed_at,
    HumanTask.completed_at,
    HumanTask.due_at,
    HumanTask.decision,
    HumanTask.working_minutes,
    HumanTask.calendar_minutes,
    HumanTask.wait_minutes,
    HumanTask.handle_minutes,
    HumanTask.over_minutes,
)
_INSTANCE_COLUMNS = (
    Instance.id,
    Instance.definition_id,
    Instance.process_key,
    Instance.state,
    Instance.started_at,
    Instance.lead_minutes,
    Instance.lead_calendar_minutes,
)


@dataclass(frozen=True)
class Late:
    process_key: str
    definition_id: int
    started_at: datetime
    over_minutes: int
    step_no: int | None
    name: str


Share = tuple[Counter, Late | None]
EMPTY: Share = (Counter(), None)


def buckets(started_at: datetime, zone: ZoneInfo) -> tuple[tuple[str, str], tuple[str, str]]:
    """The month and the year an instance started in, in the office's time zone."""
    local = started_at.astimezone(zone)
    return ("m", f"{local.year:04d}-{local.month:02d}"), ("y", f"{local.year:04d}")


def contribution(instance, tasks: Iterable, zone: ZoneInfo, years: bool = True) -> Share:
    """An instance's share of the sums: (key -> n, its worst late step or None).

    Keys are (definition_id, span, bucket, dim, gkey, metric, value); instance and tasks are
    rows of _INSTANCE_COLUMNS and _TASK_COLUMNS.
    """
    share: Counter = Counter()
    own: Counter = Counter()  # (dim, gkey, metric, value) -> n, before the buckets
    groups: dict[tuple[str, str], list] = defaultdict(list)
    tidak: Counter = Counter()
    worst = None
    for t in tasks:
        if t.decision == SENT_BACK:
            tidak[_no(t.step_no)] += 1
        done = t.state == "completed"
        if done and t.completed_at is not None and t.due_at is not None:
            if t.completed_at > t.due_at:
                rank = (-(t.over_minutes if t.over_minutes is not None else -1), t.id)
                if worst is None or rank < worst[0]:
                    worst = (rank, t)
        if t.state == "cancelled":
            continue
        groups["step", _no(t.step_no)].append(t)
        groups["lane", t.lane or ""].append(t)
        if t.completed_by is not None:
            groups["person", t.completed_by].append(t)
        if done:
            values = (t.working_minutes, t.calendar_minutes, t.wait_minutes, t.handle_minutes)
            for metric, value in zip(STEP_METRICS, values, strict=True):
                if value is not None:
                    own["step", _no(t.step_no), metric, value] += 1
            if t.completed_by is not None and t.working_minutes is not None:
                own["person", t.completed_by, "work", t.working_minutes] += 1
    for (dim, gkey), members in groups.items():
        done = [t for t in members if t.state == "completed"]
        figures = {
            "instances": 1,
            "tasks": len(members),
            "completions": len(done),
            "unclaimed": sum(1 for t in done if t.claimed_at is None),
            "with_standard": sum(1 for t in done if t.over_minutes is not None),
            "over": sum(
                1
                for t in done
                if t.completed_at is not None and t.due_at is not None and t.completed_at > t.due_at
            ),
            "over_minutes": sum(t.over_minutes or 0 for t in done),
            "sendbacks": sum(1 for t in members if t.decision == SENT_BACK),
        }
        for metric, n in figures.items():
            if n:
                own[dim, gkey, metric, 0] += n
    for step, k in tidak.items():
        own["rounds", step, "rounds", k] += 1
    own["instance", "", f"s:{instance.state}", 0] += 1
    if worst is not None:
        own["instance", "", "late", 0] += 1
    if instance.state == "completed" and instance.lead_minutes is not None:
        own["instance", "", "lead", instance.lead_minutes] += 1
        if instance.lead_calendar_minutes is not None:
            own["instance", "", "lead_cal", instance.lead_calendar_minutes] += 1
    for span, bucket in buckets(instance.started_at, zone)[: 2 if years else 1]:
        for key, n in own.items():
            share[(instance.definition_id, span, bucket, *key)] += n
    late = None
    if worst is not None:
        t = worst[1]
        late = Late(
            instance.process_key,
            instance.definition_id,
            instance.started_at,
            int(t.over_minutes or 0),
            t.step_no,
            t.name or "",
        )
    return share, late


def _no(step_no: int | None) -> str:
    return "" if step_no is None else str(step_no)


def shares(
    session: Session, ids: Iterable[int], zone: ZoneInfo, years: bool = True
) -> dict[int, Share]:
    """The instances' shares as the database has them now (an absent instance: nothing);
    without years only their month rows."""
    ids = sorted(set(ids))
    found: dict[int, Share] = {i: EMPTY for i in ids}
    conn = session.connection()
    for part in range(0, len(ids), 500):
        chunk = ids[part : part + 500]
        instances = conn.execute(select(*_INSTANCE_COLUMNS).where(Instance.id.in_(chunk))).all()
        tasks: dict[int, list] = defaultdict(list)
        query = select(*_TASK_COLUMNS).where(HumanTask.instance_id.in_(chunk))
        for row in conn.execute(query):
            tasks[row.instance_id].append(row)
        for row in instances:
            found[row.id] = contribution(row, tasks.get(row.id, ()), zone, years)
    return found


def apply(session: Session, before: dict[int, Share], after: dict[int, Share]) -> None:
    """Add after - before to the sums and put the late instances' rows right."""
    delta: Counter = Counter()
    for iid in before.keys() | after.keys():
        delta.update(after.get(iid, EMPTY)[0])
        delta.subtract(before.get(iid, EMPTY)[0])
    add(session, delta)
    conn = session.connection()
    changed = sorted(i for i in before.keys() | after.keys() if before.get(i) != after.get(i))
    gone = [i for i in changed if before.get(i, EMPTY)[1] is not None]
    if gone:
        conn.execute(delete(AnalyticsLate).where(AnalyticsLate.instance_id.in_(gone)))
    late = [
        {"instance_id": i, **vars(found)}
        for i in changed
        if (found := after.get(i, EMPTY)[1]) is not None
    ]
    if late:
        conn.execute(AnalyticsLate.__table__.insert(), late)


def add(session: Session, delta: Counter) -> None:
    """Add key -> n to the sums (upserts, in key order)."""
    rows = [dict(zip(_KEY, key, strict=True), n=n) for key, n in sorted(delta.items()) if n]
    if not rows:
        return
    conn = session.connection()
    table = AnalyticsTotal.__table__
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    insert = dialect.insert(table)
    statement = insert.on_conflict_do_update(
        index_elements=list(_KEY), set_={"n": table.c.n + insert.excluded.n}
    )
    conn.execute(statement, rows)


_KEY = ("definition_id", "span", "bucket", "dim", "gkey", "metric", "value")


def keep(sessions: sessionmaker, zone: ZoneInfo) -> None:
    """Keep the sums with every write session of this factory (see the module's docstring)."""

    @event.listens_for(sessions, "before_flush")
    def _before_flush(session, flush_context, instances) -> None:
        touched = set()
        for obj in (*session.new, *session.dirty, *session.deleted):
            if isinstance(obj, HumanTask) and obj.instance_id is not None:
                touched.add(obj.instance_id)
            elif isinstance(obj, Instance) and obj.id is not None:
                touched.add(obj.id)
        remembered = session.info.setdefault(_SNAPSHOT, {})
        missing = touched - remembered.keys()
        if missing:
            remembered.update(shares(session, missing, zone))

    @event.listens_for(sessions, "after_flush")
    def _after_flush(session, flush_context) -> None:
        remembered = session.info.setdefault(_SNAPSHOT, {})
        for obj in session.new:
            if isinstance(obj, Instance) and obj.id not in remembered:
                remembered[obj.id] = EMPTY
            elif isinstance(obj, HumanTask) and obj.instance_id not in remembered:
                remembered[obj.instance_id] = EMPTY  # its instance was new in this flush

    @event.listens_for(sessions, "before_commit")
    def _before_commit(session) -> None:
        session.flush()
        remembered = session.info.pop(_SNAPSHOT, None)
        if remembered:
            apply(session, remembered, shares(session, remembered, zone))

    @event.listens_for(sessions, "after_rollback")
    def _after_rollback(session) -> None:
        session.info.pop(_SNAPSHOT, None)


def rebuild(session: Session, zone: ZoneInfo, batch: int = 2000) -> int:
    """Sums and late rows anew from every instance and task; how many instances.

    Instances are read in order of their start, so a month's sums are complete before the next
    month's begin and each row is written about once; the year rows are then summed from the
    month rows by the database.
    """
    session.execute(delete(AnalyticsTotal))
    session.execute(delete(AnalyticsLate))
    count, after = 0, None
    total: Counter = Counter()
    while True:
        query = select(Instance.id, Instance.started_at).order_by(Instance.started_at, Instance.id)
        if after is not None:
            at, last = after
            query = query.where(
                or_(Instance.started_at > at, and_(Instance.started_at == at, Instance.id > last))
            )
        rows = session.execute(query.limit(batch)).all()
        if not rows:
            break
        found = shares(session, [r.id for r in rows], zone, years=False)
        apply(session, {}, {i: (Counter(), s[1]) for i, s in found.items() if s[1] is not None})
        for share, _ in found.values():
            total.update(share)
        if len(total) > 200_000:  # bounded memory: add what is summed so far
            add(session, total)
            total.clear()
        after, count = (rows[-1].started_at, rows[-1].id), count + len(rows)
    add(session, total)
    t = AnalyticsTotal
    year = func.substr(t.bucket, 1, 4)
    years = (
        select(t.definition_id, literal("y"), year, t.dim, t.gkey, t.metric, t.value, func.sum(t.n))
        .where(t.span == "m")
        .group_by(t.definition_id, year, t.dim, t.gkey, t.metric, t.value)
    )
    session.execute(insert(t).from_select(list(_KEY) + ["n"], years))
    return count


def empty(session: Session) -> bool:
    """Whether the sums are missing while instances exist (a database from before them)."""
    has_instances = session.scalar(select(Instance.id).limit(1)) is not None
    return has_instances and session.scalar(select(AnalyticsTotal.n).limit(1)) is None
