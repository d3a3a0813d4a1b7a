"""DMN decisions run by the safe evaluator: one shared budget per decision, standard hit policies.

`decide(decision, data, shape)` evaluates each input expression once, each input entry as a
unary test with the input's value as the subject, the output entries of the matching rules,
applies the hit policy (UNIQUE, FIRST, PRIORITY, ANY, COLLECT with SUM/MIN/MAX/COUNT, RULE
ORDER, OUTPUT ORDER) and shapes the result as Camunda's `camunda:mapDecisionResult` does
(singleEntry, singleResult, collectEntries, resultList). Every failure is an ExpressionError
naming the decision, the rule and the cell, so the engine's failure path names the element.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from engine.bpmn.dmn import (
    DECISION_RESULT,
    SUBJECT,
    DecisionTable,
    LiteralDecision,
    Rule,
    check_shape,
    output_key,
    output_names,
)
from engine.bpmn.dmn import expression_tree as _expression_tree
from engine.bpmn.dmn import unary_tree as _unary_tree
from engine.runtime.budget import Budget
from engine.runtime.dialects.functions import to_date, to_datetime
from engine.runtime.dialects.lexer import DialectError
from engine.runtime.expressions import (
    CheckedTree,
    Evaluation,
    ExpressionError,
    ExpressionLimit,
    UnsafeExpressionError,
    checked,
)

DECISION_OPERATIONS = 100_000  # AST nodes of all the cells of one decision (~10 a cell)
_LIMIT_OF = "one decision"


class DecisionError(ExpressionError):
    """A decision whose rules or result do not fit its hit policy or the result shape asked."""


@dataclass(frozen=True)
class Decided:
    """What a decision gave: the shaped value, the rows behind it, and the rules (for audit).

    `rules` are the ids of the rules whose outputs make up the result, in its order; `matched`
    every rule that matched (FIRST stops at the first one).
    """

    decision: str
    value: Any
    results: tuple[dict[str, Any], ...]
    rules: tuple[str, ...]
    matched: tuple[str, ...]


@functools.lru_cache(maxsize=16_384)  # more than the cells of the largest table
def _tree(text: str, unary: bool) -> CheckedTree:
    """A cell translated and checked once (cells repeat across rules and decisions)."""
    try:
        return checked(text, _unary_tree(text) if unary else _expression_tree(text))
    except DialectError as err:
        raise UnsafeExpressionError(text, f"{err} (see the expression guide)") from err
    except RecursionError as err:
        raise UnsafeExpressionError(text, "nested too deeply") from err


def _number(value: Any) -> int | float:
    if isinstance(value, str):
        text = value.strip()
        return int(text) if text.lstrip("+-").isdigit() else float(text)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    raise TypeError


def _integer(value: Any) -> int:
    number = _number(value)
    if isinstance(number, float) and not number.is_integer():
        raise TypeError
    return int(number)


def _boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    raise TypeError


def _date(value: Any) -> date | datetime:
    """A date stays a date, a date and time stays one; ISO text becomes the one it spells."""
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        return to_datetime(value) if "T" in value else to_date(value)
    raise TypeError


_TYPES = {
    "string": str,
    "number": _number,
    "double": lambda v: float(_number(v)),
    "integer": _integer,
    "long": _integer,
    "boolean": _boolean,
    "date": _date,
}


def _compile(decision: DecisionTable | LiteralDecision) -> None:
    """Translate and check every cell once (cached), so the budget's clock counts evaluation."""
    if isinstance(decision, LiteralDecision):
        cells = [(decision.expression, False)]
    else:
        cells = [(i.expression, False) for i in decision.inputs]
        for rule in decision.rules:
            cells += [(t, True) for t in rule.inputs if t not in ("", "-")]
            cells += [(t, False) for t in rule.outputs if t]
    for text, unary in cells:
        try:
            _tree(text, unary)
        except ExpressionError:
            pass  # raised again, with the cell's place, when the cell is evaluated


class _Run:
    """One decision's evaluation: its names, its budget, and where each cell sits."""

    def __init__(self, decision: DecisionTable | LiteralDecision, data: dict):
        self.decision = decision
        self.names = dict(data)
        _compile(decision)  # translation is not evaluation: outside the budget's clock
        self.evaluation = Evaluation(self.names, Budget(operations=DECISION_OPERATIONS), _LIMIT_OF)
        self.label = f"decision '{decision.name}' ({decision.id})"

    def value(self, text: str, where: str, unary: bool = False) -> Any:
        try:
            return self.evaluation.value(_tree(text, unary))
        except ExpressionError as err:
            raise type(err)(err.expression, f"{self.label}, {where}: {err.reason}") from err

    def typed(self, value: Any, type_ref: str, where: str) -> Any:
        """The value as its column's typeRef says, as Camunda converts it ("5" for a number)."""
        convert = _TYPES.get(type_ref.strip().lower())
        if value is None or convert is None:
            return value
        try:
            return convert(value)
        except (TypeError, ValueError, OverflowError) as err:
            raise self.error(
                f"{where} is typed {type_ref} but its value {value!r:.100} is not a {type_ref}"
            ) from err

    def error(self, reason: str) -> DecisionError:
        return DecisionError(self.decision.id, f"{self.label}: {reason}")


def decide(
    decision: DecisionTable | LiteralDecision, data: dict, shape: str = "resultList"
) -> Decided:
    """Evaluate a decision against the instance's data; ExpressionError on any failure."""
    run = _Run(decision, data)
    problem = check_shape(decision, shape)
    if problem:
        raise run.error(problem)
    if isinstance(decision, LiteralDecision):
        where = f"literal expression '{decision.variable}'"
        value = run.typed(run.value(decision.expression, where), decision.type_ref, where)
        results, rules, matched = ({decision.variable: value},), (), ()
    else:
        results, rules, matched = _table(run, decision)
    return Decided(decision.id, _shaped(run, shape, results, rules), results, rules, matched)


