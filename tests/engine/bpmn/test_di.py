"""The diagrams' BPMNDI: every node and lane drawn, nodes inside their lane, nothing overlapping."""

from __future__ import annotations

from itertools import combinations

from lxml import etree

from engine.bpmn.names import BPMN, BPMNDI, DC, DI, q
from tests.conftest import sop_path

WAYPOINT = q(DI, "waypoint")
NODE_TAGS = ("startEvent", "endEvent", "userTask", "exclusiveGateway", "task")


def _geometry(code: str):
    root = etree.parse(str(sop_path(code))).getroot()
    bounds = {}
    for shape in root.iter(q(BPMNDI, "BPMNShape")):
        b = shape.find(q(DC, "Bounds"))
        x, y, w, h = (float(b.get(k)) for k in ("x", "y", "width", "height"))
        bounds[shape.get("bpmnElement")] = (x, y, x + w, y + h)
    edges = {
        e.get("bpmnElement"): [
            (float(p.get("x")), float(p.get("y"))) for p in e.iter(q(DI, "waypoint"))
        ]
        for e in root.iter(q(BPMNDI, "BPMNEdge"))
    }
    return root, bounds, edges


def _inside(inner, outer) -> bool:
    return (
        outer[0] <= inner[0]
        and outer[1] <= inner[1]
        and inner[2] <= outer[2]
        and inner[3] <= outer[3]
    )


def _overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _on_border(point, box, tol=1.0) -> bool:
    x, y = point
    inside = box[0] - tol <= x <= box[2] + tol and box[1] - tol <= y <= box[3] + tol
    near = min(abs(x - box[0]), abs(x - box[2]), abs(y - box[1]), abs(y - box[3])) <= tol
    return inside and near


def _segment_hits(p, r, box, margin=2.0) -> bool:
    """Does the axis-parallel segment p-r pass through the interior of box?"""
    x0, y0, x1, y1 = box[0] + margin, box[1] + margin, box[2] - margin, box[3] - margin
    sx0, sx1 = sorted((p[0], r[0]))
    sy0, sy1 = sorted((p[1], r[1]))
    return sx0 <= x1 and x0 <= sx1 and sy0 <= y1 and y0 <= sy1


def test_every_node_and_lane_has_a_shape_inside_its_lane(code):
    root, bounds, _ = _geometry(code)
    process = root.find(q(BPMN, "process"))
    participant = root.find(f".//{q(BPMN, 'participant')}")
    lanes = list(process.iter(q(BPMN, "lane")))
    assert len(lanes) == 9
    for lane in lanes:
        assert lane.get("id") in bounds
        assert _inside(bounds[lane.get("id")], bounds[participant.get("id")])
        for ref in lane.iter(q(BPMN, "flowNodeRef")):
            assert _inside(bounds[ref.text], bounds[lane.get("id")]), ref.text
    nodes = [e.get("id") for tag in NODE_TAGS for e in process.iter(q(BPMN, tag))]
    assert nodes and all(n in bounds for n in nodes)


def test_no_two_node_shapes_overlap(code):
    root, bounds, _ = _geometry(code)
    process = root.find(q(BPMN, "process"))
    nodes = [e.get("id") for tag in NODE_TAGS for e in process.iter(q(BPMN, tag))]
    for a, b in combinations(nodes, 2):
        assert not _overlap(bounds[a], bounds[b]), (a, b)


def test_edges_join_their_nodes_at_the_border_and_cross_no_other_shape(code):
    root, bounds, edges = _geometry(code)
    process = root.find(q(BPMN, "process"))
    nodes = {e.get("id") for tag in NODE_TAGS for e in process.iter(q(BPMN, tag))}
    for flow in process.iter(q(BPMN, "sequenceFlow")):
        points = edges[flow.get("id")]
        assert len(points) >= 2
        assert _on_border(points[0], bounds[flow.get("sourceRef")]), flow.get("id")
        assert _on_border(points[-1], bounds[flow.get("targetRef")]), flow.get("id")
        for p, r in zip(points, points[1:], strict=False):
            assert p[0] == r[0] or p[1] == r[1], f"{flow.get('id')}: not a right angle"
            for other in nodes - {flow.get("sourceRef"), flow.get("targetRef")}:
                assert not _segment_hits(p, r, bounds[other]), (flow.get("id"), other)
