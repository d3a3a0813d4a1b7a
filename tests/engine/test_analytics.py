"""Analytics of one SOP across instances: every figure checked exactly, on SQLite and PostgreSQL.

The instances and their times are tests/analytics_data.py's (read its docstring first).
"""

from __future__ import annotations

from datetime import date

import pytest

from engine.analytics import Period, percentile, spread
from engine.errors import InvalidInput, NotFound, PermissionDenied
from engine.storage.tables import HumanTask, Instance
from tests import analytics_data as data
from tests.analytics_data import KEY, WIB, wib


@pytest.fixture
def played(alur, clock):
    return data.play(alur, clock)


def q2(alur):
    return alur.analytics(KEY, data.AUDITOR, alur.period("2026-Q2"))


def test_each_step_s_figures_over_a_quarter(alur, played):
    figures = q2(alur)
    assert (figures.key, figures.code, figures.versions, figures.period.label) == (
        KEY, "U", (1,), "2026-Q2"
    )  # fmt: skip
    one, two, three = figures.steps
    assert (one.step_no, one.actor, one.standard_text, one.standard_min) == (
        1, "Pelaksana", "60 menit", 60
    )  # fmt: skip
    f = one.figures
    # step 1 took 50 (A), 120, 40, 30 (B's three rounds) and 60 (C) office minutes
    assert (f.instances, f.tasks, f.completions) == (3, 5, 5)
    assert (f.work.count, f.work.median, f.work.p90) == (5, 50.0, 96.0)
    # calendar time: C's 60 office minutes are 5,280 minutes over the long weekend
    assert (f.calendar.median, f.calendar.p90) == (50.0, 3216.0)
    # waiting (created -> claimed) and handling (claimed -> done) of the three claimed tasks
    assert (f.wait.count, f.wait.median, f.wait.p90) == (3, 10.0, 18.0)
    assert (f.handle.count, f.handle.median, f.handle.p90) == (3, 40.0, 40.0)
    assert f.unclaimed == 2
    # one of five over standard (B's first round, by 60 minutes); C's, done at its due, is not
    assert (f.with_standard, f.over, f.over_share, f.over_minutes) == (5, 1, 0.2, 60)
    assert f.sendbacks == 0 and one.rounds == {}

    g = two.figures
    assert two.decision and two.standard_min == 30
    assert (g.work.median, g.work.p90, g.calendar.median, g.calendar.p90) == (20, 48, 20, 48)
    assert (g.wait.count, g.wait.median, g.handle.median, g.unclaimed) == (0, None, None, 5)
    assert (g.over, g.over_share, g.over_minutes) == (1, 0.2, 30)
    # B was sent back twice at step 2: one instance, two rounds
    assert (g.sendbacks, two.rounds, two.max_rounds) == (2, {2: 1}, 2)

    h = three.figures
    assert (three.standard_min, h.with_standard, h.over_share) == (None, 0, None)
    assert (h.work.median, h.work.p90) == (10.0, 50.0)


def test_the_json_shape_of_a_step(alur, played):
    row = q2(alur).step_dicts()[1]
    assert {k: row[k] for k in (
        "step_no", "actor", "instances", "completions", "median_work_min", "p90_work_min",
        "standard_min", "over_standard_share", "sendbacks", "max_rounds",
    )} == {
        "step_no": 2, "actor": "Pemeriksa", "instances": 3, "completions": 5,
        "median_work_min": 20.0, "p90_work_min": 48.0, "standard_min": 30,
        "over_standard_share": 0.2, "sendbacks": 2, "max_rounds": 2,
    }  # fmt: skip


def test_lead_time_against_the_sum_of_the_standards(alur, played):
    figures = q2(alur)
    assert (figures.started, figures.completed, figures.running) == (3, 3, 0)
    # lead times 130 (A), 260 (B), 125 (C) office minutes; C is 5,345 calendar minutes
    assert (figures.lead.median, figures.lead.p90) == (130.0, 234.0)
    assert (figures.lead_calendar.median, figures.lead_calendar.p90) == (260.0, 4328.0)
    assert figures.standard_total_min == 90 and figures.lead_over == 3
    assert sum(n for _, _, n in figures.lead_histogram) == 3
    assert [(i.title, i.worst_step, i.worst_over_minutes) for i in figures.late] == [
        ("B", 1, 60),
        ("C", 2, 30),
    ]
    assert figures.late_count == 2


