"""Errors the engine API raises.

Each class has a coarse `code` (and HTTP status) the CLI and the JSON API report; each raise
names its message by a stable `key` with parameters, e.g. `NotFound("instance_missing", id=7)`.
`message` is the key's Indonesian text (engine/messages.py) with the parameters filled in; the
web UI translates by key instead. A text that is no key is taken as the message itself, with
`key` None: the web layer raises errors it has already translated so.
"""

from __future__ import annotations

from typing import Any

from engine.messages import MESSAGES, text


class EngineError(Exception):
    code = "error"
    status = 400

    def __init__(self, key: str, /, **params: Any):
        self.key: str | None = key if key in MESSAGES else None
        self.params = params
        self.message = text(key, params) if self.key else key
        super().__init__(self.message)


class NotFound(EngineError):
    code, status = "not_found", 404


class Unauthenticated(EngineError):
    """No usable credentials: an API token missing, unknown, revoked or of an inactive user."""

    code, status = "unauthorized", 401


class PermissionDenied(EngineError):
    code, status = "forbidden", 403


class Conflict(EngineError):
    """The state changed under the caller: already completed, claimed by someone else."""

    code, status = "conflict", 409


class InvalidInput(EngineError):
    code, status = "invalid", 422


class StorageFull(EngineError):
    """The upload folder's disk is full: nothing was stored, nothing changed."""

    code, status = "storage_full", 507


class DeployError(EngineError):
    """Validation refused a deploy; `problems` lists every finding, nothing was stored."""

    code, status = "invalid_bpmn", 422

    def __init__(self, problems: list):
        self.problems = problems
        super().__init__("deploy_refused", count=len(problems))


class ProcessError(EngineError):
    """The deployed model itself could not run the next step (a condition, script or timer
    failed): nothing of the step was stored; the task stays open for the analyst to fix."""

    code, status = "process_error", 422
    # (instance id, source, human task id) when it failed a step of a stored instance: the
    # facade records an incident of it (engine/incidents.py); None for a start
    incident: tuple | None = None


class ExpressionLimit(ProcessError):
    """A condition, script or timer of the model breached its budget (operations, value sizes,
    wall time, timer bounds): stopped before it could hang the server; nothing was stored."""

    code = "expression_limit"


class FormInvalid(InvalidInput):
    """The values of a task's form fields were refused; `fields` has one error per field id."""

    def __init__(self, fields: dict[str, InvalidInput]):
        self.fields = fields
        super().__init__("form_invalid", fields=", ".join(fields))
