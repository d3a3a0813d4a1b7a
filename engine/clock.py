"""The engine's clock: one callable returning an aware UTC datetime.

An Alur is built with one (the system clock unless given) and hands it on to everything that
needs "now": task creation and completion, due and overdue checks, audit times, claims, tokens'
last use, notifications and the worker. Tests build their Alur with a clock they can stop.
SpiffWorkflow keeps reading the system clock for its own timers and task change times.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    return datetime.now(UTC)
