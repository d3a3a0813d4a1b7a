"""Deploy checks of BPMN files: safe XML, XSD, references, lanes, Spiff build, expressions, SOP."""

from __future__ import annotations

import copy
import logging
import re
import threading
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from lxml import etree
from SpiffWorkflow.bpmn.parser import BpmnValidator
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException

from engine.bpmn import names as n
from engine.bpmn.hints import spiff_hint
from engine.bpmn.rules import sop_findings
from engine.bpmn.xmlsafe import XmlError, parse_xml
from engine.messages import FINDINGS, finding
from engine.runtime import timers
from engine.runtime.expressions import (
    ExpressionError,
    check_expression,
    check_script,
    constant_value,
)
from engine.runtime.spiff import AlurParser

logger = logging.getLogger(__name__)

_EVENTS = "startEvent endEvent intermediateCatchEvent intermediateThrowEvent boundaryEvent"
_GATEWAYS = "exclusiveGateway parallelGateway inclusiveGateway eventBasedGateway complexGateway"
FLOW_NODES = frozenset(f"{_EVENTS} callActivity {_GATEWAYS}".split()) | n.TASKS | n.SUBPROCESSES
_PREFIXES = {n.BPMN: "bpmn", n.BPMNDI: "bpmndi", n.DC: "dc", n.DI: "di", n.CAMUNDA: "camunda"}
_ID_NAMESPACES = {n.BPMN, n.BPMNDI, n.DC, n.DI}
_REF_ATTRIBUTES = {
    "sequenceFlow": ("sourceRef", "targetRef"),
    "messageFlow": ("sourceRef", "targetRef"),
    "association": ("sourceRef", "targetRef"),
    "participant": ("processRef",),
    "boundaryEvent": ("attachedToRef",),
    "messageEventDefinition": ("messageRef",),
    "signalEventDefinition": ("signalRef",),
    "errorEventDefinition": ("errorRef",),
    "escalationEventDefinition": ("escalationRef",),
    "sendTask": ("messageRef",),
    "receiveTask": ("messageRef",),
    "BPMNShape": ("bpmnElement",),
    "BPMNEdge": ("bpmnElement",),
    "BPMNPlane": ("bpmnElement",),
}
_REF_TEXTS = ("flowNodeRef", "incoming", "outgoing", "sourceRef", "targetRef")
_EXPRESSIONS = {
    "conditionExpression": "condition",
    "condition": "condition",
    "completionCondition": "completion condition",
    "loopCondition": "loop condition",
    "loopCardinality": "loop cardinality",
    "messagePath": "correlation expression",
}
_TIMERS = {"timeDuration": "duration", "timeDate": "date", "timeCycle": "cycle"}
_XSD_DUPLICATE_ID = re.compile(r"attribute 'id': '(.*)' is not a valid value of the atomic type")
_schema_lock = threading.Lock()


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a BPMN file, located by line and element id (or tag).

    `key` and `params` name the message in engine.messages.FINDINGS (the web UI translates by
    them); a problem made with a message only has no key.
    """

    file: str
    line: int | None
    element: str | None
    message: str
    key: str | None = field(default=None, compare=False)
    params: dict = field(default_factory=dict, compare=False)

    @classmethod
    def found(
        cls, file: str, line: int | None, element: str | None, key: str, **params: object
    ) -> Problem:
        """A problem named by its FINDINGS key."""
        return cls(file, line, element, finding(key, params), key, params)

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        element = f"[{self.element}] " if self.element else ""
        return f"{where}: {element}{self.message}"


def _local(el: etree._Element) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def _short(text: str) -> str:
    """Namespace URIs in '{uri}name' written as 'prefix:name'."""
    return re.sub(
        r"\{([^}]*)\}", lambda m: _PREFIXES[m[1]] + ":" if m[1] in _PREFIXES else m[0], text
    )


def _in_bpmn(el: etree._Element) -> bool:
    return etree.QName(el).namespace == n.BPMN


def _label(el: etree._Element) -> str:
    return el.get("id") or _local(el)


@cache
def _schema() -> BpmnValidator:
    """SpiffWorkflow's bundled OMG BPMN 2.0 schema, compiled once per process (local files)."""
    logger.info("compiling the BPMN 2.0 XSD")
    return BpmnValidator()


