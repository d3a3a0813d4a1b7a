"""Camunda 7 JUEL conditions (`${approved}`, `${!approved}`, `${amount > 1000}`) as Python AST.

Supported: literals (numbers, 'text' or "text", true, false, null), variables and paths (a.b,
a['b']), == != < <= > >= and eq ne lt le gt ge, && || ! and and or not, empty, + - * / div
% mod, c ? a : b, and the string/list methods people call: contains, startsWith, endsWith,
toUpperCase, toLowerCase, length, size, isEmpty, equals.
"""

from __future__ import annotations

import ast

from engine.runtime.dialects import build as b
from engine.runtime.dialects.lexer import Cursor, DialectError, tokenize

METHODS = {
    "contains": ("contains", 1), "startsWith": ("starts_with", 1),
    "endsWith": ("ends_with", 1), "toUpperCase": ("upper_case", 0),
    "toLowerCase": ("lower_case", 0), "length": ("string_length", 0), "size": ("len", 0),
    "isEmpty": ("is_empty", 0),
}  # fmt: skip
_HINT = "supported: contains, startsWith, endsWith, toUpperCase, toLowerCase, length, size"
_ENGINE_OBJECTS = {"execution", "task", "authenticatedUserId", "variables"}
_KEYWORDS = {"and", "or", "not", "empty", "eq", "ne", "lt", "gt", "le", "ge", "div", "mod"}


def translate(text: str) -> ast.Expression:
    """`${...}` or `#{...}` as a Python expression tree; DialectError outside the subset."""
    body = text.strip()
    if not (body.startswith(("${", "#{")) and body.endswith("}")):
        raise DialectError("JUEL must be one ${...} around the whole condition")
    if "${" in body[2:] or "#{" in body[2:]:
        raise DialectError("several ${...} in one condition", "write one around it all: ${a && b}")
    cursor = Cursor(tokenize(body[2:-1]))
    if cursor.peek().kind == "end":
        raise DialectError("empty ${}")
    node = _ternary(cursor)
    if cursor.peek().kind != "end":
        raise DialectError(f"unexpected {cursor.peek().text!r}", "one ${...} per condition")
    return b.finish(node)


def _ternary(c: Cursor) -> ast.expr:
    test = _or(c)
    if c.take("?"):
        body = _ternary(c)
        c.expect(":")
        return b.ternary(test, body, _ternary(c))
    return test


def _or(c: Cursor) -> ast.expr:
    values = [_and(c)]
    while c.take("||", "or"):
        values.append(_and(c))
    return b.both(values, ast.Or)


def _and(c: Cursor) -> ast.expr:
    values = [_equality(c)]
    while c.take("&&", "and"):
        values.append(_equality(c))
    return b.both(values, ast.And)


def _equality(c: Cursor) -> ast.expr:
    left = _relational(c)
    while c.at("==", "!=", "eq", "ne"):
        left = b.compare(left, c.next().text, _relational(c))
    return left


def _relational(c: Cursor) -> ast.expr:
    left = _additive(c)
    while c.at("<", ">", "<=", ">=", "lt", "gt", "le", "ge"):
        left = b.compare(left, c.next().text, _additive(c))
    return left


def _additive(c: Cursor) -> ast.expr:
    left = _multiplicative(c)
    while c.at("+", "-"):
        left = b.arithmetic(left, c.next().text, _multiplicative(c))
    return left


def _multiplicative(c: Cursor) -> ast.expr:
    left = _unary(c)
    while c.at("*", "/", "div", "%", "mod"):
        left = b.arithmetic(left, c.next().text, _unary(c))
    return left


def _unary(c: Cursor) -> ast.expr:
    if c.take("!", "not"):
        return b.negate(_unary(c))
    if c.take("-"):
        return b.minus(_unary(c))
    if c.take("empty"):
        return b.call("is_empty", _unary(c))
    return _postfix(c)


def _postfix(c: Cursor) -> ast.expr:
    node = _primary(c)
    while True:
        if c.take("."):
            token = c.next()
            if token.kind != "name":
                raise DialectError(f"expected a name after '.', found {token.text!r}")
            node = (
                _method(c, node, token.text)
                if c.at("(")
                else b.call("path", node, b.const(token.text))
            )
        elif c.take("["):
            node = b.call("path", node, _ternary(c))
            c.expect("]")
        else:
            return node


def _method(c: Cursor, target: ast.expr, method: str) -> ast.expr:
    c.expect("(")
    args = [] if c.at(")") else [_ternary(c)]
    while c.take(","):
        args.append(_ternary(c))
    c.expect(")")
    if method == "equals" and len(args) == 1:
        return b.compare(target, "==", args[0])
    if method not in METHODS or METHODS[method][1] != len(args):
        raise DialectError(f"the method .{method}() with {len(args)} argument(s)", _HINT)
    return b.call(METHODS[method][0], target, *args)


def _primary(c: Cursor) -> ast.expr:
    token = c.next()
    if token.kind in ("number", "string"):
        return b.const(token.value)
    if token.kind == "name":
        literal = {"true": True, "false": False, "null": None}
        if token.text in literal:
            return b.const(literal[token.text])
        if token.text in _ENGINE_OBJECTS:
            raise DialectError(
                f"Camunda's {token.text} object",
                "name the process variable itself, e.g. ${approved}",
            )
        if token.text in _KEYWORDS or c.at(":"):
            raise DialectError(f"{token.text!r} here (functions such as fn:... are not supported)")
        if c.at("("):
            raise DialectError(f"the function {token.text}()", "use a method, e.g. x.contains('a')")
        return b.name(token.text)
    if token.text == "(":
        node = _ternary(c)
        c.expect(")")
        return node
    raise DialectError(f"unexpected {token.text or 'end'!r}")
