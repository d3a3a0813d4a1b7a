"""Conditions as Camunda Modeler writes them: JUEL (Camunda 7) and FEEL (Camunda 8, DMN cells)."""

from __future__ import annotations

import ast
from datetime import date

import pytest

from engine.runtime.dialects.feel import unary_tests
from engine.runtime.expressions import (
    ExpressionLimit,
    UnsafeExpressionError,
    _run,
    check_expression,
    evaluate,
)

DATA = {
    "approved": True,
    "amount": 1500,
    "clarified": "yes",
    "nama": "Bappeda Ketapang",
    "tanggal": "2026-05-01",
    "opd": ["Dinas Pendidikan", "Dinas Kesehatan"],
    "form": {"jenis": "Renja"},
    "kosong": "",
    "tidak_ada": None,
}


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        ("${approved}", True),
        ("${!approved}", False),
        ("${amount > 1000}", True),
        ("#{amount <= 1000}", False),
        ("${clarified == 'yes'}", True),
        ('${clarified != "no"}', True),
        ("${amount gt 1000 and not empty nama}", True),
        ("${empty kosong || empty tidak_ada}", True),
        ("${amount ge 1500 && amount lt 2000}", True),
        ("${form.jenis eq 'Renja'}", True),
        ("${form['jenis'] == 'Renja'}", True),
        ("${tidak_ada == null}", True),
        ("${amount div 2 == 750 and amount mod 7 == 2}", True),
        ("${amount > 100 ? 'besar' : 'kecil'}", "besar"),
        ("${nama.contains('Ketapang')}", True),
        ("${nama.startsWith('Bap') and nama.toUpperCase().endsWith('PANG')}", True),
        ("${opd.size() == 2 and nama.length() > 3}", True),
        ("${clarified.equals('yes')}", True),
    ],
)
def test_juel(expr, expected):
    assert check_expression(expr) is None
    assert evaluate(expr, dict(DATA)) == expected


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        ("=amount > 1000", True),
        ("= approved and amount between 1000 and 2000", True),
        ("=not(approved) or amount = 1500", True),
        ("=amount != 1500", False),
        ('=clarified = "yes"', True),
        ("=tidak_ada = null", True),
        ("=tidak_ada != null", False),
        ('=form.jenis = "Renja"', True),
        ("=form.lain = null", True),  # a path into nothing is null
        ("=amount in [1000..2000]", True),
        ("=amount in (1500..2000]", False),
        ("=amount in ]1000..1500]", True),
        ('=form.jenis in ("Renja", "RKPD")', True),
        ("=amount in [1000, 1500]", True),
        ("=amount in < 2000", True),
        ('=list contains(opd, "Dinas Kesehatan")', True),
        ("=count(opd) >= 2", True),
        ("=sum([1, 2, 3]) = 6 and max(1, 5, 3) = 5", True),
        ('=contains(nama, "Ketapang")', True),
        ('=starts with(nama, "Bappeda") and ends with(nama, "pang")', True),
        ('=upper case(clarified) = "YES" and lower case("A") = "a"', True),
        ("=string length(nama) = 16", True),
        ('=date(tanggal) < date("2026-06-01")', True),
        ('=date(tanggal) = @"2026-05-01"', True),
        ('=date and time("2026-05-01T08:00:00+07:00") < now()', True),
        ("=date(tanggal) < today()", True),
        ('=if amount > 1000 then "besar" else "kecil"', "besar"),
        ("=(amount - 500) * 2 / 4 = 500", True),
        ("=2 ** 10", 1024),
    ],
)
def test_feel(expr, expected):
    assert check_expression(expr) is None
    assert evaluate(expr, dict(DATA)) == expected


@pytest.mark.parametrize(
    ("expr", "words"),
    [
        ("${execution.getVariable('x')}", "Camunda's execution object; name the process variable"),
        ("${a} and ${b}", "several ${...} in one condition"),
        ("${nama.substring(1)}", "the method .substring() with 1 argument(s); supported: contains"),
        ("${fn:length(nama)}", "functions such as fn:... are not supported"),
        ("${amount >}", "JUEL: unexpected 'end'"),
        ("${}", "empty ${}"),
        ("=for x in opd return x", "FEEL 'for' expressions; use a condition on the whole value"),
        ("=some x in opd satisfies x = 1", "use list contains(list, x)"),
        ("=opd[1] = 1", "list filters and indexes; use list contains(list, x)"),
        ("={a: 1}.a = 1", "unexpected '{'"),
        ("=substring(nama, 1)", "the function substring(); see the supported functions"),
        ("=amount >", "FEEL: unexpected 'end'"),
        ("=__class__ = 1", "names starting with '_' are not allowed"),
    ],
)
def test_outside_the_subset_is_refused_with_the_construct_and_an_alternative(expr, words):
    reason = check_expression(expr)
    assert reason is not None and words in reason
    with pytest.raises(UnsafeExpressionError):
        evaluate(expr, dict(DATA))


def test_translated_conditions_run_under_the_same_budget():
    assert "would be stopped" in check_expression("=amount > 2 ** 5000")
    with pytest.raises(ExpressionLimit):
        evaluate("=amount ** 2000 > 1", DATA)  # reads data: passes deploy, stopped when run


SUBJECT = ast.Name(id="nilai", ctx=ast.Load())


@pytest.mark.parametrize(
    ("cell", "matches", "misses"),
    [
        ("-", [1, "x", None], []),
        ("", [1], []),
        ("< 10", [9, -3], [10, 11]),
        (">= 5, < 0", [5, -1], [0, 4]),
        ("[1..5]", [1, 5], [0, 6]),
        ("]1..5[", [2, 4], [1, 5]),
        ("(1..5]", [5], [1]),
        ('"Renja", "RKPD"', ["Renja", "RKPD"], ["Renstra"]),
        ('not("Renja")', ["RKPD"], ["Renja"]),
        ("10", [10], [9]),
        ("null", [None], [0]),
        ("? > 3", [4], [3]),
        ('[date("2026-01-01")..date("2026-12-31")]', [date(2026, 5, 1)], [date(2027, 1, 1)]),
    ],
)
def test_dmn_input_entries_are_unary_tests(cell, matches, misses):
    tree = unary_tests(cell, SUBJECT)
    for value in matches:
        assert _run(cell, tree.body, {"nilai": value}) is True, value
    for value in misses:
        assert not _run(cell, tree.body, {"nilai": value}), value
