"""DMN decisions evaluated safely: every hit policy, every result shape, errors and the budget."""

from __future__ import annotations

import ast
import dataclasses
import functools
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from engine.bpmn.dmn import Rule, check_shape, read_dmn
from engine.runtime import decisions
from engine.runtime.budget import Budget
from engine.runtime.decisions import DecisionError, decide
from engine.runtime.expressions import ExpressionError, ExpressionLimit

DATA = Path(__file__).resolve().parents[2] / "data" / "dmn"


def _table(name: str, **changes):
    got = read_dmn(DATA / name, name)
    assert got.problems == ()
    return dataclasses.replace(got.decisions[0], **changes)


@pytest.mark.parametrize(
    ("data", "signer", "rule"),
    [
        ({"jenis_dokumen": "Surat", "jumlah": 0}, {"penandatangan": "Sekretaris", "paraf": None},
         "DecisionRule_1bq5k2x"),
        ({"jenis_dokumen": "SPJ", "jumlah": 49_999_999},
         {"penandatangan": "Kepala Bidang", "paraf": "Bendahara"}, "DecisionRule_0m3w9tz"),
        ({"jenis_dokumen": "SPJ", "jumlah": 500_000_000},
         {"penandatangan": "Sekretaris", "paraf": "Kepala Bidang"}, "DecisionRule_1x7c0ap"),
        ({"jenis_dokumen": "SPJ", "jumlah": 500_000_001},
         {"penandatangan": "Kepala Dinas", "paraf": "Sekretaris"}, "DecisionRule_0f2nq8e"),
        ({"jenis_dokumen": "RKPD", "jumlah": None},
         {"penandatangan": "Kepala Dinas", "paraf": "Kepala Bidang Perencanaan"},
         "DecisionRule_1d6yv4r"),
        ({"jenis_dokumen": "Nota Dinas", "jumlah": 5, "atasan": "Kasubag Umum"},
         {"penandatangan": "Kasubag Umum", "paraf": None}, "DecisionRule_0k9hs1u"),
    ],
)  # fmt: skip
def test_who_signs_by_document_type_and_amount(data, signer, rule):
    decided = decide(_table("penandatangan.dmn"), data, "singleResult")
    assert (decided.value, decided.rules, decided.matched) == (signer, (rule,), (rule,))
    assert decide(_table("penandatangan.dmn"), data).value == [signer]


def test_no_match_is_none_or_an_empty_list():
    table, data = _table("penandatangan.dmn"), {"jenis_dokumen": "Undangan", "jumlah": 1}
    assert decide(table, data).value == []
    assert decide(table, data, "singleResult").value is None
    assert decide(table, data, "singleResult").matched == ()
    collect = _table("collect.dmn")
    assert decide(collect, {"nilai": 5}, "collectEntries").value == ["kecil", "lain"]
    assert decide(_table("any.dmn"), {"ktp": None, "kk": None}, "singleEntry").value is None


def test_a_null_input_matches_only_tests_about_null():
    # `< 50000000` on a missing amount does not match (FEEL: null), it does not fail
    table = _table("penandatangan.dmn")
    assert decide(table, {"jenis_dokumen": "SPJ", "jumlah": None}).value == []


def test_unique_with_two_matches_names_the_rules():
    rules = _table("penandatangan.dmn").rules
    overlapping = dataclasses.replace(rules[1], inputs=('"SPJ"', "-"))
    table = _table("penandatangan.dmn", rules=(rules[0], overlapping, *rules[2:]))
    with pytest.raises(DecisionError) as err:
        decide(table, {"jenis_dokumen": "SPJ", "jumlah": 60_000_000})
    assert err.value.reason == (
        "decision 'Penandatangan surat' (penandatangan): hit policy UNIQUE but 2 rules match: "
        "rule 2 (DecisionRule_0m3w9tz, line 32), rule 3 (DecisionRule_1x7c0ap, line 47)"
    )


@pytest.mark.parametrize(
    ("policy", "nilai", "expected", "rules"),
    [
        ("first", 5, ["kecil"], ["DecisionRule_0aa1001"]),
        ("first", 150, ["besar"], ["DecisionRule_0aa1003"]),
        ("rule_order", 50, ["sedang", "lain"], ["DecisionRule_0aa1002", "DecisionRule_0aa1004"]),
        ("collect", 150, ["besar", "lain"], ["DecisionRule_0aa1003", "DecisionRule_0aa1004"]),
    ],
)
def test_first_rule_order_and_collect(policy, nilai, expected, rules):
    decided = decide(_table(f"{policy}.dmn"), {"nilai": nilai}, "collectEntries")
    assert decided.value == expected and list(decided.rules) == rules
    if policy == "first":  # FIRST stops at the first match: the catch-all is not evaluated
        assert decided.matched == decided.rules


