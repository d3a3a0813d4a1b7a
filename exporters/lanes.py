"""Lane diagram of any BPMN file: pools and lanes as Graphviz clusters, laid out by dot.

Two steps: `extract` reads pools, (nested) lanes, flow nodes, subprocesses and flows from the XML
into plain data; `to_graph`/`render` draw it left to right. Every lane is stretched over all ranks
so lanes stack as horizontal stripes; dot picks their order to cut crossings, so `render` moves
them back into the file's order and lets `neato -n2` redraw the edges that changed lanes.
Drawn: events, tasks, call activities, gateways, subprocesses (a cluster when they hold nodes),
sequence and message flows, boundary events (dotted to their host). Left out: data objects and
stores, annotations, associations, groups.
"""

from __future__ import annotations

import json
import logging
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

import graphviz
from lxml import etree

from engine.xmlsafe import parse_xml

logger = logging.getLogger(__name__)

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
EVENTS = {
    "startEvent": "start",
    "endEvent": "end",
    "intermediateCatchEvent": "event",
    "intermediateThrowEvent": "event",
    "boundaryEvent": "boundary",
}
TASKS = {
    "task",
    "userTask",
    "manualTask",
    "serviceTask",
    "sendTask",
    "receiveTask",
    "businessRuleTask",
    "scriptTask",
}
GATEWAYS = {
    "exclusiveGateway": "X",
    "parallelGateway": "+",
    "inclusiveGateway": "O",
    "eventBasedGateway": "E",
    "complexGateway": "*",
}
SUBPROCESSES = {"subProcess", "transaction", "adHocSubProcess"}


@dataclass
class Node:
    """A flow node; a subprocess keeps its inner nodes (drawn as a cluster when it has any)."""

    id: str
    name: str
    kind: str  # start, end, event, boundary, task, call, gateway, subprocess
    marker: str = ""  # gateway type
    attached_to: str | None = None  # boundary events: the activity they sit on
    children: list[Node] = field(default_factory=list)


@dataclass
class Lane:
    id: str
    name: str
    nodes: list[Node] = field(default_factory=list)
    lanes: list[Lane] = field(default_factory=list)  # childLaneSet


@dataclass
class Pool:
    """One participant (or a process no participant names); nodes outside any lane kept apart."""

    id: str
    name: str
    lanes: list[Lane] = field(default_factory=list)
    nodes: list[Node] = field(default_factory=list)


@dataclass
class Flow:
    source: str
    target: str
    name: str = ""
    message: bool = False


@dataclass
class LaneDiagram:
    name: str
    pools: list[Pool] = field(default_factory=list)
    flows: list[Flow] = field(default_factory=list)


def _local(element: etree._Element) -> str | None:
    """Local name of a BPMN model element; None for other namespaces, comments, PIs."""
    if not isinstance(element.tag, str):
        return None
    qname = etree.QName(element)
    return qname.localname if qname.namespace == BPMN else None


def _name(element: etree._Element) -> str:
    return " ".join((element.get("name") or "").split())


def _nodes(container: etree._Element) -> list[Node]:
    """The flow nodes directly inside a process or subprocess, in document order."""
    nodes = []
    for child in container:
        tag, nid = _local(child), child.get("id")
        if tag is None or not nid:
            continue
        if tag in EVENTS:
            nodes.append(
                Node(nid, _name(child), EVENTS[tag], attached_to=child.get("attachedToRef"))
            )
        elif tag in TASKS or tag == "callActivity":
            nodes.append(Node(nid, _name(child), "call" if tag == "callActivity" else "task"))
        elif tag in GATEWAYS:
            nodes.append(Node(nid, _name(child), "gateway", marker=GATEWAYS[tag]))
        elif tag in SUBPROCESSES:
            nodes.append(Node(nid, _name(child), "subprocess", children=_nodes(child)))
    return nodes


def _walk(nodes: list[Node]):
    for node in nodes:
        yield node
        yield from _walk(node.children)


