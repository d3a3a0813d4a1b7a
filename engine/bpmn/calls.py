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
    problem: str | None = None  # what is wrong with how the file names it: a FINDINGS key
    params: tuple = ()  # that finding's parameters, as (name, value) pairs


def called(call: etree._Element) -> Call:
    """What one callActivity element calls, as the file writes it."""
    key = (call.get("calledElement") or "").strip()
    zeebe = call.find(f"{{{n.BPMN}}}extensionElements/{{{ZEEBE}}}calledElement")
    if not key and zeebe is not None:
        key = (zeebe.get("processId") or "").strip()
    element, line = call.get("id") or "callActivity", call.sourceline
    if not key:
        return Call(element, line, "", None, "call_no_process")
    if not _KEY.fullmatch(key):
        return Call(element, line, key[:80], None, "call_expression")
    binding = (call.get(f"{{{n.CAMUNDA}}}calledElementBinding") or "latest").strip()
    if binding != "version":
        return Call(element, line, key, None)
    text = (call.get(f"{{{n.CAMUNDA}}}calledElementVersion") or "").strip()
    if not text.isdigit() or int(text) < 1:
        return Call(element, line, key, None, "call_bad_version", (("version", text[:20]),))
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
            why, params = call.problem, dict(call.params)
            if why is None and call.key == own:
                why = "call_self"
            elif why is None and deployed is None:
                pass
            elif why is None and call.version is not None:
                if call.version not in deployed.get(call.key, set()):
                    versions = ", ".join(map(str, sorted(deployed.get(call.key, ())))) or "-"
                    why, params = (
                        "call_version_missing",
                        {
                            "version": call.version,
                            "versions": versions,
                        },
                    )
            elif why is None and call.key not in deployed and call.key not in here:
                why = "call_not_deployed"
            if why is None and bound.setdefault(call.key, call.version) != call.version:
                why = "call_two_versions"
            if why:
                params["process"] = call.key
                problems.append(Problem.found(filename, call.line, call.element, why, **params))
    return problems