def test_priority_picks_by_the_order_of_the_allowed_values():
    decided = decide(_table("priority.dmn"), {"nilai": 150}, "singleResult")
    assert decided.value == {"prioritas": "tinggi", "pejabat": "kepala"}
    assert decided.rules == ("DecisionRule_0bb2002",)
    assert decided.matched == (
        "DecisionRule_0bb2001",
        "DecisionRule_0bb2002",
        "DecisionRule_0bb2003",
    )
    # two rules give the top priority: the first of them in rule order wins
    assert decide(_table("priority.dmn"), {"nilai": 5000}, "singleResult").value == {
        "prioritas": "tinggi",
        "pejabat": "kepala",
    }
    assert decide(_table("priority.dmn"), {"nilai": 50}).value == [
        {"prioritas": "sedang", "pejabat": "kabid"}
    ]


def test_output_order_sorts_every_match_by_priority():
    decided = decide(_table("output_order.dmn"), {"nilai": 5000})
    assert decided.value == [
        {"prioritas": "tinggi", "pejabat": "kepala"},
        {"prioritas": "tinggi", "pejabat": "sekda"},
        {"prioritas": "sedang", "pejabat": "kabid"},
        {"prioritas": "rendah", "pejabat": "staf"},
    ]
    assert decided.rules == (
        "DecisionRule_0bb2002",
        "DecisionRule_0bb2004",
        "DecisionRule_0bb2003",
        "DecisionRule_0bb2001",
    )


def test_a_priority_value_outside_the_allowed_values_is_an_error():
    table = _table("priority.dmn")
    odd = dataclasses.replace(table.rules[0], outputs=('"darurat"', '"staf"'))
    expected = (
        "rule 1 .* gives 'darurat' for output 'prioritas', "
        r"which is not among its output values \('tinggi', 'sedang', 'rendah'\)"
    )
    with pytest.raises(DecisionError, match=expected):
        decide(dataclasses.replace(table, rules=(odd, *table.rules[1:])), {"nilai": 1})


def test_any_needs_the_matches_to_agree():
    table = _table("any.dmn")
    decided = decide(table, {"ktp": False, "kk": False}, "singleEntry")
    assert (decided.value, decided.matched) == (
        False,
        ("DecisionRule_0cc3001", "DecisionRule_0cc3002"),
    )
    assert decide(table, {"ktp": True, "kk": True, "kk_cukup": True}, "singleEntry").value is True
    with pytest.raises(DecisionError) as err:
        decide(table, {"ktp": True, "kk": True, "kk_cukup": False})
    assert err.value.reason == (
        "decision 'Berkas lengkap' (lengkap): hit policy ANY but the matching rules give "
        "different outputs: rule 3 (DecisionRule_0cc3003, line 40), "
        "rule 4 (DecisionRule_0cc3004, line 52)"
    )


@pytest.mark.parametrize(
    ("aggregation", "data", "expected"),
    [
        ("SUM", {"layanan": "legalisir kilat", "halaman": 3}, 33_000),
        ("SUM", {"layanan": "legalisir", "halaman": 0}, 5_000),
        ("MIN", {"layanan": "legalisir kilat", "halaman": 3}, 3_000),
        ("MAX", {"layanan": "legalisir kilat", "halaman": 3}, 25_000),
        ("COUNT", {"layanan": "legalisir kilat", "halaman": 3}, 3),
        ("COUNT", {"layanan": "arsip", "halaman": 0}, 0),  # a null output is not counted
        ("SUM", {"layanan": "arsip", "halaman": 0}, None),
        ("SUM", {"layanan": "salinan", "halaman": 0}, None),  # no rule matches
        ("COUNT", {"layanan": "salinan", "halaman": 0}, None),
    ],
)
def test_collect_aggregations(aggregation, data, expected):
    table = _table("collect_sum.dmn", aggregation=aggregation)
    assert decide(table, data, "singleEntry").value == expected


