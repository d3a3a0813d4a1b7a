"""FEEL (Camunda 8 `=amount > 1000`, and DMN cells) as Python AST.

Supported: literals (numbers, "text", true, false, null, @"2027-01-31"), variables and paths
(a.b), = != < <= > >=, and, or, not(...), + - * / **, if c then a else b, x between a and b,
x in [1..10] / (1..10) / ]1..10[ / [1, 2, 3] / ("a", "b"), lists, and the functions contains,
starts with, ends with, upper case, lower case, string length, list contains, count, sum, min,
max, abs, date, date and time, today, now, string, number. DMN input entries are unary tests:
`< 10`, `[1..5]`, `"a", "b"`, `not("x")`, `-`, `? > 3`.
"""

from __future__ import annotations

import ast

from engine.runtime.dialects import build as b
from engine.runtime.dialects.lexer import Cursor, DialectError, tokenize

FUNCTIONS = {
    "contains": "contains", "starts with": "starts_with", "ends with": "ends_with",
    "upper case": "upper_case", "lower case": "lower_case", "string length": "string_length",
    "count": "len", "sum": "sum", "min": "min", "max": "max", "abs": "abs",
    "date": "to_date", "date and time": "to_datetime", "today": "today", "now": "now",
    "string": "str", "number": "float",
}  # fmt: skip
_MULTIWORD = sorted((f.split() for f in [*FUNCTIONS, "list contains"] if " " in f), key=len)[::-1]
_REFUSED = {
    "for": "use a condition on the whole value, e.g. count(list) > 0",
    "some": "use list contains(list, x)",
    "every": "write the checks out with and",
    "function": "call one of the supported functions",
    "instance": "compare the value itself",
}


def translate(text: str) -> ast.Expression:
    """A FEEL expression (with or without Camunda 8's leading '=') as a Python expression tree."""
    body = text.strip()
    cursor = Cursor(tokenize(body[1:] if body.startswith("=") else body))
    node = _whole(cursor, _expression)
    return b.finish(node)


def unary_tests(text: str, subject: ast.expr) -> ast.Expression:
    """A DMN input entry tested against subject: '-' or empty matches anything."""
    body = text.strip()
    if body in ("", "-"):
        return b.finish(b.const(True))
    cursor = Cursor(tokenize(body))
    negated = cursor.at("not") and cursor.peek(1).text == "("
    if negated:
        cursor.next(), cursor.next()
    node = _tests(cursor, subject, ")" if negated else None)
    if negated:
        cursor.expect(")")
        node = b.negate(node)
    if cursor.peek().kind != "end":
        raise DialectError(f"unexpected {cursor.peek().text!r}")
    return b.finish(node)


def _whole(cursor: Cursor, parse) -> ast.expr:
    if cursor.peek().kind == "end":
        raise DialectError("an empty FEEL expression")
    node = parse(cursor)
    if cursor.at("["):
        raise DialectError("list filters and indexes", "use list contains(list, x) or count(list)")
    if cursor.peek().kind != "end":
        raise DialectError(f"unexpected {cursor.peek().text!r}")
    return node


def _tests(c: Cursor, subject: ast.expr, closing: str | None) -> ast.expr:
    tests = [_test(c, subject)]
    while c.take(","):
        tests.append(_test(c, subject))
    return b.both(tests, ast.Or)


def _test(c: Cursor, subject: ast.expr) -> ast.expr:
    if c.at("<", "<=", ">", ">=", "=", "!="):
        op = c.next().text
        return b.compare(subject, op, _additive(c, subject))
    if c.at("[", "(", "]") and _is_range(c):
        return _range(c, subject)
    value = _expression(c, subject)
    uses_subject = any(n is subject for n in ast.walk(value))
    return value if uses_subject else b.compare(subject, "=", value)


def _is_range(c: Cursor) -> bool:
    """Whether the bracket at the cursor opens a range (a '..' before its closing bracket)."""
    depth = 1
    for ahead in range(1, len(c.tokens) - c.pos):
        token = c.peek(ahead)
        if token.text == ".." and depth == 1:
            return True
        if token.text in ("[", "("):
            depth += 1
        elif token.text in ("]", ")"):
            depth -= 1
        if depth == 0 or token.kind == "end":
            return False
    return False


def _range(c: Cursor, subject: ast.expr) -> ast.expr:
    low_closed = c.next().text == "["
    low = _additive(c, subject)
    c.expect("..")
    high = _additive(c, subject)
    end = c.next().text
    if end not in ("]", ")", "["):
        raise DialectError(f"a range ends with ], ) or [, not {end!r}")
    return b.call("in_range", subject, low, high, b.const(low_closed), b.const(end == "]"))


