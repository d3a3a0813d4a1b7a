"""Edits of the SOP diagrams made the way people make them, for tests comparing versions."""

from __future__ import annotations

import re

from lxml import etree

from engine.bpmn import names as n
from tests.conftest import sop_path


def modeler_insert(name: str, after: str = "Langkah_4", before: str = "Langkah_5") -> bytes:
    """sop_c_1.bpmn with a task inserted between two others, as a BPMN modeler would:
    a fresh id, the existing tasks keep theirs, the later 'no' properties renumbered (and the
    conditions reading their Ya/Tidak answers with them)."""
    root = etree.fromstring(sop_path("C.1").read_bytes())
    ns = {"bpmn": n.BPMN, "camunda": n.CAMUNDA}
    at = int(before.removeprefix("Langkah_"))
    for prop in root.iterfind(".//bpmn:userTask//camunda:property[@name='no']", ns):
        if int(prop.get("value")) >= at:
            prop.set("value", str(int(prop.get("value")) + 1))
    for condition in root.iterfind(".//bpmn:conditionExpression", ns):  # the answers move too
        condition.text = re.sub(
            r"keputusan_(\d+)",
            lambda m: f"keputusan_{int(m[1]) + (int(m[1]) >= at)}",
            condition.text,
        )
    process = root.find("bpmn:process", ns)
    flow = next(f for f in process.iterfind("bpmn:sequenceFlow", ns) if f.get("sourceRef") == after)
    flow.set("targetRef", "Activity_0baru")
    task = etree.SubElement(process, n.q(n.BPMN, "userTask"), id="Activity_0baru", name=name)
    props = etree.SubElement(
        etree.SubElement(task, n.q(n.BPMN, "extensionElements")), n.q(n.CAMUNDA, "properties")
    )
    for key, value in (("no", str(at)), ("waktu", "60 menit")):
        etree.SubElement(props, n.q(n.CAMUNDA, "property"), name=key, value=value)
    etree.SubElement(
        process, n.q(n.BPMN, "sequenceFlow"), id="Flow_baru", sourceRef="Activity_0baru"
    ).set("targetRef", before)
    lane = root.find(".//bpmn:lane[@name='Fungsional Umum']", ns)
    etree.SubElement(lane, n.q(n.BPMN, "flowNodeRef")).text = "Activity_0baru"
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")
