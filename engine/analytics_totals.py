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
    An instance's share of the sums is a function of its row and its tasks (`contribution`),
    and most of it is a sum over its tasks. A write session remembers, before a flush first
    changes an instance or one of its tasks, those rows as the database had them (the ORM's
    loaded values); at commit it reads the changed rows again and adds the difference: each
    changed task's own figures out and in, and for what is not a sum over tasks (whether a step
    or a person has any task of the instance, the Tidak answers per step, the worst late step)
    a few counts per instance from the database. So a completion costs the same at the 10th
    step as at the 500th. An instance that is new, gone or moved to another version has its
    whole share taken out and put in again. All in the same transaction (upserts in key order,
    so two completions lock rows in one order); a rollback takes the difference with it. Every
    way a task or instance changes (start, claim, completion, send-back, cancel, migration to a
    new version) goes through the ORM session and is caught; rows written otherwise (COPY, a
    restore) need `rebuild` (`alur db rebuild-analytics`), which Alur.upgrade runs when the
    sums are empty.
"""

from __future__ import annotations

from collections import Counter, defaultdict, namedtuple
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import (
    and_,
    bindparam,
    case,
    delete,
    event,
    func,
    insert,
    inspect,
    literal,
    or_,
    select,
    true,
    union_all,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.util import identity_key

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
    tasks = list(tasks)
    own: Counter = Counter()  # (dim, gkey, metric, value) -> n, before the buckets
    live: Counter = Counter()  # (dim, gkey) -> tasks not cancelled
    tidak: Counter = Counter()
    for t in tasks:
        _add_task(own, t, 1)
        for group in _groups(t):
            live[group] += 1
        if t.decision == SENT_BACK:
            tidak[_no(t.step_no)] += 1
    for dim, gkey in live:
        own[dim, gkey, "instances", 0] += 1
    for step, k in tidak.items():
        own["rounds", step, "rounds", k] += 1
    worst = _worst(tasks)
    own.update(_instance_own(instance, worst))
    share = _bucketed(instance, own, zone, years)
    return share, _late(instance, worst)


def _groups(t) -> list[tuple[str, str]]:
    """The groups a task counts in: its step, its lane, who completed it (none if cancelled)."""
    if t.state == "cancelled":
        return []
    found = [("step", _no(t.step_no)), ("lane", t.lane or "")]
    if t.completed_by is not None:
        found.append(("person", t.completed_by))
    return found


def _add_task(own: Counter, t, sign: int) -> None:
    """Add (sign 1) or take away (-1) what one task adds to its groups' counts and minutes."""
    groups = _groups(t)
    if not groups:
        return
    done = t.state == "completed"
    figures = [("tasks", 1)]
    if t.decision == SENT_BACK:
        figures.append(("sendbacks", 1))
    if done:
        figures.append(("completions", 1))
        if t.claimed_at is None:
            figures.append(("unclaimed", 1))
        if t.over_minutes is not None:
            figures.append(("with_standard", 1))
            figures.append(("over_minutes", t.over_minutes))
        if _is_late(t):
            figures.append(("over", 1))
        values = (t.working_minutes, t.calendar_minutes, t.wait_minutes, t.handle_minutes)
        for metric, value in zip(STEP_METRICS, values, strict=True):
            if value is not None:
                own["step", _no(t.step_no), metric, value] += sign
        if t.completed_by is not None and t.working_minutes is not None:
            own["person", t.completed_by, "work", t.working_minutes] += sign
    for dim, gkey in groups:
        for metric, n in figures:
            if n:
                own[dim, gkey, metric, 0] += sign * n


def _is_late(t) -> bool:
    return (
        t.state == "completed"
        and t.completed_at is not None
        and t.due_at is not None
        and t.completed_at > t.due_at
    )


def _worst(tasks: Iterable):
    """The completed-late task with the most minutes over (none counted: last), then the
    lowest id; None when no step was late."""
    late = [t for t in tasks if t is not None and _is_late(t)]
    return min(late, key=_rank, default=None)


def _rank(t) -> tuple[int, int]:
    return (-(t.over_minutes if t.over_minutes is not None else -1), t.id)


def _instance_own(instance, worst) -> Counter:
    """The instance's own rows: its state, whether late, its lead times (None: nothing)."""
    own: Counter = Counter()
    if instance is None:
        return own
    own["instance", "", f"s:{instance.state}", 0] += 1
    if worst is not None:
        own["instance", "", "late", 0] += 1
    if instance.state == "completed" and instance.lead_minutes is not None:
        own["instance", "", "lead", instance.lead_minutes] += 1
        if instance.lead_calendar_minutes is not None:
            own["instance", "", "lead_cal", instance.lead_calendar_minutes] += 1
    return own


