"""The expression budget: what the safe evaluator accepts still cannot burn CPU or memory."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from engine.runtime import timers
from engine.runtime.budget import MAX_INT_BITS, MAX_WEIGHT, Budget, LimitExceeded, weight
from engine.runtime.expressions import (
    ExpressionError,
    ExpressionLimit,
    check_expression,
    evaluate,
    execute,
)

DATA = {"jumlah": 3, "nama": "Sekretariat", "berkas": ["a.pdf"]}


@pytest.mark.parametrize(
    ("expr", "words"),
    [
        ("((jumlah ** 100) ** 100) ** 100 > 0", "power larger than"),
        ("((9 ** 99) ** 99) ** 99 > jumlah", "power larger than"),
        ("len(str([[jumlah] * 99999] * 99999))", f"larger than {MAX_WEIGHT}"),
        ("sorted([[jumlah] * 99999] * 99999)", f"larger than {MAX_WEIGHT}"),
        ("len(str([nama * 1000] * 1000))", f"larger than {MAX_WEIGHT}"),
        ("(berkas * 60000) + (berkas * 60000)", f"larger than {MAX_WEIGHT}"),
        ("nama * 10 ** 7", "something that long"),
        ("jumlah << 10000", f"larger than {MAX_INT_BITS} bits"),
        ("round(jumlah, -10 ** 9)", "rounding to more than"),
    ],
)
def test_hostile_expressions_stop_at_a_budget(expr, words):
    with pytest.raises(ExpressionLimit) as stopped:
        evaluate(expr, dict(DATA))
    assert words in stopped.value.reason and stopped.value.expression == expr


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        ("1.05 ** 360 > 40000", True),  # float powers with a large exponent are ordinary
        ("2 ** 64 > jumlah", True),
        ("len([jumlah] * 90000)", 90000),
        ("sum([1] * 50000) == 50000", True),
        ("nama.upper().startswith('SEKRE') and 'a.pdf' in berkas", True),
    ],
)
def test_ordinary_expressions_fit_the_budget(expr, expected):
    assert evaluate(expr, dict(DATA)) == expected


def test_a_script_shares_one_budget_across_its_lines():
    ones = "[" + "1," * 2000 + "]"  # 2,001 operations
    data = dict(DATA)
    execute(f"x = {ones}\ny = {ones}", data)
    assert len(data["y"]) == 2000
    with pytest.raises(ExpressionLimit) as stopped:
        execute(f"x = {ones}\ny = {ones}\nz = {ones}", data)
    assert "more than 5000 operations" in stopped.value.reason
    assert "z" not in data  # all or nothing


def test_the_clock_stops_a_run_between_two_nodes():
    budget = Budget(seconds=0.0)
    with pytest.raises(LimitExceeded, match="ran longer than"):
        budget.step()


def test_weight_counts_deeply_and_stops_early():
    shared = [1] * 1000
    assert weight([shared, shared]) == 1 + 2 * 1001
    assert weight({"k": "x" * 10}) == 1 + (1 + 1) + (1 + 10)
    assert weight([shared] * 10**6) > MAX_WEIGHT  # without walking a million lists


@pytest.mark.parametrize(
    ("expr", "words"),
    [
        ("jumlah > len(str([[1] * 99999] * 99999))", "would be stopped"),
        ("jumlah > 2 ** 5000", "would be stopped"),
        ("jumlah / 0 > 1", None),  # reads data: checked at run time
        ("jumlah > 1 / 0", "always fails: ZeroDivisionError"),
        ("len('abc') == jumlah", None),
    ],
)
def test_constant_parts_are_tried_at_deploy(expr, words):
    reason = check_expression(expr)
    assert (reason is None) if words is None else (words in reason)


NOW = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("kind", "value", "words"),
    [
        ("duration", "PT1S", None),
        ("duration", "P10Y", None),
        ("duration", "P1Y6M", None),
        ("duration", "P11Y", "longer than ten years"),
        ("duration", "P999999999Y", "longer than ten years"),
        ("duration", "PT0S", "shorter than 1 second"),
        ("duration", "P", "not an ISO 8601 duration"),
        ("duration", "tiga hari", "not an ISO 8601 duration"),
        ("duration", 3, "needs an ISO 8601 text"),
        ("date", "2027-03-01T08:00:00+07:00", None),
        ("date", "2020-01-01", None),  # in the past: fires at once
        ("date", "2037-01-01", "more than ten years ahead"),
        ("date", "besok", "not an ISO 8601 date"),
        ("cycle", "R3/PT10M", None),
        ("cycle", "R2/2027-01-01T08:00/P1D", None),
        ("cycle", "R/P1D", "repeats without end"),
        ("cycle", "R5/PT0S", "more often than once a minute"),
        ("cycle", "R1001/P1D", "more than 1000 times"),
        ("cycle", "R5/P20Y", "less often than every ten years"),
    ],
)
def test_timer_values(kind, value, words):
    found = timers.problem(kind, value, NOW)
    assert (found is None) if words is None else (words in found)


def test_bare_values_are_literals_and_expressions_are_not():
    assert all(timers.is_literal(v) for v in ["P3D", "PT4H", "R5/P1D", "2027-01-31T09:00"])
    assert not any(timers.is_literal(v) for v in ['"P3D"', "tenggat", "P3D + x", "R5"])


def test_failures_are_still_expression_errors():
    with pytest.raises(ExpressionError):
        evaluate("jumlah ** 100000", dict(DATA))