def _table(run: _Run, table: DecisionTable):
    values = []
    for column in table.inputs:
        where = f"input '{column.label or column.id}'"
        values.append(run.typed(run.value(column.expression, where), column.type_ref, where))
    matched = []
    for rule in table.rules:
        if _matches(run, table, rule, values):
            matched.append(rule)
            if table.hit_policy == "FIRST":
                break
    ids = tuple(r.id for r in matched)
    if not matched:
        return (), (), ids
    policy = table.hit_policy
    if policy == "UNIQUE" and len(matched) > 1:
        raise run.error(f"hit policy UNIQUE but {len(matched)} rules match: {_rules(matched)}")
    rows = [(rule, _outputs(run, table, rule)) for rule in matched]
    if policy == "ANY":
        differing = [rule for rule, row in rows if row != rows[0][1]]
        if differing:
            raise run.error(
                f"hit policy ANY but the matching rules give different outputs: "
                f"{_rules([rows[0][0], *differing])}"
            )
        rows = rows[:1]
    elif policy in ("PRIORITY", "OUTPUT ORDER"):
        rows.sort(key=lambda pair: _priority(run, table, *pair))  # stable: ties keep rule order
        rows = rows[:1] if policy == "PRIORITY" else rows
    if table.aggregation:
        return (_aggregate(run, table, rows),), tuple(rule.id for rule, _ in rows), ids
    return tuple(row for _, row in rows), tuple(rule.id for rule, _ in rows), ids


def _matches(run: _Run, table: DecisionTable, rule: Rule, values: list) -> bool:
    for column, text, value in zip(table.inputs, rule.inputs, values, strict=True):
        if text in ("", "-"):
            continue
        run.names[SUBJECT] = value
        where = f"{rule}, input '{column.label or column.id}'"
        try:
            hit = run.value(text, where, unary=True)
        except (ExpressionLimit, UnsafeExpressionError):
            raise
        except ExpressionError:
            if value is None:  # FEEL: a test on null that is not about null does not match
                return False
            raise
        if hit is not True:
            return False
    return True


def _outputs(run: _Run, table: DecisionTable, rule: Rule) -> dict[str, Any]:
    row = {}
    for column, text in zip(table.outputs, rule.outputs, strict=True):
        where = f"{rule}, output '{output_key(column)}'"
        row[output_key(column)] = (
            run.typed(run.value(text, where), column.type_ref, where) if text else None
        )
    return row


def _priority(run: _Run, table: DecisionTable, rule: Rule, row: dict) -> tuple[int, ...]:
    """The rank of a row by its outputs' allowed values, the first output weighing most."""
    ranks = []
    for column in table.outputs:
        if not column.allowed:
            continue
        value = row[output_key(column)]
        if value not in column.allowed:
            allowed = ", ".join(repr(v) for v in column.allowed)
            raise run.error(
                f"{rule} gives {value!r} for output '{output_key(column)}', which is not "
                f"among its output values ({allowed}) that set the priority"
            )
        ranks.append(column.allowed.index(value))
    return tuple(ranks)


def _aggregate(run: _Run, table: DecisionTable, rows: list[tuple[Rule, dict]]) -> dict:
    """COLLECT with an aggregation: one entry over the non-null outputs of the matching rules."""
    key = output_key(table.outputs[0])
    values = [row[key] for _, row in rows if row[key] is not None]
    if table.aggregation == "COUNT":
        return {key: len(values)}
    if not values:
        return {key: None}
    numbers = all(isinstance(v, int | float) and not isinstance(v, bool) for v in values)
    if table.aggregation == "SUM" and not numbers:
        raise run.error(f"aggregation SUM needs numbers; the matching rules give {values!r:.200}")
    try:
        return {key: {"SUM": sum, "MIN": min, "MAX": max}[table.aggregation](values)}
    except TypeError as err:
        raise run.error(f"aggregation {table.aggregation} cannot compare {values!r:.200}") from err


_MULTIPLE = ("COLLECT", "RULE ORDER", "OUTPUT ORDER")  # hit policies that give several rows


def _natural_shape(decision: DecisionTable | LiteralDecision) -> str:
    """The Camunda 7 shape that gives what DMN (and Camunda 8's zeebe:calledDecision) gives:
    one value or one row for a single hit, a list for several (an aggregation is one value)."""
    single_output = len(output_names(decision)) == 1
    several = (
        isinstance(decision, DecisionTable)
        and decision.hit_policy in _MULTIPLE
        and not decision.aggregation
    )
    if several:
        return "collectEntries" if single_output else "resultList"
    return "singleEntry" if single_output else "singleResult"


def _rules(rules: list[Rule]) -> str:
    return ", ".join(str(rule) for rule in rules)


def _shaped(run: _Run, shape: str, results: tuple[dict, ...], rules: tuple[str, ...]) -> Any:
    if shape == DECISION_RESULT:  # Camunda 8: the result as DMN gives it
        shape = _natural_shape(run.decision)
    if shape == "resultList":
        return [dict(row) for row in results]
    if shape == "collectEntries":
        return [next(iter(row.values())) for row in results]
    if len(results) > 1:
        raise run.error(
            f"{shape} needs at most one result, but {len(results)} rules give one "
            f"({', '.join(rules)}); use resultList or collectEntries"
        )
    if not results:
        return None
    return dict(results[0]) if shape == "singleResult" else next(iter(results[0].values()))
