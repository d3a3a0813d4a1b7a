"""Lines between placed symbols: main flow, participant links, Tidak arrows, Ya/Tidak labels.

Every line is a list of right-angle points from one outline to another. Horizontal runs stay in
a row's centre band (only that step's own things live there) or in a row's top margin; vertical
runs stay on column centres or in column gutters, so no line crosses a symbol.
"""

from __future__ import annotations

from collections.abc import Callable

from exporters.flowchart_model import SIZES, Kind, Label, Page, Point, Route, Symbol
from exporters.flowchart_plan import END, Plan, Tidak
from exporters.flowchart_symbols import YA_ROOM, Row
from exporters.flowchart_table import Column
from exporters.flowchart_text import line_height, text_width

TRACK = 7.0  # the track runs this far below the top border of the next row
LANE_OFFSETS = (8.0, 4.0)  # lanes inside a column gutter, from the column border
LABEL_SIZE = 6.0
_OPPOSITE = {"left": "right", "right": "left"}


def _label(name: str, text: str, cx: float, cy: float) -> Label:
    w, h = text_width(text, LABEL_SIZE), line_height(LABEL_SIZE)
    return Label(name, cx, cy, w, h, [text], LABEL_SIZE, role="flow-label")


def _side_label(name: str, text: str, diamond: Symbol, side: str, below: bool) -> Label:
    """Under (or over) the diamond's half on `side`, clear of its outline and the lines."""
    w, h = text_width(text, LABEL_SIZE), line_height(LABEL_SIZE)
    inner = 9.0  # from the centre out: clear of the outline above and of the gutter lanes
    cx = diamond.cx + (inner + w / 2) * (1 if side == "right" else -1)
    dy = SIZES[Kind.DECISION][1] / 2 * (1 - inner / (SIZES[Kind.DECISION][0] / 2)) + 0.7 + h / 2
    return _label(name, text, cx, diamond.cy + (dy if below else -dy))


def main_flow(page: Page, rows: dict[int, Row], plan: Plan, following: dict[int, int]) -> None:
    """Start -> step 1 -> ... -> end on this page, through off-page connectors at page breaks."""
    for no, row in rows.items():
        sym = page.symbol(f"step{no}")
        if row.top_item is Kind.START:
            start = page.symbol("start")
            points = [start.port("bottom"), (start.cx, sym.top_at(start.cx))]
            page.routes.append(_route(start, sym, points))
        elif row.top_item is Kind.CONNECTOR:
            conn = page.symbol(f"step{no}_in")
            points = [conn.port("bottom"), (conn.cx, sym.top_at(conn.cx))]
            page.routes.append(_route(conn, sym, points))
        nxt = following[no]
        if row.bottom_item is not None:
            below = page.symbol("end" if row.bottom_item is Kind.END else f"step{no}_out")
            page.routes.append(_route(sym.name, below, [sym.port("bottom"), below.port("top")]))
            if sym.kind is Kind.DECISION:
                page.labels.append(_label(f"ya{no}", "Ya", *_below_vertex(sym, "Ya")))
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
        page.routes.append(_route(sym.name, target, points))
        if sym.kind is Kind.DECISION:
            if out in ("left", "right"):
                page.labels.append(_side_label(f"ya{no}", "Ya", sym, out, below=True))
            else:
                page.labels.append(_label(f"ya{no}", "Ya", *_below_vertex(sym, "Ya")))


def _below_vertex(sym: Symbol, text: str) -> Point:
    """Right of the line leaving the diamond's bottom vertex, within the room kept for it."""
    h = min(line_height(LABEL_SIZE), YA_ROOM - 1.5)
    return sym.cx + 3 + text_width(text, LABEL_SIZE) / 2, sym.cy + sym.size[1] / 2 + 1.5 + h / 2


def _route(source: str | Symbol, target: Symbol, points: list[Point], **kw) -> Route:
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
                    _route(
                        prev,
                        box,
                        [prev.port(side), box.port(_OPPOSITE[side])],
                        arrow=False,
                        dashed=True,
                        role="participant",
                    )
                )
                prev = box


