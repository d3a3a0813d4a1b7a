"""Edits an analyst makes to a real SOP file in a BPMN editor, done on its XML: ids stay."""

from __future__ import annotations

from lxml import etree

from engine.bpmn import names as n


def _q(tag: str) -> str:
    return n.q(n.BPMN, tag)


def _process(root):
    return root.find(_q("process"))


def _out(root) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _property(element, name: str, value: str) -> None:
    for prop in element.iter(n.q(n.CAMUNDA, "property")):
        if prop.get("name") == name:
            prop.set("value", value)
            return
    raise KeyError(name)


def set_waktu(data: bytes, element_id: str, waktu: str) -> bytes:
    """The step's Mutu Baku Waktu changed."""
    root = etree.fromstring(data)
    _property(_process(root).find(f"*[@id='{element_id}']"), "waktu", waktu)
    return _out(root)


def rename_id(data: bytes, old: str, new: str, name: str | None = None) -> bytes:
    """The element's id changed (and its label, when given): every reference follows."""
    root = etree.fromstring(data)
    for el in root.iter():
        for attr in ("id", "sourceRef", "targetRef", "bpmnElement"):
            if el.get(attr) == old:
                el.set(attr, new)
        if el.tag in (_q("flowNodeRef"),) and el.text == old:
            el.text = new
    if name:
        _process(root).find(f"*[@id='{new}']").set("name", name)
    return _out(root)


def insert_after(
    data: bytes, source: str, new_id: str, name: str, no: int, waktu: str = "60 Menit"
) -> bytes:
    """A new step right after `source` (in its lane): source -> new -> what followed source."""
    root = etree.fromstring(data)
    process = _process(root)
    flow = next(f for f in process.iter(_q("sequenceFlow")) if f.get("sourceRef") == source)
    target, new_flow_id = flow.get("targetRef"), f"Flow_{new_id}"
    task = etree.Element(_q("userTask"), id=new_id, name=name)
    props = etree.SubElement(
        etree.SubElement(task, _q("extensionElements")), n.q(n.CAMUNDA, "properties")
    )
    for key, value in (("no", str(no)), ("waktu", waktu)):
        etree.SubElement(props, n.q(n.CAMUNDA, "property"), name=key, value=value)
    etree.SubElement(task, _q("incoming")).text = flow.get("id")
    etree.SubElement(task, _q("outgoing")).text = new_flow_id
    process.find(f"*[@id='{source}']").addnext(task)
    for incoming in process.find(f"*[@id='{target}']").iter(_q("incoming")):
        if incoming.text == flow.get("id"):
            incoming.text = new_flow_id
    flow.set("targetRef", new_id)
    flow.addnext(
        etree.Element(_q("sequenceFlow"), id=new_flow_id, sourceRef=new_id, targetRef=target)
    )
    for ref in process.iter(_q("flowNodeRef")):
        if ref.text == source:
            ref.addnext(etree.Element(_q("flowNodeRef")))
            ref.getnext().text = new_id
            break
    return _out(root)


def remove(data: bytes, element_id: str) -> bytes:
    """A step (one flow in, one out) taken out: its predecessor leads to its successor."""
    root = etree.fromstring(data)
    process = _process(root)
    into = next(f for f in process.iter(_q("sequenceFlow")) if f.get("targetRef") == element_id)
    out = next(f for f in process.iter(_q("sequenceFlow")) if f.get("sourceRef") == element_id)
    into.set("targetRef", out.get("targetRef"))
    for incoming in process.find(f"*[@id='{out.get('targetRef')}']").iter(_q("incoming")):
        if incoming.text == out.get("id"):
            incoming.text = into.get("id")
    for el in [process.find(f"*[@id='{element_id}']"), out]:
        el.getparent().remove(el)
    for ref in list(process.iter(_q("flowNodeRef"))):
        if ref.text == element_id:
            ref.getparent().remove(ref)
    for el in list(root.iter()):
        if el.get("bpmnElement") in (element_id, out.get("id")):
            el.getparent().remove(el)
    return _out(root)


def add_decision(data: bytes, step_id: str, no: int, question: str, back_to: str) -> bytes:
    """The step becomes a decision: Ya goes on as before, Tidak sends the case back."""
    root = etree.fromstring(data)
    process = _process(root)
    flow = next(f for f in process.iter(_q("sequenceFlow")) if f.get("sourceRef") == step_id)
    gateway_id, target = f"Keputusan_{no}", flow.get("targetRef")
    gateway = etree.Element(_q("exclusiveGateway"), id=gateway_id, name=question)
    etree.SubElement(gateway, _q("incoming")).text = flow.get("id")
    for answer, to in (("Ya", target), ("Tidak", back_to)):
        flow_id = f"Flow_{gateway_id}_{answer}"
        etree.SubElement(gateway, _q("outgoing")).text = flow_id
        answered = etree.Element(
            _q("sequenceFlow"), id=flow_id, name=answer, sourceRef=gateway_id, targetRef=to
        )
        condition = etree.SubElement(answered, _q("conditionExpression"))
        condition.set(n.q(n.XSI, "type"), "bpmn:tFormalExpression")
        condition.text = f'keputusan_{no} == "{answer}"'
        flow.addnext(answered)
        for incoming in process.find(f"*[@id='{to}']").iter(_q("incoming")):
            if incoming.text == flow.get("id"):
                incoming.text = flow_id
        if answer == "Tidak":  # one more way in, after the ones it has
            *_, last = process.find(f"*[@id='{to}']").iter(_q("incoming"))
            last.addnext(etree.Element(_q("incoming")))
            last.getnext().text = flow_id
    flow.set("targetRef", gateway_id)
    process.find(f"*[@id='{step_id}']").addnext(gateway)
    for ref in process.iter(_q("flowNodeRef")):
        if ref.text == step_id:
            ref.addnext(etree.Element(_q("flowNodeRef")))
            ref.getnext().text = gateway_id
            break
    return _out(root)


def move_to_lane(data: bytes, element_id: str, lane_name: str) -> bytes:
    """The step is now done by another Pelaksana (its node moves to that lane)."""
    root = etree.fromstring(data)
    process = _process(root)
    for ref in list(process.iter(_q("flowNodeRef"))):
        if ref.text == element_id:
            ref.getparent().remove(ref)
    lane = next(la for la in process.iter(_q("lane")) if la.get("name") == lane_name)
    etree.SubElement(lane, _q("flowNodeRef")).text = element_id
    return _out(root)
