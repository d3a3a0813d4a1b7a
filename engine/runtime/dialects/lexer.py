"""Tokens of JUEL and FEEL expressions, and the cursor the two parsers read them with."""

from __future__ import annotations

import re
from dataclasses import dataclass

_TOKEN = re.compile(
    r"""\s*(?:
      (?P<number>\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)
    | (?P<string>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')
    | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
    | (?P<op>\.\.|==|!=|<=|>=|&&|\|\||\*\*|[-+*/%<>=!?:.,()\[\]{}@])
    )""",
    re.VERBOSE,
)
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "'": "'", "\\": "\\"}


class DialectError(ValueError):
    """Text outside the supported subset: the construct, and what to write instead."""

    def __init__(self, construct: str, alternative: str = ""):
        self.construct = construct
        self.alternative = alternative
        super().__init__(f"{construct}; {alternative}" if alternative else construct)


@dataclass(frozen=True)
class Token:
    kind: str  # number, string, name, op, end
    text: str
    value: object = None


def _unescape(body: str) -> str:
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m[1], m[1]), body)


def tokenize(text: str) -> list[Token]:
    """The tokens of text; DialectError at the first character no token starts with."""
    tokens, pos = [], 0
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        match = _TOKEN.match(text, pos)
        if not match or match.end() == pos:
            raise DialectError(f"unexpected character {text[pos:].strip()[:1]!r}")
        kind = match.lastgroup
        raw = match[kind]
        if kind == "number":
            value = float(raw) if any(c in raw for c in ".eE") else int(raw)
            tokens.append(Token("number", raw, value))
        elif kind == "string":
            tokens.append(Token("string", raw, _unescape(raw[1:-1])))
        else:
            tokens.append(Token(kind, raw))
        pos = match.end()
    tokens.append(Token("end", ""))
    return tokens


class Cursor:
    """A position in a token list with the look-ahead the parsers need."""

    def __init__(self, tokens: list[Token]):
        self.tokens, self.pos = tokens, 0

    def peek(self, ahead: int = 0) -> Token:
        return self.tokens[min(self.pos + ahead, len(self.tokens) - 1)]

    def next(self) -> Token:
        token = self.peek()
        self.pos += 1
        return token

    def at(self, *texts: str) -> bool:
        token = self.peek()
        return token.kind in ("op", "name") and token.text in texts

    def take(self, *texts: str) -> bool:
        if self.at(*texts):
            self.pos += 1
            return True
        return False

    def expect(self, text: str) -> None:
        if not self.take(text):
            found = self.peek().text or "the end"
            raise DialectError(f"expected {text!r} but found {found!r}")