def test_the_stamped_minutes_of_a_task_across_a_weekend_and_two_holidays(alur, played):
    with alur.session() as s:
        c1 = s.query(HumanTask).filter_by(instance_id=played["C"], step_no=1).one()
        c = s.get(Instance, played["C"])
        assert (c1.working_minutes, c1.calendar_minutes) == (60, 5280)
        assert (c1.wait_minutes, c1.handle_minutes, c1.over_minutes) == (20, 40, 0)
        assert c1.due_at == wib(2026, 6, 2, 8, 0) == c1.completed_at
        assert (c.lead_minutes, c.lead_calendar_minutes) == (125, 5345)


def test_actors_and_people(alur, played):
    figures = q2(alur)
    actors = {a.actor: a for a in figures.actors}
    assert actors["Pelaksana"].steps == (1, 3)
    assert actors["Pelaksana"].figures.completions == 8
    assert actors["Pemeriksa"].figures.sendbacks == 2
    people = {p.username: p.figures for p in figures.people}
    assert sorted(people) == ["ana", "budi", "rudi"]
    # ana: A1 50, A3 60, C1 60, C3 5 -> median of four is the mean of the middle two
    assert (people["ana"].completions, people["ana"].work.median) == (4, 55.0)
    assert people["rudi"].sendbacks == 2


def test_only_supervisors_and_auditors_see_people(alur, played):
    period = alur.period("2026-Q2")
    assert alur.analytics(KEY, data.KABID, period).people is not None
    assert alur.analytics(KEY, data.ANALYST, period).people is None
    with pytest.raises(PermissionDenied) as refused:
        alur.analytics(KEY, "ana", period)
    assert refused.value.key == "analytics_forbidden"


def test_periods_select_instances_by_their_start(alur, played):
    everything = alur.analytics(KEY, data.AUDITOR)
    assert (everything.started, everything.running) == (4, 1)
    assert everything.steps[0].figures.completions == 6
    june = alur.analytics(KEY, data.AUDITOR, alur.period("2026-06"))
    assert june.started == 2 and [i.title for i in june.late] == ["B"]
    may = alur.analytics(KEY, data.AUDITOR, alur.period(start="2026-05-29", end="2026-05-29"))
    assert may.started == 1 and may.steps[1].figures.over == 1
    july = alur.analytics(KEY, data.AUDITOR, alur.period("2026"), version=1)
    assert july.started == 4 and july.version == 1
    with pytest.raises(NotFound):
        alur.analytics(KEY, data.AUDITOR, version=2)


def test_the_monthly_trend(alur, played):
    months = {m.month: m for m in q2(alur).months}
    assert list(months) == ["2026-04", "2026-05", "2026-06"]
    assert (months["2026-04"].started, months["2026-04"].over_share) == (0, None)
    may, june = months["2026-05"], months["2026-06"]
    assert (may.started, may.completed, may.lead.median) == (1, 1, 125.0)
    assert (may.completions, may.with_standard, may.over, may.over_share) == (3, 2, 1, 0.5)
    assert (june.started, june.lead.median, june.completions, june.over) == (2, 195.0, 10, 1)
    assert june.over_share == 0.125


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("2026-02", date(2026, 2, 1), date(2026, 2, 28)),
        ("2026-Q4", date(2026, 10, 1), date(2026, 12, 31)),
        ("2024", date(2024, 1, 1), date(2024, 12, 31)),
    ],
)
def test_a_period_is_whole_office_days(text, first, last):
    period = Period.parse(WIB, text)
    assert (period.first_day, period.last_day) == (first, last)
    assert period.start == wib(first.year, first.month, first.day)
    assert period.end.astimezone(WIB).date() > last


@pytest.mark.parametrize(
    ("args", "key"),
    [
        ({"period": "2026-13"}, "period_invalid"),
        ({"period": "kemarin"}, "period_invalid"),
        ({"start": "2026-02-30"}, "period_invalid"),
        ({"start": "2026-03-02", "end": "2026-03-01"}, "period_order"),
        ({"period": "2026", "start": "2026-01-01"}, "period_invalid"),
    ],
)
def test_a_bad_period_is_refused(args, key):
    with pytest.raises(InvalidInput) as refused:
        Period.parse(WIB, **args)
    assert refused.value.key == key


def test_percentiles_interpolate_like_percentile_cont():
    assert spread({}).median is None
    assert percentile({7: 1}, 0.9) == 7.0
    # 1..10: percentile_cont(0.5) = 5.5, (0.9) = 9.1
    counts = {v: 1 for v in range(1, 11)}
    assert (spread(counts).median, spread(counts).p90) == (5.5, 9.1)
    assert spread({3: 4, 100: 1}).p90 == pytest.approx(61.2)
