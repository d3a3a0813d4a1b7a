"""Tidak arrows: from a diamond along a gutter lane (see gutters) back to their
target, or into off-page connectors when the target is on another page."""

from __future__ import annotations

from collections.abc import Callable

from exporters.flowchart.drawing import Kind, Label, Page, Point, Symbol
from exporters.flowchart.gutters import border
from exporters.flowchart.plan import END, Tidak
from exporters.flowchart.routes import LABEL_SIZE, OPPOSITE, TRACK, label, route, side_label
from exporters.flowchart.symbols import OFFSET
from exporters.flowchart.table import Column
from exporters.flowchart.text import line_height, text_width

DROP = 2.0  # a Tidak leaving the lower slope turns this far below the bottom vertex
ABOVE_GAP = 9.0  # a Tidak coming down beside a start capsule turns this far above the symbol


def lane_x(tidak: Tidak, actor_cols: list[Column]) -> float:
    """Where the arrow's lane runs: its offset from the border the plan chose."""
    edges = [c.x for c in actor_cols] + [actor_cols[-1].x + actor_cols[-1].w]
    return edges[border(tidak.lane)] + tidak.offset


def _leave(d: Symbol, tidak: Tidak) -> list[Point]:
    """From the diamond to where the line turns towards its lane: a side vertex, or down from
    the lower slope beside the Ya line."""
    if tidak.exit != "bottom":
        return [d.port(tidak.exit)]
    x = d.cx + (OFFSET if tidak.turn == "right" else -OFFSET)
    return [(x, d.bottom_at(x)), (x, d.cy + d.size[1] / 2 + DROP)]


def _tidak_label(d: Symbol, tidak: Tidak) -> Label:
    """Under the diamond's half on the exit side, or under the turn out of the lower slope."""
    if tidak.exit != "bottom":
        return side_label(f"tidak{d.step}", "Tidak", d, tidak.exit)
    w, h = text_width("Tidak", LABEL_SIZE), line_height(LABEL_SIZE)
    cx = d.cx + (9 + w / 2) * (1 if tidak.turn == "right" else -1)
    return label(f"tidak{d.step}", "Tidak", cx, d.cy + d.size[1] / 2 + DROP + 1.5 + h / 2)


def tidak_route(page: Page, tidak: Tidak, actor_cols: list[Column], row_top: float) -> None:
    """A same-page Tidak arrow: out of the diamond, along a gutter lane, into the target's side,
    or into its top: along the top margin of its row (`row_top` + TRACK), joining the flow, or
    down beside the centre (and the start capsule or connector above it)."""
    d = page.symbol(f"step{tidak.decision}")
    t = page.symbol("end" if tidak.target == END else f"step{tidak.target}")
    head = _leave(d, tidak)
    if tidak.entry != "top":
        end_y, tail = t.cy, [t.port(tidak.entry)]
    elif tidak.join:
        end_y = row_top + TRACK
        tail = [(t.cx, end_y), t.port("top")]
    else:
        end_y = t.cy - t.size[1] / 2 - ABOVE_GAP
        x_in = t.cx + (OFFSET if tidak.beside == "right" else -OFFSET)
        tail = [(x_in, end_y), (x_in, t.top_at(x_in))]
    x, y = lane_x(tidak, actor_cols), head[-1][1]
    points = [*head, (x, y), (x, end_y), *tail]
    page.routes.append(route(d, t, points, role="tidak"))
    page.labels.append(_tidak_label(d, tidak))


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
    if direction == "out" and tidak.below:  # placed below the diamond, see symbols
        conn = page.symbol(f"tidak{tidak.decision}_out")
        head = _leave(here, tidak)
        x, y = lane_x(tidak, actor_cols), head[-1][1]
        points = [*head, (x, y), (x, conn.cy), conn.port(tidak.turn)]
        page.routes.append(route(here, conn, points, role="tidak"))
        page.labels.append(_tidak_label(here, tidak))
        return
    name = f"tidak{tidak.decision}_out" if direction == "out" else f"{here.name}_{side}_in"
    if any(r.source == name for r in page.routes):
        return  # Tidak arrows from several diamonds into one side share the incoming connector
    if side == "top":  # placed above the target with its row, see symbols.place
        conn = page.symbol(name)
        points = [conn.port("bottom"), (conn.cx, here.top_at(conn.cx))]
        page.routes.append(route(conn, here, points, role="tidak"))
        return
    index = column_of(here) + (1 if side == "right" else -1)
    assert 0 <= index < len(actor_cols), "the plan puts connectors beside in a column"
    conn = Symbol(
        name, Kind.CONNECTOR, actor_cols[index].cx, here.cy, letter=letter, direction=direction
    )
    page.symbols.append(conn)
    if direction == "out":
        page.routes.append(
            route(here, conn, [here.port(side), conn.port(OPPOSITE[side])], role="tidak")
        )
        page.labels.append(side_label(f"tidak{here.step}", "Tidak", here, side))
    else:
        page.routes.append(
            route(conn, here, [conn.port(OPPOSITE[side]), here.port(side)], role="tidak")
        )