class _Checker:
    """Collects the problems of one parsed document."""

    def __init__(self, filename: str, tree: etree._ElementTree):
        self.filename, self.tree, self.root = filename, tree, tree.getroot()
        self.problems: list[Problem] = []
        self.ids: dict[str, etree._Element] = {}
        self.duplicates: list[etree._Element] = []
        for el in self.root.iter():
            ident = el.get("id") if isinstance(el.tag, str) else None
            if ident and etree.QName(el).namespace in _ID_NAMESPACES:
                if ident in self.ids:
                    self.duplicates.append(el)
                else:
                    self.ids[ident] = el

    def add(
        self, where: etree._Element | int | None, element: str | None, key: str, **params: object
    ) -> None:
        line = where.sourceline if isinstance(where, etree._Element) else where
        if key in FINDINGS:
            self.problems.append(Problem.found(self.filename, line, element, key, **params))
        else:  # a message without a key (the SOP model's rules speak for themselves)
            self.problems.append(Problem(self.filename, line, element, key))

    def find(self, ref: str | None) -> etree._Element | None:
        """The element a reference names (a 'prefix:id' QName is accepted too)."""
        ref = (ref or "").strip()
        found = self.ids.get(ref)
        return found if found is not None else self.ids.get(ref.rpartition(":")[2])

    def check_schema(self) -> None:
        validator = _schema()
        doc = copy.deepcopy(self.tree)
        validator.preprocess(doc)  # as SpiffWorkflow does: bpmn-js correlation expressions
        with _schema_lock:
            validator.validator.validate(doc)
            errors = list(validator.validator.error_log)
        nsmap = {k: v for k, v in self.root.nsmap.items() if k}
        for error in errors:
            duplicate = _XSD_DUPLICATE_ID.search(error.message)
            if duplicate and any(d.get("id") == duplicate[1] for d in self.duplicates):
                continue  # reported in plain words by the duplicate id check
            try:
                found = doc.xpath(error.path, namespaces=nsmap) if error.path else []
            except etree.XPathError:
                found = []
            element = _label(found[0]) if found else None
            self.add(error.line or None, element, "bpmn_invalid", detail=_short(error.message))

    def check_references(self) -> None:
        for el in self.duplicates:
            first = self.ids[el.get("id")].sourceline
            self.add(el, el.get("id"), "id_duplicate", id=el.get("id"), first_line=first)
        for el in self.root.iter():
            local = _local(el)
            for attr in _REF_ATTRIBUTES.get(local, ()):
                value = el.get(attr)
                if value is not None and self.find(value) is None:
                    self.add(el, _label(el), "reference_unknown", attribute=attr, value=value)
            if local in _REF_TEXTS and _in_bpmn(el) and self.find(el.text) is None:
                owner = el.getparent()
                text = (el.text or "").strip()
                self.add(el, _label(owner), "reference_unknown", attribute=local, value=text)
            if el.get("default") is not None and _in_bpmn(el):
                self._check_default(el)

    def _check_default(self, el: etree._Element) -> None:
        flow = self.find(el.get("default"))
        if flow is None:
            key = "default_flow_unknown"
        elif _local(flow) != "sequenceFlow" or self.find(flow.get("sourceRef")) is not el:
            key = "default_flow_not_leaving"
        else:
            return
        self.add(el, _label(el), key, flow=el.get("default"))

    def check_lanes(self) -> None:
        for process in self.root.iter(f"{{{n.BPMN}}}process"):
            lane_sets = process.findall(f"{{{n.BPMN}}}laneSet")
            if lane_sets:
                self._check_process_lanes(process, lane_sets)

    def _check_process_lanes(self, process: etree._Element, lane_sets: list) -> None:
        names: dict[str, etree._Element] = {}
        for lane in process.iter(f"{{{n.BPMN}}}lane"):
            name = (lane.get("name") or "").strip()
            if not name:
                self.add(lane, _label(lane), "lane_unnamed")
            elif name in names:
                first = names[name]
                self.add(
                    lane,
                    _label(lane),
                    "lane_name_repeated",
                    name=name,
                    other=_label(first),
                    other_line=first.sourceline,
                )
            else:
                names[name] = lane
        placed: set[str] = set()
        for lane_set in [*lane_sets, *process.iter(f"{{{n.BPMN}}}childLaneSet")]:
            owner: dict[str, etree._Element] = {}
            for lane in lane_set.findall(f"{{{n.BPMN}}}lane"):
                for ref in lane.findall(f"{{{n.BPMN}}}flowNodeRef"):
                    node = (ref.text or "").strip()
                    placed.add(node)
                    other = owner.setdefault(node, lane)
                    if other is not lane:
                        first, second = other.get("name"), lane.get("name")
                        self.add(ref, node, "node_in_two_lanes", first=first, second=second)
        for node in process:
            if _local(node) in FLOW_NODES - {"boundaryEvent"} and node.get("id") not in placed:
                name = node.get("name") or node.get("id")
                self.add(node, _label(node), "node_in_no_lane", kind=_local(node), name=name)

    def check_spiff(self, require_executable: bool) -> None:
        parser = AlurParser()  # business rule tasks are checked with their DMN at deploy
        try:
            parser.add_bpmn_xml(self.tree, self.filename)
            process_ids = parser.get_process_ids()
        except Exception as err:  # any library failure is a problem to report, not a crash
            self._spiff_problem(err, None)
            return
        if require_executable and not process_ids:
            self.add(self.root, None, "not_executable")
        for pid in process_ids:
            try:
                parser.get_spec(pid)
            except Exception as err:
                self._spiff_problem(err, pid)

    def _spiff_problem(self, err: Exception, pid: str | None) -> None:
        if isinstance(err, ValidationException):
            element = err.id or pid
            line = err.line_number or getattr(self.find(element), "sourceline", None)
            message = ". ".join([str(err.args[0]) if err.args else "", *err.notes])
            message = _with_hint(message)
        else:
            element, line = pid, getattr(self.find(pid), "sourceline", None)
            message = f"{type(err).__name__}: {err}"
        logger.info("SpiffWorkflow refused %s: %s", self.filename, message)
        self.add(line or None, element, "spiff_refused", detail=message)

    def check_expressions(self) -> None:
        for el in self.root.iter():
            local = _local(el)
            text = (el.text or "").strip()
            if local == "formalExpression" and _local(el.getparent()).startswith("correlation"):
                local = "messagePath"
            if local == "script" and _local(el.getparent()) == "scriptTask":
                what, reason = "script", check_script(el.text or "") if text else None
            elif local in _TIMERS and _in_bpmn(el) and text:
                reason = _timer_problem(_TIMERS[local], text)
                if reason:
                    self.add(el, _label(_owner(el)), "timer_refused", reason=reason)
                continue
            elif local in _EXPRESSIONS and _in_bpmn(el) and text:
                what, reason = _EXPRESSIONS[local], check_expression(text)
            else:
                continue
            if reason:
                self.add(el, _label(_owner(el)), "expression_refused", what=what, reason=reason)

    def check_sop(self, data: bytes) -> None:
        """The SOP model's rules (see engine.bpmn.rules), placed at the step's element."""
        for element, message in sop_findings(data):
            self.add(self.find(element), element, message)