def _lane_tree(lane_set: etree._Element, owner: dict[str, Lane]) -> list[Lane]:
    """Lanes of a laneSet; owner maps a node id to its deepest lane (child lanes win)."""
    lanes = []
    for element in lane_set:
        if _local(element) != "lane":
            continue
        lane = Lane(element.get("id", ""), _name(element))
        for ref in element:
            if _local(ref) == "flowNodeRef" and ref.text:
                owner[ref.text.strip()] = lane
        for child_set in element:
            if _local(child_set) == "childLaneSet":
                lane.lanes = _lane_tree(child_set, owner)
        lanes.append(lane)
    return lanes


def _pool(pool_id: str, name: str, process: etree._Element | None) -> Pool:
    """A pool with the process's nodes dealt into its lanes."""
    pool = Pool(pool_id, name)
    if process is None:
        return pool
    owner: dict[str, Lane] = {}
    for lane_set in process:
        if _local(lane_set) == "laneSet":
            pool.lanes.extend(_lane_tree(lane_set, owner))
    nodes = _nodes(process)
    for node in nodes:
        lane = owner.get(node.id)
        if lane is None and node.attached_to:  # boundary event: its host's lane
            lane = owner.get(node.attached_to)
        if lane is None:  # a subprocess no lane names, whose inner nodes a lane does
            lane = next((owner[c.id] for c in _walk(node.children) if c.id in owner), None)
        (lane.nodes if lane else pool.nodes).append(node)
    return pool


def extract(source: bytes | str | Path, filename: str | None = None) -> LaneDiagram:
    """Pools, lanes, nodes and flows of a BPMN document (any editor's)."""
    root = parse_xml(source, filename).getroot()
    processes = {p.get("id"): p for p in root if _local(p) == "process"}
    diagram = LaneDiagram(_name(root) or (Path(str(filename)).stem if filename else "bpmn"))
    named: set[str] = set()
    for collaboration in (e for e in root if _local(e) == "collaboration"):
        for part in (e for e in collaboration if _local(e) == "participant"):
            ref = part.get("processRef")
            process = processes.get(ref)
            named.add(ref)
            label = _name(part) or (_name(process) if process is not None else "") or part.get("id")
            diagram.pools.append(_pool(part.get("id", ""), label, process))
        for flow in (e for e in collaboration if _local(e) == "messageFlow"):
            diagram.flows.append(
                Flow(flow.get("sourceRef", ""), flow.get("targetRef", ""), _name(flow), True)
            )
    for pid, process in processes.items():
        if pid not in named and _nodes(process):
            diagram.pools.append(_pool(pid, _name(process) or pid, process))
    for flow in root.iter(f"{{{BPMN}}}sequenceFlow"):
        diagram.flows.append(
            Flow(flow.get("sourceRef", ""), flow.get("targetRef", ""), _name(flow))
        )
    return diagram


FONT = "Helvetica"
LANE_FILLS = ("#f3f6fb", "#ffffff")
INVISIBLE = {"shape": "point", "style": "invis", "width": "0.01"}


def _wrap(text: str, width: int = 18) -> str:
    """Text broken into lines for a Graphviz label (backslashes kept literal)."""
    return "\n".join(textwrap.wrap(text.replace("\\", "\\\\"), width)) if text else ""


def _cluster(element_id: str) -> str:
    return f"cluster_{element_id}"


def _attrs(node: Node) -> dict[str, str]:
    """Graphviz node attributes for one BPMN shape (names inside, so clusters hold them)."""
    if node.kind in ("start", "end", "event", "boundary"):
        shape = "circle" if node.kind in ("start", "end") else "doublecircle"
        attrs = {
            "shape": shape,
            "label": _wrap(node.name, 12),
            "fontsize": "8",
            "width": "0.3",
            "margin": "0.02",
        }
        return attrs | ({"penwidth": "3"} if node.kind == "end" else {})
    if node.kind == "gateway":
        label = f"{node.marker}\n{_wrap(node.name, 14)}" if node.name else node.marker
        return {
            "shape": "diamond",
            "label": label,
            "fontsize": "8",
            "width": "0.45",
            "height": "0.45",
            "margin": "0",
        }
    label = _wrap(node.name)
    if node.kind == "subprocess":  # collapsed, or expanded with no inner nodes
        label = f"{label}\n[+]" if label else "[+]"
    width = "2.5" if node.kind == "call" else "1"
    return {
        "shape": "box",
        "style": "rounded,filled",
        "fillcolor": "#fffdf0",
        "label": label,
        "penwidth": width,
        "margin": "0.12,0.06",
    }


