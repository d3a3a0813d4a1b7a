"""Pools, lanes, flow nodes and flows of any BPMN file, read into plain data for the lane diagram.

Read: events, tasks, call activities, gateways, subprocesses (with their inner nodes), sequence
and message flows, boundary events (with the activity they sit on). Left out: data objects and
stores, annotations, associations, groups.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from engine.bpmn import names as n
from engine.bpmn.xmlsafe import parse_xml

EVENTS = {
    "startEvent": "start",
    "endEvent": "end",
    "intermediateCatchEvent": "event",
    "intermediateThrowEvent": "event",
    "boundaryEvent": "boundary",
}
GATEWAYS = {
    "exclusiveGateway": "X",
    "parallelGateway": "+",
    "inclusiveGateway": "O",
    "eventBasedGateway": "E",
    "complexGateway": "*",
}


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
    return qname.localname if qname.namespace == n.BPMN else None


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
        elif tag in n.TASKS or tag == "callActivity":
            nodes.append(Node(nid, _name(child), "call" if tag == "callActivity" else "task"))
        elif tag in GATEWAYS:
            nodes.append(Node(nid, _name(child), "gateway", marker=GATEWAYS[tag]))
        elif tag in n.SUBPROCESSES:
            nodes.append(Node(nid, _name(child), "subprocess", children=_nodes(child)))
    return nodes


def walk(nodes: list[Node]):
    for node in nodes:
        yield node
        yield from walk(node.children)


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
            lane = next((owner[c.id] for c in walk(node.children) if c.id in owner), None)
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
    for flow in root.iter(n.q(n.BPMN, "sequenceFlow")):
        diagram.flows.append(
            Flow(flow.get("sourceRef", ""), flow.get("targetRef", ""), _name(flow))
        )
    return diagram


def pool_nodes(pool: Pool) -> list[Node]:
    """A pool's top-level nodes: outside lanes first, then every lane's (nested lanes too)."""

    def lane_nodes(lanes: list[Lane]) -> list[Node]:
        return [n for lane in lanes for n in lane.nodes + lane_nodes(lane.lanes)]

    return pool.nodes + lane_nodes(pool.lanes)
