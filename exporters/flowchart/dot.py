"""Write laid-out pages as DOT: every node pinned (`layout=nop2`), every line given as a spline."""

from __future__ import annotations

from html import escape

import graphviz

from exporters.flowchart.drawing import Cell, Kind, Label, Page, Point, Route, Symbol
from exporters.flowchart.table import PAD_X
from exporters.flowchart.text import FONT
from exporters.marks import MARK_STYLE
from exporters.progress import STATE_OUTLINE, STATE_SIGN, STATE_STYLE

PAGE_GAP = 36.0  # between pages stacked in one drawing
ARROW_SIZE = 0.5  # Graphviz arrowheads are 10 pt long at arrowsize 1
_SHAPES = {
    Kind.START: ("box", "rounded,filled"),
    Kind.END: ("box", "rounded,filled"),
    Kind.PROCESS: ("box", "filled"),
    Kind.DECISION: ("diamond", "filled"),
    Kind.PARTICIPANT: ("box", "dashed,filled"),
    Kind.CONNECTOR: ("invhouse", "filled"),
}


def flowchart_graph(
    pages: list[Page], graph_attr: dict[str, str] | None = None
) -> graphviz.Digraph:
    """One drawing with the pages stacked top to bottom, PAGE_GAP apart."""
    width = max(p.width for p in pages)
    height = sum(p.height for p in pages) + PAGE_GAP * (len(pages) - 1)
    graph = graphviz.Digraph(
        "flowchart",
        graph_attr={
            "layout": "nop2",
            "outputorder": "edgesfirst",
            "pad": "0",
            "splines": "true",
            "bgcolor": "white",
            **(graph_attr or {}),
        },
        node_attr={"fontname": FONT, "fixedsize": "true", "label": "", "penwidth": "0.8"},
        edge_attr={"arrowsize": str(ARROW_SIZE), "penwidth": "0.9", "fontname": FONT},
    )
    for name, x, y in (("corner_top_left", 0, 0), ("corner_bottom_right", width, height)):
        graph.node(
            name,
            shape="point",
            width="0",
            height="0",
            style="invis",
            pos=f"{x:.2f},{height - y:.2f}!",
        )
    top = 0.0
    for page in pages:
        _page(graph, page, lambda p, top=top: (p[0], height - top - p[1]))
        top += page.height + PAGE_GAP
    return graph


def _page(graph: graphviz.Digraph, page: Page, to_gv) -> None:
    prefix = f"p{page.number}_"
    for cell in page.cells:
        _cell(graph, prefix, cell, to_gv)
    for symbol in page.symbols:
        _symbol(graph, prefix, symbol, to_gv)
    for label in page.labels:
        _label(graph, prefix, label, to_gv)
    for route in page.routes:
        _route(graph, prefix, route, to_gv)


def _pos(point: Point) -> str:
    return f"{point[0]:.2f},{point[1]:.2f}!"


def _html(lines: list[str], align: str = "center", bold: bool = False, width: float = 0) -> str:
    """An HTML-like label; with `width`, left-aligned lines start at the block's left edge."""
    if not lines:
        return ""
    br = '<BR ALIGN="LEFT"/>' if align == "left" else "<BR/>"
    body = br.join(escape(line) for line in lines) + (br if align == "left" else "")
    if bold:
        body = f"<B>{body}</B>"
    if align == "left" and width:
        body = (
            f'<TABLE BORDER="0" CELLPADDING="0" CELLSPACING="0"><TR><TD WIDTH="{width:.0f}" '
            f'ALIGN="LEFT" BALIGN="LEFT">{body.replace(br, "<BR/>").removesuffix("<BR/>")}'
            "</TD></TR></TABLE>"
        )
    return f"<{body}>"


def _size(w: float, h: float) -> dict[str, str]:
    return {"width": f"{w / 72:.4f}", "height": f"{h / 72:.4f}"}


def _cell(graph: graphviz.Digraph, prefix: str, cell: Cell, to_gv) -> None:
    attrs = {
        "shape": "box",
        "pos": _pos(to_gv((cell.x + cell.w / 2, cell.y + cell.h / 2))),
        "label": _html(cell.lines, cell.align, cell.bold, cell.w - 2 * PAD_X - 1),
        "fontsize": str(cell.size),
        "class": f"cell {cell.role}",
        **_size(cell.w, cell.h),
    }
    if cell.fill:
        outline = cell.outline or ("dashed" if cell.dashed else "")
        attrs |= {"style": f"filled,{outline}" if outline else "filled", "fillcolor": cell.fill}
        if cell.pen:
            attrs["penwidth"] = str(cell.pen)
    graph.node(prefix + cell.name, **attrs)


