"""The lane diagram as a Graphviz digraph: pools and lanes as clusters, left to right.

Every band (a lane, or a pool's nodes outside lanes) is tied to one first and one last rank, so
the bands stack as horizontal stripes. With a `Placement` the same graph carries fixed positions
for `neato -n2` (see `exporters.lanes`).
"""

from __future__ import annotations

import logging
import textwrap
from dataclasses import dataclass, field

import graphviz

from exporters.lanes.read import Lane, LaneDiagram, Node, Pool, pool_nodes, walk

logger = logging.getLogger(__name__)

FONT = "Helvetica"
LANE_FILLS = ("#f3f6fb", "#ffffff")
INVISIBLE = {"shape": "point", "style": "invis", "width": "0.01"}


def _wrap(text: str, width: int = 18) -> str:
    """Text broken into lines for a Graphviz label (backslashes kept literal)."""
    return "\n".join(textwrap.wrap(text.replace("\\", "\\\\"), width)) if text else ""


def cluster_name(element_id: str) -> str:
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
    return [n for n in walk(nodes) if n.kind != "subprocess" or not n.children]


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
        with graph.subgraph(name=cluster_name(node.id)) as inner:
            self._box(
                inner,
                cluster_name(node.id),
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
            with graph.subgraph(name=cluster_name(lane.id)) as sub:
                fill = LANE_FILLS[(number + depth) % 2]
                self._box(
                    sub,
                    cluster_name(lane.id),
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
        with self.graph.subgraph(name=cluster_name(pool.id)) as sub:
            self._box(
                sub,
                cluster_name(pool.id),
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


def _end(
    ref: str, index: dict[str, Node], anchors: dict[str, str], head: bool
) -> tuple[str, dict[str, str]] | None:
    """Graphviz endpoint of a flow: a node, or a node inside the cluster it stands for."""
    key = "lhead" if head else "ltail"
    if ref in anchors:  # a message flow to or from a whole pool
        return anchors[ref], {key: cluster_name(ref)}
    node = index.get(ref)
    if node is None:
        return None
    if node.kind != "subprocess" or not node.children:
        return node.id, {}
    inner = [c for c in node.children if c.kind != "boundary"] or node.children
    wanted = "start" if head else "end"
    pick = next((c for c in inner if c.kind == wanted), inner[0] if head else inner[-1])
    name, _ = _end(pick.id, index, anchors, head)
    return name, {key: cluster_name(node.id)}


def to_graph(diagram: LaneDiagram, place: Placement | None = None) -> graphviz.Digraph:
    """The diagram as a Graphviz digraph for dot: pools > lanes > nodes, left to right.
    With a placement, the same graph with fixed positions for `neato -n2`."""
    drawing = _Drawing(diagram, place)
    anchors = drawing.pool_anchor
    index = {n.id: n for pool in diagram.pools for n in walk(pool_nodes(pool))}
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
