"""Instance state drawn over a flowchart: which steps are done, current or overdue, by whom."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum


class StepState(StrEnum):
    DONE = "done"
    CURRENT = "current"
    OVERDUE = "overdue"


# (fill, stroke, legend text) per state; Bahasa Indonesia first, as the UI speaks.
STATE_STYLE: dict[StepState, tuple[str, str, str]] = {
    StepState.DONE: ("#c8e6c9", "#2e7d32", "Selesai"),
    StepState.CURRENT: ("#bbdefb", "#1565c0", "Sedang berjalan"),
    StepState.OVERDUE: ("#ffcdd2", "#c62828", "Terlambat"),
}


@dataclass(frozen=True)
class StepMark:
    """One step's state; for done steps who completed it and when."""

    state: StepState
    actor: str = ""
    date: date | None = None

    def note(self) -> list[str]:
        """The small print under a done step's symbol: actor, then date (dd-mm-yyyy)."""
        if self.state is not StepState.DONE:
            return []
        when = self.date.strftime("%d-%m-%Y") if self.date else ""
        return [text for text in (self.actor.strip(), when) if text]


@dataclass
class InstanceOverlay:
    """Per step number the mark to draw; steps without a mark are drawn plain."""

    steps: dict[int, StepMark] = field(default_factory=dict)
    title: str = ""  # e.g. "Instans #42", printed with the legend

    def mark(self, no: int) -> StepMark | None:
        return self.steps.get(no)
