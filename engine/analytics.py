"""Auditor analytics: how an SOP's steps really perform against their Mutu Baku, across instances.

Where the times come from
    Every human task row keeps created_at, claimed_at (None when nobody claimed it), completed_at
    and due_at (created_at plus the step's Waktu on the office calendar). When a task is completed
    the engine also stamps, from the office calendar (engine/workcalendar.py):
      working_minutes   office minutes created -> completed (the step's time, what Waktu bounds)
      calendar_minutes  wall-clock minutes created -> completed, nights and weekends included
      wait_minutes      office minutes created -> claimed (waiting in the inbox)
      handle_minutes    office minutes claimed -> completed (working on it)
      over_minutes      office minutes completed after due_at (0 on time, None without a Waktu)
    and a completed instance its lead time (office and calendar minutes, started -> ended).
    A task completed without ever being claimed has no split: its wait_minutes and
    handle_minutes stay None, so it counts in the step's time but not in the waiting/handling
    figures, and the figures say how many such completions there were (`unclaimed`).
    The office calendar has holidays and days off no SQL function knows, so these minutes are
    written once, at completion, and read by SQL; `backfill` fills them for rows older than the
    columns.

Which rows
    The period selects instances by their start (office time zone, end exclusive); a step's
    figures are those of the selected instances' tasks, every round of a step sent back counted.
    A version filter narrows to one deployed version; without it steps are grouped by their
    number, labelled by the newest selected version's SOP.

Percentiles, the same on SQLite and PostgreSQL
    SQL groups minutes into (value, count) pairs (indexed, grouped in the database); the
    percentile is then read off those few pairs with PostgreSQL's percentile_cont definition
    (linear interpolation between the closest ranks, Excel's PERCENTILE.INC): for n values
    sorted, rank h = (n - 1) * p, value x[floor h] + (h - floor h) * (x[ceil h] - x[floor h]),
    in exact fractions, rounded to 0.1 minute (exact with whole minutes and p = 0.5 or 0.9).
    SQLite has no percentile function, so neither database is asked for one.

Two ways to the same figures
    The page reads the sums engine/analytics_totals.py keeps at every write (per version, month
    and year of the instances' start) when the period is whole months; there the database also
    finds the values at the percentiles' ranks (a running sum of the (value, count) rows per
    group) so only those rows travel, and `_spread_at` applies the same formula. A period that
    cuts a month, and `compute(direct=True)`, read the tasks themselves (the queries below);
    tests/engine/test_analytics_totals.py holds the two equal on a seeded set, both databases.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from fractions import Fraction
from zoneinfo import ZoneInfo

from sqlalchemy import (
    BigInteger,
    and_,
    case,
    cast,
    distinct,
    false,
    func,
    literal,
    or_,
    select,
    text,
    union_all,
)
from sqlalchemy.orm import Session

from engine.errors import InvalidInput
from engine.sop import Sop, Step, WaktuUnit
from engine.storage.tables import AnalyticsLate, AnalyticsTotal, Definition, HumanTask, Instance
from engine.workcalendar import OfficeCalendar

SENT_BACK = "Tidak"
OVER_LIST_LIMIT = 200  # instances over standard listed on the page, the report and the API
TREND_MONTHS = 12
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-[Qq]([1-4])$")
_YEAR = re.compile(r"^(\d{4})$")


# -- stamping at completion -------------------------------------------------------------------
def stamp_task(calendar: OfficeCalendar, task: HumanTask) -> None:
    """Write a completed task's minutes (see the module's docstring) from the office calendar."""
    created, done = task.created_at, task.completed_at
    if created is None or done is None or done < created:
        return
    task.working_minutes = calendar.working_minutes_between(created, done)
    task.calendar_minutes = int((done - created) // timedelta(minutes=1))
    claimed = task.claimed_at
    if claimed is not None and created <= claimed <= done:
        task.wait_minutes = calendar.working_minutes_between(created, claimed)
        task.handle_minutes = calendar.working_minutes_between(claimed, done)
    else:
        task.wait_minutes = task.handle_minutes = None
    if task.due_at is None:
        task.over_minutes = None
    elif done > task.due_at:
        task.over_minutes = calendar.working_minutes_between(task.due_at, done)
    else:
        task.over_minutes = 0


def stamp_instance(calendar: OfficeCalendar, instance: Instance) -> None:
    """Write a completed instance's lead time in office and calendar minutes."""
    start, end = instance.started_at, instance.ended_at
    if instance.state != "completed" or start is None or end is None or end < start:
        return
    instance.lead_minutes = calendar.working_minutes_between(start, end)
    instance.lead_calendar_minutes = int((end - start) // timedelta(minutes=1))


def backfill(session: Session, calendar: OfficeCalendar, batch: int = 2000) -> int:
    """Stamp completed tasks and instances finished before the columns existed; how many."""
    done = 0
    while True:
        tasks = session.scalars(
            select(HumanTask)
            .where(HumanTask.state == "completed", HumanTask.calendar_minutes.is_(None))
            .where(HumanTask.completed_at.is_not(None))
            .order_by(HumanTask.id)
            .limit(batch)
        ).all()
        for task in tasks:
            stamp_task(calendar, task)
            if task.calendar_minutes is None:  # a row the clock ran backwards on: 0, not again
                task.calendar_minutes = 0
        instances = session.scalars(
            select(Instance)
            .where(Instance.state == "completed", Instance.lead_minutes.is_(None))
            .where(Instance.ended_at.is_not(None))
            .order_by(Instance.id)
            .limit(batch)
        ).all()
        for instance in instances:
            stamp_instance(calendar, instance)
            if instance.lead_minutes is None:
                instance.lead_minutes = instance.lead_calendar_minutes = 0
        session.flush()
        done += len(tasks) + len(instances)
        if not tasks and not instances:
            return done


# -- the period -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Period:
    """Instances started from `start` (inclusive) to `end` (exclusive); None: unbounded."""

    start: datetime | None
    end: datetime | None
    label: str  # '2026-03', '2026-Q1', '2026', '2026-01-05..2026-02-10' or 'semua'
    first_day: date | None = None
    last_day: date | None = None  # inclusive

    @classmethod
    def parse(
        cls,
        zone: ZoneInfo,
        period: str | None = None,
        start: str | date | None = None,
        end: str | date | None = None,
    ) -> Period:
        """A month '2026-03', a quarter '2026-Q1', a year '2026', or days from/to (inclusive).

        Without any of them: every instance. A bad value raises InvalidInput('period_invalid').
        """
        text = (period or "").strip()
        if text and (start or end):
            raise InvalidInput("period_invalid", value=text)
        if text:
            first, last = _period_days(text)
            return cls._of(zone, first, last, text)
        first = _day(start) if start else None
        last = _day(end) if end else None
        if first and last and last < first:
            raise InvalidInput("period_order", start=first.isoformat(), end=last.isoformat())
        if not first and not last:
            return cls(None, None, "semua")
        label = f"{first.isoformat() if first else ''}..{last.isoformat() if last else ''}"
        return cls._of(zone, first, last, label)

    @classmethod
    def _of(cls, zone: ZoneInfo, first: date | None, last: date | None, label: str) -> Period:
        start = datetime.combine(first, time(), tzinfo=zone) if first else None
        end = datetime.combine(last + timedelta(days=1), time(), tzinfo=zone) if last else None
        return cls(start, end, label, first, last)


def _day(value: str | date) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise InvalidInput("period_invalid", value=value) from None


def _period_days(text: str) -> tuple[date, date]:
    if m := _MONTH.match(text):
        year, month = int(m[1]), int(m[2])
        if 1 <= month <= 12 and year >= 1900:
            return date(year, month, 1), _month_after(date(year, month, 1)) - timedelta(days=1)
    elif m := _QUARTER.match(text):
        year, quarter = int(m[1]), int(m[2])
        if year >= 1900:
            first = date(year, 3 * quarter - 2, 1)
            return first, _month_after(_month_after(_month_after(first))) - timedelta(days=1)
    elif (m := _YEAR.match(text)) and int(m[1]) >= 1900:
        return date(int(m[1]), 1, 1), date(int(m[1]), 12, 31)
    raise InvalidInput("period_invalid", value=text)


def _month_after(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


# -- the figures ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Spread:
    """How many values, their median and 90th percentile (percentile_cont), minutes."""

    count: int = 0
    median: float | None = None
    p90: float | None = None

    def as_dict(self) -> dict:
        return {"count": self.count, "median": self.median, "p90": self.p90}


@dataclass(frozen=True)
class Figures:
    """One step's, actor's or person's figures over the period."""

    instances: int  # instances that reached it
    tasks: int  # tasks created (a step sent back and done again counts twice)
    completions: int
    work: Spread  # office minutes created -> completed
    calendar: Spread  # wall-clock minutes created -> completed
    wait: Spread  # office minutes created -> claimed
    handle: Spread  # office minutes claimed -> completed
    unclaimed: int  # completions never claimed: no waiting/handling split
    with_standard: int  # completions the step had a Waktu for
    over: int  # completions after their due time
    over_minutes: int  # office minutes past due, summed
    sendbacks: int  # Tidak answers

    @property
    def over_share(self) -> float | None:
        """Share of completions over standard (0..1, 4 decimals); None without a Waktu."""
        if not self.with_standard:
            return None
        return round(self.over / self.with_standard, 4)


@dataclass(frozen=True)
class StepFigures:
    step_no: int
    activity: str
    actor: str
    decision: bool
    standard_text: str  # the Waktu as the SOP writes it
    standard_min: int | None  # the Waktu in minutes (hari kerja: days x an average office day)
    figures: Figures
    rounds: dict[int, int] = field(default_factory=dict)  # Tidak per instance -> instances

    @property
    def max_rounds(self) -> int:
        return max(self.rounds, default=0)


@dataclass(frozen=True)
class PersonFigures:
    username: str
    figures: Figures


@dataclass(frozen=True)
class ActorFigures:
    actor: str
    steps: tuple[int, ...]
    figures: Figures


@dataclass(frozen=True)
class MonthFigures:
    month: str  # 'YYYY-MM'
    started: int
    completed: int  # instances of the month that completed
    lead: Spread  # office minutes
    completions: int  # tasks completed, of instances started that month
    over: int
    with_standard: int

    @property
    def over_share(self) -> float | None:
        return round(self.over / self.with_standard, 4) if self.with_standard else None


@dataclass(frozen=True)
class LateInstance:
    id: int
    title: str
    version: int
    state: str
    started_at: datetime
    ended_at: datetime | None
    lead_minutes: int | None
    worst_step: int | None
    worst_activity: str
    worst_over_minutes: int


@dataclass(frozen=True)
class Analytics:
    """The figures of one SOP over one period: steps, actors, people, instances, months."""

    key: str
    code: str
    name: str
    versions: tuple[int, ...]  # the versions the figures cover
    version: int | None  # the one version asked for, None: all
    period: Period
    sop: Sop  # the SOP whose steps label the figures (newest version covered)
    steps: tuple[StepFigures, ...]
    actors: tuple[ActorFigures, ...]
    people: tuple[PersonFigures, ...] | None  # None: the viewer may not see people's figures
    started: int
    completed: int
    cancelled: int
    running: int
    lead: Spread  # completed instances, office minutes
    lead_calendar: Spread
    standard_total_min: int | None  # the sum of the steps' standards (newest version covered)
    lead_over: int  # completed instances whose lead time exceeds their version's standard sum
    lead_histogram: tuple[tuple[int, int, int], ...]  # (from, to exclusive, instances), minutes
    months: tuple[MonthFigures, ...]
    late: tuple[LateInstance, ...]  # instances with a step over standard, worst first
    late_count: int
    generated_at: datetime

    def step_dicts(self) -> list[dict]:
        """One plain object per step: the shape of `alur report --json`, the API and the CSV."""
        return [step_dict(s) for s in self.steps]


def step_dict(step: StepFigures) -> dict:
    f = step.figures
    return {
        "step_no": step.step_no,
        "activity": step.activity,
        "actor": step.actor,
        "instances": f.instances,
        "tasks": f.tasks,
        "completions": f.completions,
        "median_work_min": f.work.median,
        "p90_work_min": f.work.p90,
        "median_calendar_min": f.calendar.median,
        "p90_calendar_min": f.calendar.p90,
        "median_wait_min": f.wait.median,
        "p90_wait_min": f.wait.p90,
        "median_handle_min": f.handle.median,
        "p90_handle_min": f.handle.p90,
        "unclaimed": f.unclaimed,
        "standard": step.standard_text,
        "standard_min": step.standard_min,
        "over_standard": f.over,
        "over_standard_share": f.over_share,
        "over_standard_min": f.over_minutes,
        "sendbacks": f.sendbacks if step.decision else None,
        "sendback_rounds": {str(k): v for k, v in sorted(step.rounds.items())},
        "max_rounds": step.max_rounds,
    }


def figures_dict(f: Figures) -> dict:
    return {
        "instances": f.instances,
        "tasks": f.tasks,
        "completions": f.completions,
        "median_work_min": f.work.median,
        "p90_work_min": f.work.p90,
        "median_calendar_min": f.calendar.median,
        "p90_calendar_min": f.calendar.p90,
        "median_wait_min": f.wait.median,
        "median_handle_min": f.handle.median,
        "unclaimed": f.unclaimed,
        "over_standard": f.over,
        "over_standard_share": f.over_share,
        "over_standard_min": f.over_minutes,
        "sendbacks": f.sendbacks,
    }


def standard_minutes(step: Step, calendar: OfficeCalendar) -> int | None:
    """A step's Waktu in minutes: menit/jam as written, hari as 24 h days, hari kerja as days of
    the calendar's average office day. None when the SOP leaves it unspecified."""
    waktu = step.waktu
    if waktu.amount is None or waktu.unit is None:
        return None
    if waktu.unit is WaktuUnit.HARI_KERJA:
        return round(waktu.amount * calendar.average_day_minutes)
    return waktu.minutes


# -- percentiles from (value, count) pairs ----------------------------------------------------
def percentile(counts: dict[int, int], p: Fraction) -> float | None:
    """percentile_cont(p) of the values counts describes (value -> how many), to 0.1."""
    n = sum(counts.values())
    if n == 0:
        return None
    rank = (n - 1) * p
    low = math.floor(rank)
    high = math.ceil(rank)
    x_low = x_high = None
    seen = 0
    for value in sorted(counts):
        seen += counts[value]
        if x_low is None and seen > low:
            x_low = value
        if seen > high:
            x_high = value
            break
    exact = x_low + (rank - low) * (x_high - x_low)
    return float(round(Fraction(exact), 1))


HALF, NINE_TENTHS = Fraction(1, 2), Fraction(9, 10)


def spread(counts: dict[int, int]) -> Spread:
    counts = {v: c for v, c in counts.items() if v is not None and c}
    return Spread(sum(counts.values()), percentile(counts, HALF), percentile(counts, NINE_TENTHS))


# -- the queries ------------------------------------------------------------------------------
_METRICS = {
    "work": HumanTask.working_minutes,
    "calendar": HumanTask.calendar_minutes,
    "wait": HumanTask.wait_minutes,
    "handle": HumanTask.handle_minutes,
}


def _instance_filter(key: str, period: Period, definition_ids: list[int] | None):
    conditions = [Instance.process_key == key]
    if period.start is not None:
        conditions.append(Instance.started_at >= period.start)
    if period.end is not None:
        conditions.append(Instance.started_at < period.end)
    if definition_ids is not None:
        conditions.append(Instance.definition_id.in_(definition_ids))
    return and_(*conditions)


@dataclass
class _Counts:
    instances: int = 0
    tasks: int = 0
    completions: int = 0
    unclaimed: int = 0
    with_standard: int = 0
    over: int = 0
    over_minutes: int = 0
    sendbacks: int = 0
    hist: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    spreads: dict[str, Spread] = field(default_factory=dict)  # read off by the database

    def add(self, other: _Counts) -> None:
        for name in ("tasks", "completions", "unclaimed", "with_standard", "over"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.over_minutes += other.over_minutes
        self.sendbacks += other.sendbacks
        for metric, counts in other.hist.items():
            self.hist[metric].update(counts)

    def _spread(self, metric: str) -> Spread:
        found = self.spreads.get(metric)
        return found if found is not None else spread(self.hist[metric])

    def figures(self) -> Figures:
        return Figures(
            instances=self.instances,
            tasks=self.tasks,
            completions=self.completions,
            work=self._spread("work"),
            calendar=self._spread("calendar"),
            wait=self._spread("wait"),
            handle=self._spread("handle"),
            unclaimed=self.unclaimed,
            with_standard=self.with_standard,
            over=self.over,
            over_minutes=self.over_minutes,
            sendbacks=self.sendbacks,
        )


def _task_counts(session: Session, where, group) -> dict:
    """Counts per group (a column of human_tasks) of the selected instances' tasks."""
    done = HumanTask.state == "completed"
    query = (
        select(
            group,
            func.count(distinct(HumanTask.instance_id)),
            func.count(),
            func.sum(case((done, 1), else_=0)),
            func.sum(case((and_(done, HumanTask.claimed_at.is_(None)), 1), else_=0)),
            func.sum(case((and_(done, HumanTask.over_minutes.is_not(None)), 1), else_=0)),
            func.sum(case((and_(done, HumanTask.completed_at > HumanTask.due_at), 1), else_=0)),
            func.coalesce(func.sum(case((done, HumanTask.over_minutes), else_=0)), 0),
            func.sum(case((HumanTask.decision == SENT_BACK, 1), else_=0)),
        )
        .join(Instance, Instance.id == HumanTask.instance_id)
        .where(where, HumanTask.state != "cancelled")
        .group_by(group)
    )
    found: dict = {}
    for row in session.execute(query):
        found[row[0]] = _Counts(*[int(v or 0) for v in row[1:]])
    return found


def _histograms(session: Session, where, group, counts: dict, metrics=tuple(_METRICS)) -> None:
    """Add (metric, value) -> count histograms of completed tasks to each group's counts."""
    parts = []
    for metric in metrics:
        column = _METRICS[metric]
        parts.append(
            select(
                literal(metric).label("metric"), group.label("g"), column.label("v"), func.count()
            )
            .join(Instance, Instance.id == HumanTask.instance_id)
            .where(where, HumanTask.state == "completed", column.is_not(None))
            .group_by(group, column)
        )
    for metric, g, value, n in session.execute(union_all(*parts)):
        if g in counts:
            counts[g].hist[metric][int(value)] += int(n)


def _rounds(session: Session, where) -> dict[int, dict[int, int]]:
    """Per step: how many instances had 1, 2, ... Tidak answers there."""
    per_instance = (
        select(HumanTask.step_no.label("step"), func.count().label("n"))
        .join(Instance, Instance.id == HumanTask.instance_id)
        .where(where, HumanTask.decision == SENT_BACK)
        .group_by(HumanTask.step_no, HumanTask.instance_id)
        .subquery()
    )
    query = select(per_instance.c.step, per_instance.c.n, func.count()).group_by(
        per_instance.c.step, per_instance.c.n
    )
    found: dict[int, dict[int, int]] = defaultdict(dict)
    for step, n, instances in session.execute(query):
        found[step][int(n)] = int(instances)
    return found


def compute(
    session: Session,
    calendar: OfficeCalendar,
    key: str,
    period: Period,
    version: int | None,
    people: bool,
    now: datetime,
    direct: bool = False,
) -> Analytics:
    """The figures of process key over period (one version or all); people's when people.

    Read from the maintained sums (engine/analytics_totals.py) when the period is whole months
    (a month, quarter, year, all time, or days from a month's first to a month's last); from
    the tasks themselves otherwise, or when direct (the tests compare the two).
    """
    versions = session.scalars(
        select(Definition).where(Definition.key == key).order_by(Definition.version)
    ).all()
    if version is not None:
        versions = [d for d in versions if d.version == version]
    ids = [d.id for d in versions]
    newest = versions[-1]
    sop = newest.model
    one = ids if version is not None else None
    if direct or not whole_months(period):
        found = _direct(session, calendar, key, period, one, people)
    else:
        steps_of = defaultdict(list)
        for step in sop.steps:
            steps_of[step.actor].append(step.no)
        found = _from_totals(session, key, period, ids, version is not None, people, steps_of)
    step_counts, lane_counts, rounds = found.steps, found.lanes, found.rounds
    steps = []
    numbers = sorted({s.no for s in sop.steps} | {n for n in step_counts if n is not None})
    for no in numbers:
        step = sop.find(no)
        counts = step_counts.get(no, _Counts())
        steps.append(
            StepFigures(
                step_no=no,
                activity=step.activity if step else "",
                actor=step.actor if step else "",
                decision=bool(step and step.decision),
                standard_text=step.waktu.text if step else "",
                standard_min=standard_minutes(step, calendar) if step else None,
                figures=counts.figures(),
                rounds=dict(sorted(rounds.get(no, {}).items())),
            )
        )

    actor_counts: dict[str, _Counts] = {}
    actor_steps: dict[str, list[int]] = defaultdict(list)
    for step in sop.steps:
        actor_steps[step.actor].append(step.no)
    # an actor's times are its steps' (merged histograms); its instances are counted by lane
    for actor, numbers in actor_steps.items():
        if actor in lane_counts and found.actor_spreads is not None:
            lane_counts[actor].spreads = found.actor_spreads.get(actor, {})
        elif actor in lane_counts:
            lane_counts[actor].hist = defaultdict(Counter)
            for no in numbers:
                for metric, counts in step_counts.get(no, _Counts()).hist.items():
                    lane_counts[actor].hist[metric].update(counts)
    for actor in [*sop.actors, *sorted(set(lane_counts) - set(sop.actors))]:
        if actor in lane_counts or actor_steps.get(actor):
            actor_counts[actor] = lane_counts.get(actor, _Counts())
    actors = tuple(
        ActorFigures(actor, tuple(actor_steps.get(actor, ())), c.figures())
        for actor, c in actor_counts.items()
    )

    persons = None
    if people:
        # per person the office working time only: a person's calendar, waiting and handling
        # medians would cost a histogram each and are not shown
        persons = tuple(
            PersonFigures(name, c.figures())
            for name, c in sorted((n, c) for n, c in found.people.items() if n is not None)
        )

    totals = {d.id: standard_total(d.model, calendar) for d in versions}
    over = sum(
        n
        for definition_id, counts in found.lead_by_version.items()
        if (total := totals.get(definition_id)) is not None
        for minutes, n in counts.items()
        if minutes > total
    )
    lead: Counter = Counter()
    for counts in found.lead_by_version.values():
        lead.update(counts)
    states = found.states
    return Analytics(
        key=key,
        code=newest.code,
        name=newest.name,
        versions=tuple(d.version for d in versions),
        version=version,
        period=period,
        sop=sop,
        steps=tuple(steps),
        actors=actors,
        people=persons,
        generated_at=now,
        months=tuple(found.months(calendar, period, now)),
        started=sum(states.values()),
        completed=states.get("completed", 0),
        cancelled=states.get("cancelled", 0),
        running=states.get("running", 0) + states.get("suspended", 0),
        lead=spread(lead),
        lead_calendar=spread(found.lead_calendar),
        standard_total_min=totals[versions[-1].id],
        lead_over=over,
        lead_histogram=histogram(lead),
        late=found.late[0],
        late_count=found.late[1],
    )


@dataclass
class _Found:
    """What the figures are made of, from the tasks (_direct) or from the sums (_from_totals)."""

    steps: dict  # step no -> _Counts with work/calendar/wait/handle histograms
    lanes: dict  # lane -> _Counts
    people: dict  # username -> _Counts with the work histogram
    rounds: dict  # step no -> {Tidak answers in an instance: instances}
    states: dict  # instance state -> instances
    lead_by_version: dict  # definition id -> Counter of completed instances' office lead minutes
    lead_calendar: Counter
    late: tuple
    months: object  # (calendar, period, now) -> [MonthFigures]
    actor_spreads: dict | None = None  # actor -> metric -> Spread (None: merge the steps')


def _direct(session, calendar, key, period, ids, people) -> _Found:
    where = _instance_filter(key, period, ids)
    step_counts = _task_counts(session, where, HumanTask.step_no)
    _histograms(session, where, HumanTask.step_no, step_counts)
    person_counts = {}
    if people:
        person_counts = _task_counts(session, where, HumanTask.completed_by)
        _histograms(session, where, HumanTask.completed_by, person_counts, ("work",))
    query = select(Instance.state, func.count()).where(where).group_by(Instance.state)
    states = dict(session.execute(query).all())
    lead: dict[int, Counter] = defaultdict(Counter)
    lead_calendar: Counter = Counter()
    query = (
        select(
            Instance.definition_id,
            Instance.lead_minutes,
            Instance.lead_calendar_minutes,
            func.count(),
        )
        .where(where, Instance.state == "completed", Instance.lead_minutes.is_not(None))
        .group_by(Instance.definition_id, Instance.lead_minutes, Instance.lead_calendar_minutes)
    )
    for definition_id, minutes, calendar_minutes, n in session.execute(query):
        lead[definition_id][minutes] += n
        if calendar_minutes is not None:
            lead_calendar[calendar_minutes] += n
    return _Found(
        steps=step_counts,
        lanes=_task_counts(session, where, HumanTask.lane),
        people=person_counts,
        rounds=_rounds(session, where),
        states=states,
        lead_by_version=lead,
        lead_calendar=lead_calendar,
        late=_late(session, where),
        months=lambda cal, p, now: _months(session, cal, key, p, ids, now),
    )


# -- the same from the maintained sums ---------------------------------------------------------
def whole_months(period: Period) -> bool:
    """Whether the period starts on a month's first day and ends on a month's last (or is open)."""
    first, last = period.first_day, period.last_day
    if period.start is not None and (first is None or first.day != 1):
        return False
    return period.end is None or (last is not None and (last + timedelta(days=1)).day == 1)


def _bucket_filter(first: date | None, last: date | None):
    """The sums' rows of the months first..last (first days, inclusive; None: open): whole
    years as their year rows, the months around them as month rows."""
    t = AnalyticsTotal
    if first is None and last is None:
        return t.span == "y"
    parts = []
    from_year = None if first is None else first.year + (first.month != 1)
    to_year = None if last is None else last.year - (last.month != 12)
    if from_year is None or to_year is None or from_year <= to_year:
        years = [t.span == "y"]
        if from_year is not None:
            years.append(t.bucket >= f"{from_year:04d}")
        if to_year is not None:
            years.append(t.bucket <= f"{to_year:04d}")
        parts.append(and_(*years))
    months: list[date] = []
    if first is not None and first.month != 1:
        month = first
        while month.year == first.year and (last is None or month <= last):
            months.append(month)
            month = _month_after(month)
    if last is not None and last.month != 12:
        month = max(date(last.year, 1, 1), first or date.min)
        while month <= last:
            if month not in months:
                months.append(month)
            month = _month_after(month)
    if months:
        parts.append(and_(t.span == "m", t.bucket.in_([_month_label(m) for m in months])))
    return or_(*parts) if parts else false()


def _single_bucket(first: date | None, last: date | None) -> bool:
    """Whether the months first..last are one month or one calendar year (one row per value)."""
    if first is None or last is None:
        return False
    return first == last or (first.year == last.year and (first.month, last.month) == (1, 12))


def _month_label(month: date) -> str:
    return f"{month.year:04d}-{month.month:02d}"


def _from_totals(session, key, period, ids, one_version, people, steps_of) -> _Found:
    t = AnalyticsTotal
    first = date(period.first_day.year, period.first_day.month, 1) if period.start else None
    last = date(period.last_day.year, period.last_day.month, 1) if period.end else None
    where = (t.definition_id.in_(ids), _bucket_filter(first, last))
    # the counts and the lead times as rows; the minutes' percentiles read off by the database
    query = select(t.definition_id, t.dim, t.gkey, t.metric, t.value, t.n).where(
        *where,
        or_(
            t.dim.in_(("lane", "rounds", "instance")),
            and_(t.dim.in_(("step", "person")), t.metric.not_in(tuple(_METRICS))),
        ),
    )
    if not people:
        query = query.where(t.dim != "person")
    groups: dict[str, dict] = {"step": {}, "lane": {}, "person": {}}
    rounds: dict[int, dict[int, int]] = defaultdict(dict)
    states: Counter = Counter()
    lead: dict[int, Counter] = defaultdict(Counter)
    lead_calendar: Counter = Counter()
    late_count = 0
    for definition_id, dim, gkey, metric, value, n in _rows(session, query):
        if not n:
            continue
        group = groups.get(dim)
        if group is not None:
            if dim == "step":
                if not gkey:
                    continue
                gkey = int(gkey)
            counts = group.get(gkey)
            if counts is None:
                counts = group[gkey] = _Counts()
            setattr(counts, metric, getattr(counts, metric) + n)
        elif dim == "rounds":
            if gkey:
                found = rounds[int(gkey)]
                found[value] = found.get(value, 0) + n
        elif metric == "lead":
            lead[definition_id][value] += n
        elif metric == "lead_cal":
            lead_calendar[value] += n
        elif metric == "late":
            late_count += n
        elif metric.startswith("s:"):
            states[metric[2:]] += n

    # one version and one month or year: each group's rows come in the key's order (metric,
    # gkey, value), so the database needs neither to add them up nor to sort them
    single = len(ids) == 1 and _single_bucket(first, last)
    for metric in _METRICS:
        rows = select(t.gkey, t.value, t.n).where(*where, t.dim == "step", t.metric == metric)
        for step, found in spreads_in_db(session, rows, grouped=not single).items():
            if step:
                groups["step"].setdefault(int(step), _Counts()).spreads[metric] = found
    if people:
        rows = select(t.gkey, t.value, t.n).where(*where, t.dim == "person", t.metric == "work")
        for name, found in spreads_in_db(session, rows, grouped=not single).items():
            groups["person"].setdefault(name, _Counts()).spreads["work"] = found
    # an actor of one step has that step's figures; an actor of several, their merged values
    actor_spreads: dict[str, dict[str, Spread]] = defaultdict(dict)
    merged = {str(no): a for a, numbers in steps_of.items() if len(numbers) > 1 for no in numbers}
    for actor, numbers in steps_of.items():
        if len(numbers) == 1 and numbers[0] in groups["step"]:
            actor_spreads[actor] = dict(groups["step"][numbers[0]].spreads)
    if merged:
        for metric in _METRICS:
            rows = select(case(merged, value=t.gkey), t.value, t.n).where(
                *where, t.dim == "step", t.metric == metric, t.gkey.in_(list(merged))
            )
            for actor, found in spreads_in_db(session, rows).items():
                actor_spreads[actor][metric] = found
    return _Found(
        steps=groups["step"],
        lanes=groups["lane"],
        people=groups["person"],
        rounds=rounds,
        states=dict(states),
        lead_by_version=lead,
        lead_calendar=lead_calendar,
        late=(_late_from_totals(session, key, period, ids if one_version else None), late_count),
        months=lambda cal, p, now: _months_from_totals(session, cal, p, ids, now),
        actor_spreads=actor_spreads,
    )


def _rows(session: Session, query) -> list[tuple]:
    """The rows as the driver gives them, fetched at once (no per-row result objects: with a
    hundred thousand rows those are most of the time)."""
    result = session.connection().execute(query)
    try:
        return result.cursor.fetchall()
    finally:
        result.close()


def spreads_in_db(session: Session, rows, grouped: bool = True) -> dict[str, Spread]:
    """Count, median and p90 per group of (group, value, n) rows, the values at the ranks the
    percentiles need found by the database (a running sum per group), so only those rows
    travel; the percentile is then `percentile`'s, from the same ranks. grouped: a value may
    come in several rows of a group (several months or versions), to be added up first."""
    src = rows.subquery()
    g, value, n = src.c
    agg = src
    if grouped:
        agg = (
            select(g.label("g"), value.label("value"), func.sum(n).label("n"))
            .group_by(g, value)
            .subquery()
        )
    agg_g, agg_value, agg_n = agg.c
    upto = cast(func.sum(agg_n).over(partition_by=agg_g, order_by=agg_value), BigInteger)
    total = cast(func.sum(agg_n).over(partition_by=agg_g), BigInteger)
    running = select(
        agg_g.label("g"),
        agg_value.label("value"),
        cast(agg_n, BigInteger).label("n"),
        upto.label("upto"),
        total.label("total"),
    ).subquery()
    last = running.c.total - 1
    ranks = (last * 5 // 10, (last * 5 + 9) // 10, last * 9 // 10, (last * 9 + 9) // 10)
    chosen = select(running).where(
        running.c.total > 0,
        or_(*[and_(running.c.upto - running.c.n <= r, r < running.c.upto) for r in ranks]),
    )
    if session.get_bind().dialect.name == "postgresql":
        # a year of values is some hundred thousand rows: sorted in memory, not on disk
        session.execute(text("SET LOCAL work_mem = '64MB'"))
    found: dict[str, list] = defaultdict(list)
    for group, v, count, upto_, total_ in _rows(session, chosen):
        found[group].append((int(upto_) - int(count), int(upto_), int(v), int(total_)))
    return {group: _spread_at(spans) for group, spans in found.items()}


def _spread_at(spans: list[tuple[int, int, int, int]]) -> Spread:
    """A Spread from the rows holding the percentiles' ranks: (first rank, end, value, count)."""
    total = spans[0][3]

    def at(rank: int) -> int:
        return next(v for low, high, v, _ in spans if low <= rank < high)

    def cont(p: Fraction) -> float:
        rank = (total - 1) * p
        low, high = math.floor(rank), math.ceil(rank)
        exact = at(low) + (rank - low) * (at(high) - at(low))
        return float(round(Fraction(exact), 1))

    return Spread(total, cont(HALF), cont(NINE_TENTHS))


def _late_from_totals(session, key, period, ids) -> tuple[LateInstance, ...]:
    """The worst late instances (their count is in the sums), from the late index."""
    late = AnalyticsLate
    conditions = [late.process_key == key]
    if period.start is not None:
        conditions.append(late.started_at >= period.start)
    if period.end is not None:
        conditions.append(late.started_at < period.end)
    if ids is not None:
        conditions.append(late.definition_id.in_(ids))
    query = (
        _late_select(late, late.instance_id, late.step_no, late.name, late.over_minutes)
        .where(*conditions)
        .order_by(late.over_minutes.desc(), late.instance_id)
        .limit(OVER_LIST_LIMIT)
    )
    return _late_rows(session.execute(query))


def _months_from_totals(session, calendar, period, ids, now) -> list[MonthFigures]:
    t = AnalyticsTotal
    starts = month_starts(calendar.timezone, period, now)
    labels = [_month_label(m) for m in starts]
    where = (t.definition_id.in_(ids), t.span == "m", t.bucket.in_(labels))
    counted = ("completions", "with_standard", "over")
    query = union_all(
        select(t.bucket, t.metric, t.n).where(
            *where, t.dim == "instance", t.metric.not_in(("lead", "lead_cal", "late"))
        ),
        select(t.bucket, t.metric, t.n).where(*where, t.dim == "step", t.metric.in_(counted)),
    )
    sums: dict[str, Counter] = defaultdict(Counter)
    for bucket, metric, n in _rows(session, query):
        sums[bucket]["started" if metric.startswith("s:") else metric] += int(n)
        if metric == "s:completed":
            sums[bucket]["completed"] += int(n)
    lead_rows = select(t.bucket, t.value, t.n).where(
        *where, t.dim == "instance", t.metric == "lead"
    )
    leads = spreads_in_db(session, lead_rows, grouped=len(ids) > 1)
    return [
        MonthFigures(
            month=label,
            started=sums[label]["started"],
            completed=sums[label]["completed"],
            lead=leads.get(label, Spread()),
            completions=sums[label]["completions"],
            over=sums[label]["over"],
            with_standard=sums[label]["with_standard"],
        )
        for label in labels
    ]


def standard_total(sop: Sop, calendar: OfficeCalendar) -> int | None:
    """The sum of the steps' standards (steps without a Waktu add nothing; None: none has one)."""
    found = [m for s in sop.steps if (m := standard_minutes(s, calendar)) is not None]
    return sum(found) if found else None


def histogram(counts: Counter, bins: int = 10) -> tuple[tuple[int, int, int], ...]:
    """Equal-width bins (whole minutes, at least 1 wide) over the values: (from, to, count)."""
    if not counts:
        return ()
    low, high = min(counts), max(counts)
    width = max(1, math.ceil((high - low + 1) / bins))
    found = [0] * math.ceil((high - low + 1) / width)
    for value, n in counts.items():
        found[(value - low) // width] += n
    return tuple((low + i * width, low + (i + 1) * width, n) for i, n in enumerate(found))


def _late(session: Session, where) -> tuple[tuple[LateInstance, ...], int]:
    """Instances with a step completed over its standard; each with its worst step."""
    ranked = (
        select(
            HumanTask.instance_id,
            HumanTask.step_no,
            HumanTask.name,
            HumanTask.over_minutes,
            func.row_number()
            .over(
                partition_by=HumanTask.instance_id,
                order_by=(HumanTask.over_minutes.desc().nulls_last(), HumanTask.id),
            )
            .label("rank"),
        )
        .join(Instance, Instance.id == HumanTask.instance_id)
        .where(
            where,
            HumanTask.state == "completed",
            HumanTask.completed_at > HumanTask.due_at,
        )
        .subquery()
    )
    worst = select(ranked).where(ranked.c.rank == 1).subquery()
    count = session.scalar(select(func.count()).select_from(worst))
    w = worst.c
    query = (
        _late_select(worst, w.instance_id, w.step_no, w.name, w.over_minutes)
        .order_by(func.coalesce(worst.c.over_minutes, 0).desc(), Instance.id)
        .limit(OVER_LIST_LIMIT)
    )
    return _late_rows(session.execute(query)), int(count or 0)


def _late_select(source, instance_id, step_no, name, over_minutes):
    """The columns _late_rows reads: each instance with its version and its worst step, taken
    from source (the late index, or the tasks ranked by minutes over)."""
    return (
        select(
            Instance.id,
            Instance.title,
            Definition.version,
            Instance.state,
            Instance.started_at,
            Instance.ended_at,
            Instance.lead_minutes,
            step_no,
            name,
            over_minutes,
        )
        .join(source, instance_id == Instance.id)
        .join(Definition, Definition.id == Instance.definition_id)
    )


def _late_rows(rows) -> tuple[LateInstance, ...]:
    return tuple(
        LateInstance(
            id=iid,
            title=title,
            version=version,
            state=state,
            started_at=started,
            ended_at=ended,
            lead_minutes=lead,
            worst_step=step_no,
            worst_activity=name or "",
            worst_over_minutes=int(over or 0),
        )
        for (iid, title, version, state, started, ended, lead, step_no, name, over) in rows
    )


def month_starts(zone: ZoneInfo, period: Period, now: datetime) -> list[date]:
    """The months of the trend: the period's (at most 36), else the 12 ending at its end."""
    last = period.last_day or now.astimezone(zone).date()
    last_month = date(last.year, last.month, 1)
    first = period.first_day
    if first is not None:
        first_month = date(first.year, first.month, 1)
        count = (last_month.year - first_month.year) * 12 + last_month.month - first_month.month
        if 1 <= count < 36:
            months = [first_month]
            while months[-1] < last_month:
                months.append(_month_after(months[-1]))
            return months
    months = [last_month]
    while len(months) < TREND_MONTHS:
        previous = months[0] - timedelta(days=1)
        months.insert(0, date(previous.year, previous.month, 1))
    return months


def _months(session, calendar, key, period, ids, now) -> list[MonthFigures]:
    """The monthly trend: instances by month of start, their lead time and tasks over standard."""
    zone = calendar.timezone
    starts = month_starts(zone, period, now)
    bounds = [datetime.combine(m, time(), tzinfo=zone) for m in [*starts, _month_after(starts[-1])]]
    bucket = case(
        *[(Instance.started_at < bounds[i + 1], i) for i in range(len(starts))], else_=None
    ).label("bucket")
    trend = Period(bounds[0], bounds[-1], "trend")
    where = _instance_filter(key, trend, ids)
    started = Counter()
    completed = Counter()
    leads: dict[int, Counter] = defaultdict(Counter)
    query = (
        select(bucket, Instance.state, Instance.lead_minutes, func.count())
        .where(where)
        .group_by(bucket, Instance.state, Instance.lead_minutes)
    )
    for i, state, minutes, n in session.execute(query):
        started[i] += n
        if state == "completed":
            completed[i] += n
            if minutes is not None:
                leads[i][minutes] += n
    done = HumanTask.state == "completed"
    tasks = (
        select(
            bucket,
            func.count(),
            func.sum(case((HumanTask.over_minutes.is_not(None), 1), else_=0)),
            func.sum(case((HumanTask.completed_at > HumanTask.due_at, 1), else_=0)),
        )
        .join(Instance, Instance.id == HumanTask.instance_id)
        .where(where, done)
        .group_by(bucket)
    )
    task_counts = {i: (n, int(w or 0), int(o or 0)) for i, n, w, o in session.execute(tasks)}
    found = []
    for i, month in enumerate(starts):
        n, with_standard, over = task_counts.get(i, (0, 0, 0))
        found.append(
            MonthFigures(
                month=f"{month.year:04d}-{month.month:02d}",
                started=started[i],
                completed=completed[i],
                lead=spread(leads[i]),
                completions=n,
                over=over,
                with_standard=with_standard,
            )
        )
    return found


def heat(steps: Iterable[StepFigures]) -> dict[int, float]:
    """Step number -> share of its completions over standard (steps with figures only)."""
    return {s.step_no: s.figures.over_share for s in steps if s.figures.over_share is not None}


def _when(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def as_json(a: Analytics) -> dict:
    """The whole figures as plain JSON: the API's answer and `alur report -o x.json`."""
    period = a.period
    return {
        "process": {"key": a.key, "code": a.code, "name": a.name},
        "versions": list(a.versions),
        "version": a.version,
        "period": {
            "label": period.label,
            "from": period.first_day.isoformat() if period.first_day else None,
            "to": period.last_day.isoformat() if period.last_day else None,
        },
        "generated_at": _when(a.generated_at),
        "steps": a.step_dicts(),
        "actors": [
            {"actor": x.actor, "steps": list(x.steps)} | figures_dict(x.figures) for x in a.actors
        ],
        "people": None
        if a.people is None
        else [{"username": p.username} | figures_dict(p.figures) for p in a.people],
        "instances": {
            "started": a.started,
            "completed": a.completed,
            "cancelled": a.cancelled,
            "running": a.running,
            "median_lead_min": a.lead.median,
            "p90_lead_min": a.lead.p90,
            "median_lead_calendar_min": a.lead_calendar.median,
            "p90_lead_calendar_min": a.lead_calendar.p90,
            "standard_total_min": a.standard_total_min,
            "over_standard_total": a.lead_over,
        },
        "lead_histogram": [
            {"from_min": low, "to_min": high, "instances": n} for low, high, n in a.lead_histogram
        ],
        "months": [
            {
                "month": m.month,
                "started": m.started,
                "completed": m.completed,
                "median_lead_min": m.lead.median,
                "completions": m.completions,
                "over_standard_share": m.over_share,
            }
            for m in a.months
        ],
        "late": [
            {
                "id": i.id,
                "title": i.title,
                "version": i.version,
                "state": i.state,
                "started_at": _when(i.started_at),
                "ended_at": _when(i.ended_at),
                "lead_min": i.lead_minutes,
                "worst_step": i.worst_step,
                "worst_activity": i.worst_activity,
                "worst_over_min": i.worst_over_minutes,
            }
            for i in a.late
        ],
        "late_count": a.late_count,
    }
