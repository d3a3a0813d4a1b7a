"""Reading a Graphviz SVG of the SOP AP flowchart back into geometry.

Everything is measured in the rendered SVG (cell rectangles, symbol outlines, path points);
text widths come from Graphviz itself (`dot -Tjson`), never from the exporter's own metrics.
"""

from __future__ import annotations

import itertools
import json
import math
import re
import subprocess
from dataclasses import dataclass, field

from lxml import etree

SVG = "{http://www.w3.org/2000/svg}"
_PAIR = re.compile(r"(-?\d+(?:\.\d+)?),(-?\d+(?:\.\d+)?)")
Box = tuple[float, float, float, float]  # left, top, right, bottom (y grows downwards)
TOL = 0.5


@dataclass
class Text:
    content: str
    x: float
    y: float
    size: float
    bold: bool
    anchor: str
    width: float = 0.0

    @property
    def box(self) -> Box:
        left = {"middle": self.x - self.width / 2, "end": self.x - self.width}.get(
            self.anchor, self.x
        )
        return (left, self.y - 0.76 * self.size, left + self.width, self.y + 0.24 * self.size)


@dataclass
class Node:
    name: str
    id: str
    classes: set[str]
    tag: str
    points: list[tuple[float, float]]
    dashed: bool
    fill: str
    texts: list[Text] = field(default_factory=list)

    @property
    def box(self) -> Box:
        if not self.points:  # plain text: the box of its lines
            boxes = [t.box for t in self.texts]
            return (
                min(b[0] for b in boxes),
                min(b[1] for b in boxes),
                max(b[2] for b in boxes),
                max(b[3] for b in boxes),
            )
        xs, ys = [p[0] for p in self.points], [p[1] for p in self.points]
        return (min(xs), min(ys), max(xs), max(ys))

    @property
    def centre(self) -> tuple[float, float]:
        b = self.box
        return ((b[0] + b[2]) / 2, (b[1] + b[3]) / 2)

    @property
    def text(self) -> str:
        return " ".join(t.content for t in self.texts)

    def distance(self, p: tuple[float, float]) -> float:
        """From p to the drawn outline (paths: through their points)."""
        ring = [*self.points, self.points[0]]
        return min(_segment_distance(p, a, b) for a, b in itertools.pairwise(ring))


@dataclass
class Edge:
    source: str
    target: str
    classes: set[str]
    points: list[tuple[float, float]]
    tip: tuple[float, float] | None
    dashed: bool

    @property
    def end(self) -> tuple[float, float]:
        return self.tip or self.points[-1]

    @property
    def polyline(self) -> list[tuple[float, float]]:
        return [*self.points, *([self.tip] if self.tip else [])]


