"""The SOP AP table: columns, the two-row header and each step's text cells, with wrapped text."""

from __future__ import annotations

import math
from dataclasses import dataclass

from engine.sop import Sop, Step
from exporters.flowchart.drawing import Cell
from exporters.flowchart.text import line_height, wrap

TEXT_SIZE = 7.5
HEADER_FILL = "#d9d9d9"
PAD_X = 4.0
PAD_Y = 5.0
ACTOR_WIDTH = 72.0
_WIDTHS = {"no": 26.0, "kegiatan": 170.0, "kelengkapan": 116.0, "waktu": 58.0, "output": 116.0}
_KETERANGAN = 90.0
_TITLES = {
    "no": "No",
    "kegiatan": "Kegiatan",
    "kelengkapan": "Kelengkapan",
    "waktu": "Waktu",
    "output": "Output",
    "keterangan": "Keterangan",
}
_LEFT = {"kegiatan", "kelengkapan", "output", "keterangan"}
_SPAN_ROW_H = 20.0


@dataclass(frozen=True)
class Column:
    key: str  # "no", "kegiatan", "actor", "kelengkapan", "waktu", "output", "keterangan"
    title: str
    x: float  # left edge, from the table's left edge
    w: float

    @property
    def cx(self) -> float:
        return self.x + self.w / 2


def columns(sop: Sop) -> list[Column]:
    """No | Kegiatan | one column per Pelaksana, in the SOP's order | Mutu Baku x3 | Keterangan."""
    specs = [("no", "No", _WIDTHS["no"]), ("kegiatan", "Kegiatan", _WIDTHS["kegiatan"])]
    specs += [("actor", actor, ACTOR_WIDTH) for actor in sop.actors]
    specs += [(key, _TITLES[key], _WIDTHS[key]) for key in ("kelengkapan", "waktu", "output")]
    specs.append(("keterangan", "Keterangan", _KETERANGAN))
    result, x = [], 0.0
    for key, title, width in specs:
        result.append(Column(key, title, x, width))
        x += width
    return result


def _lines(text: str, column: Column) -> list[str]:
    return wrap(text, column.w - 2 * PAD_X, TEXT_SIZE)


def _block(lines: list[str]) -> float:
    return len(lines) * line_height(TEXT_SIZE) + 2 * PAD_Y


def header_height(cols: list[Column]) -> float:
    second = max(_block(_lines(c.title, c)) for c in cols if c.key not in ("no", "kegiatan"))
    return _SPAN_ROW_H + math.ceil(max(second, 24.0))


def header_cells(cols: list[Column], x0: float, y0: float, prefix: str) -> list[Cell]:
    """Two header rows: Pelaksana and Mutu Baku span their columns, the rest span both rows."""
    height = header_height(cols)
    cells: list[Cell] = []

    def add(name: str, title: str, x: float, y: float, w: float, h: float) -> None:
        lines = wrap(title, w - 2 * PAD_X, TEXT_SIZE)
        cells.append(
            Cell(
                f"{prefix}{name}",
                x0 + x,
                y0 + y,
                w,
                h,
                lines,
                TEXT_SIZE,
                fill=HEADER_FILL,
                role="header",
            )
        )

    actors = [c for c in cols if c.key == "actor"]
    mutu = [c for c in cols if c.key in ("kelengkapan", "waktu", "output")]
    for group, title in ((actors, "Pelaksana"), (mutu, "Mutu Baku")):
        width = sum(c.w for c in group)
        add(title.lower().replace(" ", "_"), title, group[0].x, 0, width, _SPAN_ROW_H)
    for index, col in enumerate(cols):
        if col.key in ("no", "kegiatan", "keterangan"):
            add(col.key, col.title, col.x, 0, col.w, height)
        else:
            name = f"actor_{index}" if col.key == "actor" else col.key
            add(name, col.title, col.x, _SPAN_ROW_H, col.w, height - _SPAN_ROW_H)
    return cells


def step_texts(step: Step) -> dict[str, str]:
    return {
        "no": str(step.no),
        "kegiatan": step.activity,
        "kelengkapan": ", ".join(step.kelengkapan),
        "waktu": step.waktu.text,
        "output": ", ".join(step.output),
        "keterangan": step.keterangan,
    }


def text_height(step: Step, cols: list[Column]) -> float:
    """Height the step's wrapped texts need."""
    texts = step_texts(step)
    return max(_block(_lines(texts[c.key], c)) for c in cols if c.key in texts)


def body_cells(step: Step, cols: list[Column], x0: float, y0: float, h: float) -> list[Cell]:
    """One row of cells; actor cells stay empty, the symbols are drawn over them."""
    texts = step_texts(step)
    cells = []
    for index, col in enumerate(cols):
        text = texts.get(col.key, "")
        align = "left" if col.key in _LEFT else "center"
        name = (
            f"row{step.no}_{col.key}_{index}" if col.key == "actor" else f"row{step.no}_{col.key}"
        )
        cells.append(
            Cell(
                name, x0 + col.x, y0, col.w, h, _lines(text, col) if text else [], TEXT_SIZE, align
            )
        )
    return cells
