"""When the model itself fails a step: the engine error that names the element and the reason."""

from __future__ import annotations

import logging

from SpiffWorkflow.exceptions import SpiffWorkflowException

from engine.errors import ExpressionLimit, ProcessError
from engine.runtime import expressions

log = logging.getLogger(__name__)


def _causes(err: BaseException):
    seen = set()
    while err is not None and id(err) not in seen:
        seen.add(id(err))
        yield err
        err = err.__cause__ or err.__context__


def as_engine_error(err: SpiffWorkflowException) -> ProcessError:
    """The library's exception as an engine error: ExpressionLimit for a budget breach."""
    spec = getattr(err, "task_spec", None)
    element = getattr(spec, "bpmn_id", None) or getattr(spec, "name", None) or "?"
    name = getattr(spec, "bpmn_name", None) or element
    cause = next((e for e in _causes(err) if isinstance(e, expressions.ExpressionError)), None)
    reason = cause.reason if cause else str(err)
    log.warning("process step %s (%s) failed: %s", element, name, reason)
    where = {"name": name, "element": element, "reason": reason}
    if isinstance(cause, expressions.ExpressionLimit):
        return ExpressionLimit("expression_limit", **where)
    return ProcessError("process_error", **where)
