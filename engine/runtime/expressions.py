"""Safe conditions and scripts: a whitelist AST check, then simpleeval instead of eval/exec."""

from __future__ import annotations

import ast
import difflib
import functools
import logging
import operator
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from simpleeval import (
    DEFAULT_OPERATORS,
    AttributeDoesNotExist,
    EvalWithCompoundTypes,
    FunctionNotDefined,
    InvalidExpression,
    IterableTooLong,
    NameNotDefined,
)

from engine.runtime.budget import Budget, LimitExceeded, bounded_pow, bounded_round
from engine.runtime.dialects import feel, juel
from engine.runtime.dialects import functions as dialect_functions
from engine.runtime.dialects.lexer import DialectError

logger = logging.getLogger(__name__)

MAX_LENGTH = 20_000  # characters in one expression or script
MAX_DEPTH = 60  # AST levels; simpleeval recurses a few frames per level


def _safe_sum(values: Any, start: int | float = 0) -> int | float:
    """sum() for numbers only (sum of lists with a list start grows quadratically)."""
    if not isinstance(start, int | float):
        raise TypeError("sum() only adds numbers here")
    return sum(values, start)


def _safe_mod(left: Any, right: Any) -> Any:
    """Modulo for numbers; '%' string formatting is refused (it can build huge strings)."""
    if isinstance(left, str | bytes):
        raise TypeError("'%' string formatting is not allowed")
    return operator.mod(left, right)


FUNCTIONS = {
    "len": len, "str": str, "int": int, "float": float, "bool": bool,
    "min": min, "max": max, "abs": abs, "round": bounded_round, "sum": _safe_sum,
    "sorted": sorted, "any": any, "all": all,
    "list": list, "tuple": tuple, "dict": dict, "set": set,
    **dialect_functions.FUNCTIONS,
}  # fmt: skip
_STR_METHODS = {
    "lower", "upper", "strip", "lstrip", "rstrip", "startswith", "endswith", "split",
    "count", "find", "title", "capitalize", "casefold", "isdigit", "isalpha", "isalnum",
    "isnumeric", "isdecimal", "isspace", "islower", "isupper", "removeprefix", "removesuffix",
}  # fmt: skip
_SET_METHODS = {"issubset", "issuperset", "isdisjoint", "intersection", "union", "difference"}
_ALLOWED_ATTRS: dict[type | None, set] = {
    str: _STR_METHODS,
    dict: {"get", "keys", "values", "items"},
    list: {"index", "count"},
    tuple: {"index", "count"},
    set: _SET_METHODS,
    frozenset: _SET_METHODS,
}
METHODS = frozenset().union(*_ALLOWED_ATTRS.values())
_OPERATORS = {**DEFAULT_OPERATORS, ast.Pow: bounded_pow, ast.Mod: _safe_mod}
_NODES = (
    ast.Expression, ast.Constant, ast.Name, ast.Load, ast.BoolOp, ast.And, ast.Or,
    ast.BinOp, ast.UnaryOp, ast.Compare, ast.IfExp, ast.Call, ast.keyword, ast.Attribute,
    ast.Subscript, ast.Slice, ast.List, ast.Tuple, ast.Dict, ast.Set, ast.JoinedStr,
    ast.FormattedValue, *_OPERATORS,
)  # fmt: skip
_REFUSED = {
    ast.Lambda: "lambda functions are not allowed",
    ast.GeneratorExp: "generator expressions are not allowed",
    ast.ListComp: "comprehensions are not allowed",
    ast.SetComp: "comprehensions are not allowed",
    ast.DictComp: "comprehensions are not allowed",
    ast.NamedExpr: "assignment expressions (:=) are not allowed",
    ast.Starred: "* unpacking is not allowed",
    ast.Await: "await is not allowed",
}


class ExpressionError(ValueError):
    """An expression or script that was refused or failed, with the text it came from."""

    def __init__(self, expression: str, reason: str, line: int | None = None):
        self.expression = expression
        self.reason = reason
        self.line = line
        super().__init__(f"expression {expression!r}: {reason}")


class UnsafeExpressionError(ExpressionError):
    """An expression the safe evaluator refuses to run."""


