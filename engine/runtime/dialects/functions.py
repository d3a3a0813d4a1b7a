"""The functions JUEL and FEEL expressions are translated into; plain Python, safe to call.

They join the safe evaluator's allowed functions, so a Python-style condition may use them too
(`string_length(nama) > 3`). FEEL's null propagates where FEEL says so: a path into nothing and
a string function of null give null (None) instead of an error.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any


def path(value: Any, key: str) -> Any:
    """`a.b` of FEEL and JUEL: the key of a mapping; None when a is None or lacks it."""
    if value is None:
        return None
    if isinstance(value, dict):
        return value.get(key)
    raise TypeError(f"cannot read .{key} of a {type(value).__name__}")


def contains(text: Any, part: Any) -> bool | None:
    return None if text is None else part in text


def starts_with(text: Any, prefix: Any) -> bool | None:
    return None if text is None else str(text).startswith(prefix)


def ends_with(text: Any, suffix: Any) -> bool | None:
    return None if text is None else str(text).endswith(suffix)


def upper_case(text: Any) -> str | None:
    return None if text is None else str(text).upper()


def lower_case(text: Any) -> str | None:
    return None if text is None else str(text).lower()


def string_length(text: Any) -> int | None:
    return None if text is None else len(str(text))


def is_empty(value: Any) -> bool:
    """JUEL's `empty`: null, an empty string, list or mapping."""
    return value is None or (hasattr(value, "__len__") and len(value) == 0)


def to_date(value: Any) -> date | None:
    """FEEL `date(...)`: an ISO date text (or a date and time, cut to its day) as a date."""
    if value is None or (isinstance(value, date) and not isinstance(value, datetime)):
        return value
    if isinstance(value, datetime):
        return value.date()
    return date.fromisoformat(str(value)[:10])


def to_datetime(value: Any) -> datetime | None:
    """FEEL `date and time(...)`: an ISO text as an aware datetime (UTC when no zone is given)."""
    if value is None:
        return None
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def today() -> date:
    return datetime.now(UTC).date()


def now() -> datetime:
    return datetime.now(UTC)


def in_range(value: Any, low: Any, high: Any, low_closed: bool, high_closed: bool) -> bool:
    """FEEL ranges: [1..10] closed, (1..10) or ]1..10[ open; a None end is unbounded."""
    if value is None:
        return False
    above = low is None or (value >= low if low_closed else value > low)
    below = high is None or (value <= high if high_closed else value < high)
    return above and below


FUNCTIONS = {
    "path": path,
    "contains": contains,
    "starts_with": starts_with,
    "ends_with": ends_with,
    "upper_case": upper_case,
    "lower_case": lower_case,
    "string_length": string_length,
    "is_empty": is_empty,
    "to_date": to_date,
    "to_datetime": to_datetime,
    "today": today,
    "now": now,
    "in_range": in_range,
}
