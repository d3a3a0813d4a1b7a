"""SpiffWorkflow wiring: one parser family (Camunda), the safe script engine, the serializer."""

from __future__ import annotations

from functools import cache

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.specs import BpmnProcessSpec
from SpiffWorkflow.camunda.parser import CamundaParser
from SpiffWorkflow.camunda.serializer import DEFAULT_CONFIG

from engine.expressions import SafeScriptEngine
from engine.xmlsafe import parse_xml

Specs = tuple[BpmnProcessSpec, dict[str, BpmnProcessSpec]]


def parse_specs(xml: bytes, process_id: str, filename: str = "<bpmn>") -> Specs:
    """Build the process spec (and its subprocess specs) from BPMN bytes."""
    parser = CamundaParser()
    parser.add_bpmn_xml(parse_xml(xml, filename=filename), filename=filename)  # never lxml defaults
    return parser.get_spec(process_id), parser.get_subprocess_specs(process_id)


def new_workflow(specs: Specs) -> BpmnWorkflow:
    """A fresh instance that evaluates every condition through the safe evaluator."""
    spec, subprocesses = specs
    return BpmnWorkflow(spec, subprocesses, script_engine=script_engine())


@cache
def serializer() -> BpmnWorkflowSerializer:
    return BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure(DEFAULT_CONFIG))


@cache
def script_engine() -> SafeScriptEngine:
    return SafeScriptEngine()


def dump(workflow: BpmnWorkflow) -> str:
    """The whole workflow (spec included) as the library's versioned JSON."""
    return serializer().serialize_json(workflow)


def load(data: str) -> BpmnWorkflow:
    """Inverse of dump; the script engine is not serialized, so it is set again here."""
    workflow = serializer().deserialize_json(data)
    workflow.script_engine = script_engine()
    return workflow
