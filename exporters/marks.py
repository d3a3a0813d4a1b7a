"""Steps marked on a chart, as a comparison of two versions marks them: added, changed, removed.

Like an instance's progress overlay (exporters/progress.py) it is plain data beside the SOP:
step number -> kind. A marked step is drawn with a thick dashed outline in its kind's colour and
a sign inside (+ added, * changed, - removed), so the mark never rests on colour alone; the
legend names each kind shown, in the words the caller gives (the reader's language).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum


class MarkKind(StrEnum):
    ADDED = "added"
    CHANGED = "changed"
    REMOVED = "removed"


# (fill, stroke, sign) per kind
MARK_STYLE: dict[MarkKind, tuple[str, str, str]] = {
    MarkKind.ADDED: ("#e8f5e9", "#1b5e20", "+"),
    MarkKind.CHANGED: ("#fff3e0", "#b45309", "*"),
    MarkKind.REMOVED: ("#fdecea", "#b71c1c", "-"),
}
LEGEND_ID = {
    MarkKind.ADDED: "Langkah baru",
    MarkKind.CHANGED: "Langkah berubah",
    MarkKind.REMOVED: "Langkah dihapus",
}


@dataclass(frozen=True)
class StepMarks:
    """Per step number its mark; legend: the text for each kind (Bahasa Indonesia unless given)."""

    steps: Mapping[int, MarkKind | str] = field(default_factory=dict)
    legend: Mapping[MarkKind | str, str] = field(default_factory=lambda: dict(LEGEND_ID))

    def mark(self, no: int) -> MarkKind | None:
        kind = self.steps.get(no)
        return MarkKind(kind) if kind is not None else None

    def kinds(self) -> list[MarkKind]:
        """The kinds used, in legend order."""
        used = {MarkKind(kind) for kind in self.steps.values()}
        return [kind for kind in MarkKind if kind in used]

    def text(self, kind: MarkKind) -> str:
        return str(self.legend.get(kind) or self.legend.get(str(kind)) or LEGEND_ID[kind])
