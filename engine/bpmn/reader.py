"""Read a BPMN file (ours, or one saved by Camunda Modeler / bpmn.io) back into the SOP model."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from engine.bpmn import names as n
from engine.bpmn.xmlsafe import parse_xml
from engine.sop import Decision, Identity, Signatory, Sop, Step, Waktu

ACTIVITIES = n.TASKS | {"callActivity", "subProcess"}
PROPERTY_TAGS = {
    n.q(n.CAMUNDA, "property"),
    "{http://spiffworkflow.org/bpmn/schema/1.0/core}property",
}
ANSWERS = {"ya": n.YES, "yes": n.YES, "tidak": n.NO, "no": n.NO}


class BpmnReadError(ValueError):
    """A BPMN file that holds no process the SOP model can describe."""


@dataclass(frozen=True)
class DecisionGateway:
    """The exclusive gateway after a decision step, and its flow for each answer."""

    id: str
    flows: dict[str, str]  # "Ya" / "Tidak" -> the id of the sequence flow that answer takes


def read_bpmn(source: bytes | str | Path, process_id: str | None = None) -> Sop:
    """Recover the SOP (identity, lanes as actors, steps, decisions) from a BPMN document."""
    filename = str(source) if isinstance(source, Path | str) and not _is_xml(source) else None
    tree = parse_xml(source, filename=filename)
    root = tree.getroot()
    process = _pick_process(root, process_id)
    pid = process.get("id")
    owner = next(
        (
            p.get("name", "")
            for p in root.iter(n.q(n.BPMN, "participant"))
            if p.get("processRef") == pid
        ),
        "",
    )
    props = properties(process)
    actors, lane_of = _lanes(process)
    elements = {e.get("id"): e for e in process.iter() if e.get("id")}
    flows = [e for e in process.iter(n.q(n.BPMN, "sequenceFlow"))]
    out: dict[str, list[etree._Element]] = {}
    for flow in flows:
        out.setdefault(flow.get("sourceRef"), []).append(flow)
    tasks = _tasks_in_flow_order(process, out)
    numbers = _step_numbers(tasks)
    steps = []
    for task in tasks:
        tp = properties(task)
        steps.append(
            Step(
                no=numbers[task.get("id")],
                activity=_text(task.get("name")),
                actor=lane_of.get(task.get("id"), ""),
                participants=_all(tp, n.PROP_PESERTA),
                kelengkapan=_all(tp, n.PROP_KELENGKAPAN),
                waktu=Waktu.parse(_one(tp, n.PROP_WAKTU)),
                output=_all(tp, n.PROP_OUTPUT),
                keterangan=_one(tp, n.PROP_KETERANGAN),
                decision=_decision(task, out, elements, numbers),
                element_id=task.get("id"),
            )
        )
    steps.sort(key=lambda s: s.no)
    return Sop(
        code=_one(props, n.PROP_CODE) or pid,
        name=_text(process.get("name")) or pid,
        owner=owner,
        identity=_identity(props),
        actors=actors,
        steps=steps,
        process_id=pid,
    )


def properties(element: etree._Element) -> list[tuple[str, str]]:
    """The (name, value) pairs of an element's camunda:/spiffworkflow: properties, in order."""
    found = []
    for ext in element.iterchildren(n.q(n.BPMN, "extensionElements")):
        for prop in ext.iter(*PROPERTY_TAGS):
            found.append((prop.get("name", ""), prop.get("value", "")))
    return found


def _is_xml(source: bytes | str | Path) -> bool:
    return isinstance(source, str) and source.lstrip().startswith("<")


def _pick_process(root: etree._Element, process_id: str | None) -> etree._Element:
    processes = list(root.iter(n.q(n.BPMN, "process")))
    if process_id:
        processes = [p for p in processes if p.get("id") == process_id]
    executable = [p for p in processes if p.get("isExecutable") == "true"] or processes
    with_lanes = [p for p in executable if p.find(n.q(n.BPMN, "laneSet")) is not None]
    chosen = (with_lanes or executable or [None])[0]
    if chosen is None:
        raise BpmnReadError(f"no process {process_id or ''} in the file".replace("  ", " "))
    return chosen


def _lanes(process: etree._Element) -> tuple[list[str], dict[str, str]]:
    """Leaf lanes in document order, and each flow node's innermost lane name."""
    actors: list[str] = []
    lane_of: dict[str, str] = {}
    lane_set = process.find(n.q(n.BPMN, "laneSet"))
    if lane_set is None:
        return actors, lane_of
    for lane in lane_set.iter(n.q(n.BPMN, "lane")):
        name = _text(lane.get("name"))
        if lane.find(n.q(n.BPMN, "childLaneSet")) is None:
            actors.append(name)
        for ref in lane.iterchildren(n.q(n.BPMN, "flowNodeRef")):
            lane_of[(ref.text or "").strip()] = name  # document order: inner lanes come later
    return actors, lane_of