def _drawn(nodes: list[Node]) -> list[Node]:
    """The nodes that become Graphviz nodes (an expanded subprocess becomes a cluster)."""
    return [n for n in _walk(nodes) if n.kind != "subprocess" or not n.children]


@dataclass
class Placement:
    """Positions from a first dot run, with bands moved into file order (for neato -n2)."""

    nodes: dict[str, dict[str, str]] = field(default_factory=dict)
    clusters: dict[str, dict[str, str]] = field(default_factory=dict)
    edges: dict[str, dict[str, str]] = field(default_factory=dict)


class _Drawing:
    """Builds the digraph. Every band (a lane, or a pool's nodes outside lanes) spans all ranks,
    so the bands stack as horizontal stripes."""

    def __init__(self, diagram: LaneDiagram, place: Placement | None = None):
        self.place = place
        self.graph = graphviz.Digraph(
            diagram.name,
            graph_attr={
                "rankdir": "LR",
                "newrank": "true",
                "compound": "true",
                "fontname": FONT,
                "fontsize": "11",
                "nodesep": "0.3",
                "ranksep": "0.4",
                "splines": "true",
            },
            node_attr={"fontname": FONT, "fontsize": "9"},
            edge_attr={"fontname": FONT, "fontsize": "8", "arrowsize": "0.7"},
        )
        self.bands: dict[str, list[str]] = {}  # band id -> its drawn nodes
        self.pool_anchor: dict[str, str] = {}
        self.flows: list[tuple[str, str]] = []  # drawn (tail, head) pairs that set ranks
        for pool in diagram.pools:
            self.pool(pool)

    def _node(self, graph: graphviz.Digraph, name: str, attrs: dict[str, str]) -> None:
        graph.node(name, **attrs, **(self.place.nodes.get(name, {}) if self.place else {}))

    def _box(self, graph: graphviz.Digraph, name: str, **attrs: str) -> None:
        graph.attr(**attrs, **(self.place.clusters.get(name, {}) if self.place else {}))

    def band(self, graph: graphviz.Digraph, band_id: str, nodes: list[Node]) -> None:
        self._node(graph, f"band_in_{band_id}", INVISIBLE)
        self._node(graph, f"band_out_{band_id}", INVISIBLE)
        self.bands[band_id] = [n.id for n in _drawn(nodes)]

    def node(self, graph: graphviz.Digraph, node: Node) -> None:
        if node.kind != "subprocess" or not node.children:
            self._node(graph, node.id, _attrs(node))
            return
        with graph.subgraph(name=_cluster(node.id)) as inner:
            self._box(
                inner,
                _cluster(node.id),
                label=_wrap(node.name, 30),
                labeljust="l",
                style="rounded,filled",
                fillcolor="#ffffff",
                color="#333333",
            )
            for child in node.children:
                self.node(inner, child)

    def lanes(self, graph: graphviz.Digraph, lanes: list[Lane], depth: int = 0) -> None:
        for number, lane in enumerate(lanes):
            with graph.subgraph(name=_cluster(lane.id)) as sub:
                fill = LANE_FILLS[(number + depth) % 2]
                self._box(
                    sub,
                    _cluster(lane.id),
                    label=_wrap(lane.name, 60),
                    labeljust="l",
                    style="filled",
                    fillcolor=fill,
                    color="#555555",
                )
                if lane.nodes or not lane.lanes:
                    self.band(sub, lane.id, lane.nodes)
                self.lanes(sub, lane.lanes, depth + 1)
                for node in lane.nodes:
                    self.node(sub, node)

    def pool(self, pool: Pool) -> None:
        with self.graph.subgraph(name=_cluster(pool.id)) as sub:
            self._box(
                sub,
                _cluster(pool.id),
                label=_wrap(pool.name, 80),
                labeljust="l",
                style="bold",
                color="#222222",
            )
            first = len(self.bands)
            if pool.nodes or not pool.lanes:
                self.band(sub, pool.id, pool.nodes)
            self.lanes(sub, pool.lanes)
            self.pool_anchor[pool.id] = f"band_in_{list(self.bands)[first]}"
            for node in pool.nodes:
                self.node(sub, node)

    def edge(self, tail: str, head: str, edge_id: str, **attrs: str) -> None:
        route = self.place.edges.get(edge_id, {}) if self.place else {}
        self.graph.edge(tail, head, id=edge_id, **attrs, **route)

    def stretch(self) -> None:
        """Tie every band to one first and one last rank, so it spans the whole width."""
        if self.place:  # positions are fixed already
            return
        tails = {tail for tail, _ in self.flows}
        heads = {head for _, head in self.flows}
        for band_id, drawn in self.bands.items():
            for name in drawn:
                if name not in heads:
                    self.graph.edge(f"band_in_{band_id}", name, style="invis")
                if name not in tails:
                    self.graph.edge(name, f"band_out_{band_id}", style="invis")
        for side in ("in", "out"):
            with self.graph.subgraph() as same:
                same.attr(rank="same")
                for band_id in self.bands:
                    same.node(f"band_{side}_{band_id}")


