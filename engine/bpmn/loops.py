"""Deploy checks of call activities and multi-instance markers: what runs, within bounds."""

from __future__ import annotations

import re

from lxml import etree

from engine.bpmn import names as n
from engine.bpmn.validate import Problem

INSTANCES_MAX = 100  # tasks one multi-instance marker may make (see engine.runtime.lifecycle)
_NAME = re.compile(r"\s*(?:[$#]\{\s*)?[A-Za-z_][A-Za-z0-9_]*(?:\s*\})?\s*")


def check_loops(root: etree._Element, filename: str) -> list[Problem]:
    """Call activities are refused (a called process runs as its own instance: start it
    separately, or draw its steps as an embedded subprocess); a multi-instance marker needs a
    count from 1 to INSTANCES_MAX or a list variable's name."""
    problems = []

    def problem(el: etree._Element, element: str | None, message: str) -> None:
        problems.append(Problem(filename, el.sourceline, element, message))

    for call in root.iter(f"{{{n.BPMN}}}callActivity"):
        called = (call.get("calledElement") or "").strip()[:80]
        problem(
            call,
            call.get("id"),
            f"call activity (calledElement {called!r}): calling another deployed process is not "
            "supported; draw its steps here as an embedded subprocess (Camunda Modeler: change "
            "the element to a Sub Process (expanded)), or start that process separately",
        )
    for loop in root.iter(f"{{{n.BPMN}}}multiInstanceLoopCharacteristics"):
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
