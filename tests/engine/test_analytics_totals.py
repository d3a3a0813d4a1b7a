"""The analytics from the maintained sums are the analytics from the tasks, figure for figure.

A seeded set of instances (tests/analytics_data.py's four, then random ones over four months and
two versions: claims, send-backs, nights and weekends, a cancel, a migration, some left running)
is read both ways, for every kind of period, on SQLite and PostgreSQL; and the sums kept at each
write equal the sums rebuilt from scratch.
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


def test_kept_sums_equal_rebuilt_ones(seeded):
    def table(s):
        rows = s.execute(select(AnalyticsTotal).where(AnalyticsTotal.n != 0)).scalars()
        totals = sorted(
            (r.definition_id, r.span, r.bucket, r.dim, r.gkey, r.metric, r.value, r.n) for r in rows
        )
        late = sorted(
            (r.instance_id, r.over_minutes, r.step_no, r.name, r.started_at)
            for r in s.execute(select(AnalyticsLate)).scalars()
        )
        return totals, late

    with seeded.session() as s:
        kept = table(s)
        analytics_totals.rebuild(s, seeded.calendar.timezone)
        assert table(s) == kept
    assert len(kept[0]) > 100 and kept[1]


def test_a_partial_month_is_read_from_the_tasks(seeded):
    period = seeded.period(start="2026-01-05", end="2026-02-10")
    assert not analytics.whole_months(period)
    figures = seeded.analytics(KEY, data.AUDITOR, period)
    with seeded.session(read_only=True) as s:
        direct = analytics.compute(
            s, seeded.calendar, KEY, period, None, True, seeded.clock(), direct=True
        )
    assert figures == direct
