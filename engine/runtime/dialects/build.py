"""Python AST nodes the dialect parsers build: only what the safe evaluator accepts."""

from __future__ import annotations

import ast
from typing import Any

COMPARE = {
    "==": ast.Eq, "=": ast.Eq, "eq": ast.Eq, "!=": ast.NotEq, "ne": ast.NotEq,
    "<": ast.Lt, "lt": ast.Lt, "<=": ast.LtE, "le": ast.LtE,
    ">": ast.Gt, "gt": ast.Gt, ">=": ast.GtE, "ge": ast.GtE,
}  # fmt: skip
_EQUALITY = ("==", "=", "!=", "eq", "ne")
ARITHMETIC = {
    "+": ast.Add, "-": ast.Sub, "*": ast.Mult, "/": ast.Div, "div": ast.Div,
    "%": ast.Mod, "mod": ast.Mod, "**": ast.Pow,
}  # fmt: skip


def const(value: Any) -> ast.expr:
    return ast.Constant(value=value)


def name(identifier: str) -> ast.expr:
    return ast.Name(id=identifier, ctx=ast.Load())


def call(function: str, *args: ast.expr) -> ast.expr:
    return ast.Call(func=name(function), args=list(args), keywords=[])


def compare(left: ast.expr, op: str, right: ast.expr) -> ast.expr:
    """left op right; comparing with null becomes `is None` / `is not None`."""
    if (
        isinstance(right, ast.Constant)
        and right.value is None
        and op in ("==", "=", "!=", "eq", "ne")
    ):
        return ast.Compare(left=left, ops=[ast.Is() if op in ("==", "=", "eq") else ast.IsNot()],
                           comparators=[right])  # fmt: skip
    return ast.Compare(left=left, ops=[COMPARE[op]()], comparators=[right])


def member(left: ast.expr, items: ast.expr) -> ast.expr:
    return ast.Compare(left=left, ops=[ast.In()], comparators=[items])


def both(values: list[ast.expr], op: type[ast.boolop]) -> ast.expr:
    return values[0] if len(values) == 1 else ast.BoolOp(op=op(), values=values)


def arithmetic(left: ast.expr, op: str, right: ast.expr) -> ast.expr:
    return ast.BinOp(left=left, op=ARITHMETIC[op](), right=right)


def negate(value: ast.expr) -> ast.expr:
    return ast.UnaryOp(op=ast.Not(), operand=value)


def minus(value: ast.expr) -> ast.expr:
    return ast.UnaryOp(op=ast.USub(), operand=value)


def ternary(test: ast.expr, body: ast.expr, orelse: ast.expr) -> ast.expr:
    return ast.IfExp(test=test, body=body, orelse=orelse)


def listing(items: list[ast.expr]) -> ast.expr:
    return ast.List(elts=items, ctx=ast.Load())


def finish(node: ast.expr) -> ast.Expression:
    return ast.fix_missing_locations(ast.Expression(body=node))
