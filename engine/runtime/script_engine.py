"""SpiffWorkflow's script engine with every condition, script and timer through the safe
evaluator: no eval/exec of model text, budgets on what runs, timer values bounded."""

from __future__ import annotations

from SpiffWorkflow.bpmn.exceptions import WorkflowTaskException
from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine
from SpiffWorkflow.bpmn.script_engine.python_environment import BasePythonScriptEngineEnvironment
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition

from engine.runtime import timers
from engine.runtime.expressions import (
    ExpressionError,
    ExpressionLimit,
    UnsafeExpressionError,
    check_expression,
    evaluate,
    execute,
)


class SafeEnvironment(BasePythonScriptEngineEnvironment):
    """SpiffWorkflow's script environment with the safe evaluator in place of eval/exec."""

    def evaluate(self, expression, context, external_context=None):
        return evaluate(expression, {**(external_context or {}), **context})

    def execute(self, script, context, external_context=None):
        execute(script, context, external_context)
        return True

    def call_service(self, context, **kwargs):
        raise NotImplementedError("service calls are not supported by the safe script engine")


def _timer_of(task, expression: str) -> TimerEventDefinition | None:
    """The timer whose value this expression gives, if the task waits on one."""
    definition = getattr(task.task_spec, "event_definition", None)
    if isinstance(definition, TimerEventDefinition) and definition.expression == expression:
        return definition
    return None


class SafeScriptEngine(PythonScriptEngine):
    """A PythonScriptEngine whose conditions and scripts go through the safe evaluator."""

    def __init__(self) -> None:
        super().__init__(environment=SafeEnvironment())

    def validate(self, expression: str) -> None:
        reason = check_expression(expression)
        if reason:
            raise UnsafeExpressionError(expression, reason)

    def evaluate(self, task, expression, external_context=None):
        timer = _timer_of(task, expression)
        try:
            if timer is not None and timers.is_literal(expression):
                value = expression.strip()  # P3D as the editors write it
            else:
                value = self.environment.evaluate(expression, task.data, external_context)
            reason = timers.problem(timers.kind_of(timer), value) if timer is not None else None
            if reason:
                raise ExpressionLimit(expression, f"timer {reason}")
        except ExpressionError as err:
            message = f"Error evaluating expression '{expression}': {err.reason}"
            raise WorkflowTaskException(message, task=task, exception=err) from err
        return value

    def execute(self, task, script, external_context=None):
        try:
            return self.environment.execute(script, task.data, external_context)
        except ExpressionError as err:
            where = f"line {err.line} " if err.line else ""
            message = f"Error running script, {where}'{err.expression}': {err.reason}"
            raise WorkflowTaskException(
                message, task=task, exception=err, line_number=err.line
            ) from err

    def call_service(self, task, **kwargs):
        raise WorkflowTaskException("service calls are not supported", task=task)