def _tasks_in_flow_order(process, out: dict[str, list]) -> list[etree._Element]:
    """Activities of the process, breadth first from its start events, then any unreached ones."""
    children = {c.get("id"): c for c in process if isinstance(c.tag, str)}
    starts = [c for c in process.iterchildren(n.q(n.BPMN, "startEvent"))]
    seen: set[str] = set()
    order: list[etree._Element] = []
    queue = deque(s.get("id") for s in starts)
    while queue:
        node_id = queue.popleft()
        if node_id in seen or node_id not in children:
            continue
        seen.add(node_id)
        node = children[node_id]
        if etree.QName(node).localname in ACTIVITIES:
            order.append(node)
        queue.extend(f.get("targetRef") for f in out.get(node_id, []))
    order += [
        c
        for c in children.values()
        if etree.QName(c).localname in ACTIVITIES and c.get("id") not in seen
    ]
    return order


def _step_numbers(tasks: list[etree._Element]) -> dict[str, int]:
    """Step numbers from the 'no' property; tasks without one are numbered after the rest."""
    numbers: dict[str, int] = {}
    for task in tasks:
        value = _one(properties(task), n.PROP_NO)
        if value.isdigit() and int(value) not in numbers.values():
            numbers[task.get("id")] = int(value)
    next_no = max(numbers.values(), default=0) + 1
    for task in tasks:
        if task.get("id") not in numbers:
            numbers[task.get("id")] = next_no
            next_no += 1
    return numbers


def decision_gateways(source: bytes | str, task_ids: Iterable[str]) -> dict[str, DecisionGateway]:
    """Per task id, the gateway asking that decision step's question (as read_bpmn finds it)."""
    root = parse_xml(source).getroot()
    elements = {e.get("id"): e for e in root.iter() if isinstance(e.tag, str) and e.get("id")}
    out: dict[str, list[etree._Element]] = {}
    for flow in root.iter(n.q(n.BPMN, "sequenceFlow")):
        out.setdefault(flow.get("sourceRef"), []).append(flow)
    found = {}
    for task_id in task_ids:
        gateway = _gateway_after(task_id, out, elements)
        answers = _answer_flows(gateway, out) if gateway is not None else {}
        if answers:
            flows = {answer: flow.get("id") for answer, flow in answers.items()}
            found[task_id] = DecisionGateway(gateway.get("id"), flows)
    return found


def _decision(task, out, elements, numbers) -> Decision | None:
    """A task followed by an exclusive gateway with Ya/Tidak flows is a decision step."""
    gateway = _gateway_after(task.get("id"), out, elements)
    answers = _answer_flows(gateway, out) if gateway is not None else {}
    if not answers:
        return None
    yes, no = (answers.get(a) for a in (n.YES, n.NO))
    return Decision(
        _text(gateway.get("name")),
        numbers.get(yes.get("targetRef")) if yes is not None else None,
        numbers.get(no.get("targetRef")) if no is not None else None,
    )


def _gateway_after(task_id: str, out, elements) -> etree._Element | None:
    """The exclusive gateway a task's only outgoing flow leads to, if it leads to one."""
    flows = out.get(task_id, [])
    if len(flows) != 1:
        return None
    gateway = elements.get(flows[0].get("targetRef"))
    if gateway is None or etree.QName(gateway).localname != "exclusiveGateway":
        return None
    return gateway


def _answer_flows(gateway: etree._Element, out) -> dict[str, etree._Element]:
    """The gateway's outgoing flows named Ya / Tidak (or Yes / No), by answer."""
    found = {}
    for flow in out.get(gateway.get("id"), []):
        answer = ANSWERS.get(_text(flow.get("name")).lower())
        if answer:
            found[answer] = flow
    return found


def _identity(props: list[tuple[str, str]]) -> Identity:
    values = {name: _one(props, name) for name in n.IDENTITY_SCALARS}
    lists = {name: _all(props, name) for name in n.IDENTITY_LISTS}
    signatory = Signatory(**{f: _one(props, f"disahkan_{f}") for f in n.SIGNATORY_FIELDS})
    return Identity(disahkan_oleh=signatory, **values, **lists)


def _one(props: list[tuple[str, str]], name: str) -> str:
    return next((value for key, value in props if key == name), "")


def _all(props: list[tuple[str, str]], name: str) -> list[str]:
    return [value for key, value in props if key == name]


def _text(value: str | None) -> str:
    return " ".join((value or "").split())
