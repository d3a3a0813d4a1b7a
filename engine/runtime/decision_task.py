"""Business rule tasks that run a deployed DMN decision through `engine.runtime.decisions`.

SpiffWorkflow's own business rule task needs the library's DMN parser at parse time, keeps the
whole table in the spec and deep-merges its result into the task data. Alur's `DecisionTask`
keeps only what the BPMN says (camunda:decisionRef, camunda:resultVariable and
camunda:mapDecisionResult); the table comes from the DMN files deployed with the process
version, through the `decisions` provider the store sets on every workflow it creates or loads
(see `engine.runtime.decision_files`). What a task decided is kept in its internal data under
DECIDED until lifecycle records it in the audit trail, in the same transaction as the step.

This module imports only SpiffWorkflow, so the deploy checks can build specs with its parser.
"""

from __future__ import annotations

from SpiffWorkflow.bpmn.exceptions import WorkflowTaskException
from SpiffWorkflow.bpmn.parser.BpmnParser import full_tag
from SpiffWorkflow.bpmn.serializer.helpers.spec import TaskSpecConverter
from SpiffWorkflow.bpmn.specs.mixins import BpmnSpecMixin
from SpiffWorkflow.camunda.parser.task_spec import CAMUNDA_MODEL_NS, CamundaTaskParser

DECIDED = "decided"  # key of a task's internal data: what its decision gave, until audited
DEFAULT_SHAPE = "resultList"  # Camunda's default camunda:mapDecisionResult
# Camunda 8: <zeebe:calledDecision decisionId resultVariable/>, the result as DMN gives it
ZEEBE_CALLED = "{http://camunda.org/schema/zeebe/1.0}calledDecision"
DECISION_RESULT = "decisionResult"  # engine.bpmn.dmn.DECISION_RESULT


class DecisionTask(BpmnSpecMixin):
    """A bpmn:businessRuleTask: evaluate one decision, store its shaped value in the task data."""

    def __init__(
        self,
        wf_spec,
        bpmn_id,
        decision_ref: str = "",
        result_variable: str = "",
        shape: str = DEFAULT_SHAPE,
        **kwargs,
    ):
        super().__init__(wf_spec, bpmn_id, **kwargs)
        self.decision_ref = decision_ref
        self.result_variable = result_variable
        self.shape = shape or DEFAULT_SHAPE

    def _run_hook(self, my_task):
        provider = getattr(my_task.workflow.top_workflow, "decisions", None)
        if provider is None:
            raise WorkflowTaskException(
                f"no decisions are deployed with this process (decision {self.decision_ref!r})",
                task=my_task,
            )
        try:
            decided = provider.decide(self.decision_ref, my_task.data, self.shape)
        except Exception as err:  # the failure path finds an ExpressionError among the causes
            reason = getattr(err, "reason", None) or str(err)
            raise WorkflowTaskException(reason, task=my_task, exception=err) from err
        my_task.data[self.result_variable] = decided.value
        my_task.internal_data[DECIDED] = {
            "decision_id": decided.decision,
            "rules": provider.rule_numbers(self.decision_ref, decided.rules),
            "matched": provider.rule_numbers(self.decision_ref, decided.matched),
            "variable": self.result_variable,
            "result": decided.value,
        }
        return super()._run_hook(my_task)


class DecisionTaskParser(CamundaTaskParser):
    """Reads the three Camunda attributes; the deploy checks report missing or wrong ones."""

    @staticmethod
    def get_decision_ref(node) -> str:
        """What the library's DMN parser lists as the file's dependencies."""
        ref = (node.get(f"{{{CAMUNDA_MODEL_NS}}}decisionRef") or "").strip()
        called = _zeebe_called(node)
        return ref or (called.get("decisionId", "").strip() if called is not None else "")

    def create_task(self):
        def camunda(name: str) -> str:
            return (self.node.get(f"{{{CAMUNDA_MODEL_NS}}}{name}") or "").strip()

        called = _zeebe_called(self.node)
        if not camunda("decisionRef") and called is not None:
            return self.spec_class(
                self.spec,
                self.bpmn_id,
                decision_ref=(called.get("decisionId") or "").strip(),
                result_variable=(called.get("resultVariable") or "").strip(),
                shape=DECISION_RESULT,
                **self.bpmn_attributes,
            )
        return self.spec_class(
            self.spec,
            self.bpmn_id,
            decision_ref=camunda("decisionRef"),
            result_variable=camunda("resultVariable"),
            shape=camunda("mapDecisionResult") or DEFAULT_SHAPE,
            **self.bpmn_attributes,
        )


def _zeebe_called(node):
    extensions = node.find(full_tag("extensionElements"))
    return extensions.find(ZEEBE_CALLED) if extensions is not None else None


class DecisionTaskConverter(TaskSpecConverter):
    """The spec as the store keeps it: the standard attributes and the three references only."""

    def to_dict(self, spec: DecisionTask) -> dict:
        dct = self.get_default_attributes(spec)
        dct["decision_ref"] = spec.decision_ref
        dct["result_variable"] = spec.result_variable
        dct["shape"] = spec.shape
        return dct

    def from_dict(self, dct: dict) -> DecisionTask:
        return self.task_spec_from_dict(dct)


PARSER_CLASSES = {full_tag("businessRuleTask"): (DecisionTaskParser, DecisionTask)}