def _bucketed(instance, own: Counter, zone: ZoneInfo, years: bool = True) -> Counter:
    """own's rows under the instance's version and the month (and year) it started in."""
    share: Counter = Counter()
    for span, bucket in buckets(instance.started_at, zone)[: 2 if years else 1]:
        for key, n in own.items():
            if n:
                share[(instance.definition_id, span, bucket, *key)] += n
    return share


def _late(instance, worst) -> Late | None:
    if instance is None or worst is None:
        return None
    return Late(
        instance.process_key,
        instance.definition_id,
        instance.started_at,
        int(worst.over_minutes or 0),
        worst.step_no,
        worst.name or "",
    )


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
    for part in range(0, len(ids), _CHUNK):
        chunk = ids[part : part + _CHUNK]
        tasks = _tasks_of(conn, chunk)
        for row in _read(conn, _INSTANCE_COLUMNS, Instance.id, chunk):
            found[row.id] = contribution(row, tasks.get(row.id, ()), zone, years)
    return found


_CHUNK = 500  # ids per IN list


def _read(conn, columns, key, ids):
    """The rows of columns whose key is one of ids, read _CHUNK ids at a time."""
    ids = sorted(ids)
    for part in range(0, len(ids), _CHUNK):
        yield from conn.execute(select(*columns).where(key.in_(ids[part : part + _CHUNK])))


def _tasks_of(conn, instance_ids) -> dict[int, list]:
    """Every task row (_TASK_COLUMNS) of the instances, by instance."""
    tasks: dict[int, list] = defaultdict(list)
    for row in _read(conn, _TASK_COLUMNS, HumanTask.instance_id, instance_ids):
        tasks[row.instance_id].append(row)
    return tasks


def add(session: Session, delta: Counter) -> None:
    """Add key -> n to the sums (upserts, in key order). On PostgreSQL one statement over
    arrays of the values (unnest), not a statement per row."""
    rows = [(*key, n) for key, n in sorted(delta.items()) if n]
    if not rows:
        return
    conn = session.connection()
    name = conn.dialect.name
    statement = _UPSERTS.get(name)
    if statement is None:  # built once per dialect: building it costs more than running it
        statement = _UPSERTS[name] = _upsert(name)
    if name == "postgresql":
        columns = zip(*rows, strict=True)  # one array per column
        conn.execute(statement, {c: list(v) for c, v in zip(_COLUMNS, columns, strict=True)})
    else:
        conn.execute(statement, [dict(zip(_COLUMNS, row, strict=True)) for row in rows])


def _upsert(dialect_name: str):
    table = AnalyticsTotal.__table__
    if dialect_name == "postgresql":
        arrays = [bindparam(c, type_=ARRAY(table.c[c].type)) for c in _COLUMNS]
        values = select(func.unnest(*arrays).table_valued(*_COLUMNS).render_derived())
        insert = postgresql.insert(table).from_select(list(_COLUMNS), values)
    else:
        insert = sqlite.insert(table)
    return insert.on_conflict_do_update(
        index_elements=list(_KEY), set_={"n": table.c.n + insert.excluded.n}
    )


_UPSERTS: dict[str, object] = {}
_KEY = ("definition_id", "span", "bucket", "dim", "gkey", "metric", "value")
_COLUMNS = (*_KEY, "n")


@dataclass
class _Changes:
    """What a write transaction changed, as it was before: the instances' rows and the changed
    tasks' rows as the database had them (None: new), and the new task objects."""

    instances: dict[int, object | None] = field(default_factory=dict)
    tasks: dict[int, object] = field(default_factory=dict)
    new_tasks: list = field(default_factory=list)
    new_instances: list = field(default_factory=list)
    objects: list = field(default_factory=list)  # the changed objects, for their values after


_TASK_NAMES = tuple(c.key for c in _TASK_COLUMNS)
_INSTANCE_NAMES = tuple(c.key for c in _INSTANCE_COLUMNS)
_TaskRow = namedtuple("_TaskRow", _TASK_NAMES)
_InstanceRow = namedtuple("_InstanceRow", _INSTANCE_NAMES)
_SOURCES = {  # a row kind -> its columns and the key they are read by
    _TaskRow: (_TASK_COLUMNS, HumanTask.id),
    _InstanceRow: (_INSTANCE_COLUMNS, Instance.id),
}


