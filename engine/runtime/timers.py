"""Timer values as ISO 8601 (durations, dates, repeating cycles), held within sane bounds.

Editors write a timer as its bare value (`<timeDuration>P3D</timeDuration>`); an expression that
yields the value (`"P3D"`, `tenggat`) works too. Either way the value is checked before the
library uses it: the library counts a duration's months one by one and repeats a cycle as often
as it says, so an astronomic duration would pin a worker and `R/PT0S` would flood an instance.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from SpiffWorkflow.bpmn.specs.event_definitions.timer import (
    CycleTimerEventDefinition,
    DurationTimerEventDefinition,
    TimeDateEventDefinition,
    TimerEventDefinition,
)

MIN_DURATION = timedelta(seconds=1)
MAX_SPAN = timedelta(days=3653)  # ten years, from now or between a cycle's repeats
MIN_INTERVAL = timedelta(minutes=1)  # between a cycle's repeats
MAX_REPEATS = 1000

_NUMBER = r"\d{1,9}(?:[.,]\d{1,9})?"
_DURATION = re.compile(
    rf"P(?=[\dT])(?:({_NUMBER})Y)?(?:({_NUMBER})M)?(?:({_NUMBER})W)?(?:({_NUMBER})D)?"
    rf"(?:T(?=\d)(?:({_NUMBER})H)?(?:({_NUMBER})M)?(?:({_NUMBER})S)?)?",
    re.IGNORECASE,
)
_DATE = re.compile(
    r"\d{4}-\d\d-\d\d(?:[T ]\d\d:\d\d(?::\d\d(?:[.,]\d{1,6})?)?)?(?:Z|[+-]\d\d:?\d\d)?"
)
_CYCLE = re.compile(r"R(\d*)/(.+)", re.IGNORECASE)
_DAYS_PER = (366, 31, 7, 1, 1 / 24, 1 / 1440, 1 / 86400)  # an upper bound per designator
KINDS = {
    DurationTimerEventDefinition: "duration",
    TimeDateEventDefinition: "date",
    CycleTimerEventDefinition: "cycle",
}
EXAMPLES = {"duration": "P3D, PT4H", "date": "2027-01-31T09:00", "cycle": "R5/P1D"}


def is_literal(text: str) -> bool:
    """Whether the text is a bare ISO 8601 timer value rather than an expression."""
    text = text.strip()
    match = _CYCLE.fullmatch(text)
    parts = match[2].split("/") if match else [text]
    return all(_DURATION.fullmatch(p) or _DATE.fullmatch(p) for p in parts) and len(parts) <= 2


def kind_of(definition: TimerEventDefinition) -> str:
    """'duration', 'date' or 'cycle' for a timer event definition of the library."""
    return next(k for cls, k in KINDS.items() if isinstance(definition, cls))


def problem(kind: str, value: object, now: datetime | None = None) -> str | None:
    """Why a timer value may not be used (None: it may), in words an analyst can act on."""
    now = now or datetime.now(UTC)
    if not isinstance(value, str):
        return f"a timer needs an ISO 8601 text (e.g. {EXAMPLES[kind]}), not {value!r:.60}"
    text = value.strip()
    try:
        if kind == "duration":
            return _duration_problem(text, now)
        if kind == "date":
            return _date_problem(text, now)
        return _cycle_problem(text, now)
    except (ValueError, OverflowError):
        return f"{text[:60]!r} is not an ISO 8601 {kind} (e.g. {EXAMPLES[kind]})"


def _span(text: str, now: datetime) -> timedelta:
    """The length of a duration from now; ValueError if it is not one or passes MAX_SPAN."""
    match = _DURATION.fullmatch(text)
    if not match or not any(match.groups()):
        raise ValueError(text)
    days = sum(
        float(g.replace(",", ".")) * d for g, d in zip(match.groups(), _DAYS_PER, strict=True) if g
    )
    if days > 2 * MAX_SPAN.days:  # before the library counts the months one by one
        raise OverflowError(text)
    parsed = TimerEventDefinition.parse_iso_duration(text)
    return TimerEventDefinition.get_timedelta_from_start(parsed, now)


def _duration_problem(text: str, now: datetime) -> str | None:
    try:
        span = _span(text, now)
    except OverflowError:
        return f"duration {text!r} is longer than ten years"
    if span > MAX_SPAN:
        return f"duration {text!r} is longer than ten years"
    if span < MIN_DURATION:
        return f"duration {text!r} is shorter than 1 second"
    return None


def _date(text: str) -> datetime:
    if not _DATE.fullmatch(text):
        raise ValueError(text)
    return TimerEventDefinition.get_datetime(text.replace(" ", "T"))


def _date_problem(text: str, now: datetime) -> str | None:
    if _date(text) > now + MAX_SPAN:
        return f"date {text!r} is more than ten years ahead"
    return None


def _cycle_problem(text: str, now: datetime) -> str | None:
    match = _CYCLE.fullmatch(text)
    if not match:
        raise ValueError(text)
    if not match[1]:
        return f"cycle {text!r} repeats without end: give a count, e.g. R5/P1D"
    if int(match[1]) > MAX_REPEATS:
        return f"cycle {text!r} repeats more than {MAX_REPEATS} times"
    parts = match[2].split("/")
    durations = [p for p in parts if _DURATION.fullmatch(p)]
    if len(parts) > 2 or len(durations) != 1:
        raise ValueError(text)
    for part in parts:
        if part not in durations and _date(part) > now + MAX_SPAN:
            return f"cycle {text!r} starts or ends more than ten years ahead"
    try:
        interval = _span(durations[0], now)
    except OverflowError:
        return f"cycle {text!r} repeats less often than every ten years"
    if interval < MIN_INTERVAL:
        return f"cycle {text!r} repeats more often than once a minute"
    if interval > MAX_SPAN:
        return f"cycle {text!r} repeats less often than every ten years"
    return None