def test_aggregation_result_shapes_and_a_sum_of_text():
    table = _table("collect_sum.dmn")
    decided = decide(table, {"layanan": "legalisir kilat", "halaman": 3})
    assert decided.value == [{"biaya": 33_000}]
    assert decided.rules == ("DecisionRule_0dd4001", "DecisionRule_0dd4002", "DecisionRule_0dd4003")
    assert decide(table, {"layanan": "salinan", "halaman": 0}).value == []
    text = dataclasses.replace(table.rules[0], outputs=('"lima ribu"',))
    untyped = (dataclasses.replace(table.outputs[0], type_ref=""),)
    with pytest.raises(DecisionError, match="aggregation SUM needs numbers"):
        decide(
            dataclasses.replace(table, rules=(text,), outputs=untyped),
            {"layanan": "legalisir", "halaman": 0},
        )


def test_result_shapes_that_do_not_fit_are_errors():
    table = _table("penandatangan.dmn")
    assert check_shape(table, "singleEntry") == (
        "singleEntry needs a decision with one output, not 2 (penandatangan, paraf)"
    )
    assert check_shape(table, "resultList") is None
    assert check_shape(table, "firstResult").startswith("unknown result shape 'firstResult'")
    with pytest.raises(DecisionError, match="collectEntries needs a decision with one output"):
        decide(table, {"jenis_dokumen": "Surat", "jumlah": 1}, "collectEntries")
    with pytest.raises(DecisionError) as err:
        decide(_table("collect.dmn"), {"nilai": 5}, "singleEntry")
    assert err.value.reason == (
        "decision 'Ukuran' (ukuran): singleEntry needs at most one result, but 2 rules give one "
        "(DecisionRule_0aa1001, DecisionRule_0aa1004); use resultList or collectEntries"
    )
    with pytest.raises(DecisionError, match="singleResult needs at most one result"):
        decide(_table("collect.dmn"), {"nilai": 5}, "singleResult")


def test_a_literal_expression_decision():
    decision = read_dmn(DATA / "literal.dmn").decisions[0]
    assert decide(decision, {"jenis_dokumen": "SPJ"}, "singleEntry").value == 5
    assert decide(decision, {"jenis_dokumen": "Surat"}).value == [{"tenggat_hari": 14}]


def test_a_failing_cell_names_the_decision_rule_and_column():
    with pytest.raises(ExpressionError) as err:
        decide(_table("penandatangan.dmn"), {"jenis_dokumen": "Nota Dinas", "jumlah": 1})
    assert err.value.reason == (
        "decision 'Penandatangan surat' (penandatangan), rule 6 (DecisionRule_0k9hs1u, line 92), "
        "output 'penandatangan': name 'atasan' is not defined"
    )
    table = _table("penandatangan.dmn")
    untyped = (table.inputs[0], dataclasses.replace(table.inputs[1], type_ref=""))
    with pytest.raises(ExpressionError) as err:
        decide(dataclasses.replace(table, inputs=untyped), {"jenis_dokumen": "SPJ", "jumlah": "x"})
    assert err.value.reason == (
        "decision 'Penandatangan surat' (penandatangan), rule 2 (DecisionRule_0m3w9tz, line 32), "
        "input 'Jumlah (Rp)': TypeError: '<' not supported between instances of 'str' and 'int'"
    )


def test_values_are_converted_as_their_type_ref_says():
    table = _table("penandatangan.dmn")
    # a form gives text: "750000000" for a number column is the number, as Camunda converts it
    decided = decide(table, {"jenis_dokumen": "SPJ", "jumlah": " 750000000 "}, "singleResult")
    assert decided.value == {"penandatangan": "Kepala Dinas", "paraf": "Sekretaris"}
    with pytest.raises(DecisionError) as err:
        decide(table, {"jenis_dokumen": "SPJ", "jumlah": "banyak"})
    assert err.value.reason == (
        "decision 'Penandatangan surat' (penandatangan): input 'Jumlah (Rp)' is typed number "
        "but its value 'banyak' is not a number"
    )
    lengkap = _table("any.dmn")
    assert decide(lengkap, {"ktp": "true", "kk": "TRUE", "kk_cukup": True}, "singleEntry").value
    with pytest.raises(DecisionError, match="is typed boolean but its value 'ya' is not"):
        decide(lengkap, {"ktp": "ya", "kk": True})
    literal = read_dmn(DATA / "literal.dmn").decisions[0]
    assert decide(literal, {"jenis_dokumen": "SPJ"}, "singleEntry").value == 5
    due = dataclasses.replace(literal, expression="tanggal", type_ref="date")
    assert decide(due, {"tanggal": "2027-01-31"}, "singleEntry").value == date(2027, 1, 31)
    at = decide(due, {"tanggal": "2027-01-31T09:00"}, "singleEntry").value
    assert at == datetime(2027, 1, 31, 9, tzinfo=UTC)
    integer = dataclasses.replace(literal, expression="jumlah / 2", type_ref="integer")
    assert decide(integer, {"jumlah": 10}, "singleEntry").value == 5
    with pytest.raises(DecisionError, match="literal expression 'tenggat_hari' is typed integer"):
        decide(integer, {"jumlah": 5}, "singleEntry")