def _loaded(session: Session, obj, kind):
    """obj's row as the database has it before this flush: each value as loaded (the
    attribute's history), or the row read when one of them is not known (never loaded)."""
    state, values = inspect(obj), []
    for name in kind._fields:
        history = state.attrs[name].history
        if history.unchanged:
            values.append(history.unchanged[0])
        elif history.deleted:
            values.append(history.deleted[0])
        else:
            columns, key = _SOURCES[kind]
            row = next(_read(session.connection(), columns, key, [obj.id]), None)
            return None if row is None else kind(*row)
    return kind(*values)


def _remember(session: Session, changes: _Changes) -> None:
    """Before a flush: the rows it is about to change, as they are (first change only)."""
    new = {id(obj) for obj in (*changes.new_tasks, *changes.new_instances)}
    for obj in session.new:  # (a flush of some objects leaves the others new for the next)
        if id(obj) in new:
            continue
        if isinstance(obj, HumanTask):
            changes.new_tasks.append(obj)
        elif isinstance(obj, Instance):
            changes.new_instances.append(obj)
    new = {id(obj) for obj in (*changes.new_tasks, *changes.new_instances)}
    touched = set()
    for obj in (*session.dirty, *session.deleted):
        if isinstance(obj, HumanTask) and id(obj) not in new:
            if obj.id not in changes.tasks:
                changes.tasks[obj.id] = _loaded(session, obj, _TaskRow)
                changes.objects.append(obj)
            touched.add(obj.instance_id)
        elif isinstance(obj, Instance) and id(obj) not in new and obj.id not in changes.instances:
            changes.instances[obj.id] = _loaded(session, obj, _InstanceRow)
            changes.objects.append(obj)
    for obj in changes.new_tasks:
        if obj.instance_id is not None:
            touched.add(obj.instance_id)
    born = {obj.id for obj in changes.new_instances}
    missing = sorted(i for i in touched if i not in changes.instances and i not in born)
    for iid in missing:  # tasks changed, their instance not (yet): its row as it is
        obj = session.identity_map.get(identity_key(Instance, iid))
        if obj is not None:
            changes.instances[iid] = _loaded(session, obj, _InstanceRow)
    missing = [iid for iid in missing if iid not in changes.instances]
    if missing:
        found = {
            r.id: r for r in _read(session.connection(), _INSTANCE_COLUMNS, Instance.id, missing)
        }
        for iid in missing:
            changes.instances[iid] = found.get(iid)


