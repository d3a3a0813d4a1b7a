"""What surrounds the table on every page: the SOP's title, the page number, the overlay legend."""

from __future__ import annotations

from exporters.flowchart.drawing import Cell, Kind, Label, Page, Symbol
from exporters.flowchart.text import line_height, text_width, wrap
from exporters.marks import StepMarks
from exporters.progress import STATE_OUTLINE, STATE_SIGN, STATE_STYLE, InstanceOverlay

TITLE_SIZE = 9.0
SMALL_SIZE = 7.0
LEGEND_HEIGHT = 24.0


def _text(
    name: str, lines: list[str], left: float, top: float, size: float, role: str, bold: bool = False
) -> Label:
    """A label whose text block starts at (left, top)."""
    w = max(text_width(line, size, bold) for line in lines)
    h = len(lines) * line_height(size)
    return Label(name, left + w / 2, top + h / 2, w, h, lines, size, "left", bold, role=role)


def title_lines(code: str, name: str, width: float) -> list[str]:
    """'C.2. Koordinasi ...', wrapped to leave room for the page number."""
    return wrap(f"{code.rstrip('.')}. {name}", width - 110, TITLE_SIZE, bold=True)


def title_height(lines: list[str]) -> float:
    return len(lines) * line_height(TITLE_SIZE) + 8


def add_title(page: Page, lines: list[str], left: float, top: float, width: float) -> None:
    """The title at the top left, 'Halaman n dari m' at the top right."""
    page.labels.append(_text("title", lines, left, top, TITLE_SIZE, "title", bold=True))
    number = f"Halaman {page.number} dari {page.count}"
    right = left + width - text_width(number, SMALL_SIZE)
    page.labels.append(_text("page_no", [number], right, top, SMALL_SIZE, "page-number"))


def add_legend(page: Page, overlay: InstanceOverlay, left: float, top: float) -> None:
    """One swatch per step state (its outline and sign), then the overlay's title."""
    x = left
    if overlay.legend:  # the analytics' heat scale instead of the states
        swatches = [(str(i), fill, text, None) for i, (fill, text) in enumerate(overlay.legend)]
    else:
        swatches = [(s, f, t, s) for s, (f, _, t) in STATE_STYLE.items()]
    for key, fill, text, state in swatches:
        cell = Cell(f"legend_{key}", x, top + 2, 16, 10, fill=fill, role="swatch")
        if state is not None:
            cell.outline, cell.pen = STATE_OUTLINE[state]
            cell.lines, cell.bold, cell.size = [STATE_SIGN[state]], True, 6.5
        page.cells.append(cell)
        label = _text(f"legend_{key}_text", [text], x + 20, top + 2.5, SMALL_SIZE, "legend")
        page.labels.append(label)
        x += 20 + label.w + 16
    if overlay.title:
        page.labels.append(
            _text("legend_title", [overlay.title], x, top + 2.5, SMALL_SIZE, "legend")
        )


def add_mark_legend(page: Page, marks: StepMarks, left: float, top: float) -> None:
    """One small marked process box per kind of mark used, then its text."""
    x = left
    for kind in marks.kinds():
        cy = top + 11
        page.symbols.append(Symbol(f"legend_mark_{kind}", Kind.PROCESS, x + 19, cy, mark=kind))
        label = _text(
            f"legend_mark_{kind}_text", [marks.text(kind)], x + 44, top + 7.5, SMALL_SIZE, "legend"
        )
        page.labels.append(label)
        x += 44 + label.w + 16
