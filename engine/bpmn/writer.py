"""Write an SOP model as a BPMN 2.0 collaboration: one pool, one lane per Pelaksana, full BPMNDI."""

from __future__ import annotations

from dataclasses import replace

from lxml import etree

from engine.bpmn import names as n
from engine.bpmn.layout import Box, Flow, Layout, Node, layout
from engine.sop import Sop, Step


def write_bpmn(sop: Sop, keep_ids: bool = False) -> bytes:
    """Serialize the SOP as an executable BPMN file (UTF-8 bytes).

    Tasks are named after the step numbers (Langkah_<no>), or with keep_ids after each step's
    element_id where it has one (the table editor keeps a kept step's element).
    """
    _check(sop)
    if keep_ids:
        steps = [s if s.element_id else replace(s, element_id=s.task_id) for s in sop.steps]
    else:
        steps = [replace(s, element_id=s.task_id) for s in sop.steps]
    sop = replace(sop, steps=steps)
    nodes, flows = process_graph(sop)
    placed = layout(len(sop.actors), nodes, flows)
    root = etree.Element(
        n.q(n.BPMN, "definitions"),
        nsmap=n.NSMAP,
        id=f"Definitions_{sop.key}",
        targetNamespace=n.TARGET_NAMESPACE,
        exporter="Alur",
        exporterVersion="0.1",
    )
    collaboration = _sub(root, "collaboration", id=f"Collaboration_{sop.key}")
    _sub(collaboration, "participant", id=f"Pool_{sop.key}", name=sop.owner, processRef=sop.key)
    process = _sub(root, "process", id=sop.key, name=sop.name, isExecutable="true")
    _properties(process, _identity_properties(sop))
    lane_set = _sub(process, "laneSet", id=f"LaneSet_{sop.key}")
    for index, actor in enumerate(sop.actors):
        lane = _sub(lane_set, "lane", id=_lane_id(index), name=actor)
        for node in nodes:
            if node.lane == index:
                _sub(lane, "flowNodeRef").text = node.id
    steps = {s.element_id: s for s in sop.steps}
    incoming: dict[str, list[str]] = {}
    outgoing: dict[str, list[str]] = {}
    for flow in flows:
        outgoing.setdefault(flow.source, []).append(flow.id)
        incoming.setdefault(flow.target, []).append(flow.id)
    for node in nodes:
        tag = {
            "start": "startEvent",
            "end": "endEvent",
            "task": "userTask",
            "gateway": "exclusiveGateway",
        }
        element = _sub(process, tag[node.kind], id=node.id, name=node.name)
        if node.kind == "task":
            _properties(element, _step_properties(steps[node.id]))
        for ref in incoming.get(node.id, []):
            _sub(element, "incoming").text = ref
        for ref in outgoing.get(node.id, []):
            _sub(element, "outgoing").text = ref
    for flow in flows:
        element = _sub(process, "sequenceFlow", id=flow.id, sourceRef=flow.source)
        element.set("targetRef", flow.target)
        if flow.name:
            element.set("name", flow.name)
        if flow.condition:
            condition = _sub(element, "conditionExpression")
            condition.set(n.q(n.XSI, "type"), "bpmn:tFormalExpression")
            condition.text = flow.condition
    _diagram(root, sop, nodes, flows, placed)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def process_graph(sop: Sop) -> tuple[list[Node], list[Flow]]:
    """Nodes in step order (start, tasks with their gateways, end) and the flows between them.

    A step's task is its element_id (Langkah_<no> when it has none), its gateway named after it.
    """
    lane = {actor: i for i, actor in enumerate(sop.actors)}
    first, last = sop.steps[0], sop.steps[-1]
    nodes = [Node("StartEvent_1", "start", lane[first.actor], "Mulai")]
    flows: list[Flow] = []
    ids = {s.no: _task_id(s) for s in sop.steps}
    end_id = "EndEvent_1"

    def add(source: str, target: str, name: str = "", condition: str = "") -> None:
        flows.append(Flow(f"Flow_{len(flows) + 1}", source, target, name, condition))

    add("StartEvent_1", ids[first.no])
    for index, step in enumerate(sop.steps):
        task = ids[step.no]
        nodes.append(Node(task, "task", lane[step.actor], step.activity))
        following = ids[sop.steps[index + 1].no] if index + 1 < len(sop.steps) else end_id
        if step.decision is None:
            add(task, following)
            continue
        gateway = _gateway_id(step, task)
        nodes.append(Node(gateway, "gateway", lane[step.actor], step.decision.question))
        add(task, gateway)
        yes = ids[step.decision.yes] if step.decision.yes is not None else end_id
        var = step.decision_variable
        add(gateway, yes, n.YES, f'{var} == "{n.YES}"')
        no = ids[step.decision.no] if step.decision.no is not None else end_id
        add(gateway, no, n.NO, f'{var} == "{n.NO}"')
    nodes.append(Node(end_id, "end", lane[last.actor], "Selesai"))
    return nodes, flows


