"""Deploy checks of multi-instance markers and of flows across subprocesses."""

from __future__ import annotations

import re

from lxml import etree

from engine.bpmn import names as n
from engine.bpmn.validate import Problem

INSTANCES_MAX = 100  # tasks one multi-instance marker may make (see engine.runtime.lifecycle)
_NAME = re.compile(r"\s*(?:[$#]\{\s*)?[A-Za-z_][A-Za-z0-9_]*(?:\s*\})?\s*")


def _in_executable(root: etree._Element, tag: str) -> list[etree._Element]:
    """The elements named tag inside processes marked executable (other pools are drawings)."""
    return [
        el
        for process in root.iter(f"{{{n.BPMN}}}process")
        if process.get("isExecutable") == "true"
        for el in process.iter(f"{{{n.BPMN}}}{tag}")
    ]


def check_loops(root: etree._Element, filename: str) -> list[Problem]:
    """A multi-instance marker needs a count from 1 to INSTANCES_MAX or a list variable's name
    (call activities are checked by engine.bpmn.calls)."""
    problems = []

    def problem(el: etree._Element, element: str | None, message: str) -> None:
        problems.append(Problem(filename, el.sourceline, element, message))

    for loop in _in_executable(root, "multiInstanceLoopCharacteristics"):
        owner = loop.getparent()
        element = owner.get("id")
        count = loop.find(f"{{{n.BPMN}}}loopCardinality")
        text = (count.text or "").strip() if count is not None else ""
        if text.isdigit() and not 1 <= int(text) <= INSTANCES_MAX:
            problem(count, element, f"loop cardinality {text}: write a count from 1 to "
                                    f"{INSTANCES_MAX}")  # fmt: skip
        collection = loop.get(f"{{{n.CAMUNDA}}}collection")
        if collection is not None and not _NAME.fullmatch(collection):
            problem(
                loop,
                element,
                f"camunda:collection {collection[:80]!r}: name the list variable (daftar_opd or "
                "${daftar_opd}); other expressions are not evaluated here",
            )
    return problems


_CONTAINERS = {"process", "subProcess", "transaction", "adHocSubProcess"}


def check_crossing_flows(root: etree._Element, filename: str) -> list[Problem]:
    """A sequence flow stays inside its process or subprocess (BPMN's rule): one that enters or
    leaves a subprocess runs its target outside the subprocess and its lane."""
    ids = {el.get("id"): el for el in root.iter() if isinstance(el.tag, str) and el.get("id")}
    problems = []
    for flow in _in_executable(root, "sequenceFlow"):
        home = _container(flow)
        for end in ("sourceRef", "targetRef"):
            node = ids.get(flow.get(end) or "")
            if node is None or _container(node) is home:
                continue
            inside = "into" if end == "targetRef" else "out of"
            problems.append(
                Problem(
                    filename,
                    flow.sourceline,
                    flow.get("id"),
                    f"the sequence flow goes {inside} a subprocess to {node.get('id')!r}: connect "
                    "it to the subprocess itself, and inside start from its start event and "
                    "finish at its end event",
                )
            )
    return problems


def _container(el: etree._Element) -> etree._Element | None:
    return next((p for p in el.iterancestors() if etree.QName(p).localname in _CONTAINERS), None)
