"""The analytics from the maintained sums are the analytics from the tasks, figure for figure.

A seeded set of instances (tests/analytics_data.py's four, then random ones over four months and
two versions: claims, hand-backs, send-backs, nights and weekends, a cancel, a migration, some
left running) is read both ways, for every kind of period, on SQLite and PostgreSQL; and the
sums kept at each write (from the changed rows only) equal the sums rebuilt from scratch.
"""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from sqlalchemy import select

from engine import analytics, analytics_totals
from engine.bpmn.writer import write_bpmn
from engine.runtime.lifecycle import Completion
from engine.sop import Waktu
from engine.storage.tables import AnalyticsLate, AnalyticsTotal
from tests import analytics_data as data
from tests.analytics_data import KEY, wib

PERIODS = [
    {},
    {"period": "2026"},
    {"period": "2025"},
    {"period": "2026-Q1"},
    {"period": "2026-02"},
    {"period": "2026-06"},
    {"start": "2025-12-01", "end": "2026-02-28"},
    {"start": "2026-01-01"},
    {"end": "2026-01-31"},
]


def _random_instances(alur, clock, seed=7) -> None:
    rng = random.Random(seed)
    second = data.sop()
    second.steps[0].waktu = Waktu.parse("2 jam")
    for n in range(16):
        if n == 8:
            alur.deploy_sources([("sop_uji.bpmn", write_bpmn(second))], "admin")
        day = wib(2025, 12, 1, 8, 0) + timedelta(days=rng.randrange(120))
        clock.now = day + timedelta(minutes=rng.randrange(0, 480))
        starter = rng.choice(["ana", "budi"])
        iid = alur.start(KEY, starter, f"R{n}").id
        rounds = 0
        while rng.random() > 0.08:
            open_tasks = [t for t in alur.task_rows(iid) if t.state == "open"]
            if not open_tasks:
                break
            task = open_tasks[0]
            who = "rudi" if task.step_no == 2 else rng.choice(["ana", "budi"])
            if rng.random() < 0.6:
                clock.now += timedelta(minutes=rng.randrange(0, 300))
                alur.claim(task.id, who)
                if rng.random() < 0.2:  # handed back: unclaimed again, maybe taken later
                    clock.now += timedelta(minutes=rng.randrange(1, 60))
                    alur.unclaim(task.id, who)
                    if rng.random() < 0.5:
                        alur.claim(task.id, who)
            clock.now += timedelta(minutes=rng.randrange(1, 1500))
            decision = None
            if task.step_no == 2:
                decision = "Tidak" if rounds < 3 and rng.random() < 0.35 else "Ya"
                rounds += decision == "Tidak"
            alur.complete(task.id, who, Completion(decision=decision, note="x" * bool(decision)))
        if n == 3:
            alur.cancel(iid, starter, "salah isi")
    running_v1 = [i.id for i in alur.instances(KEY) if i.state == "running" and i.version == 1]
    alur.migrate(KEY, 1, 2, data.ANALYST, instance_ids=running_v1[:1])


@pytest.fixture
def seeded(alur, clock):
    data.play(alur, clock)
    _random_instances(alur, clock)
    return alur


def _both(alur, version=None, people=True, **period):
    p = alur.period(**period)
    with alur.session(read_only=True) as s:
        args = (s, alur.calendar, KEY, p, version, people, alur.clock())
        return analytics.compute(*args), analytics.compute(*args, direct=True)


def test_the_sums_give_the_figures_the_tasks_give(seeded):
    for period in PERIODS:  # one seeded set for all of them: it takes seconds to play
        fast, direct = _both(seeded, **period)
        assert analytics.as_json(fast) == analytics.as_json(direct), period
        assert fast == direct, period
        assert analytics.whole_months(fast.period), period


def test_per_version_and_without_people(seeded):
    for version in (1, 2):
        fast, direct = _both(seeded, version=version, period="2026")
        assert fast == direct and fast.started > 0
    fast, direct = _both(seeded, people=False)
    assert fast == direct and fast.people is None


