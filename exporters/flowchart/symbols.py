"""Symbol placement: each step's symbol centred in its actor's column and row, with its companions.

Companions are the start capsule above step 1, the end capsule below the last step, off-page
connectors above a page's first row and below its last, participants' dashed boxes in their
own columns, and the overlay's small print under a done step.
"""

from __future__ import annotations

from dataclasses import dataclass

from engine.sop import Step
from exporters.flowchart.drawing import SIZES, Kind, Label, Symbol
from exporters.flowchart.table import Column
from exporters.flowchart.text import line_height, text_width, wrap
from exporters.marks import StepMarks
from exporters.progress import InstanceOverlay

GAP = 15.0  # symbol edge to row border, at least; the top margin holds the "track" line
ITEM_GAP = 12.0  # symbol to start/end capsule or off-page connector: room for an arrow
NOTE_SIZE = 6.0
YA_ROOM = 9.0  # under a diamond, the "Ya" label comes before the small print
OFFSET = 15.0  # things side by side above a symbol (or a Tidak beside Ya below) sit this far off
BELOW_OFFSET = 12.0  # a Tidak's off-page connector below a diamond: clear of the Ya line


@dataclass(frozen=True)
class Row:
    step: Step
    top: float
    height: float
    top_item: Kind | None = None  # START or CONNECTOR above the symbol
    bottom_item: Kind | None = None  # END or CONNECTOR below it
    tidak_top: float = 0.0  # x offset of Tidak arrows coming down from above (0: none)
    tidak_below: float = 0.0  # x offset of a page-crossing Tidak's connector below it (0: none)
    end_in: bool = False  # room above the end capsule for a page-crossing Tidak's connector

    @property
    def cy(self) -> float:
        return self.top + self.height / 2


def step_kind(step: Step) -> Kind:
    return Kind.DECISION if step.decision is not None else Kind.PROCESS


def note_lines(step: Step, overlay: InstanceOverlay | None, width: float) -> list[str]:
    mark = overlay.mark(step.no) if overlay else None
    lines: list[str] = []
    for text in mark.note() if mark else []:
        lines += wrap(text, width, NOTE_SIZE)
    return lines


def _note_height(step: Step, lines: list[str]) -> float:
    if not lines:
        return 0.0
    room = YA_ROOM if step.decision is not None else 0.0
    return room + len(lines) * line_height(NOTE_SIZE) + 5


def band_height(
    step: Step,
    top_item: Kind | None,
    bottom_item: Kind | None,
    notes: list[str],
    stacked: int = 0,
) -> float:
    """Least row height that keeps the symbol centred with its companions above and below.

    stacked: how many off-page connectors of Tidak arrows sit below the symbol, one under the
    other, above any bottom item.
    """
    half = SIZES[step_kind(step)][1] / 2
    up = half + (ITEM_GAP + SIZES[top_item][1] + 6 if top_item else GAP)
    down = half + _note_height(step, notes) + stacked * (ITEM_GAP + SIZES[Kind.CONNECTOR][1])
    if bottom_item:
        down += ITEM_GAP + SIZES[bottom_item][1] + 6
    else:
        down += 6 if stacked else GAP
    return 2 * max(up, down)


def place(
    row: Row,
    column: dict[str, Column],
    overlay: InstanceOverlay | None,
    letters: tuple[str, ...],
    marks: StepMarks | None = None,
) -> tuple[list[Symbol], list[Label]]:
    """The row's symbols (main first) and the small print.

    letters: the connector letters of the flow coming in above, the flow going out below, a
    page-crossing Tidak coming in above, one going out below and one coming into the end capsule
    ("" where there is none).
    """
    step, col = row.step, column[row.step.actor]
    mark = overlay.mark(step.no) if overlay else None
    kind = step_kind(step)
    state = mark.state if mark else None
    fill = mark.fill if mark else ""
    compared = marks.mark(step.no) if marks else None
    symbols = [
        Symbol(
            f"step{step.no}", kind, col.cx, row.cy, step.no, state=state, mark=compared, fill=fill
        )
    ]
    half = SIZES[kind][1] / 2
    symbols += _above(row, col.cx, row.cy - half - ITEM_GAP, letters)
    lines = note_lines(step, overlay, col.w - 14)
    below = row.cy + half + _note_height(step, lines) + ITEM_GAP  # top of what comes below
    if row.tidak_below:
        cy = below + SIZES[Kind.CONNECTOR][1] / 2
        x = col.cx + row.tidak_below
        symbols.append(_connector(f"tidak{step.no}_out", x, cy, letters[3], "out"))
        below += SIZES[Kind.CONNECTOR][1] + ITEM_GAP
    if row.end_in and row.bottom_item is Kind.END:  # comes down beside the flow into the end
        if letters[4]:
            cy = below + SIZES[Kind.CONNECTOR][1] / 2
            symbols.append(_connector("end_top_in", col.cx + OFFSET, cy, letters[4], "in"))
        below += SIZES[Kind.CONNECTOR][1] + ITEM_GAP
    if row.bottom_item is not None:
        cy = below + SIZES[row.bottom_item][1] / 2
        if row.bottom_item is Kind.END:
            symbols.append(Symbol("end", Kind.END, col.cx, cy))
        else:
            symbols.append(_connector(f"step{step.no}_out", col.cx, cy, letters[1], "out"))
    for k, actor in enumerate(p for p in step.participants if p != step.actor):
        cx = column[actor].cx
        symbols.append(Symbol(f"step{step.no}_with{k}", Kind.PARTICIPANT, cx, row.cy, step.no))
    if not lines:
        return symbols, []
    height = len(lines) * line_height(NOTE_SIZE) + 2
    width = max(text_width(line, NOTE_SIZE) for line in lines) + 2
    top = row.cy + half + (YA_ROOM if step.decision is not None else 0.0) + 3
    note = Label(
        f"note{step.no}",
        col.cx,
        top + height / 2,
        width,
        height,
        lines,
        NOTE_SIZE,
        background=True,
        role="note",
    )
    return symbols, [note]


def _connector(name: str, cx: float, cy: float, letter: str, direction: str) -> Symbol:
    return Symbol(name, Kind.CONNECTOR, cx, cy, letter=letter, direction=direction)


def _above(row: Row, cx: float, bottom: float, letters: tuple[str, ...]) -> list[Symbol]:
    """Start capsule or incoming connector, moved aside when a Tidak comes down beside it."""
    no, result = row.step.no, []
    x = cx - row.tidak_top  # the other side of the centre, or the centre
    if row.top_item is Kind.START:
        result.append(Symbol("start", Kind.START, x, bottom - SIZES[Kind.START][1] / 2))
    cy = bottom - SIZES[Kind.CONNECTOR][1] / 2
    if row.top_item is Kind.CONNECTOR:
        result.append(_connector(f"step{no}_in", x, cy, letters[0], "in"))
    if row.tidak_top and letters[2]:
        result.append(_connector(f"step{no}_top_in", cx + row.tidak_top, cy, letters[2], "in"))
    return result
