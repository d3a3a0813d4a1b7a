"""Lane diagram of any BPMN file: pools and lanes as Graphviz clusters, laid out by dot.

Two steps: `extract` (exporters.lanes.read) reads the XML into plain data; `to_graph`
(exporters.lanes.graph) makes the DOT and `render` runs it. dot stacks lanes in whatever order
cuts crossings, so `render` moves them back into the file's order and lets `neato -n2` redraw
the edges that changed lanes.
"""

from __future__ import annotations

import json
from pathlib import Path

from exporters.lanes.graph import Placement, cluster_name, to_graph
from exporters.lanes.read import Flow, Lane, LaneDiagram, Node, Pool, extract

__all__ = [
    "Flow",
    "Lane",
    "LaneDiagram",
    "Node",
    "Placement",
    "Pool",
    "extract",
    "placement",
    "render",
    "render_file",
    "to_graph",
]


def _shift(points: str, dy: float) -> str:
    """A Graphviz pos/bb/lp string moved up by dy points."""
    moved = []
    for token in points.split():
        parts = token.split(",")
        if len(parts) == 4:  # bb: x0,y0,x1,y1
            x0, y0, x1, y1 = map(float, parts)
            moved.append(f"{x0:g},{y0 + dy:g},{x1:g},{y1 + dy:g}")
            continue
        head, x, y = parts[:-2], float(parts[-2]), float(parts[-1])
        moved.append(",".join([*head, f"{x:g}", f"{y + dy:g}"]))
    return " ".join(moved)


def _restack(names: list[str], boxes: dict[str, list[float]]) -> dict[str, float]:
    """Vertical moves that stack sibling clusters in the given order, dot's smallest gap apart."""
    now = sorted(names, key=lambda name: -boxes[name][3])  # Graphviz y grows upwards
    if now == names:
        return {}
    gap = max(0.0, min(boxes[a][1] - boxes[b][3] for a, b in zip(now, now[1:], strict=False)))
    cursor, moves = boxes[now[0]][3], {}
    for name in names:
        moves[name] = cursor - boxes[name][3]
        cursor -= boxes[name][3] - boxes[name][1] + gap
    return moves


def placement(diagram: LaneDiagram, laid: dict) -> Placement | None:
    """Where dot put everything, with pools and lanes moved into file order; None if they are."""
    objects = {o["_gvid"]: o for o in laid.get("objects", [])}
    clusters = {o["name"]: o for o in objects.values() if "bb" in o}
    boxes = {name: [float(v) for v in o["bb"].split(",")] for name, o in clusters.items()}
    moves: dict[str, float] = {}
    shrink: dict[str, float] = {}  # parent cluster -> how much higher its bottom now is

    def order(parent: str, names: list[str]) -> None:
        names = [n for n in names if n in boxes]
        moved = _restack(names, boxes)
        moves.update(moved)
        if moved:
            bottom = min(boxes[n][1] for n in names)
            shrink[parent] = min(boxes[n][1] + moved[n] for n in names) - bottom

    order("", [cluster_name(pool.id) for pool in diagram.pools])
    stack = [(cluster_name(pool.id), pool.nodes, pool.lanes) for pool in diagram.pools]
    while stack:
        parent, own, lanes = stack.pop()
        if not own:  # nodes outside the lanes would have to move with them: leave dot's order
            order(parent, [cluster_name(lane.id) for lane in lanes])
        stack.extend((cluster_name(lane.id), lane.nodes, lane.lanes) for lane in lanes)
    if not any(moves.values()):
        return None
    node_dy: dict[int, float] = {}
    for name, dy in moves.items():
        for gvid in clusters[name].get("nodes", []):
            node_dy[gvid] = node_dy.get(gvid, 0.0) + dy
    place = Placement()
    for gvid, obj in objects.items():
        if "pos" in obj:
            place.nodes[obj["name"]] = {"pos": _shift(obj["pos"], node_dy.get(gvid, 0.0))}
    members = {name: set(obj.get("nodes", [])) for name, obj in clusters.items()}
    for name, obj in clusters.items():  # a cluster moves with itself and every enclosing one
        dy = sum(d for m, d in moves.items() if members[name] and members[name] <= members[m])
        place.clusters[name] = {k: _shift(obj[k], dy) for k in ("bb", "lp") if k in obj}
        if shrink.get(name):
            x0, y0, x1, y1 = (float(v) for v in place.clusters[name]["bb"].split(","))
            place.clusters[name]["bb"] = f"{x0:g},{y0 + shrink[name]:g},{x1:g},{y1:g}"
    for edge in laid.get("edges", []):
        dy = node_dy.get(edge["tail"], 0.0)
        if "id" in edge and "pos" in edge and dy == node_dy.get(edge["head"], 0.0):
            place.edges[edge["id"]] = {k: _shift(edge[k], dy) for k in ("pos", "lp") if k in edge}
    return place


def render(diagram: LaneDiagram, fmt: str = "svg") -> bytes:
    """Run dot on the diagram (svg, png, pdf; 'dot' gives the source text). When dot stacks
    pools or lanes out of file order, they are moved back and neato -n2 redraws the edges."""
    graph = to_graph(diagram)
    if fmt == "dot":
        return graph.source.encode("utf-8")
    place = placement(diagram, json.loads(graph.pipe(format="json")))
    if place is None:
        return graph.pipe(format=fmt)
    return to_graph(diagram, place).pipe(format=fmt, engine="neato", neato_no_op=2)


def render_file(bpmn: Path, out: Path) -> Path:
    """Draw a BPMN file's lanes into out, the format taken from its suffix."""
    out.write_bytes(render(extract(bpmn), out.suffix.lstrip(".").lower() or "svg"))
    return out