def _symbol(graph: graphviz.Digraph, prefix: str, symbol: Symbol, to_gv) -> None:
    shape, style = _SHAPES[symbol.kind]
    attrs = {
        "shape": shape,
        "style": style,
        "fillcolor": "white",
        "penwidth": "1",
        "pos": _pos(to_gv((symbol.cx, symbol.cy))),
        **_size(*symbol.size),
    }
    classes = ["symbol", str(symbol.kind)]
    if symbol.kind in (Kind.PROCESS, Kind.DECISION) and symbol.step is not None:
        attrs["id"] = f"step-{symbol.step}"
    if symbol.kind is Kind.CONNECTOR:
        attrs |= {"label": _html([symbol.letter], bold=True), "fontsize": "7.5"}
        attrs["id"] = f"connector-{symbol.direction}-{symbol.letter}"
        classes.append(f"connector-{symbol.direction}")
    if symbol.kind is Kind.PARTICIPANT:
        classes.append(f"participant-of-{symbol.step}")
    if symbol.state is not None:
        fill, stroke, _ = STATE_STYLE[symbol.state]
        outline, pen = STATE_OUTLINE[symbol.state]  # cues besides colour: outline and sign
        attrs |= {"fillcolor": symbol.fill or fill, "color": stroke, "penwidth": str(pen)}
        if outline != "solid":
            attrs["style"] = f"{style},{outline}"
        if symbol.kind is Kind.PROCESS:  # a diamond's inside is too small for a sign
            sign = STATE_SIGN[symbol.state]
            attrs |= {"label": _html([sign], bold=True), "fontsize": "9", "fontcolor": "#1c232b"}
        classes.append(f"state-{symbol.state}")
    if symbol.mark is not None:  # dashed, thick and signed: never colour alone
        fill, stroke, sign = MARK_STYLE[symbol.mark]
        attrs |= {"fillcolor": fill, "color": stroke, "penwidth": "2", "style": f"{style},dashed"}
        attrs |= {"label": _html([sign], bold=True), "fontsize": "9", "fontcolor": stroke}
        classes += ["marked", f"mark-{symbol.mark}"]
    graph.node(prefix + symbol.name, **attrs, **{"class": " ".join(classes)})


def _label(graph: graphviz.Digraph, prefix: str, label: Label, to_gv) -> None:
    attrs = {
        "shape": "plaintext",
        "pos": _pos(to_gv((label.cx, label.cy))),
        "label": _html(label.lines, label.align, label.bold),
        "fontsize": str(label.size),
        "margin": "0",
        "class": f"label {label.role}",
        **_size(label.w + 4, label.h + 4),
    }
    if label.background:  # exactly the text's box: lines pass under it, symbols stay whole
        attrs |= {
            "shape": "box",
            "style": "filled",
            "fillcolor": "white",
            "color": "white",
            "penwidth": "0",
            **_size(label.w, label.h),
        }
    graph.node(prefix + label.name, **attrs)


def _route(graph: graphviz.Digraph, prefix: str, route: Route, to_gv) -> None:
    points = [to_gv(p) for p in route.points]
    attrs = {"class": f"line {route.role}", "arrowhead": "normal" if route.arrow else "none"}
    if route.dashed:
        attrs["style"] = "dashed"
    end = ""
    if route.arrow:
        (x0, y0), (x1, y1) = points[-2], points[-1]
        length = max(abs(x1 - x0) + abs(y1 - y0), 1e-6)
        back = min(ARROW_SIZE * 10, length - 0.5)
        end = f"e,{x1:.2f},{y1:.2f} "
        points[-1] = (x1 - (x1 - x0) / length * back, y1 - (y1 - y0) / length * back)
    spline = [points[0]]
    for (x0, y0), (x1, y1) in zip(points, points[1:], strict=False):
        spline += [
            (x0 + (x1 - x0) / 3, y0 + (y1 - y0) / 3),
            (x0 + 2 * (x1 - x0) / 3, y0 + 2 * (y1 - y0) / 3),
            (x1, y1),
        ]
    attrs["pos"] = end + " ".join(f"{x:.2f},{y:.2f}" for x, y in spline)
    graph.edge(prefix + route.source, prefix + route.target, **attrs)
