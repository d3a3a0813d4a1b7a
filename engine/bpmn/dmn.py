"""DMN decision tables as Camunda Modeler 5 saves them, read safely and checked whole.

`read_dmn` parses a .dmn file (DMN 1.1 to 1.3) with the safe XML loader into frozen dataclasses
and reports every problem it finds (file, line, element id, message) instead of stopping at the
first: an unknown hit policy, an aggregation without COLLECT, a rule with the wrong number of
cells, cells outside the supported FEEL (the construct and what to write instead), decision
requirement graphs, and tables too large to run under one decision's budget. Only decisions
without problems are returned; `engine.runtime.decisions.decide` evaluates them.
`check_business_rule_tasks` checks a BPMN file's businessRuleTasks against the decisions deployed
with it (decisionRef, resultVariable, and a mapDecisionResult that fits the decision).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from engine.bpmn import names as n
from engine.bpmn.validate import Problem
from engine.bpmn.xmlsafe import XmlError, parse_xml
from engine.runtime.dialects import feel, juel
from engine.runtime.dialects.lexer import DialectError
from engine.runtime.expressions import MAX_LENGTH, check_tree

NAMESPACES = {
    "http://www.omg.org/spec/DMN/20151101/dmn.xsd": "1.1",
    "http://www.omg.org/spec/DMN/20180521/MODEL/": "1.2",
    "https://www.omg.org/spec/DMN/20191111/MODEL/": "1.3",
}
HIT_POLICIES = ("UNIQUE", "FIRST", "PRIORITY", "ANY", "COLLECT", "RULE ORDER", "OUTPUT ORDER")
AGGREGATIONS = ("SUM", "MIN", "MAX", "COUNT")
SHAPES = ("resultList", "singleResult", "singleEntry", "collectEntries")  # mapDecisionResult
DECISION_RESULT = "decisionResult"  # Camunda 8's zeebe:calledDecision: the result as DMN gives it
ZEEBE = "http://camunda.org/schema/zeebe/1.0"
SUBJECT = "cellInput"  # the input value in an input entry, as Camunda 7 names it

MAX_BYTES = 1_000_000  # one .dmn file
MAX_DECISIONS = 50  # decisions in one file
MAX_RULES = 1_000  # rules in one table
MAX_COLUMNS = 30  # inputs, and outputs, of one table
MAX_CELLS = 10_000  # rules x (inputs + outputs) of one table
MAX_CELL = MAX_LENGTH  # characters in one cell

_FEEL = {"", "feel", "http://www.omg.org/spec/feel/20140401"}
_JUEL = {"juel"}
_TYPES = {"", "string", "number", "integer", "long", "double", "boolean", "date", "any"}


@dataclass(frozen=True)
class Input:
    """One input column: its label, the expression giving the value, and its type."""

    id: str
    label: str
    expression: str
    type_ref: str
    line: int | None


@dataclass(frozen=True)
class Output:
    """One output column; `allowed` is its list of output values (PRIORITY, OUTPUT ORDER)."""

    id: str
    name: str
    label: str
    type_ref: str
    allowed: tuple = ()
    line: int | None = None


@dataclass(frozen=True)
class Rule:
    """One row: its input entries (unary tests) and output entries (expressions), as written.

    A cell written in JUEL (expressionLanguage="juel") is kept as `${...}`; all others are FEEL.
    """

    id: str
    number: int  # 1-based, as the Modeler shows it
    inputs: tuple[str, ...]
    outputs: tuple[str, ...]
    annotation: str
    line: int | None

    def __str__(self) -> str:
        return f"rule {self.number} ({self.id}, line {self.line})"


@dataclass(frozen=True)
class DecisionTable:
    """A decision whose logic is one decision table."""

    file: str
    id: str
    name: str
    hit_policy: str
    aggregation: str | None
    inputs: tuple[Input, ...]
    outputs: tuple[Output, ...]
    rules: tuple[Rule, ...]
    line: int | None


@dataclass(frozen=True)
class LiteralDecision:
    """A decision whose logic is one literal expression, its value named by its variable."""

    file: str
    id: str
    name: str
    variable: str
    type_ref: str
    expression: str
    line: int | None


Decision = DecisionTable | LiteralDecision


@dataclass(frozen=True)
class DmnFile:
    """The decisions of one file that passed every check, and the problems of the others."""

    file: str
    decisions: tuple[Decision, ...] = ()
    problems: tuple[Problem, ...] = ()

    def decision(self, decision_id: str) -> Decision | None:
        return next((d for d in self.decisions if d.id == decision_id), None)


@dataclass
class _Reader:
    file: str
    ns: str
    problems: list[Problem] = field(default_factory=list)

    def problem(self, element: etree._Element | None, message: str, where: str | None = None):
        line = getattr(element, "sourceline", None)
        if where is None and element is not None:
            if etree.QName(element).localname == "decisionTable":  # the Modeler shows the decision
                element = element.getparent()
            where = element.get("id") or etree.QName(element).localname
        self.problems.append(Problem(self.file, line, where, message))

    def q(self, tag: str) -> str:
        return f"{{{self.ns}}}{tag}"

    def children(self, element: etree._Element, tag: str) -> list[etree._Element]:
        return element.findall(self.q(tag))

    def text(self, element: etree._Element | None) -> str:
        """The <text> of a cell or expression element, stripped ('' when absent)."""
        if element is None:
            return ""
        found = element.find(self.q("text"))
        return (found.text or "").strip() if found is not None else ""

    def language(self, element: etree._Element, default: str) -> str:
        return (element.get("expressionLanguage") or default).strip().lower()


def read_dmn(source: bytes | str | Path, filename: str | None = None) -> DmnFile:
    """Read and check a .dmn file (bytes, XML text, or a path); never raises for its content."""
    is_path = isinstance(source, Path) or (
        isinstance(source, str) and not source.lstrip("\ufeff \t\r\n").startswith("<")
    )
    name = filename or (str(source) if is_path else "<dmn>")
    data = _bytes(source, name)
    if isinstance(data, Problem):
        return DmnFile(name, problems=(data,))
    try:
        root = parse_xml(data, name).getroot()
    except XmlError as err:
        return DmnFile(name, problems=(Problem(name, err.line, None, err.message),))
    tag = etree.QName(root)
    if tag.localname != "definitions" or tag.namespace not in NAMESPACES:
        known = ", ".join(NAMESPACES)
        message = f"not a DMN 1.1-1.3 file: the root is {root.tag} (namespaces known: {known})"
        return DmnFile(name, problems=(Problem(name, root.sourceline, None, message),))
    reader = _Reader(name, tag.namespace)
    default_language = reader.language(root, "feel")
    decisions = []
    found = reader.children(root, "decision")
    if not found:
        reader.problem(root, "the file has no decision", "definitions")
    if len(found) > MAX_DECISIONS:
        reader.problem(root, f"more than {MAX_DECISIONS} decisions in one file", "definitions")
        found = []
    for element in root:
        local = etree.QName(element).localname if isinstance(element.tag, str) else ""
        if local in ("businessKnowledgeModel", "decisionService", "knowledgeSource"):
            reader.problem(
                element,
                f"{local} is not supported: only decision tables and "
                "literal expressions, one per decision",
            )
    seen: set[str] = set()
    for element in found:
        if element.get("id") in seen:
            reader.problem(element, f"the decision id {element.get('id')!r} is used twice")
        seen.add(element.get("id"))
        before = len(reader.problems)
        decision = _decision(reader, element, default_language)
        if decision is not None and len(reader.problems) == before:
            decisions.append(decision)
    return DmnFile(name, tuple(decisions), tuple(reader.problems))


def _bytes(source: bytes | str | Path, name: str) -> bytes | str | Problem:
    """The document, read only when it is within MAX_BYTES (a file's size is checked first)."""
    too_big = Problem(name, None, None, f"the file is larger than {MAX_BYTES:,} bytes")
    if isinstance(source, str) and source.lstrip("\ufeff \t\r\n").startswith("<"):
        return source if len(source.encode("utf-8")) <= MAX_BYTES else too_big
    if isinstance(source, bytes):
        return source if len(source) <= MAX_BYTES else too_big
    path = Path(source)
    try:
        return too_big if path.stat().st_size > MAX_BYTES else path.read_bytes()
    except OSError as err:
        return Problem(name, None, None, f"cannot read file: {err.strerror}")


def _decision(r: _Reader, element: etree._Element, language: str) -> Decision | None:
    decision_id = element.get("id") or ""
    if not decision_id:
        r.problem(element, "the decision has no id", "decision")
    for tag in ("informationRequirement", "knowledgeRequirement"):
        for requirement in r.children(element, tag):
            required = next((c.get("href", "") for c in requirement if isinstance(c.tag, str)), "")
            needs = f" on {required.lstrip('#')}" if required else ""
            r.problem(
                requirement,
                f"decision requirement graphs are not supported (this decision "
                f"depends{needs}): only one decision table per decision",
                decision_id,
            )
    tables = r.children(element, "decisionTable")
    literals = r.children(element, "literalExpression")
    if len(tables) + len(literals) != 1:
        r.problem(
            element,
            "only one decision table per decision (or one literal expression); "
            f"found {len(tables)} tables and {len(literals)} literal expressions",
        )
        return None
    if literals:
        return _literal(r, element, literals[0], language)
    return _table(r, element, tables[0], language)


def _literal(r: _Reader, decision: etree._Element, literal: etree._Element, language: str):
    variable = decision.find(r.q("variable"))
    name = variable.get("name", "") if variable is not None else ""
    if not name:
        r.problem(decision, "a literal expression decision needs a variable name (its result)")
    text = _expression(r, literal, r.text(literal), r.language(literal, language), "expression")
    return LiteralDecision(
        r.file,
        decision.get("id", ""),
        decision.get("name") or decision.get("id", ""),
        name,
        (variable.get("typeRef", "") if variable is not None else ""),
        text,
        literal.sourceline,
    )


def _table(r: _Reader, decision: etree._Element, table: etree._Element, language: str):
    decision_id = decision.get("id", "")
    policy = (table.get("hitPolicy") or "UNIQUE").strip().upper().replace("_", " ")
    if policy not in HIT_POLICIES:
        r.problem(table, f"unknown hit policy {policy!r}; use one of {', '.join(HIT_POLICIES)}")
    aggregation = (table.get("aggregation") or "").strip().upper() or None
    if aggregation and policy != "COLLECT":
        r.problem(table, f"aggregation {aggregation} needs the COLLECT hit policy, not {policy}")
    if aggregation and aggregation not in AGGREGATIONS:
        r.problem(
            table, f"unknown aggregation {aggregation!r}; use one of {', '.join(AGGREGATIONS)}"
        )
    inputs = [_input(r, e, language) for e in r.children(table, "input")]
    outputs = [_output(r, e) for e in r.children(table, "output")]
    rule_elements = r.children(table, "rule")
    _sizes(r, table, len(inputs), len(outputs), len(rule_elements))
    if not outputs:
        r.problem(table, "the table has no output column")
    if len(outputs) > 1 and any(not o.name for o in outputs):
        r.problem(table, "with several outputs every output needs a name (the result's keys)")
    if aggregation and len(outputs) != 1:
        r.problem(table, f"aggregation {aggregation} needs exactly one output, not {len(outputs)}")
    if policy in ("PRIORITY", "OUTPUT ORDER") and not any(o.allowed for o in outputs):
        r.problem(
            table,
            f"hit policy {policy} orders by the outputs' allowed values; "
            "give at least one output a list of output values",
        )
    rules = []
    if len(rule_elements) <= MAX_RULES:  # else refused above, unread
        rules = [_rule(r, e, n, inputs, outputs, language) for n, e in enumerate(rule_elements, 1)]
    name = decision.get("name") or decision_id
    return DecisionTable(
        r.file,
        decision_id,
        name,
        policy,
        aggregation,
        tuple(inputs),
        tuple(outputs),
        tuple(rules),
        table.sourceline,
    )


def _sizes(r: _Reader, table: etree._Element, inputs: int, outputs: int, rules: int) -> None:
    if inputs > MAX_COLUMNS or outputs > MAX_COLUMNS:
        r.problem(
            table,
            f"more than {MAX_COLUMNS} input or output columns ({inputs} inputs, {outputs} outputs)",
        )
    if rules > MAX_RULES:
        r.problem(table, f"{rules} rules; a table may have at most {MAX_RULES}")
    elif rules * (inputs + outputs) > MAX_CELLS:
        r.problem(
            table,
            f"{rules * (inputs + outputs)} cells; a table may have at most "
            f"{MAX_CELLS:,} (rules x columns); split it into several decisions",
        )


def _input(r: _Reader, element: etree._Element, language: str) -> Input:
    expression = element.find(r.q("inputExpression"))
    label = element.get("label") or ""
    if expression is None:
        r.problem(element, "the input has no input expression")
        return Input(element.get("id", ""), label, "", "", element.sourceline)
    text = r.text(expression)
    what = f"input expression of '{label or element.get('id', '')}'"
    text = _expression(r, expression, text, r.language(expression, language), what)
    type_ref = expression.get("typeRef", "")
    _type(r, expression, type_ref)
    return Input(element.get("id", ""), label, text, type_ref, element.sourceline)


def _output(r: _Reader, element: etree._Element) -> Output:
    type_ref = element.get("typeRef", "")
    _type(r, element, type_ref)
    values = element.find(r.q("outputValues"))
    allowed: tuple = ()
    if values is not None and r.text(values):
        allowed = _allowed(r, values, r.text(values))
    return Output(
        element.get("id", ""),
        element.get("name") or "",
        element.get("label") or "",
        type_ref,
        allowed,
        element.sourceline,
    )


def _type(r: _Reader, element: etree._Element, type_ref: str) -> None:
    if type_ref.strip().lower() not in _TYPES:
        known = ", ".join(sorted(t for t in _TYPES if t))
        r.problem(element, f"unknown typeRef {type_ref!r}; use one of {known}")


def _allowed(r: _Reader, element: etree._Element, text: str) -> tuple:
    """The output values `"a","b","c"` as Python values, in their order (the priority)."""
    subject = ast.Name(id=SUBJECT, ctx=ast.Load())
    try:
        tree = feel.unary_tests(text, subject)
    except DialectError as err:
        r.problem(element, f"output values {text!r}: {err}")
        return ()
    body = tree.body
    tests = body.values if isinstance(body, ast.BoolOp) and isinstance(body.op, ast.Or) else [body]
    values = []
    for test in tests:
        if not (
            isinstance(test, ast.Compare)
            and test.left is subject
            and isinstance(test.comparators[0], ast.Constant)
        ):
            r.problem(
                element,
                f"output values {text!r}: list only literal values, "
                'e.g. "tinggi","sedang","rendah"',
            )
            return ()
        values.append(test.comparators[0].value)
    return tuple(values)


def _rule(r, element, number, inputs, outputs, language) -> Rule:
    entries = r.children(element, "inputEntry")
    results = r.children(element, "outputEntry")
    rule_id = element.get("id", "")
    where = f"rule {number}"
    if len(entries) != len(inputs) or len(results) != len(outputs):
        r.problem(
            element,
            f"{where} has {len(entries)} input and {len(results)} output entries; "
            f"the table has {len(inputs)} inputs and {len(outputs)} outputs",
        )
    tests = []
    for entry, column in zip(entries, inputs, strict=False):
        what = f"{where}, input '{column.label or column.id}'"
        tests.append(_unary(r, entry, r.text(entry), r.language(entry, language), what))
    values = []
    for entry, column in zip(results, outputs, strict=False):
        what = f"{where}, output '{column.name or column.label or column.id}'"
        text = r.text(entry)
        values.append(
            _expression(r, entry, text, r.language(entry, language), what) if text else ""
        )
    note = element.find(r.q("description"))
    annotation = (note.text or "").strip() if note is not None else ""
    return Rule(rule_id, number, tuple(tests), tuple(values), annotation, element.sourceline)


def _translated(r: _Reader, element, text: str, language: str, what: str, translate):
    """Check one cell: its language, its length, the translation and the evaluator's check."""
    if language not in _FEEL and language not in _JUEL and not language.endswith("/feel/"):
        r.problem(
            element,
            f"{what}: expression language {language!r} is not supported; "
            "write FEEL (the Modeler's default) or JUEL",
        )
        return text
    if len(text) > MAX_CELL:
        r.problem(element, f"{what}: longer than {MAX_CELL:,} characters")
        return text
    juel_text = language in _JUEL and not text.startswith(("${", "#{"))
    text = f"${{{text}}}" if juel_text else text
    dialect = "JUEL" if language in _JUEL else "FEEL"
    try:
        tree = translate(text, dialect)
    except DialectError as err:
        r.problem(element, f"{what}: {dialect} {text!r}: {err}")
        return text
    except RecursionError:
        r.problem(element, f"{what}: {text!r} is nested too deeply")
        return text
    reason = check_tree(tree)
    if reason:
        r.problem(element, f"{what}: {text!r} {reason}")
    return text


def _expression(r: _Reader, element, text: str, language: str, what: str) -> str:
    if not text:
        r.problem(element, f"{what} is empty")
        return text
    return _translated(r, element, text, language, what, expression_tree)


def _unary(r: _Reader, element, text: str, language: str, what: str) -> str:
    return _translated(r, element, text, language, what, unary_tree)


def expression_tree(text: str, dialect: str | None = None) -> ast.Expression:
    """An input expression, output entry or literal expression as a tree (DialectError)."""
    if text.startswith(("${", "#{")):
        return juel.translate(text)
    return feel.translate(text)


def unary_tree(text: str, dialect: str | None = None) -> ast.Expression:
    """An input entry as a tree testing SUBJECT: FEEL unary tests, or a JUEL boolean."""
    if text.startswith(("${", "#{")):
        return juel.translate(text)
    return feel.unary_tests(text, ast.Name(id=SUBJECT, ctx=ast.Load()))


def output_key(output: Output) -> str:
    """The key of an output in a result: its name (its id when a lone output has none)."""
    return output.name or output.id


def output_names(decision: Decision) -> list[str]:
    """The keys of one result of the decision (one for an aggregation or a literal)."""
    if isinstance(decision, LiteralDecision):
        return [decision.variable]
    if decision.aggregation:
        return [output_key(decision.outputs[0])]
    return [output_key(o) for o in decision.outputs]


def check_shape(decision: Decision, shape: str) -> str | None:
    """None if the result shape (camunda:mapDecisionResult) can hold the decision's results."""
    if shape == DECISION_RESULT:
        return None  # one value, one row or a list, as the hit policy and outputs give
    if shape not in SHAPES:
        return f"unknown result shape {shape!r}; use one of {', '.join(SHAPES)}"
    keys = output_names(decision)
    if shape in ("singleEntry", "collectEntries") and len(keys) != 1:
        return f"{shape} needs a decision with one output, not {len(keys)} ({', '.join(keys)})"
    return None


_BINDINGS = ("", "latest", "deployment")


def task_decision(task: etree._Element) -> tuple[str, str, str]:
    """(decision id, result variable, result shape) of a business rule task: Camunda 7's
    camunda:decisionRef, camunda:resultVariable and camunda:mapDecisionResult, or Camunda 8's
    <zeebe:calledDecision decisionId resultVariable/> (the result as DMN gives it)."""
    ref = (task.get(f"{{{n.CAMUNDA}}}decisionRef") or "").strip()
    called = task.find(f"{{{n.BPMN}}}extensionElements/{{{ZEEBE}}}calledDecision")
    if not ref and called is not None:
        result = (called.get("resultVariable") or "").strip()
        return (called.get("decisionId") or "").strip(), result, DECISION_RESULT
    result = (task.get(f"{{{n.CAMUNDA}}}resultVariable") or "").strip()
    return ref, result, (task.get(f"{{{n.CAMUNDA}}}mapDecisionResult") or "resultList").strip()


def check_business_rule_tasks(
    bpmn: etree._Element, decisions: dict[str, Decision], filename: str
) -> list[Problem]:
    """Deploy checks of the businessRuleTasks of a BPMN file against the decisions deployed with
    it: camunda:decisionRef names one, camunda:resultVariable names where the result goes, and
    camunda:mapDecisionResult fits the decision (singleEntry needs one output)."""
    problems = []
    for task in bpmn.iter(f"{{{n.BPMN}}}businessRuleTask"):

        def problem(message: str, task=task) -> None:
            problems.append(Problem(filename, task.sourceline, task.get("id"), message))

        ref, result, shape = task_decision(task)
        if not ref:
            problem("a business rule task needs camunda:decisionRef (the decision to evaluate)")
            continue
        if ref.startswith(("${", "#{")):
            problem(f"decisionRef {ref!r} is an expression; name the decision's id")
            continue
        binding = (task.get(f"{{{n.CAMUNDA}}}decisionRefBinding") or "").strip()
        if binding not in _BINDINGS:
            problem(f"decisionRefBinding {binding!r} is not supported; decisions are deployed "
                    "with the process (use latest or deployment)")  # fmt: skip
        decision = decisions.get(ref)
        if decision is None:
            known = ", ".join(sorted(decisions)) or "none"
            problem(f"decision {ref!r} is not deployed (decisions deployed: {known})")
            continue
        if not result:
            problem("camunda:resultVariable is needed: the name the decision's result is stored as")
        reason = check_shape(decision, shape)
        if reason:
            problem(f"decision {ref!r}: {reason}")
    return problems
