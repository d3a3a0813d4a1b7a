"""SpiffWorkflow wiring: one parser family (Camunda), the safe script engine, the serializers."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator
from datetime import date
from functools import cache
from typing import Any

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.serializer.default.workflow import BpmnWorkflowConverter
from SpiffWorkflow.bpmn.specs import BpmnProcessSpec
from SpiffWorkflow.bpmn.util.task import BpmnTaskFilter
from SpiffWorkflow.camunda.parser import CamundaParser
from SpiffWorkflow.camunda.serializer import DEFAULT_CONFIG
from SpiffWorkflow.util.task import TaskState

from engine.bpmn.names import BPMN, CAMUNDA
from engine.bpmn.xmlsafe import parse_xml
from engine.runtime import decision_task
from engine.runtime.script_engine import SafeScriptEngine

# the library's Camunda converters, and Alur's business rule task as the library adds its own
CONFIG = {**DEFAULT_CONFIG, decision_task.DecisionTask: decision_task.DecisionTaskConverter}
Specs = tuple[BpmnProcessSpec, dict[str, BpmnProcessSpec]]
_FLAT_FILTERS = {"state", "manual", "lane", "spec_name", "spec_class", "updated_ts"}


class AlurWorkflow(BpmnWorkflow):
    """A BpmnWorkflow whose task queries scan its task index instead of walking the task tree.

    Every "Tidak" round of a review loop adds its tasks below the previous ones, so the tree
    grows one level per task. The library's tree walk then costs O(history) per query, several
    times per step, and stops at depth 1000 (a deep instance would report itself completed
    with work still open). The index scan visits each task once, in creation order, at any depth.
    """

    decisions = None  # the version's DMN (decision_files.Decisions), set by the store on new/load

    def get_tasks_iterator(self, first_task=None, **kwargs) -> Iterator:
        if first_task is not None or kwargs.keys() - _FLAT_FILTERS - {"skip_subprocesses"}:
            return super().get_tasks_iterator(first_task, **kwargs)
        skip = kwargs.pop("skip_subprocesses", False)
        task_filter = BpmnTaskFilter(**kwargs)
        return (task for task in self._all_tasks(skip) if task_filter.matches(task))

    def _all_tasks(self, skip_subprocesses: bool) -> Iterator:
        yield from list(self.tasks.values())
        if not skip_subprocesses:
            for subprocess in list(self.subprocesses.values()):
                if not subprocess.completed:
                    yield from list(subprocess.tasks.values())

    def is_completed(self) -> bool:
        if not self.completed:
            unfinished = TaskState.NOT_FINISHED_MASK
            if not any(task.state & unfinished for task in self.tasks.values()):
                self.completed = True
        return self.completed

    def update_waiting_tasks(self) -> None:
        for task in [t for t in self.tasks.values() if t.state == TaskState.WAITING]:
            task.task_spec._update(task)


class AlurParser(CamundaParser):
    """The Camunda parser family with Alur's business rule task (decisions deployed beside).

    Data stores are drawings here: the library wants an implementation for each (by name) and
    refuses the file without one, so they and the associations to their references are left
    out of what the library builds (the stored file keeps them as the analyst drew them).
    """

    OVERRIDE_PARSER_CLASSES = {
        **CamundaParser.OVERRIDE_PARSER_CLASSES,
        **decision_task.PARSER_CLASSES,
    }

    def add_bpmn_xml(self, bpmn, filename=None):
        super().add_bpmn_xml(called_keys(collection_names(without_data_stores(bpmn))), filename)


_COLLECTION = f"{{{CAMUNDA}}}collection"
_NAME_EXPRESSION = re.compile(r"\s*[$#]\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\s*")


def collection_names(tree):
    """camunda:collection="${daftar}" (as Camunda Modeler users write it) as the variable name
    the library reads (a copy when there is any; else the document itself)."""
    root = tree.getroot() if hasattr(tree, "getroot") else tree
    written = [el for el in root.iter() if _NAME_EXPRESSION.fullmatch(el.get(_COLLECTION) or "")]
    if not written:
        return tree
    tree = copy.deepcopy(tree)
    root = tree.getroot() if hasattr(tree, "getroot") else tree
    for el in root.iter():
        found = _NAME_EXPRESSION.fullmatch(el.get(_COLLECTION) or "")
        if found:
            el.set(_COLLECTION, found[1])
    return tree


_ZEEBE_CALLED = "{http://camunda.org/schema/zeebe/1.0}calledElement"


def called_keys(tree):
    """A Camunda 8 call activity names its process in <zeebe:calledElement processId="..."/>;
    the library reads the calledElement attribute (a copy when there is any; else the document)."""
    root = tree.getroot() if hasattr(tree, "getroot") else tree

    def zeebe_only(root):
        for call in root.iter(f"{{{BPMN}}}callActivity"):
            found = call.find(f"{{{BPMN}}}extensionElements/{_ZEEBE_CALLED}")
            if not call.get("calledElement") and found is not None and found.get("processId"):
                yield call, found.get("processId").strip()

    if next(zeebe_only(root), None) is None:
        return tree
    tree = copy.deepcopy(tree)
    root = tree.getroot() if hasattr(tree, "getroot") else tree
    for call, key in list(zeebe_only(root)):
        call.set("calledElement", key)
    return tree


def without_data_stores(tree):
    """The document without dataStore elements and the data associations to their references
    (a copy, with its lines, when it has any; else the document itself)."""
    root = tree.getroot() if hasattr(tree, "getroot") else tree
    stores = root.findall(f".//{{{BPMN}}}dataStore")
    if not stores:
        return tree
    tree = copy.deepcopy(tree)
    root = tree.getroot() if hasattr(tree, "getroot") else tree
    references = {el.get("id") for el in root.iter(f"{{{BPMN}}}dataStoreReference") if el.get("id")}
    for store in root.findall(f".//{{{BPMN}}}dataStore"):
        store.getparent().remove(store)
    for kind, end in (
        ("dataInputAssociation", "sourceRef"),
        ("dataOutputAssociation", "targetRef"),
    ):
        for association in list(root.iter(f"{{{BPMN}}}{kind}")):
            ends = [(ref.text or "").strip() for ref in association.findall(f"{{{BPMN}}}{end}")]
            if any(ref in references for ref in ends):
                association.getparent().remove(association)
    return tree


def parse_specs(xml: bytes, process_id: str, filename: str = "<bpmn>") -> Specs:
    """Build the process spec (and its subprocess specs) from BPMN bytes; a called process
    deployed apart is None here (the store puts the bound version's spec in its place)."""
    parser = AlurParser()
    parser.add_bpmn_xml(parse_xml(xml, filename=filename), filename=filename)  # never lxml defaults
    spec = parser.get_spec(process_id)
    return spec, parser.get_subprocess_specs(process_id, require_call_activity_specs=False)


def new_workflow(specs: Specs) -> AlurWorkflow:
    """A fresh instance that evaluates every condition through the safe evaluator."""
    spec, subprocesses = specs
    return AlurWorkflow(spec, subprocesses, script_engine=script_engine())


def with_dates(registry):
    """The library's registry knows datetime; a DMN date column (and FEEL's date()) gives dates."""
    registry.register(
        date, lambda v: {"value": v.isoformat()}, lambda v: date.fromisoformat(v["value"])
    )
    return registry


class HeaderConverter(BpmnWorkflowConverter):
    """An AlurWorkflow as the store keeps it: the workflow's own attributes, no spec, no tasks.

    The spec is stored once per definition version and every task is a row of its own, so a
    step writes what it changed and not the whole history. Reading is the library's from_dict,
    once the store has put the spec and the task rows back into the dictionary.
    """

    def to_dict(self, workflow: BpmnWorkflow) -> dict:
        return {
            "data": self.registry.convert(self.registry.clean(workflow.data)),
            "correlations": workflow.correlations,
            "last_task": str(workflow.last_task.id) if workflow.last_task is not None else None,
            "success": workflow.success,
            "completed": workflow.completed,
            "root": str(workflow.task_tree.id),
            "subprocesses": self.mapping_to_dict(workflow.subprocesses),
            "bpmn_events": self.registry.convert(workflow.bpmn_events),
        }


class StoreSerializer(BpmnWorkflowSerializer):
    """The library's serializer with the store's workflow converter registered on its registry.

    Workflows keep the library's typename ("BpmnWorkflow"), tasks and specs the library's own
    converters, so what is stored is the library's versioned JSON, split into rows.
    """

    def __init__(self) -> None:
        registry = with_dates(self.configure(CONFIG))
        HeaderConverter(AlurWorkflow, registry, typename="BpmnWorkflow")
        super().__init__(registry)

    def header(self, workflow: BpmnWorkflow) -> dict:
        """The workflow's attributes as JSON values, with the serializer version."""
        return json.loads(self.serialize_json(workflow))

    def jsonable(self, obj: Any) -> Any:
        """A task, spec or mapping of them converted, as the JSON values a database column holds."""
        return json.loads(json.dumps(self.to_dict(obj), cls=self._encoder_cls))

    def restore(self, header: dict, spec: dict, tasks: dict[str, dict]) -> AlurWorkflow:
        """The workflow from a stored header, its definition's spec and its task rows.

        The typename is set here: headers written before it was kept load the same way.
        """
        dct = {**header, **spec, "tasks": tasks, "typename": self.registry.typenames[AlurWorkflow]}
        dct["subprocesses"] = dict(header.get("subprocesses", {}))  # from_dict pops from it
        self.migrate(dct)  # the library's own upgrade of older serializer versions
        workflow = self.from_dict(dct)
        workflow.script_engine = script_engine()
        return workflow


@cache
def serializer() -> BpmnWorkflowSerializer:
    """The library's serializer for a whole workflow (spec and tasks included)."""
    registry = with_dates(BpmnWorkflowSerializer.configure(CONFIG))
    BpmnWorkflowConverter(AlurWorkflow, registry, typename="BpmnWorkflow")
    return BpmnWorkflowSerializer(registry)


@cache
def store_serializer() -> StoreSerializer:
    return StoreSerializer()


@cache
def script_engine() -> SafeScriptEngine:
    return SafeScriptEngine()


def dump(workflow: BpmnWorkflow) -> str:
    """The whole workflow (spec included) as the library's versioned JSON."""
    return serializer().serialize_json(workflow)


def load(data: str) -> AlurWorkflow:
    """Inverse of dump; the script engine is not serialized, so it is set again here."""
    workflow = serializer().deserialize_json(data)
    workflow.script_engine = script_engine()
    return workflow
