"""Call activities: which deployed process (and which version) each one starts.

A call activity names the process it starts by key: `calledElement="kunci"` (Camunda 7 and
bpmn.io) or `<zeebe:calledElement processId="kunci"/>` (Camunda 8). The call binds when the
calling process is deployed: to the called process's newest version at that moment (deployed
earlier, or in the same deploy), or to the version the file names
(`camunda:calledElementBinding="version"` with `camunda:calledElementVersion="2"`). A new
version of the called process reaches callers when they are deployed again (a caller whose
binding changed is a new version); so what runs is what deploy checked. docs/expressions.md
(Call activities) says it for analysts.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from lxml import etree

from engine.bpmn import names as n
from engine.bpmn.validate import Problem

ZEEBE = "http://camunda.org/schema/zeebe/1.0"
_KEY = re.compile(r"[A-Za-z_][\w.-]*")


@dataclass(frozen=True)
class Call:
    element: str  # the call activity's id
    line: int | None
    key: str  # the called process ("" when the file names none)
    version: int | None  # None: the newest at deploy
    problem: str | None = None  # what is wrong with how the file names it


def called(call: etree._Element) -> Call:
    """What one callActivity element calls, as the file writes it."""
    key = (call.get("calledElement") or "").strip()
    zeebe = call.find(f"{{{n.BPMN}}}extensionElements/{{{ZEEBE}}}calledElement")
    if not key and zeebe is not None:
        key = (zeebe.get("processId") or "").strip()
    element, line = call.get("id") or "callActivity", call.sourceline
    if not key:
        return Call(element, line, "", None, "names no process: set Called element (the key "
                                             "of a deployed process, its process id)")  # fmt: skip
    if not _KEY.fullmatch(key):
        return Call(element, line, key[:80], None, "is not a process key: an expression cannot "
                                                   "choose the process here; write the called "
                                                   "process's id")  # fmt: skip
    binding = (call.get(f"{{{n.CAMUNDA}}}calledElementBinding") or "latest").strip()
    if binding != "version":
        return Call(element, line, key, None)
    text = (call.get(f"{{{n.CAMUNDA}}}calledElementVersion") or "").strip()
    if not text.isdigit() or int(text) < 1:
        return Call(element, line, key, None, f"binds to version {text[:20]!r}: write a version "
                                              "number (1, 2, ...)")  # fmt: skip
    return Call(element, line, key, int(text))


def calls_of(root: etree._Element, process_id: str | None = None) -> list[Call]:
    """The call activities of the executable processes (of one, when process_id is given)."""
    return [
        called(el)
        for process in root.iter(f"{{{n.BPMN}}}process")
        if process.get("isExecutable") == "true"
        and (process_id is None or process.get("id") == process_id)
        for el in process.iter(f"{{{n.BPMN}}}callActivity")
    ]


def check_calls(
    root: etree._Element,
    filename: str,
    deployed: Mapping[str, set[int]] | None,
    here: set[str],
) -> list[Problem]:
    """Each call names a process deployed before (deployed: key -> its versions) or in the same
    deploy (here: the keys of the files deployed together); no process calls itself, and one
    process calls another at one version only. deployed None: a check without the engine, which
    knows only the files in hand (a call to another process is not checked then)."""
    problems = []
    for process in root.iter(f"{{{n.BPMN}}}process"):
        if process.get("isExecutable") != "true":
            continue
        own = process.get("id") or ""
        bound: dict[str, int | None] = {}
        for call in calls_of(root, own):
            why = call.problem
            if why is None and call.key == own:
                why = "calls its own process: draw the repeated steps as a loop back instead"
            elif why is None and deployed is None:
                pass
            elif why is None and call.version is not None:
                if call.version not in deployed.get(call.key, set()):
                    versions = ", ".join(map(str, sorted(deployed.get(call.key, ())))) or "none"
                    why = (
                        f"binds to version {call.version}, which is not deployed (deployed "
                        f"versions: {versions}): deploy it, or bind to the latest version"
                    )
            elif why is None and call.key not in deployed and call.key not in here:
                why = (
                    "names a process that is not deployed: deploy that process first, or "
                    "together with this file (the key is its process id)"
                )
            if why is None and bound.setdefault(call.key, call.version) != call.version:
                why = "calls the process at two versions in one process: bind every call alike"
            if why:
                problems.append(
                    Problem(
                        filename, call.line, call.element, f"call activity ({call.key!r}) {why}"
                    )
                )
    return problems