def _pool_nodes(pool: Pool) -> list[Node]:
    def lane_nodes(lanes: list[Lane]) -> list[Node]:
        return [n for lane in lanes for n in lane.nodes + lane_nodes(lane.lanes)]

    return pool.nodes + lane_nodes(pool.lanes)


def _end(
    ref: str, index: dict[str, Node], anchors: dict[str, str], head: bool
) -> tuple[str, dict[str, str]] | None:
    """Graphviz endpoint of a flow: a node, or a node inside the cluster it stands for."""
    key = "lhead" if head else "ltail"
    if ref in anchors:  # a message flow to or from a whole pool
        return anchors[ref], {key: _cluster(ref)}
    node = index.get(ref)
    if node is None:
        return None
    if node.kind != "subprocess" or not node.children:
        return node.id, {}
    inner = [c for c in node.children if c.kind != "boundary"] or node.children
    wanted = "start" if head else "end"
    pick = next((c for c in inner if c.kind == wanted), inner[0] if head else inner[-1])
    name, _ = _end(pick.id, index, anchors, head)
    return name, {key: _cluster(node.id)}


def to_graph(diagram: LaneDiagram, place: Placement | None = None) -> graphviz.Digraph:
    """The diagram as a Graphviz digraph for dot: pools > lanes > nodes, left to right.
    With a placement, the same graph with fixed positions for `neato -n2`."""
    drawing = _Drawing(diagram, place)
    anchors = drawing.pool_anchor
    index = {n.id: n for pool in diagram.pools for n in _walk(_pool_nodes(pool))}
    count = 0

    def edge(source: str, target: str, **attrs: str) -> None:
        nonlocal count
        tail, head = _end(source, index, anchors, False), _end(target, index, anchors, True)
        if tail is None or head is None:
            logger.info("flow %s -> %s skipped: an end is not a drawn node", source, target)
            return
        count += 1
        extra = {k: v for k, v in attrs.items() if v} | tail[1] | head[1]
        drawing.edge(tail[0], head[0], f"e{count}", **extra)
        if attrs.get("constraint") != "false":
            drawing.flows.append((tail[0], head[0]))

    for node in index.values():
        if node.attached_to in index:
            edge(node.attached_to, node.id, style="dotted", arrowhead="none")
    for flow in diagram.flows:
        if flow.message:
            edge(
                flow.source,
                flow.target,
                label=_wrap(flow.name, 16),
                style="dashed",
                arrowhead="empty",
                arrowtail="odot",
                dir="both",
                constraint="false",
            )
        else:
            edge(flow.source, flow.target, label=_wrap(flow.name, 16))
    drawing.stretch()
    return drawing.graph


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

    order("", [_cluster(pool.id) for pool in diagram.pools])
    stack = [(_cluster(pool.id), pool.nodes, pool.lanes) for pool in diagram.pools]
    while stack:
        parent, own, lanes = stack.pop()
        if not own:  # nodes outside the lanes would have to move with them: leave dot's order
            order(parent, [_cluster(lane.id) for lane in lanes])
        stack.extend((_cluster(lane.id), lane.nodes, lane.lanes) for lane in lanes)
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
