"""Every row is checked before it is written: no NUL characters in text, text within its column's
length, JSON within its size. A breach is an engine error naming the field, raised inside the
flush, so the whole transaction rolls back and nothing is half-written (PostgreSQL would
otherwise refuse NUL bytes and over-long VARCHARs with an error the caller cannot explain)."""

from __future__ import annotations

import json
import re
from functools import cache, partial
from typing import NamedTuple

from sqlalchemy import JSON, String, inspect

from engine.errors import InvalidInput

MAX_JSON_BYTES = 256 * 1024  # form data of one task or instance, one audit event's details
_JSON_NUL = re.compile(r"(?<!\\)(?:\\\\)*\\u0000")  # an escaped NUL, not an escaped backslash


def check_flush(session, _context, _instances) -> None:
    """A before_flush hook: refuse what the database would choke on, text before JSON (the
    field a person typed is named rather than the audit copy it also went into). Only what is
    new or changed is checked: a value stored before these checks existed is left alone."""
    states = [inspect(row) for row in (*session.new, *session.dirty)]
    _check([(_columns(state.mapper), partial(_changed, state)) for state in states])


def check_rows(entity, rows: list[dict]) -> None:
    """The same checks for rows written as plain values (a Core insert of a mapped class's
    table)."""
    columns = _columns(inspect(entity))
    _check([(columns, lambda column, values=values: values.get(column.key)) for values in rows])


def _check(rows) -> None:
    """rows: (the table's checked columns, a column's value to check or None), text first."""
    for columns, value_of in rows:
        for column in columns.texts:
            value = value_of(column)
            if isinstance(value, str):
                _check_text(column, value)
    for columns, value_of in rows:
        for column in columns.limited_json:
            value = value_of(column)
            if value is not None:
                _check_json(column, value)


class _Columns(NamedTuple):
    texts: tuple  # String and Text columns
    limited_json: tuple  # JSON columns with a max_bytes in their info


@cache
def _columns(mapper) -> _Columns:
    """Which of a table's columns the guard looks at, worked out once per mapped class."""
    texts = tuple(c for c in mapper.columns if isinstance(c.type, String))
    limited = tuple(
        c for c in mapper.columns if isinstance(c.type, JSON) and c.info.get("max_bytes")
    )
    return _Columns(texts, limited)


def _changed(state, column):
    """The column's value when the row is new or the attribute was set since loading."""
    if state.persistent and column.key not in state.committed_state:
        return None
    return state.dict.get(column.key)


def _field(column) -> str:
    return column.info.get("label") or f"{column.table.name}.{column.key}"


def _check_text(column, value: str) -> None:
    if "\x00" in value:
        raise InvalidInput("field_nul", field=_field(column))
    limit = column.info.get("max_chars") or getattr(column.type, "length", None)
    if isinstance(column.type, String) and limit and len(value) > limit:
        raise InvalidInput("field_too_long", field=_field(column), length=len(value), limit=limit)


def _check_json(column, value) -> None:
    limit = column.info["max_bytes"]
    text = json.dumps(value, ensure_ascii=False, default=str)
    if _JSON_NUL.search(text):
        raise InvalidInput("field_nul", field=_field(column))
    size = len(text.encode())
    if size > limit:
        raise InvalidInput(
            "field_too_big", field=_field(column), size=size // 1024, limit=limit // 1024
        )