def tidak_route(
    page: Page,
    tidak: Tidak,
    actor_cols: list[Column],
    column_of: Callable[[Symbol], int],
    lanes: dict[tuple[int, str], list],
    row_top: float,
) -> None:
    """A same-page Tidak arrow: out of the diamond, along a gutter lane, into the target's side
    (or along the top margin of the target's row, `row_top` + TRACK, into its top)."""
    d = page.symbol(f"step{tidak.decision}")
    t = page.symbol("end" if tidak.target == END else f"step{tidak.target}")
    a, b = column_of(d), column_of(t)
    if tidak.exit == tidak.entry or tidak.entry == "top":
        gutter = (min(a, b) if tidak.exit == "left" else max(a, b), tidak.exit)
    else:
        gutter = (b, tidak.entry)
    end_y = row_top + TRACK if tidak.entry == "top" else t.cy
    span = (min(d.cy, end_y), max(d.cy, end_y))
    used = lanes.setdefault(gutter, [])
    shared = [o for _, o, joins in used if joins == (t.name, tidak.entry)]
    free = [
        o for o in LANE_OFFSETS if all(not _overlap(span, u) for u, uo, joins in used if uo == o)
    ]
    offset = (shared or free or [LANE_OFFSETS[0]])[0]  # arrows into the same side share a lane
    used.append((span, offset, (t.name, tidak.entry)))
    col = actor_cols[gutter[0]]
    x = col.x + offset if gutter[1] == "left" else col.x + col.w - offset
    if tidak.entry == "top":  # along the target row's top margin, joining the flow coming in
        points = [d.port(tidak.exit), (x, d.cy), (x, end_y), (t.cx, end_y), t.port("top")]
    else:
        points = [d.port(tidak.exit), (x, d.cy), (x, t.cy), t.port(tidak.entry)]
    page.routes.append(_route(d, t, points, role="tidak"))
    page.labels.append(_side_label(f"tidak{d.step}", "Tidak", d, tidak.exit, below=end_y < d.cy))


def _overlap(one: tuple[float, float], two: tuple[float, float]) -> bool:
    return one[0] <= two[1] + 2 and two[0] <= one[1] + 2


def tidak_off_page(
    page: Page,
    tidak: Tidak,
    letter: str,
    direction: str,
    actor_cols: list[Column],
    column_of: Callable[[Symbol], int],
) -> None:
    """Half of a page-crossing Tidak: diamond -> connector ("out") or connector -> target ("in")."""
    if direction == "out":
        here, side = page.symbol(f"step{tidak.decision}"), tidak.exit
    else:
        here, side = (
            page.symbol("end" if tidak.target == END else f"step{tidak.target}"),
            tidak.entry,
        )
    name = f"tidak{tidak.decision}_out" if direction == "out" else f"{here.name}_{side}_in"
    if any(r.source == name for r in page.routes):
        return  # Tidak arrows from several diamonds into one side share the incoming connector
    if side == "top":  # placed above the target with its row, see flowchart_symbols.place
        conn = page.symbol(name)
        points = [conn.port("bottom"), (conn.cx, here.top_at(conn.cx))]
        page.routes.append(_route(conn, here, points, role="tidak"))
        return
    index = column_of(here) + (1 if side == "right" else -1)
    index = min(max(index, 0), len(actor_cols) - 1)
    conn = Symbol(
        name, Kind.CONNECTOR, actor_cols[index].cx, here.cy, letter=letter, direction=direction
    )
    page.symbols.append(conn)
    if direction == "out":
        page.routes.append(
            _route(here, conn, [here.port(side), conn.port(_OPPOSITE[side])], role="tidak")
        )
        page.labels.append(_side_label(f"tidak{here.step}", "Tidak", here, side, below=True))
    else:
        page.routes.append(
            _route(conn, here, [conn.port(_OPPOSITE[side]), here.port(side)], role="tidak")
        )