def _segment_distance(p, a, b) -> float:
    (px, py), (ax, ay), (bx, by) = p, a, b
    dx, dy = bx - ax, by - ay
    t = (
        0.0
        if dx == dy == 0
        else max(0, min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
    )
    return math.hypot(px - ax - t * dx, py - ay - t * dy)


class Chart:
    """Nodes, edges and texts of one Graphviz SVG, in points with y growing downwards."""

    def __init__(self, svg: bytes):
        root = etree.fromstring(svg)
        graph = root.find(f"{SVG}g")
        tx, ty = map(
            float,
            re.search(r"translate\(([-\d.]+)[ ,]([-\d.]+)\)", graph.get("transform")).groups(),
        )
        self.width = float(root.get("width").removesuffix("pt"))
        self.height = float(root.get("height").removesuffix("pt"))
        move = lambda x, y: (float(x) + tx, float(y) + ty)  # noqa: E731
        self.nodes: dict[str, Node] = {}
        self.edges: list[Edge] = []
        for g in graph.iter(f"{SVG}g"):
            classes = set(g.get("class", "").split())
            title = g.findtext(f"{SVG}title")
            shape = next(
                (e for e in g if e.tag in (f"{SVG}polygon", f"{SVG}path", f"{SVG}ellipse")), None
            )
            if "node" in classes and (shape is not None or g.find(f"{SVG}text") is not None):
                texts = [
                    Text(
                        t.text or "",
                        *move(t.get("x"), t.get("y")),
                        float(t.get("font-size")),
                        t.get("font-weight") == "bold",
                        t.get("text-anchor"),
                    )
                    for t in g.iter(f"{SVG}text")
                ]
                if shape is None:
                    self.nodes[title] = Node(
                        title, g.get("id"), classes, "text", [], False, "", texts
                    )
                    continue
                self.nodes[title] = Node(
                    title,
                    g.get("id"),
                    classes,
                    etree.QName(shape).localname,
                    self._points(shape, move),
                    shape.get("stroke-dasharray") is not None,
                    shape.get("fill"),
                    texts,
                )
            elif "edge" in classes:
                path = g.find(f"{SVG}path")
                head = g.find(f"{SVG}polygon")
                points = [move(x, y) for x, y in _PAIR.findall(path.get("d"))]
                tip = None
                if head is not None:
                    corners = [move(x, y) for x, y in _PAIR.findall(head.get("points"))]
                    tip = max(corners, key=lambda c: math.dist(c, points[-1]))
                source, target = title.split("->")
                self.edges.append(
                    Edge(
                        source,
                        target,
                        classes,
                        points,
                        tip,
                        path.get("stroke-dasharray") is not None,
                    )
                )
        self.texts = [t for n in self.nodes.values() for t in n.texts]
        _measure(self.texts)

    @staticmethod
    def _points(shape, move) -> list[tuple[float, float]]:
        if shape.tag == f"{SVG}ellipse":
            cx, cy = move(shape.get("cx"), shape.get("cy"))
            rx, ry = float(shape.get("rx")), float(shape.get("ry"))
            return [
                (cx + rx * math.cos(a / 8 * math.pi), cy + ry * math.sin(a / 8 * math.pi))
                for a in range(16)
            ]
        raw = shape.get("points") or shape.get("d")
        return [move(x, y) for x, y in _PAIR.findall(raw)]

    def with_class(self, *names: str) -> list[Node]:
        return [n for n in self.nodes.values() if set(names) <= n.classes]

    def by_id(self, ident: str) -> Node:
        return next(n for n in self.nodes.values() if n.id == ident)

    def header(self, title: str) -> Node:
        squash = lambda s: re.sub(r"\s+", "", s)  # noqa: E731
        found = [n for n in self.with_class("header") if squash(n.text) == squash(title)]
        assert len(found) == 1, f"header {title!r}: {len(found)} cells"
        return found[0]

    def row(self, no: int) -> Box:
        """The body row of step `no`: the cell in the No column that says `no`."""
        left, _, right, _ = self.header("No").box
        cell = next(
            n
            for n in self.with_class("cell")
            if "header" not in n.classes
            and n.text == str(no)
            and abs(n.box[0] - left) < TOL
            and abs(n.box[2] - right) < TOL
        )
        return cell.box

    def cell(self, no: int, column: str) -> Node:
        left, _, right, _ = self.header(column).box
        top, bottom = self.row(no)[1], self.row(no)[3]
        return next(
            n
            for n in self.with_class("cell")
            if abs(n.box[0] - left) < TOL
            and abs(n.box[2] - right) < TOL
            and abs(n.box[1] - top) < TOL
            and abs(n.box[3] - bottom) < TOL
        )

    def cell_box(self, no: int, column: str) -> Box:
        """Where step `no`'s row crosses the column headed `column`."""
        left, _, right, _ = self.header(column).box
        _, top, _, bottom = self.row(no)
        return (left, top, right, bottom)

    def symbols(self) -> list[Node]:
        return self.with_class("symbol")


def _measure(texts: list[Text]) -> None:
    """Width of every text as Graphviz lays it out, from one `dot -Tjson` run."""
    keys = sorted({(t.content, t.size, t.bold) for t in texts})
    if not keys:
        return
    lines = []
    for k, (content, size, bold) in enumerate(keys):
        body = content.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") or " "
        lines.append(f"n{k} [fontsize={size}, label=<{'<B>' + body + '</B>' if bold else body}>];")
    dot = 'digraph { node [shape=plaintext, fontname="DejaVu Sans"]; ' + " ".join(lines) + " }"
    out = json.loads(
        subprocess.run(
            ["dot", "-Tjson"], input=dot, capture_output=True, text=True, check=True
        ).stdout
    )
    widths = {}
    for obj in out["objects"]:
        ops = [op for op in obj.get("_ldraw_", []) if op["op"] == "T"]
        widths[keys[int(obj["name"][1:])]] = ops[0]["width"] if ops else 0.0
    for t in texts:
        t.width = widths[(t.content, t.size, t.bold)]


def inside(inner: Box, outer: Box, tol: float = 0.5) -> bool:
    return (
        inner[0] >= outer[0] - tol
        and inner[1] >= outer[1] - tol
        and inner[2] <= outer[2] + tol
        and inner[3] <= outer[3] + tol
    )


def overlaps(a: Box, b: Box, shrink: float = 0.3) -> bool:
    return min(a[2], b[2]) - max(a[0], b[0]) > shrink and min(a[3], b[3]) - max(a[1], b[1]) > shrink


def crosses(a, b, box: Box, shrink: float = 1.0) -> bool:
    """Does the axis-parallel segment a-b enter the box shrunk by `shrink`?"""
    left, top, right, bottom = box[0] + shrink, box[1] + shrink, box[2] - shrink, box[3] - shrink
    return (
        max(a[0], b[0]) > left
        and min(a[0], b[0]) < right
        and max(a[1], b[1]) > top
        and min(a[1], b[1]) < bottom
    )


def enters(a, b, node: Node, margin: float = 1.0) -> bool:
    """Does segment a-b run inside the node's outline, deeper than `margin`?

    Boxes and capsules count as their rectangle; diamonds and pentagons as their polygon.
    """
    if not crosses(a, b, node.box, margin):
        return False
    corners = set(node.points)
    rectangle = len(corners) == 4 and all(
        any(abs(p[0] - q[0]) < 0.01 and abs(p[1] - q[1]) > 0.01 for q in corners) for p in corners
    )
    if node.tag != "polygon" or rectangle:
        return True
    steps = max(1, int(math.dist(a, b) / 0.5))
    for k in range(steps + 1):
        p = (a[0] + (b[0] - a[0]) * k / steps, a[1] + (b[1] - a[1]) * k / steps)
        if in_polygon(p, node.points) and node.distance(p) > margin:
            return True
    return False


def in_polygon(p, ring) -> bool:
    inside_ = False
    for (x1, y1), (x2, y2) in itertools.pairwise([*ring, ring[0]]):
        if (y1 > p[1]) != (y2 > p[1]) and p[0] < x1 + (p[1] - y1) * (x2 - x1) / (y2 - y1):
            inside_ = not inside_
    return inside_


def touches_outline(box: Box, node: Node) -> bool:
    """Does any point of the node's drawn outline (sampled every 0.5 pt) fall inside the box?"""
    inner = (box[0] + 0.3, box[1] + 0.3, box[2] - 0.3, box[3] - 0.3)
    ring = [*node.points, node.points[0]]
    for a, b in itertools.pairwise(ring):
        steps = max(1, int(math.dist(a, b) / 0.5))
        for k in range(steps + 1):
            x, y = a[0] + (b[0] - a[0]) * k / steps, a[1] + (b[1] - a[1]) * k / steps
            if inner[0] < x < inner[2] and inner[1] < y < inner[3]:
                return True
    return False