def _with_hint(message: str) -> str:
    """SpiffWorkflow's words, with what to do when the refusal is a known one."""
    hint = spiff_hint(message)
    return f"{message.rstrip('. ')}: {hint}" if hint else message


def _timer_problem(kind: str, text: str) -> str | None:
    """A bare ISO value or an expression; a constant one is evaluated and bounded at deploy."""
    if timers.is_literal(text.lstrip("+-")):  # -P1D is a bad duration, not minus a name
        return timers.problem(kind, text)
    reason = check_expression(text)
    if reason:
        return f"the expression is refused by the safe evaluator: {reason}"
    try:
        constant, value = constant_value(text)
    except ExpressionError as err:
        return err.reason
    return timers.problem(kind, value) if constant else None


def _owner(el: etree._Element) -> etree._Element:
    """The flow node or flow an expression belongs to (else the nearest element with an id)."""
    fallback = None
    for parent in el.iterancestors():
        if _local(parent) in FLOW_NODES or _local(parent) == "sequenceFlow":
            return parent
        if fallback is None and parent.get("id"):
            fallback = parent
    return fallback if fallback is not None else el


def validate_bytes(
    data: bytes, filename: str, *, require_executable: bool = False
) -> list[Problem]:
    """All problems of one BPMN document, in check order; empty when it can be deployed."""
    try:
        tree = parse_xml(data, filename)
    except XmlError as err:
        return [Problem(filename, err.line, None, err.message, err.key, err.params)]
    checker = _Checker(filename, tree)
    checker.check_schema()
    before = len(checker.problems)
    checker.check_references()
    references_ok = len(checker.problems) == before
    checker.check_lanes()
    if references_ok:  # else SpiffWorkflow only reports the same mistake in confusing words
        checker.check_spiff(require_executable)
    checker.check_expressions()
    if not checker.problems:  # the SOP is read only from a file the reader can trust
        checker.check_sop(data)
    return checker.problems


def validate_file(path: str | Path, *, require_executable: bool = False) -> list[Problem]:
    """All problems of one BPMN file (see validate_bytes)."""
    try:
        data = Path(path).read_bytes()
    except OSError as err:
        return [Problem.found(str(path), None, None, "file_unreadable", reason=err.strerror)]
    return validate_bytes(data, str(path), require_executable=require_executable)
