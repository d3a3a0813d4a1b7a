"""Lines between placed symbols: main flow and participant links, and the Ya/Tidak labels.

Every line is a list of right-angle points from one outline to another. Horizontal runs stay in
a row's centre band (only that step's own things live there) or in a row's top margin; vertical
runs stay on column centres or in column gutters, so no line crosses a symbol. Tidak arrows are
drawn by send_back.
"""

from __future__ import annotations

from exporters.flowchart.drawing import SIZES, Kind, Label, Page, Point, Route, Symbol
from exporters.flowchart.plan import Plan
from exporters.flowchart.symbols import YA_ROOM, Row
from exporters.flowchart.text import line_height, text_width

TRACK = 7.0  # the track runs this far below the top border of the next row
LABEL_SIZE = 6.0
OPPOSITE = {"left": "right", "right": "left"}


def label(name: str, text: str, cx: float, cy: float) -> Label:
    w, h = text_width(text, LABEL_SIZE), line_height(LABEL_SIZE)
    return Label(name, cx, cy, w, h, [text], LABEL_SIZE, role="flow-label")


def side_label(name: str, text: str, diamond: Symbol, side: str) -> Label:
    """Under the diamond's half on `side`, clear of its outline and the lines."""
    w, h = text_width(text, LABEL_SIZE), line_height(LABEL_SIZE)
    inner = 9.0  # from the centre out: clear of the outline above and of the gutter lanes
    cx = diamond.cx + (inner + w / 2) * (1 if side == "right" else -1)
    dy = SIZES[Kind.DECISION][1] / 2 * (1 - inner / (SIZES[Kind.DECISION][0] / 2)) + 0.7 + h / 2
    return label(name, text, cx, diamond.cy + dy)


def main_flow(page: Page, rows: dict[int, Row], plan: Plan, following: dict[int, int]) -> None:
    """Start -> step 1 -> ... -> end on this page, through off-page connectors at page breaks."""
    # Ya's label goes left of its line where a Tidak leaves the lower slope on the right
    ya_left = {t.decision for t in plan.tidak if t.exit == "bottom" and t.turn == "right"}
    for no, row in rows.items():
        sym = page.symbol(f"step{no}")
        if row.top_item is Kind.START:
            start = page.symbol("start")
            points = [start.port("bottom"), (start.cx, sym.top_at(start.cx))]
            page.routes.append(route(start, sym, points))
        elif row.top_item is Kind.CONNECTOR:
            conn = page.symbol(f"step{no}_in")
            points = [conn.port("bottom"), (conn.cx, sym.top_at(conn.cx))]
            page.routes.append(route(conn, sym, points))
        nxt = following[no]
        if row.bottom_item is not None:
            below = page.symbol("end" if row.bottom_item is Kind.END else f"step{no}_out")
            page.routes.append(route(sym.name, below, [sym.port("bottom"), below.port("top")]))
            if sym.kind is Kind.DECISION:
                page.labels.append(_ya_below(sym, no in ya_left))
            continue
        target = page.symbol(f"step{nxt}")
        out = plan.out[no]
        if out == "bottom":
            points = [sym.port("bottom"), target.port("top")]
        elif out == "track":
            y = rows[nxt].top + TRACK
            points = [sym.port("bottom"), (sym.cx, y), (target.cx, y), target.port("top")]
        else:
            points = [sym.port(out), (target.cx, sym.cy), target.port("top")]
        page.routes.append(route(sym.name, target, points))
        if sym.kind is Kind.DECISION:
            if out in ("left", "right"):
                page.labels.append(side_label(f"ya{sym.step}", "Ya", sym, out))
            else:
                page.labels.append(_ya_below(sym, sym.step in ya_left))


def _ya_below(sym: Symbol, left: bool) -> Label:
    """Beside the line leaving the diamond's bottom vertex, within the room kept for it."""
    h = min(line_height(LABEL_SIZE), YA_ROOM - 1.5)
    dx = 3 + text_width("Ya", LABEL_SIZE) / 2
    cx = sym.cx - dx if left else sym.cx + dx
    return label(f"ya{sym.step}", "Ya", cx, sym.cy + sym.size[1] / 2 + 1.5 + h / 2)


def route(source: str | Symbol, target: Symbol, points: list[Point], **kw) -> Route:
    name = source if isinstance(source, str) else source.name
    return Route(f"{name}__{target.name}", name, target.name, points, **kw)


def participant_links(page: Page) -> None:
    """Dashed lines from each step's symbol to its participants' boxes, nearest first."""
    for main in [s for s in page.symbols if s.kind in (Kind.PROCESS, Kind.DECISION)]:
        others = [s for s in page.symbols if s.kind is Kind.PARTICIPANT and s.step == main.step]
        for side, sign in (("left", -1), ("right", 1)):
            chain = sorted(
                (s for s in others if (s.cx - main.cx) * sign > 0),
                key=lambda s: abs(s.cx - main.cx),
            )
            prev = main
            for box in chain:
                page.routes.append(
                    route(
                        prev,
                        box,
                        [prev.port(side), box.port(OPPOSITE[side])],
                        arrow=False,
                        dashed=True,
                        role="participant",
                    )
                )
                prev = box