class ExpressionLimit(ExpressionError):
    """An expression or script that breached its budget (operations, value sizes, wall time)."""


class _BudgetedEval(EvalWithCompoundTypes):
    """simpleeval that charges every node to a budget and weighs every value it yields."""

    def __init__(self, budget: Budget, **kwargs):
        super().__init__(**kwargs)
        self.budget = budget

    def _eval(self, node):
        self.budget.step()
        result = super()._eval(node)
        self.budget.measure(result)
        return result


def _call_reason(node: ast.Call) -> str | None:
    func = node.func
    if isinstance(func, ast.Name):
        if func.id not in FUNCTIONS:
            return f"calls {func.id}, which is not an allowed function"
    elif isinstance(func, ast.Attribute):
        if func.attr not in METHODS:
            return f"calls .{func.attr}(), which is not an allowed method"
    else:
        return "calls something that is not a named function"
    return None


def _node_reason(node: ast.AST, called: bool) -> str | None:
    """Why one AST node is refused (called: it is the function part of a call), or None."""
    if not isinstance(node, _NODES):
        return f"{type(node).__name__} is not allowed in an expression"
    if isinstance(node, ast.Call):
        return _call_reason(node)
    if isinstance(node, ast.Name) and node.id.startswith("_") and not called:
        return f"uses {node.id} (names starting with '_' are not allowed)"
    if isinstance(node, ast.Attribute) and node.attr.startswith("_"):
        return f"uses attribute {node.attr} (names starting with '_' are not allowed)"
    if isinstance(node, ast.Attribute) and not called:
        return f"uses attribute .{node.attr} (only calls of allowed methods are allowed)"
    if isinstance(node, ast.Dict) and None in node.keys:
        return "** unpacking is not allowed"
    if isinstance(node, ast.FormattedValue) and node.format_spec is not None:
        return "format specifications in f-strings are not allowed"
    return None


def _innermost_first(node: ast.AST, depth: int = 0) -> Iterator[ast.AST]:
    if depth > MAX_DEPTH:
        raise RecursionError(f"nested more than {MAX_DEPTH} levels deep")
    for child in ast.iter_child_nodes(node):
        yield from _innermost_first(child, depth + 1)
    yield node


def _called(tree: ast.AST) -> set[int]:
    """The ids of the nodes that are the function part of a call."""
    return {id(n.func) for n in ast.walk(tree) if isinstance(n, ast.Call)}


def _reads_data(node: ast.AST, called: set[int]) -> bool:
    """Whether the node reads a name that is not a called function, i.e. the task's data."""
    return any(isinstance(n, ast.Name) and id(n) not in called for n in ast.walk(node))


def _check_tree(tree: ast.AST) -> str | None:
    """First refusal found, innermost nodes first (so '__import__' before '.system'), or None."""
    refused = next((_REFUSED[type(n)] for n in ast.walk(tree) if type(n) in _REFUSED), None)
    if refused:
        return refused
    called = _called(tree)
    try:
        for node in _innermost_first(tree):
            reason = _node_reason(node, id(node) in called)
            if reason:
                return reason
    except RecursionError:
        return f"is nested more than {MAX_DEPTH} levels deep"
    return None


def _source(text: str, mode: str) -> str:
    """The text as parsed: stripped for an expression, dedented for a script."""
    return text.strip() if mode == "eval" else textwrap.dedent(text)


def _parse(text: str, mode: str) -> ast.AST:
    if len(text) > MAX_LENGTH:
        raise UnsafeExpressionError(text[:60], f"longer than {MAX_LENGTH} characters")
    try:
        return ast.parse(_source(text, mode), mode=mode)
    except SyntaxError as err:
        raise ExpressionError(text, f"syntax error: {err.msg}", err.lineno) from err
    except (RecursionError, MemoryError, ValueError) as err:
        raise UnsafeExpressionError(text, f"cannot be parsed ({type(err).__name__})") from err


