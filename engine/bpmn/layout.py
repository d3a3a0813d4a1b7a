"""BPMNDI layout of an SOP process: lanes as horizontal bands, one column per node in step order.

Every node owns its own column, so a vertical edge segment placed in a gap between columns, or in
the column of the node it enters, never crosses another shape. Edges that skip columns (a "Tidak"
back to an earlier step, a "Ya" jump forward) run along a corridor in the margin of the gateway's
lane, below the shapes for "Tidak", above them for a jump forward.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field

POOL_X, POOL_Y, POOL_LABEL_W = 100, 80, 30
LANE_MIN_H, LANE_MARGIN = 150, 40
GAP = 60
SIZES = {"start": (36, 36), "end": (36, 36), "task": (200, 80), "gateway": (50, 50)}
TASK_CHARS_PER_LINE, TASK_LINE_H = 30, 15  # bpmn-js draws task names in 12px Arial
GATEWAY_LABEL = (120, 40)
CORRIDOR_STEP = 9


def node_size(node: Node) -> tuple[float, float]:
    """Tasks grow downwards to fit their wrapped name, so no text spills out of the box."""
    w, h = SIZES[node.kind]
    if node.kind == "task":
        lines = len(textwrap.wrap(node.name, TASK_CHARS_PER_LINE)) or 1
        h = max(h, lines * TASK_LINE_H + 20)
    return w, h


@dataclass
class Node:
    id: str
    kind: str  # start | end | task | gateway
    lane: int  # index into the actor list
    name: str = ""


@dataclass
class Flow:
    id: str
    source: str
    target: str
    name: str = ""
    condition: str = ""


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    w: float
    h: float

    @property
    def cx(self) -> float:
        return self.x + self.w / 2

    @property
    def cy(self) -> float:
        return self.y + self.h / 2


@dataclass
class Layout:
    pool: Box
    lanes: list[Box]
    nodes: dict[str, Box] = field(default_factory=dict)
    edges: dict[str, list[tuple[float, float]]] = field(default_factory=dict)
    labels: dict[str, Box] = field(default_factory=dict)


def layout(lane_count: int, nodes: list[Node], flows: list[Flow]) -> Layout:
    """Place nodes column by column in the given order and route every flow orthogonally."""
    lane_x = POOL_X + POOL_LABEL_W
    sizes = {node.id: node_size(node) for node in nodes}
    heights = [LANE_MIN_H] * lane_count
    for node in nodes:
        heights[node.lane] = max(heights[node.lane], sizes[node.id][1] + 2 * LANE_MARGIN)
    tops = [POOL_Y + sum(heights[:i]) for i in range(lane_count)]
    x = lane_x + GAP / 2
    boxes: dict[str, Box] = {}
    column: dict[str, int] = {}
    for index, node in enumerate(nodes):
        w, h = sizes[node.id]
        lane_cy = tops[node.lane] + heights[node.lane] / 2
        boxes[node.id] = Box(x, lane_cy - h / 2, w, h)
        column[node.id] = index
        x += w + GAP
    lane_w = x - lane_x
    lanes = [Box(lane_x, tops[i], lane_w, heights[i]) for i in range(lane_count)]
    pool = Box(POOL_X, POOL_Y, POOL_LABEL_W + lane_w, sum(heights))
    result = Layout(pool, lanes, boxes)
    for node in nodes:
        if node.kind == "gateway" and node.name:
            box, (w, h) = boxes[node.id], GATEWAY_LABEL
            result.labels[node.id] = Box(box.cx - w / 2, box.y - h - 4, w, h)
    lane_of = {n.id: n.lane for n in nodes}
    corridor_use: dict[tuple[int, str], int] = {}
    entries: dict[str, int] = {}
    for flow in flows:
        a, b = boxes[flow.source], boxes[flow.target]
        if column[flow.target] == column[flow.source] + 1:
            points = _adjacent(a, b)
        else:
            lane = lane_of[flow.source]
            side = "bottom" if column[flow.target] < column[flow.source] else "top"
            used = corridor_use[(lane, side)] = corridor_use.get((lane, side), 0) + 1
            entered = entries[flow.target] = entries.get(flow.target, 0) + 1
            points = _corridor(a, b, lanes[lane], side, used, entered)
        result.edges[flow.id] = points
        if flow.name:
            (x0, y0), (_, y1) = points[0], points[1]
            if y0 == y1:  # leaves sideways: label above the line
                result.labels[flow.id] = Box(x0 + 6, y0 - 18, 36, 14)
            else:  # leaves downwards or upwards: label beside the line
                result.labels[flow.id] = Box(x0 + 6, (y0 + y1) / 2 - 7, 36, 14)
    return result


def _adjacent(a: Box, b: Box) -> list[tuple[float, float]]:
    """Right side of a to left side of b, bending once in the gap between their columns."""
    start, end = (a.x + a.w, a.cy), (b.x, b.cy)
    if a.cy == b.cy:
        return [start, end]
    mid = (a.x + a.w + b.x) / 2
    return [start, (mid, a.cy), (mid, b.cy), end]


def _corridor(
    a: Box, b: Box, lane: Box, side: str, used: int, entered: int
) -> list[tuple[float, float]]:
    """Leave a from its top or bottom, run along the lane margin, enter b from above or below."""
    offset = CORRIDOR_STEP * used
    if side == "bottom":
        y = lane.y + lane.h - offset
        start = (a.cx, a.y + a.h)
    else:
        y = lane.y + offset
        start = (a.cx, a.y)
    shift = min(12 * (entered - 1), b.w / 2 - 6)
    x = b.cx - shift
    end = (x, b.y + b.h) if b.cy < y else (x, b.y)
    return [start, (a.cx, y), (x, y), end]