def _task_id(step: Step) -> str:
    return step.element_id or step.task_id


def _gateway_id(step: Step, task: str) -> str:
    """Keputusan_<no> beside Langkah_<no>; the gateway of another task id is named after it."""
    if task == step.task_id:
        return step.gateway_id
    prefix = "Langkah_"
    return "Keputusan_" + task[len(prefix) :] if task.startswith(prefix) else f"{task}_keputusan"


def _check(sop: Sop) -> None:
    """Refuse a model that breaks any rule of Sop.problems: it would not make a runnable process."""
    problems = sop.problems()
    if problems:
        raise ValueError(f"SOP {sop.code}: " + "; ".join(map(str, problems)))


def _identity_properties(sop: Sop) -> list[tuple[str, str]]:
    ident = sop.identity
    props = [(n.PROP_CODE, sop.code)]
    props += [(name, getattr(ident, name)) for name in n.IDENTITY_SCALARS]
    props += [(f"disahkan_{f}", getattr(ident.disahkan_oleh, f)) for f in n.SIGNATORY_FIELDS]
    props += [(name, item) for name in n.IDENTITY_LISTS for item in getattr(ident, name)]
    return props


def _step_properties(step: Step) -> list[tuple[str, str]]:
    props = [(n.PROP_NO, str(step.no)), (n.PROP_WAKTU, step.waktu.text)]
    props += [(n.PROP_PESERTA, p) for p in step.participants]
    props += [(n.PROP_KELENGKAPAN, k) for k in step.kelengkapan]
    props += [(n.PROP_OUTPUT, o) for o in step.output]
    props.append((n.PROP_KETERANGAN, step.keterangan))
    return props


def _properties(element: etree._Element, props: list[tuple[str, str]]) -> None:
    extension = _sub(element, "extensionElements")
    holder = etree.SubElement(extension, n.q(n.CAMUNDA, "properties"))
    for name, value in props:
        etree.SubElement(holder, n.q(n.CAMUNDA, "property"), name=name, value=value)


def _diagram(root, sop: Sop, nodes: list[Node], flows: list[Flow], placed: Layout) -> None:
    diagram = etree.SubElement(root, n.q(n.BPMNDI, "BPMNDiagram"), id=f"Diagram_{sop.key}")
    plane = etree.SubElement(diagram, n.q(n.BPMNDI, "BPMNPlane"), id=f"Plane_{sop.key}")
    plane.set("bpmnElement", f"Collaboration_{sop.key}")
    _shape(plane, f"Pool_{sop.key}", placed.pool, horizontal=True)
    for index, box in enumerate(placed.lanes):
        _shape(plane, _lane_id(index), box, horizontal=True)
    for node in nodes:
        shape = _shape(plane, node.id, placed.nodes[node.id])
        if node.kind == "gateway":
            shape.set("isMarkerVisible", "true")
        if node.id in placed.labels:
            _bounds(etree.SubElement(shape, n.q(n.BPMNDI, "BPMNLabel")), placed.labels[node.id])
    for flow in flows:
        edge = etree.SubElement(plane, n.q(n.BPMNDI, "BPMNEdge"), id=f"{flow.id}_di")
        edge.set("bpmnElement", flow.id)
        for x, y in placed.edges[flow.id]:
            etree.SubElement(edge, n.q(n.DI, "waypoint"), x=_num(x), y=_num(y))
        if flow.id in placed.labels:
            label = etree.SubElement(edge, n.q(n.BPMNDI, "BPMNLabel"))
            _bounds(label, placed.labels[flow.id])


def _shape(plane, element_id: str, box: Box, horizontal: bool = False) -> etree._Element:
    shape = etree.SubElement(plane, n.q(n.BPMNDI, "BPMNShape"), id=f"{element_id}_di")
    shape.set("bpmnElement", element_id)
    if horizontal:
        shape.set("isHorizontal", "true")
    _bounds(shape, box)
    return shape


def _bounds(parent, box: Box) -> None:
    etree.SubElement(
        parent,
        n.q(n.DC, "Bounds"),
        x=_num(box.x),
        y=_num(box.y),
        width=_num(box.w),
        height=_num(box.h),
    )


def _sub(parent, tag: str, **attrs: str) -> etree._Element:
    return etree.SubElement(parent, n.q(n.BPMN, tag), **attrs)


def _lane_id(index: int) -> str:
    return f"Lane_{index + 1}"


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"