@functools.lru_cache(maxsize=1024)
def _expression_tree(expr: str) -> ast.Expression:
    """The expression as a Python tree: JUEL (${...}) and FEEL (=...) translated, else parsed."""
    text = expr.strip()
    if text.startswith(("${", "#{")):
        dialect, translate = "JUEL", juel.translate
    elif text.startswith("="):
        dialect, translate = "FEEL", feel.translate
    else:
        return _parse(expr, "eval")
    if len(text) > MAX_LENGTH:
        raise UnsafeExpressionError(text[:60], f"longer than {MAX_LENGTH} characters")
    try:
        return translate(text)
    except DialectError as err:
        raise UnsafeExpressionError(expr, f"{dialect}: {err} (see the expression guide)") from err
    except RecursionError as err:
        raise UnsafeExpressionError(expr, f"{dialect}: nested too deeply") from err


def check_expression(expr: str) -> str | None:
    """None if the expression is acceptable to the safe evaluator, else the reason.

    Its constant parts (no data read) are evaluated under the run-time budget, so one that
    would breach it, or always fail, is refused at deploy rather than in a completion.
    """
    if not isinstance(expr, str) or not expr.strip():
        return "the expression is empty"
    try:
        return check_tree(_expression_tree(expr))
    except ExpressionError as err:
        return err.reason


def _constant_parts(node: ast.AST, called: set[int]) -> Iterator[ast.AST]:
    """The largest sub-expressions that read no data (names only as called functions)."""
    if not _reads_data(node, called):
        if isinstance(node, ast.expr) and not isinstance(node, ast.Constant | ast.Name):
            yield node
        return
    for child in ast.iter_child_nodes(node):
        yield from _constant_parts(child, called)


def _constant_problem(tree: ast.Expression) -> str | None:
    budget = Budget()
    for part in _constant_parts(tree.body, _called(tree)):
        try:
            _run(ast.unparse(part), part, {}, budget=budget)
        except ExpressionLimit as err:
            return f"would be {err.reason}"
        except ExpressionError as err:
            return f"{ast.unparse(part)[:60]} always fails: {err.reason}"
    return None


def constant_value(expr: str) -> tuple[bool, Any]:
    """(True, value) when the expression reads no data, evaluated under the budget; else (False,
    None). Refusals and failures raise ExpressionError."""
    tree = _expression_tree(expr)
    reason = _check_tree(tree)
    if reason:
        raise UnsafeExpressionError(expr, reason)
    if _reads_data(tree, _called(tree)):
        return False, None
    return True, _run(expr, tree.body, {})


def names_read(expr: str) -> set[str]:
    """The data names a condition reads (called function names excluded); empty when the
    expression is refused (check_expression says why)."""
    try:
        tree = _expression_tree(expr)
    except ExpressionError:
        return set()
    called = _called(tree)
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and id(n) not in called}


def names_assigned(script: str) -> list[str]:
    """The names a script assigns, in order; empty when it is refused (check_script says why)."""
    try:
        return [name for name, *_ in _assignments(script or "")]
    except ExpressionError:
        return []


def _assignments(script: str) -> list[tuple[str, ast.expr, str, int]]:
    """The script as (name, value, statement text, line); refuse anything but name = expr."""
    source, steps = _source(script, "exec"), []
    for stmt in _parse(script, "exec").body:
        text = ast.get_source_segment(source, stmt) or script
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
            target, value = stmt.targets[0], stmt.value
        elif isinstance(stmt, ast.AugAssign):
            target = stmt.target
            value = ast.BinOp(left=ast.Name(id=getattr(target, "id", ""), ctx=ast.Load()),
                              op=stmt.op, right=stmt.value)  # fmt: skip
        else:
            reason = "only assignments 'name = expression' are allowed"
            raise UnsafeExpressionError(text, reason, stmt.lineno)
        if not isinstance(target, ast.Name) or target.id.startswith("_"):
            reason = "only plain names not starting with '_' can be assigned"
            raise UnsafeExpressionError(text, reason, stmt.lineno)
        reason = _check_tree(value)
        if reason:
            raise UnsafeExpressionError(text, reason, stmt.lineno)
        steps.append((target.id, value, text, stmt.lineno))
    return steps


def check_script(script: str) -> str | None:
    """None if every line of the script is an acceptable assignment, else the reason."""
    try:
        _assignments(script or "")
    except ExpressionError as err:
        return f"line {err.line}: {err.reason}" if err.line else err.reason
    return None