def test_the_seeded_set_has_what_the_comparison_needs(seeded):
    figures = _both(seeded)[0]
    assert figures.cancelled == 1 and figures.running >= 1 and figures.versions == (1, 2)
    assert figures.late_count > 3 and figures.steps[1].max_rounds >= 2
    assert all(s.figures.work.count > 5 for s in figures.steps)


def _table(s):
    rows = s.execute(select(AnalyticsTotal).where(AnalyticsTotal.n != 0)).scalars()
    totals = sorted(
        (r.definition_id, r.span, r.bucket, r.dim, r.gkey, r.metric, r.value, r.n) for r in rows
    )
    late = sorted(
        (r.instance_id, r.over_minutes, r.step_no, r.name, r.started_at)
        for r in s.execute(select(AnalyticsLate)).scalars()
    )
    return totals, late


def _kept_and_rebuilt(alur):
    """The sums as kept, and as rebuilt from every task (the rebuild is rolled back)."""
    with alur.session() as s:
        kept = _table(s)
        analytics_totals.rebuild(s, alur.calendar.timezone)
        rebuilt = _table(s)
        s.rollback()
    return kept, rebuilt


def test_kept_sums_equal_rebuilt_ones(seeded):
    kept, rebuilt = _kept_and_rebuilt(seeded)
    assert kept == rebuilt
    assert len(kept[0]) > 100 and kept[1]


def test_every_single_change_keeps_the_sums_right(alur, clock):
    """After each write, the kept sums are the rebuilt ones: the changes that take a task out
    of a group it was alone in (a cancel at the first step, a hand-back), or change a step's
    Tidak rounds and the worst late step, are the ones a difference can get wrong."""
    data.deploy(alur)
    checks = []

    def check(what):
        kept, rebuilt = _kept_and_rebuilt(alur)
        assert kept == rebuilt, what
        checks.append(what)

    clock.now = wib(2026, 3, 2, 8, 0)
    first = alur.start(KEY, "ana", "dibatalkan").id
    check("started")
    alur.cancel(first, "ana", "salah isi")  # its only task leaves step 1, lane and all
    check("cancelled at the first step")
    iid = alur.start(KEY, "budi", "panjang").id
    task = data._task(alur, iid)
    alur.claim(task.id, "budi")
    check("claimed")
    alur.unclaim(task.id, "budi")
    check("handed back")
    clock.now = wib(2026, 3, 2, 11, 0)  # 60 minutes past the hour's standard: late
    alur.complete(task.id, "ana", Completion())
    check("completed late, unclaimed")
    for n, (decision, at) in enumerate([("Tidak", 11), ("Tidak", 14), ("Ya", 15)]):
        clock.now = wib(2026, 3, 2, at, 30)
        review = data._task(alur, iid)
        alur.complete(review.id, "rudi", Completion(decision=decision, note="x"))
        check(f"review {n}: {decision}")
        if decision == "Tidak":
            clock.now = wib(2026, 3, 3, 8, n)  # the next morning: later than the first
            alur.complete(data._task(alur, iid).id, "budi", Completion())
            check(f"redraft {n}")
    clock.now = wib(2026, 3, 3, 9, 0)
    alur.complete(data._task(alur, iid).id, "ana", Completion())
    check("finished")
    kept, _ = _kept_and_rebuilt(alur)
    late = [row for row in kept[1] if row[0] == iid]
    assert len(late) == 1 and late[0][2] == 1  # the worst late step is a redraft of step 1
    rounds = {(r[4], r[6]): r[7] for r in kept[0] if r[1] == "m" and r[3] == "rounds"}
    assert rounds == {("2", 2): 1}
    assert len(checks) == 11


def test_a_partial_month_is_read_from_the_tasks(seeded):
    period = seeded.period(start="2026-01-05", end="2026-02-10")
    assert not analytics.whole_months(period)
    figures = seeded.analytics(KEY, data.AUDITOR, period)
    with seeded.session(read_only=True) as s:
        direct = analytics.compute(
            s, seeded.calendar, KEY, period, None, True, seeded.clock(), direct=True
        )
    assert figures == direct
