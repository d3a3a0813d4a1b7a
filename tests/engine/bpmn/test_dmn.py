"""Reading DMN files as Camunda Modeler 5 saves them: tables, and every problem with its line."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.bpmn import dmn
from engine.bpmn.dmn import DecisionTable, LiteralDecision, read_dmn
from engine.bpmn.validate import Problem

DATA = Path(__file__).resolve().parents[2] / "data" / "dmn"


def _read(name: str):
    return read_dmn(DATA / name, name)


def _problems(name: str) -> list[tuple]:
    return [(p.line, p.element, p.message) for p in _read(name).problems]


def test_the_office_table_is_read_whole():
    got = _read("penandatangan.dmn")
    assert got.problems == ()
    table = got.decision("penandatangan")
    assert isinstance(table, DecisionTable)
    assert (table.id, table.name, table.hit_policy, table.aggregation) == (
        "penandatangan",
        "Penandatangan surat",
        "UNIQUE",
        None,
    )
    assert [(i.label, i.expression, i.type_ref, i.line) for i in table.inputs] == [
        ("Jenis dokumen", "jenis_dokumen", "string", 5),
        ("Jumlah (Rp)", "jumlah", "number", 10),
    ]
    assert [(o.name, o.label, o.type_ref, o.allowed) for o in table.outputs] == [
        ("penandatangan", "Penandatangan", "string", ()),
        ("paraf", "Paraf koordinasi", "string", ()),
    ]
    assert len(table.rules) == 6
    first, spj = table.rules[0], table.rules[2]
    assert (first.id, first.number, first.line) == ("DecisionRule_1bq5k2x", 1, 17)
    assert first.annotation == "Surat biasa ditandatangani Sekretaris"
    assert first.inputs == ('"Surat"', "-") and first.outputs == ('"Sekretaris"', "null")
    assert spj.inputs == ('"SPJ"', "[50000000..500000000]")
    assert str(spj) == "rule 3 (DecisionRule_1x7c0ap, line 47)"


def test_hit_policies_aggregation_and_output_values():
    policies = {
        name: (_read(f"{name}.dmn").decisions[0].hit_policy, _read(f"{name}.dmn").problems)
        for name in ("first", "priority", "any", "collect", "rule_order", "output_order")
    }
    assert {k: v[0] for k, v in policies.items()} == {
        "first": "FIRST",
        "priority": "PRIORITY",
        "any": "ANY",
        "collect": "COLLECT",
        "rule_order": "RULE ORDER",
        "output_order": "OUTPUT ORDER",
    }
    assert all(problems == () for _, problems in policies.values())
    priority = _read("priority.dmn").decisions[0]
    assert priority.outputs[0].allowed == ("tinggi", "sedang", "rendah")
    assert _read("collect_sum.dmn").decisions[0].aggregation == "SUM"


def test_a_literal_expression_decision_is_read():
    decision = _read("literal.dmn").decision("tenggat_hari")
    assert isinstance(decision, LiteralDecision)
    assert (decision.variable, decision.type_ref) == ("tenggat_hari", "number")
    assert decision.expression == 'if jenis_dokumen = "SPJ" then 5 else 14'


def test_every_problem_is_reported_with_its_line_and_element():
    got = _read("refused.dmn")
    assert [d.id for d in got.decisions] == ["baik"]  # the sound decision is still usable
    assert all(isinstance(p, Problem) and p.file == "refused.dmn" for p in got.problems)
    assert _problems("refused.dmn") == [
        (4, "agregasi_salah", "aggregation SUM needs the COLLECT hit policy, not FIRST"),
        (
            22,
            "kebijakan_salah",
            "unknown hit policy 'SOMETIMES'; use one of UNIQUE, FIRST, PRIORITY, ANY, COLLECT, "
            "RULE ORDER, OUTPUT ORDER",
        ),
        (
            47,
            "InputExpression_fe9f7df",
            "input expression of 'Daftar': FEEL 'daftar[1]': list filters and indexes; "
            "use list contains(list, x) or count(list)",
        ),
        (
            53,
            "UnaryTests_c02c531",
            "rule 1, input 'Nilai': FEEL 'for i in daftar return i': FEEL 'for' expressions; "
            "use a condition on the whole value, e.g. count(list) > 0",
        ),
        (
            63,
            "DecisionRule_0ff6002",
            "rule 2 has 1 input and 1 output entries; the table has 2 inputs and 1 outputs",
        ),
        (
            79,
            "LiteralExpression_b30155f",
            "rule 3, output 'hasil': FEEL 'every x in daftar satisfies x': FEEL 'every' "
            "expressions; write the checks out with and",
        ),
        (
            90,
            "LiteralExpression_5811ebb",
            "rule 4, output 'hasil': '10 ** 10000' would be stopped: a power larger than 4096 "
            "bits (the limit of one expression)",
        ),
        (
            101,
            "LiteralExpression_f355545",
            "rule 5, output 'hasil': FEEL '__import__(\"os\")': the function __import__(); "
            "see the supported functions",
        ),
    ]
    assert str(got.problems[0]) == (
        "refused.dmn:4: [agregasi_salah] aggregation SUM needs the COLLECT hit policy, not FIRST"
    )


def test_decision_requirement_graphs_are_refused_clearly():
    got = _read("drg.dmn")
    assert [d.id for d in got.decisions] == ["ukuran"]
    assert _problems("drg.dmn") == [
        (
            50,
            "petugas",
            "decision requirement graphs are not supported (this decision depends on ukuran): "
            "only one decision table per decision",
        )
    ]


def _table_xml(table: str, namespace: str = "https://www.omg.org/spec/DMN/20191111/MODEL/") -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<definitions xmlns="{namespace}" id="d" '
        f'name="DRD" namespace="http://camunda.org/schema/1.0/dmn">\n'
        f'  <decision id="k" name="K">\n{table}\n  </decision>\n</definitions>\n'
    )


_SMALL = """    <decisionTable id="t"{attrs}>
      <input id="i" label="Nilai"><inputExpression id="ie" typeRef="number">
        <text>nilai</text></inputExpression></input>
      <output id="o" name="hasil" typeRef="string"{values}
      <rule id="r1"><inputEntry id="a"><text>&lt; 10</text></inputEntry>
        <outputEntry id="b"><text>"kecil"</text></outputEntry></rule>
    </decisionTable>"""


def _small(attrs: str = "", values: str = " />") -> str:
    return _table_xml(_SMALL.format(attrs=attrs, values=values))


@pytest.mark.parametrize(
    "namespace",
    [
        "http://www.omg.org/spec/DMN/20151101/dmn.xsd",
        "http://www.omg.org/spec/DMN/20180521/MODEL/",
        "https://www.omg.org/spec/DMN/20191111/MODEL/",
    ],
)
def test_dmn_1_1_to_1_3_are_read(namespace):
    got = read_dmn(_table_xml(_SMALL.format(attrs="", values=" />"), namespace))
    assert got.problems == () and got.decision("k").rules[0].inputs == ("< 10",)


def test_an_unknown_namespace_or_bad_xml_is_one_problem():
    got = read_dmn(_small().replace("20191111", "20991111"), "x.dmn")
    assert got.decisions == () and len(got.problems) == 1
    assert got.problems[0].message.startswith("not a DMN 1.1-1.3 file")
    entity = '<?xml version="1.0"?>\n<!DOCTYPE d [<!ENTITY e "x">]>\n<definitions/>'
    (problem,) = read_dmn(entity, "e.dmn").problems
    assert (problem.line, "DOCTYPE/ENTITY" in problem.message) == (2, True)


def test_more_problems_of_a_table():
    got = read_dmn(_small(' aggregation="AVG" hitPolicy="COLLECT"'), "a.dmn")
    assert [p.message for p in got.problems] == [
        "unknown aggregation 'AVG'; use one of SUM, MIN, MAX, COUNT"
    ]
    got = read_dmn(_small(' hitPolicy="PRIORITY"'), "p.dmn")
    assert [p.message for p in got.problems] == [
        "hit policy PRIORITY orders by the outputs' allowed values; give at least one output "
        "a list of output values"
    ]
    values = '><outputValues id="v"><text>"a", upper case(x)</text></outputValues></output>'
    got = read_dmn(_small(' hitPolicy="PRIORITY"', values), "v.dmn")
    assert got.problems[0].message == (
        "output values '\"a\", upper case(x)': list only literal values, e.g. "
        '"tinggi","sedang","rendah"'
    )
    juel = _small().replace('<outputEntry id="b">', '<outputEntry id="b" expressionLanguage="js">')
    assert read_dmn(juel).problems[0].message == (
        "rule 1, output 'hasil': expression language 'js' is not supported; write FEEL "
        "(the Modeler's default) or JUEL"
    )


def test_juel_cells_are_kept_as_juel():
    text = _small().replace('<inputEntry id="a"><text>&lt; 10', '<inputEntry id="a" '
                            'expressionLanguage="juel"><text>cellInput &lt; 10')  # fmt: skip
    got = read_dmn(text)
    assert got.problems == () and got.decisions[0].rules[0].inputs == ("${cellInput < 10}",)


def test_literal_expressions_and_several_tables_in_one_decision():
    two = _small().replace(
        "</decisionTable>", "</decisionTable>\n" + _SMALL.format(attrs="", values=" />")
    )
    assert read_dmn(two).problems[0].message == (
        "only one decision table per decision (or one literal expression); "
        "found 2 tables and 0 literal expressions"
    )


def test_sizes_are_bounded(monkeypatch, tmp_path):
    monkeypatch.setattr(dmn, "MAX_RULES", 0)
    assert read_dmn(_small()).problems[0].message == "1 rules; a table may have at most 0"
    monkeypatch.setattr(dmn, "MAX_RULES", 10)
    monkeypatch.setattr(dmn, "MAX_CELLS", 1)
    assert read_dmn(_small()).problems[0].message == (
        "2 cells; a table may have at most 1 (rules x columns); split it into several decisions"
    )
    monkeypatch.setattr(dmn, "MAX_COLUMNS", 0)
    assert "more than 0 input or output columns (1 inputs, 1 outputs)" in [
        p.message for p in read_dmn(_small()).problems
    ]
    monkeypatch.setattr(dmn, "MAX_BYTES", 100)
    big = tmp_path / "big.dmn"
    big.write_text(_small())
    assert [p.message for p in read_dmn(big).problems] == ["the file is larger than 100 bytes"]
    assert [p.message for p in read_dmn(_small()).problems] == ["the file is larger than 100 bytes"]


def test_types_literal_variables_and_empty_decisions():
    money = _small().replace('typeRef="number"', 'typeRef="money"')
    assert [p.message for p in read_dmn(money).problems] == [
        "unknown typeRef 'money'; use one of any, boolean, date, double, integer, long, number, "
        "string"
    ]
    literal = _table_xml(
        '    <literalExpression id="le"><text>if a then 1 else 2</text></literalExpression>'
    )
    assert [p.message for p in read_dmn(literal).problems] == [
        "a literal expression decision needs a variable name (its result)"
    ]
    empty = _table_xml("")
    assert [(p.element, p.message) for p in read_dmn(empty).problems] == [
        (
            "k",
            "only one decision table per decision (or one literal expression); "
            "found 0 tables and 0 literal expressions",
        )
    ]
    service = _small().replace(
        "</definitions>", '<businessKnowledgeModel id="bkm" name="B" />\n</definitions>'
    )
    assert [(p.element, p.message) for p in read_dmn(service).problems] == [
        (
            "bkm",
            "businessKnowledgeModel is not supported: only decision tables and literal "
            "expressions, one per decision",
        )
    ]


def test_a_decision_id_used_twice_and_an_unreadable_file():
    twice = _small().replace("</definitions>", '<decision id="k" name="K2" />\n</definitions>')
    assert [p.message for p in read_dmn(twice).problems][0] == "the decision id 'k' is used twice"
    (problem,) = read_dmn(str(DATA / "missing.dmn")).problems
    assert problem.file.endswith("missing.dmn") and problem.message.startswith("cannot read file")


def test_business_rule_tasks_are_checked_against_the_deployed_decisions():
    from engine.bpmn.xmlsafe import parse_xml

    decisions = {
        d.id: d for name in ("penandatangan.dmn", "literal.dmn") for d in _read(name).decisions
    }
    root = parse_xml(DATA / "business_rule_tasks.bpmn", "spj.bpmn").getroot()
    got = dmn.check_business_rule_tasks(root, decisions, "spj.bpmn")
    assert [(p.line, p.element, p.message) for p in got] == [
        (5, "satu_nilai", "decision 'penandatangan': singleEntry needs a decision with one "
         "output, not 2 (penandatangan, paraf)"),
        (6, "tak_ada", "decision 'penanda_tangan' is not deployed (decisions deployed: "
         "penandatangan, tenggat_hari)"),
        (7, "tanpa_variabel", "camunda:resultVariable is needed: the name the decision's result "
         "is stored as"),
        (8, "dinamis", "decisionRef '${pilihan}' is an expression; name the decision's id"),
        (9, "versi", "decisionRefBinding 'version' is not supported; decisions are deployed with "
         "the process (use latest or deployment)"),
        (10, "kosong", "a business rule task needs camunda:decisionRef (the decision to "
         "evaluate)"),
    ]  # fmt: skip