def _evaluator(names: dict, budget: Budget | None) -> _BudgetedEval:
    evaluator = _BudgetedEval(
        budget or Budget(),
        operators=_OPERATORS,
        functions=dict(FUNCTIONS),
        names=names,
        allowed_attrs=_ALLOWED_ATTRS,
    )
    for refused in _REFUSED:  # a second guard behind the static check
        evaluator.nodes.pop(refused, None)
    return evaluator


def _run(
    text: str,
    node: ast.AST,
    names: dict,
    line: int | None = None,
    budget: Budget | None = None,
    limit_of: str = "one expression",
    evaluator: _BudgetedEval | None = None,
) -> Any:
    """Evaluate one checked node with simpleeval; every failure becomes an ExpressionError."""
    evaluator = evaluator or _evaluator(names, budget)
    try:
        result = evaluator.eval(text, previously_parsed=node)
    except LimitExceeded as err:
        logger.warning("expression %r stopped: %s", text[:200], err)
        raise ExpressionLimit(text, f"stopped: {err} (the limit of {limit_of})", line) from err
    except IterableTooLong as err:
        raise ExpressionLimit(text, f"stopped: {err}", line) from err
    except (MemoryError, RecursionError) as err:
        raise ExpressionLimit(text, f"stopped: {type(err).__name__}", line) from err
    except NameNotDefined as err:
        close = difflib.get_close_matches(err.name, [str(k) for k in names], n=1)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        raise ExpressionError(text, f"name '{err.name}' is not defined{hint}", line) from err
    except (FunctionNotDefined, AttributeDoesNotExist) as err:
        raise ExpressionError(text, err.message, line) from err
    except InvalidExpression as err:
        raise UnsafeExpressionError(text, str(err), line) from err
    except Exception as err:  # the expression's own error: KeyError, TypeError ...
        raise ExpressionError(text, f"{type(err).__name__}: {err}", line) from err
    if callable(result):
        raise UnsafeExpressionError(text, "gives a function, not a value", line)
    return result


def check_tree(tree: ast.Expression) -> str | None:
    """None if a parsed or translated tree (a condition, a DMN cell) is acceptable to the
    evaluator, else why; its constant parts are evaluated under the run-time budget."""
    return _check_tree(tree) or _constant_problem(tree)


@dataclass(frozen=True)
class CheckedTree:
    """A translated tree (a DMN cell) that passed the evaluator's check; made by `checked`."""

    text: str
    tree: ast.Expression


def checked(text: str, tree: ast.Expression) -> CheckedTree:
    """The tree, once checked, ready to evaluate many times; UnsafeExpressionError if refused."""
    reason = _check_tree(tree)
    if reason:
        raise UnsafeExpressionError(text, reason)
    return CheckedTree(text, tree)


class Evaluation:
    """Checked trees evaluated one after another against the same names (which may change in
    between) and charged to one budget: all the cells of one DMN decision."""

    def __init__(self, names: dict, budget: Budget, limit_of: str):
        self.names = names
        self.limit_of = limit_of  # names the budget in a breach's message
        self._evaluator = _evaluator(names, budget)

    def value(self, expr: CheckedTree) -> Any:
        if not isinstance(expr, CheckedTree):
            raise UnsafeExpressionError(str(expr)[:60], "not a checked expression")
        return _run(expr.text, expr.tree.body, self.names, limit_of=self.limit_of,
                    evaluator=self._evaluator)  # fmt: skip


def evaluate(expr: str, data: dict) -> Any:
    """Evaluate a condition or expression against task data with the safe evaluator."""
    if not isinstance(expr, str) or not expr.strip():
        raise ExpressionError(str(expr), "the expression is empty")
    tree = _expression_tree(expr)
    reason = _check_tree(tree)
    if reason:
        logger.warning("refused expression %r: %s", expr, reason)
        raise UnsafeExpressionError(expr, reason)
    return _run(expr, tree.body, dict(data))


def execute(script: str, data: dict, context: dict | None = None) -> None:
    """Run 'name = expression' lines into data (all or nothing); context names are read-only."""
    names, assigned, budget = {**(context or {}), **data}, {}, Budget()
    for name, value, text, line in _assignments(script or ""):
        names[name] = assigned[name] = _run(text, value, names, line, budget)
    data.update(assigned)
