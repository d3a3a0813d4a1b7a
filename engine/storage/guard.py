"""Every row is checked before it is written: no NUL characters in text, text within its column's
length, JSON within its size. A breach is an engine error naming the field, raised inside the
flush, so the whole transaction rolls back and nothing is half-written (PostgreSQL would
otherwise refuse NUL bytes and over-long VARCHARs with an error the caller cannot explain)."""

from __future__ import annotations

import json
import re

from sqlalchemy import JSON, String, inspect

from engine.errors import InvalidInput

MAX_JSON_BYTES = 256 * 1024  # form data of one task or instance, one audit event's details
_JSON_NUL = re.compile(r"(?<!\\)(?:\\\\)*\\u0000")  # an escaped NUL, not an escaped backslash


def check_flush(session, _context, _instances) -> None:
    """A before_flush hook: refuse what the database would choke on, text before JSON (the
    field a person typed is named rather than the audit copy it also went into)."""
    rows = [*session.new, *session.dirty]
    for kind in (str, object):
        for row in rows:
            _check_row(row, kind)


def _check_row(row, kind: type) -> None:
    state = inspect(row)
    for column in state.mapper.columns:
        attr = state.attrs.get(column.key)
        if attr is None or (state.persistent and not attr.history.has_changes()):
            continue
        value = attr.value
        if kind is str and isinstance(value, str):
            _check_text(column, value)
        elif kind is object and isinstance(column.type, JSON) and value is not None:
            _check_json(column, value)


def _field(column) -> str:
    return column.info.get("label") or f"{column.table.name}.{column.key}"


def _check_text(column, value: str) -> None:
    if "\x00" in value:
        raise InvalidInput("field_nul", field=_field(column))
    limit = column.info.get("max_chars") or getattr(column.type, "length", None)
    if isinstance(column.type, String) and limit and len(value) > limit:
        raise InvalidInput("field_too_long", field=_field(column), length=len(value), limit=limit)


def _check_json(column, value) -> None:
    limit = column.info.get("max_bytes")
    if limit is None:
        return
    text = json.dumps(value, ensure_ascii=False, default=str)
    if _JSON_NUL.search(text):
        raise InvalidInput("field_nul", field=_field(column))
    size = len(text.encode())
    if size > limit:
        raise InvalidInput(
            "field_too_big", field=_field(column), size=size // 1024, limit=limit // 1024
        )
