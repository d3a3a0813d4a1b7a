"""A clock tests can stop: the engine reads "now" from it (Alur(clock=...), ENGINE_CLOCK)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from engine.clock import system_clock


@dataclass
class Clock:
    now: datetime | None = None  # None: the system clock

    def __call__(self) -> datetime:
        return self.now or system_clock()
