"""Names a process's conditions read, and the parts of the files deployed together that set them.

A condition that reads a name nothing can set (no form field, no Ya/Tidak answer, no business
rule task result, no script, no declared start data) fails on every instance that reaches it;
deploy refuses it instead, naming file, line, element and the name.

Who sets which names is a list of setters, `SETTERS`: each takes one parsed BPMN document and
yields (name, element) for every name some part of it sets. A new source of names (a new kind
of form, an extension element) is one more function in that list.

Names are pooled over every BPMN file of one deploy, and the deployed processes their call
activities start: a called process may read what its caller set, and the other way round.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterator

from lxml import etree

from engine.bpmn import names as n
from engine.bpmn.dmn import task_decision
from engine.bpmn.reader import BpmnReadError, properties, read_bpmn
from engine.bpmn.validate import Problem
from engine.runtime.expressions import FUNCTIONS, names_assigned, names_read

SPIFF = "http://spiffworkflow.org/bpmn/schema/1.0/core"
START_DATA_PROPERTY = "data"  # <camunda:property name="data" value="jumlah, tanggal_surat"/>
_SEPARATORS = re.compile(r"[\s,;]+")

Setter = Callable[[etree._Element], Iterator[tuple[str, etree._Element]]]


def _q(namespace: str, local: str) -> str:
    return f"{{{namespace}}}{local}"


def decision_answers(root: etree._Element) -> Iterator[tuple[str, etree._Element]]:
    """keputusan_<no> of every step with a Ya/Tidak decision (the engine stores the answer)."""
    data = etree.tostring(root)
    for process in root.iter(_q(n.BPMN, "process")):
        try:
            sop = read_bpmn(data, process.get("id"))
        except (BpmnReadError, ValueError):
            continue
        elements = {e.get("id"): e for e in process.iter() if isinstance(e.tag, str)}
        for step in sop.steps:
            if step.decision is not None:
                yield step.decision_variable, elements.get(step.element_id, process)


def business_rule_results(root: etree._Element) -> Iterator[tuple[str, etree._Element]]:
    """camunda:resultVariable (zeebe:calledDecision resultVariable) of every business rule task."""
    for task in root.iter(_q(n.BPMN, "businessRuleTask")):
        name = task_decision(task)[1]
        if name:
            yield name, task


def script_assignments(root: etree._Element) -> Iterator[tuple[str, etree._Element]]:
    """Every name a script task (or a SpiffWorkflow pre- or post-script) assigns."""
    scripts = [
        *root.iter(_q(n.BPMN, "script")),
        *root.iter(_q(SPIFF, "preScript")),
        *root.iter(_q(SPIFF, "postScript")),
    ]
    for script in scripts:
        for name in names_assigned(script.text or ""):
            yield name, script.getparent()


def form_fields(root: etree._Element) -> Iterator[tuple[str, etree._Element]]:
    """camunda:formField ids of user tasks and start events (what the form submits)."""
    for form_field in root.iter(_q(n.CAMUNDA, "formField")):
        name = (form_field.get("id") or "").strip()
        if name:
            yield name, form_field


def start_data(root: etree._Element) -> Iterator[tuple[str, etree._Element]]:
    """Names a process declares as its start data: the property 'data' of the process."""
    for process in root.iter(_q(n.BPMN, "process")):
        for key, value in properties(process):
            if key == START_DATA_PROPERTY:
                for name in _SEPARATORS.split(value.strip()):
                    if name:
                        yield name, process


def data_mappings(root: etree._Element) -> Iterator[tuple[str, etree._Element]]:
    """Data objects, multi-instance items and Camunda input/output mappings."""
    for tag in ("dataObject", "inputDataItem", "outputDataItem"):
        for el in root.iter(_q(n.BPMN, tag)):
            for name in {el.get("id"), el.get("name")} - {None, ""}:
                yield name, el
    for el in root.iter(_q(n.BPMN, "loopDataOutputRef")):
        if (el.text or "").strip():
            yield el.text.strip(), el.getparent()
    for el in root.iter(_q(n.CAMUNDA, "outputParameter")):
        if el.get("name"):
            yield el.get("name"), el
    for tag in ("in", "out"):
        for el in root.iter(_q(n.CAMUNDA, tag)):
            if el.get("target"):
                yield el.get("target"), el


SETTERS: list[Setter] = [
    decision_answers,
    business_rule_results,
    script_assignments,
    form_fields,
    start_data,
    data_mappings,
]


def names_set(roots: list[etree._Element]) -> set[str]:
    """Every name some setter finds in the documents."""
    return {name for root in roots for setter in SETTERS for name, _ in setter(root)}


def _local(el: etree._Element) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def _owner(el: etree._Element) -> etree._Element:
    """The sequence flow or event a condition belongs to."""
    for parent in el.iterancestors():
        if parent.get("id"):
            return parent
    return el


def condition_reads(root: etree._Element) -> Iterator[tuple[etree._Element, str]]:
    """(the condition's element, a name it reads) for every flow and event condition."""
    for tag in ("conditionExpression", "condition"):
        for el in root.iter(_q(n.BPMN, tag)):
            text = (el.text or "").strip()
            if text:
                for name in sorted(names_read(text) - set(FUNCTIONS)):
                    yield el, name


def unset_names(
    documents: list[tuple[str, etree._Element]], called: list[etree._Element] = ()
) -> list[Problem]:
    """A problem for each name a condition reads that nothing sets (deploy key name_never_set).

    documents: (filename, root) of every BPMN file deployed together; called: the documents of
    the processes deployed earlier that their call activities start (they set names too).
    """
    known = names_set([root for _, root in documents] + list(called))
    found = []
    for filename, root in documents:
        for el, name in condition_reads(root):
            if name not in known:
                close = difflib.get_close_matches(name, sorted(known), n=1)
                hint = f"; did you mean '{close[0]}'?" if close else ""
                where = (filename, el.sourceline, _owner(el).get("id"))
                found.append(Problem.found(*where, "name_never_set", name=name, hint=hint))
    return found