def _expression(c: Cursor, subject: ast.expr | None = None) -> ast.expr:
    if c.take("if"):
        test = _expression(c, subject)
        c.expect("then")
        body = _expression(c, subject)
        c.expect("else")
        return b.ternary(test, body, _expression(c, subject))
    values = [_conjunction(c, subject)]
    while c.take("or"):
        values.append(_conjunction(c, subject))
    return b.both(values, ast.Or)


def _conjunction(c: Cursor, subject) -> ast.expr:
    values = [_comparison(c, subject)]
    while c.take("and"):
        values.append(_comparison(c, subject))
    return b.both(values, ast.And)


def _comparison(c: Cursor, subject) -> ast.expr:
    left = _additive(c, subject)
    if c.at("=", "!=", "<", "<=", ">", ">="):
        return b.compare(left, c.next().text, _additive(c, subject))
    if c.take("between"):
        low = _additive(c, subject)
        c.expect("and")
        return b.call("in_range", left, low, _additive(c, subject), b.const(True), b.const(True))
    if c.take("in"):
        if c.at("(") and not _is_range(c):
            c.next()
            node = _tests(c, left, ")")
            c.expect(")")
            return node
        if c.at("[") and not _is_range(c):
            return b.member(left, _primary(c, subject))
        return _test(c, left)
    return left


def _additive(c: Cursor, subject) -> ast.expr:
    left = _multiplicative(c, subject)
    while c.at("+", "-"):
        left = b.arithmetic(left, c.next().text, _multiplicative(c, subject))
    return left


def _multiplicative(c: Cursor, subject) -> ast.expr:
    left = _power(c, subject)
    while c.at("*", "/"):
        left = b.arithmetic(left, c.next().text, _power(c, subject))
    return left


def _power(c: Cursor, subject) -> ast.expr:
    base = _unary(c, subject)
    return b.arithmetic(base, "**", _unary(c, subject)) if c.take("**") else base


def _unary(c: Cursor, subject) -> ast.expr:
    if c.take("-"):
        return b.minus(_unary(c, subject))
    node = _primary(c, subject)
    while c.take("."):
        token = c.next()
        if token.kind != "name":
            raise DialectError(f"expected a name after '.', found {token.text!r}")
        node = b.call("path", node, b.const(token.text))
    return node


def _primary(c: Cursor, subject) -> ast.expr:
    token = c.peek()
    if token.kind in ("number", "string"):
        return b.const(c.next().value)
    if c.take("@"):
        literal = c.next()
        if literal.kind != "string":
            raise DialectError('@ must be followed by a quoted date, e.g. @"2027-01-31"')
        function = "to_datetime" if "T" in str(literal.value) else "to_date"
        return b.call(function, b.const(literal.value))
    if c.take("?"):
        if subject is None:
            raise DialectError("'?' outside a DMN input entry")
        return subject
    if c.take("("):
        node = _expression(c, subject)
        c.expect(")")
        return node
    if c.take("["):
        items = [] if c.at("]") else [_expression(c, subject)]
        while c.take(","):
            items.append(_expression(c, subject))
        c.expect("]")
        return b.listing(items)
    if token.kind == "name":
        return _named(c, subject)
    raise DialectError(f"unexpected {token.text or 'end'!r}")


def _named(c: Cursor, subject) -> ast.expr:
    words = _function_words(c)
    if words:
        return _function(c, " ".join(words), subject)
    token = c.next()
    literal = {"true": True, "false": False, "null": None}
    if token.text in literal:
        return b.const(literal[token.text])
    if token.text in _REFUSED:
        raise DialectError(f"FEEL '{token.text}' expressions", _REFUSED[token.text])
    if token.text == "not" and c.at("("):
        c.next()
        node = b.negate(_expression(c, subject))
        c.expect(")")
        return node
    if c.at("("):
        raise DialectError(f"the function {token.text}()", "see the supported functions")
    if c.at("{"):
        raise DialectError("FEEL contexts { ... }", "use the variables by name")
    return b.name(token.text)


def _function_words(c: Cursor) -> list[str]:
    """The words of a known (multi-word) function name at the cursor, followed by '('."""
    for words in [*_MULTIWORD, *([w] for w in FUNCTIONS if " " not in w)]:
        if all(c.peek(i).text == w for i, w in enumerate(words)) and c.peek(len(words)).text == "(":
            for _ in words:
                c.next()
            return words
    return []


def _function(c: Cursor, function: str, subject) -> ast.expr:
    c.expect("(")
    args = [] if c.at(")") else [_expression(c, subject)]
    while c.take(","):
        args.append(_expression(c, subject))
    c.expect(")")
    if function == "list contains":
        if len(args) != 2:
            raise DialectError("list contains(list, value) takes two arguments")
        return b.member(args[1], args[0])
    if function in ("sum", "min", "max") and len(args) > 1:
        args = [b.listing(args)]
    return b.call(FUNCTIONS[function], *args)