def _settle(session: Session, changes: _Changes, zone: ZoneInfo) -> None:
    """At commit: add to the sums what the transaction changed, from the changed rows and a
    few counts per instance (never every task of it: a long instance costs what a short one
    does), and put the late rows right."""
    conn = session.connection()
    new_ids = {obj.id for obj in changes.new_tasks if obj.id is not None}
    before_tasks = dict(changes.tasks) | {i: None for i in new_ids if i not in changes.tasks}
    for obj in changes.new_instances:  # new in this transaction: nothing before
        if obj.id is not None:
            changes.instances[obj.id] = None
    # the rows now: the objects' values after the last flush (read where one is not loaded)
    after_tasks: dict[int, object] = {}
    after_instances: dict[int, object] = {}
    unread: dict[type, set[int]] = defaultdict(set)
    inserted = {id(obj) for obj in (*changes.new_tasks, *changes.new_instances)}
    for obj in [*changes.objects, *changes.new_tasks, *changes.new_instances]:
        if isinstance(obj, HumanTask):
            kind, found = _TaskRow, after_tasks
        else:
            kind, found = _InstanceRow, after_instances
        row = _current(obj, kind, new=id(obj) in inserted)
        if row is _UNKNOWN:
            unread[kind].add(obj.id)
        elif row is not None:
            found[obj.id] = row
    iids = sorted(
        set(changes.instances)
        | {r.instance_id for r in (*before_tasks.values(), *after_tasks.values()) if r}
    )
    for iid in iids:  # an instance whose tasks alone changed: its object as loaded, if here
        if iid not in after_instances and iid not in unread[_InstanceRow]:
            obj = session.identity_map.get(identity_key(Instance, iid))
            row = _UNKNOWN if obj is None else _current(obj, _InstanceRow)
            if row is _UNKNOWN:
                unread[_InstanceRow].add(iid)
            elif row is not None:
                after_instances[iid] = row
    for kind, found in ((_TaskRow, after_tasks), (_InstanceRow, after_instances)):
        for row in _read(conn, *_SOURCES[kind], unread[kind]):
            found[row.id] = kind(*row)
    changed: dict[int, list[tuple]] = defaultdict(list)  # instance -> (before, after) per task
    for tid, before in before_tasks.items():
        after = after_tasks.get(tid)
        if _values(before) != _values(after):
            changed[(after or before).instance_id].append((before, after))

    delta: Counter = Counter()
    lates: dict[int, tuple[Late | None, Late | None]] = {}
    moved, steady = [], []
    for iid in iids:
        old, new = changes.instances.get(iid), after_instances.get(iid)
        same_place = (
            old is not None
            and new is not None
            and (old.definition_id, old.started_at) == (new.definition_id, new.started_at)
        )
        if old is None or new is None or not same_place:
            moved.append(iid)  # new, gone or another version: its whole share moves
        elif changed.get(iid) or _values(old) != _values(new):
            steady.append(iid)
    if moved:
        everything = _tasks_of(conn, moved)
        for iid in moved:
            now = everything.get(iid, [])
            then = [before_tasks.get(t.id, t) for t in now if t.id not in new_ids]
            then += [b for b, a in changed.get(iid, ()) if b is not None and a is None]
            old, new = changes.instances.get(iid), after_instances.get(iid)
            was = contribution(old, then, zone) if old is not None else EMPTY
            now_share = contribution(new, now, zone) if new is not None else EMPTY
            delta.update(now_share[0])
            delta.subtract(was[0])
            lates[iid] = (was[1], now_share[1])
    if steady:
        shifts = {iid: _shifts(changed.get(iid, [])) for iid in steady}
        # the database's counts only where they decide something: a group a task joined or
        # left, a step whose Tidak answers changed, a late step among the changed ones
        counted = [iid for iid in steady if shifts[iid][1] or shifts[iid][2]]
        counts = _group_counts(conn, counted) if counted else {}
        late_ones = [
            iid for iid in steady if any(_is_late(r) for p in changed.get(iid, []) for r in p if r)
        ]
        worst_rest = _worst_of_rest(conn, late_ones, sorted(before_tasks)) if late_ones else {}
        for iid in steady:
            pairs = changed.get(iid, [])
            own, live_shift, tidak_shift = shifts[iid]
            live, tidak = counts.get(iid, ({}, {}))
            for group, shift in live_shift.items():
                now_n = live.get(group, 0)
                own[(*group, "instances", 0)] += (now_n > 0) - (now_n - shift > 0)
            for step, shift in tidak_shift.items():
                now_k = tidak.get(step, 0)
                if now_k:
                    own["rounds", step, "rounds", now_k] += 1
                if now_k - shift:
                    own["rounds", step, "rounds", now_k - shift] -= 1
            rest = worst_rest.get(iid)
            worst_then = _worst([rest, *(b for b, _ in pairs)])
            worst_now = _worst([rest, *(a for _, a in pairs)])
            old, new = changes.instances[iid], after_instances[iid]
            own.update(_instance_own(new, worst_now))
            own.subtract(_instance_own(old, worst_then))
            delta.update(_bucketed(new, own, zone))
            lates[iid] = (_late(old, worst_then), _late(new, worst_now))
    add(session, delta)
    _put_late(session, lates)


def _shifts(pairs: list[tuple]) -> tuple[Counter, Counter, Counter]:
    """What the changed tasks (before, after) add up to: their own figures, the change in
    live tasks per group, and in Tidak answers per step (zeros dropped)."""
    own: Counter = Counter()
    live: Counter = Counter()
    tidak: Counter = Counter()
    for before, after in pairs:
        for row, sign in ((after, 1), (before, -1)):
            if row is None:
                continue
            _add_task(own, row, sign)
            for group in _groups(row):
                live[group] += sign
            if row.decision == SENT_BACK:
                tidak[_no(row.step_no)] += sign
    return own, _nonzero(live), _nonzero(tidak)


def _nonzero(counts: Counter) -> Counter:
    return Counter({k: n for k, n in counts.items() if n})


_UNKNOWN = object()