def test_input_expressions_are_evaluated_once_each(monkeypatch):
    seen, real = [], decisions.Evaluation.value

    def counting(self, expr):
        seen.append(expr.text)
        return real(self, expr)

    monkeypatch.setattr(decisions.Evaluation, "value", counting)
    decide(_table("collect.dmn"), {"nilai": 150})
    # the input once, each test ("-" needs none), then the outputs of the two matches
    assert seen == ["nilai", "< 10", "[10..100]", "> 100", '"besar"', '"lain"']


def test_juel_cells_are_evaluated():
    table = _table("first.dmn")
    juel = dataclasses.replace(
        table.rules[0], inputs=("${cellInput < 10}",), outputs=("${'kecil'}",)
    )
    assert (
        decide(dataclasses.replace(table, rules=(juel,)), {"nilai": 3}, "singleEntry").value
        == "kecil"
    )


def test_a_hostile_output_entry_is_stopped():
    hostile = read_dmn(DATA / "hostile.dmn").decisions[0]
    with pytest.raises(ExpressionLimit) as err:
        decide(hostile, {"nilai": 10**6, "teks": "abc"})
    assert err.value.reason.startswith(
        "decision 'Keluaran boros' (boros), rule 1 (DecisionRule_0ii9001, line 11), "
        "output 'hasil': stopped"
    )


@pytest.fixture
def patient_clock(monkeypatch):
    """Operations are counted, not timed: a loaded machine must not stop these first."""
    monkeypatch.setattr(decisions, "Budget", functools.partial(Budget, seconds=60))


def test_one_budget_is_shared_by_every_cell_of_a_decision(patient_clock):
    # each output alone is far inside one expression's budget; 400 of them are not
    table = _table("collect.dmn")
    cell = "sum([" + ", ".join(["count(daftar)"] * 150) + "])"
    rules = tuple(Rule(f"DecisionRule_{n}", n, ("-",), (cell,), "", None) for n in range(1, 401))
    with pytest.raises(ExpressionLimit) as err:
        decide(dataclasses.replace(table, rules=rules), {"nilai": 1, "daftar": [1]})
    assert "(the limit of one decision)" in err.value.reason
    assert "more than 100000 operations" in err.value.reason
    assert decide(dataclasses.replace(table, rules=rules[:50]), {"nilai": 1, "daftar": [1]}).value[
        0
    ] == {"ukuran": "150"}  # typed string


def test_only_checked_trees_are_evaluated():
    from engine.runtime.dialects import feel
    from engine.runtime.expressions import Evaluation, UnsafeExpressionError, checked

    with pytest.raises(UnsafeExpressionError, match="calls __import__"):
        checked(
            "x", feel.translate("x").__class__(body=ast.parse("__import__('os')").body[0].value)
        )
    names = {"a": 1}
    evaluation = Evaluation(names, Budget(), "one decision")
    with pytest.raises(UnsafeExpressionError, match="not a checked expression"):
        evaluation.value(feel.translate("1 + 1"))  # type: ignore[arg-type]
    assert evaluation.value(checked("a + 1", feel.translate("a + 1"))) == 2
    names["a"] = 5  # the names may change between trees
    assert evaluation.value(checked("a + 1", feel.translate("a + 1"))) == 6


def test_the_largest_table_a_file_may_hold_runs_within_one_budget(patient_clock):
    from engine.bpmn import dmn

    table = _table("collect.dmn")
    width = dmn.MAX_CELLS // dmn.MAX_RULES - 1  # inputs, beside the one output
    inputs = tuple(dataclasses.replace(table.inputs[0], id=f"i{k}") for k in range(width))
    rules = tuple(
        Rule(f"r{n}", n, (f"[{n}..{n + 10_000}]",) * width, ('"x"',), "", n)
        for n in range(1, dmn.MAX_RULES + 1)
    )
    big = dataclasses.replace(table, inputs=inputs, rules=rules)
    assert len(decide(big, {"nilai": 10_000}).value) == dmn.MAX_RULES  # every range test runs