def _current(obj, kind, new: bool = False):
    """obj's row now (None: deleted), or _UNKNOWN when a value is not loaded. An object this
    transaction inserted has, for an attribute never set, its column's default."""
    state = inspect(obj)
    if state.deleted or state.was_deleted:
        return None
    values, table = state.dict, obj.__table__
    row = []
    for name in kind._fields:
        if name in values:
            row.append(values[name])
        elif new and (found := _scalar_default(table.c[name])) is not _UNKNOWN:
            row.append(found)
        else:
            return _UNKNOWN
    return kind(*row)


def _scalar_default(column):
    """The value an insert gave a column it was not told (a constant default or NULL)."""
    if column.server_default is not None:
        return _UNKNOWN
    if column.default is None:
        return None
    return column.default.arg if column.default.is_scalar else _UNKNOWN


def _values(row) -> tuple | None:
    return None if row is None else tuple(row)


def _group_counts_statement():
    """Per instance (the expanding parameter iids): tasks not cancelled per step, lane and
    person who completed one, and Tidak answers per step."""
    t = HumanTask
    iids = t.instance_id.in_(bindparam("iids", expanding=True))
    live = func.count(case((t.state != "cancelled", 1)))
    tidak = func.count(case((t.decision == SENT_BACK, 1)))
    alive = t.state != "cancelled"
    return union_all(
        select(t.instance_id, literal("step"), t.step_no, literal(""), live, tidak)
        .where(iids)
        .group_by(t.instance_id, t.step_no),
        select(t.instance_id, literal("lane"), literal(None), t.lane, func.count(), literal(0))
        .where(iids, alive)
        .group_by(t.instance_id, t.lane),
        select(t.instance_id, literal("person"), literal(None), t.completed_by, func.count())
        .add_columns(literal(0))
        .where(iids, alive, t.completed_by.is_not(None))
        .group_by(t.instance_id, t.completed_by),
    )


_GROUP_COUNTS = _group_counts_statement()


def _group_counts(conn, iids: list[int]) -> dict[int, tuple[dict, dict]]:
    """Per instance: tasks not cancelled per (dim, gkey) group, and Tidak answers per step."""
    found: dict[int, tuple[Counter, Counter]] = {}
    for iid, dim, step_no, gkey, n, k in conn.execute(_GROUP_COUNTS, {"iids": iids}):
        groups, rounds = found.setdefault(iid, (Counter(), Counter()))
        if dim == "step":
            groups["step", _no(step_no)] += n
            rounds[_no(step_no)] += k
        else:
            groups[dim, gkey or ""] += n
    return found


def _worst_of_rest(conn, iids: list[int], changed: list[int]) -> dict[int, object]:
    """Per instance, the worst completed-late task among those the transaction did not change."""
    t = HumanTask
    order = (func.coalesce(t.over_minutes, -1).desc(), t.id)
    ranked = (
        select(
            *_TASK_COLUMNS,
            func.row_number().over(partition_by=t.instance_id, order_by=order).label("rn"),
        )
        .where(
            t.instance_id.in_(iids),
            t.state == "completed",
            t.completed_at > t.due_at,
            t.id.not_in(changed) if changed else true(),
        )
        .subquery()
    )
    query = select(*[ranked.c[c.key] for c in _TASK_COLUMNS]).where(ranked.c.rn == 1)
    return {row.instance_id: row for row in conn.execute(query)}


def _put_late(session: Session, lates: dict[int, tuple[Late | None, Late | None]]) -> None:
    conn = session.connection()
    changed = sorted(i for i, (then, now) in lates.items() if then != now)
    gone = [i for i in changed if lates[i][0] is not None]
    if gone:
        conn.execute(delete(AnalyticsLate).where(AnalyticsLate.instance_id.in_(gone)))
    rows = [{"instance_id": i, **vars(lates[i][1])} for i in changed if lates[i][1] is not None]
    if rows:
        conn.execute(AnalyticsLate.__table__.insert(), rows)


def keep(sessions: sessionmaker, zone: ZoneInfo) -> None:
    """Keep the sums with every write session of this factory (see the module's docstring)."""

    @event.listens_for(sessions, "before_flush")
    def _before_flush(session, flush_context, instances) -> None:
        _remember(session, session.info.setdefault(_SNAPSHOT, _Changes()))

    @event.listens_for(sessions, "before_commit")
    def _before_commit(session) -> None:
        session.flush()
        changes = session.info.pop(_SNAPSHOT, None)
        if changes is not None:
            _settle(session, changes, zone)

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
        _put_late(session, {i: (None, late) for i, (_, late) in found.items() if late is not None})
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
