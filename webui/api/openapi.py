"""The OpenAPI 3.1 description of /api/v1, built from small JSON Schema pieces."""

from __future__ import annotations

from copy import deepcopy

STRING, INTEGER, BOOLEAN = {"type": "string"}, {"type": "integer"}, {"type": "boolean"}
WHEN = {"type": ["string", "null"], "format": "date-time"}
MAYBE_STRING, MAYBE_INTEGER = {"type": ["string", "null"]}, {"type": ["integer", "null"]}
OBJECT = {"type": "object"}
STRINGS = {"type": "array", "items": STRING}
DECISION = {"enum": ["Ya", "Tidak", None]}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _list(name: str, description: str = "") -> dict:
    return {"type": "array", "items": _ref(name)} | (
        {"description": description} if description else {}
    )


def _fields(schema: dict, names: str) -> dict:
    """The same schema for each of the space-separated names."""
    return {name: schema for name in names.split()}


def _object(properties: dict, required: list[str] | None = None, closed: bool = False) -> dict:
    """An object schema; every property is required unless required says otherwise."""
    schema = {"type": "object", "properties": properties}
    schema["required"] = list(properties) if required is None else required
    return schema | ({"additionalProperties": False} if closed else {})


TASK = _object(
    _fields(INTEGER, "id instance_id")
    | _fields(STRING, "instance_title process_key process_code name lane role waktu")
    | _fields(MAYBE_STRING, "assignee claimed_by completed_by")
    | _fields(WHEN, "created_at due_at claimed_at completed_at")
    | _fields(STRINGS, "kelengkapan output")
    | {
        "step_no": MAYBE_INTEGER,
        "state": {"enum": ["open", "completed", "cancelled"]},
        "overdue": BOOLEAN,
        "decision": DECISION,
        "question": MAYBE_STRING | {"description": "set on a decision step: answer Ya or Tidak"},
        "returned": {"type": ["object", "null"], "description": "set when a Tidak sent it back"},
    }
)
PROCESS = _object(
    _fields(STRING, "key code name")
    | {
        "version": INTEGER,
        "versions": {"type": "array", "items": INTEGER, "description": "newest first"},
        "starter_roles": STRINGS,
        "actors": STRINGS | {"description": "the SOP's Pelaksana lanes, in order"},
        "steps": INTEGER | {"description": "number of SOP steps"},
        "deployed_at": WHEN,
    }
)
INSTANCE = _object(
    _fields(STRING, "title started_by cancel_reason")
    | _fields(WHEN, "started_at ended_at")
    | {
        "id": INTEGER,
        "process": _object(_fields(STRING, "key code name") | {"version": INTEGER}),
        "state": {"enum": ["running", "suspended", "completed", "cancelled"]},
        "data": OBJECT,
        "open_tasks": _list("Task"),
    }
)
EVENT = _object(
    _fields(STRING, "kind actor")
    | _fields(MAYBE_INTEGER, "step_no task_id")
    | {"id": INTEGER, "instance_id": INTEGER, "at": WHEN, "data": OBJECT}
)
VARIABLES = OBJECT | {"description": "process variables"}
SCHEMAS = {
    "Error": _object(
        {
            "error": _object(
                _fields(STRING, "code message")
                | {"key": STRING | {"description": "the message's stable id (engine errors)"}},
                required=["code", "message"],
            )
        }
    ),
    "Process": PROCESS,
    "Task": TASK,
    "Instance": INSTANCE,
    "Event": EVENT,
    "StartRequest": _object(
        {
            "title": STRING | {"pattern": "^[^\\u0000]*$", "description": "no NUL"},
            "data": VARIABLES,
            "version": INTEGER | {"minimum": 1, "maximum": 2**31, "description": "default: newest"},
        },
        required=["title"],
        closed=True,
    ),
    "CompleteRequest": _object(
        {
            "data": VARIABLES,
            "decision": DECISION | {"description": "required on a decision step"},
            "note": STRING | {"description": "required with Tidak: the reason"},
            "checklist": OBJECT
            | {
                "additionalProperties": {"type": ["boolean", "string"]},
                "description": "Kelengkapan item -> true, or the gap found",
            },
        },
        required=[],
        closed=True,
    ),
    "CompleteResult": _object(
        {
            "task": _ref("Task"),
            "instance": _object(_fields(INTEGER, "id") | _fields(STRING, "title state")),
            "finished": BOOLEAN,
            "next": _list("Task", "the open tasks now: where the process went"),
        }
    ),
    "MigrationRequest": _object(
        {
            "from": INTEGER | {"description": "the version the instances run"},
            "to": INTEGER | {"description": "the version to move them to"},
            "instances": {"type": "array", "items": INTEGER, "description": "default: all"},
            "mapping": OBJECT
            | {"additionalProperties": STRING, "description": "old step id -> new step id"},
            "note": STRING | {"description": "why (recorded in each instance's history)"},
            "dry_run": BOOLEAN | {"description": "true: only check, change nothing"},
        },
        required=["from", "to"],
        closed=True,
    ),
    "MigrationResult": _object(
        {
            "instance": INTEGER,
            "from_version": MAYBE_INTEGER,
            "to_version": MAYBE_INTEGER,
            "status": {"enum": ["migratable", "refused", "migrated", "failed"]},
            "reasons": {"type": "array", "items": OBJECT},
            "tasks": {
                "type": "array",
                "items": OBJECT,
                "description": "per open task: kept (as which step) or withdrawn",
            },
        }
    ),
    "NoteRequest": _object({"note": STRING}, required=[], closed=True),
    "TaskDraft": _object(
        {
            "decision": {"enum": ["", "Ya", "Tidak"]},
            "note": STRING | {"maxLength": 4000},
            "checked": {"type": "array", "items": INTEGER | {"minimum": 0, "maximum": 199}},
            "gaps": {"type": "object", "additionalProperties": STRING | {"maxLength": 500}},
        },
        required=[],
        closed=True,
    ),
}
ERRORS = {
    "401": "no token, or an unknown or revoked one, or an inactive user",
    "403": "the user may not do or see this",
    "404": "no such process, instance or task",
    "409": "the task changed meanwhile: completed, or claimed by someone else",
    "422": "malformed JSON, unknown or missing fields, a rule of the step broken",
}


def _json(schema: dict, description: str = "OK") -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _operation(summary: str, ok: dict, errors: str, **extra) -> dict:
    """An operation answering ok, 401 and the space-separated error statuses."""
    codes = ["401", *errors.split()]
    responses = {code: {"$ref": f"#/components/responses/E{code}"} for code in codes}
    return {"summary": summary, "responses": ok | responses, **extra}


def _param(name: str, where: str, schema: dict, description: str) -> dict:
    return {
        "name": name,
        "in": where,
        "required": where == "path",
        "schema": schema,
        "description": description,
    }


def _body(name: str, required: bool = True) -> dict:
    return {"required": required, "content": {"application/json": {"schema": _ref(name)}}}


ID = INTEGER | {"minimum": 0, "maximum": 2**63 - 1}
TASK_ID = _param("task_id", "path", ID, "human task id")
INSTANCE_ID = _param("instance_id", "path", ID, "instance id")
PATHS = {
    "/api/v1/openapi.json": {
        "get": {"summary": "This document", "security": [], "responses": {"200": _json(OBJECT)}}
    },
    "/api/v1/processes": {
        "get": _operation(
            "Latest version of every deployed process",
            {"200": _json(_object({"processes": _list("Process")}))},
            "",
        )
    },
    "/api/v1/processes/{key}/instances": {
        "post": _operation(
            "Start an instance (the user needs one of the process's starter roles)",
            {"201": _json(_ref("Instance"), "Started; Location names the instance")},
            "403 404 422",
            parameters=[_param("key", "path", STRING, "process key, e.g. sop_b")],
            requestBody=_body("StartRequest"),
        )
    },
    "/api/v1/instances/{instance_id}": {
        "get": _operation(
            "An instance and its open tasks, with who holds them",
            {"200": _json(_ref("Instance"))},
            "403 404",
            parameters=[INSTANCE_ID],
        )
    },
    "/api/v1/instances/{instance_id}/history": {
        "get": _operation(
            "The audit trail of an instance, oldest first",
            {"200": _json(_object({"instance_id": INTEGER, "events": _list("Event")}))},
            "403 404",
            parameters=[INSTANCE_ID],
        )
    },
    "/api/v1/processes/{key}/migrations": {
        "post": _operation(
            "Check (dry_run) or move running instances to another version (analysts, admins)",
            {
                "200": _json(
                    _object({"dry_run": BOOLEAN, "results": _list("MigrationResult")}),
                    "One result per instance",
                )
            },
            "403 404 422",
            parameters=[_param("key", "path", STRING, "process key, e.g. sop_b")],
            requestBody=_body("MigrationRequest"),
        )
    },
    "/api/v1/instances/{instance_id}/suspend": {
        "post": _operation(
            "Suspend an instance: its tasks cannot be claimed or completed (analysts, admins)",
            {"200": _json(_ref("Instance"))},
            "403 404 409 422",
            parameters=[INSTANCE_ID],
            requestBody=_body("NoteRequest", required=False),
        )
    },
    "/api/v1/instances/{instance_id}/resume": {
        "post": _operation(
            "Resume a suspended instance (analysts, admins)",
            {"200": _json(_ref("Instance"))},
            "403 404 409 422",
            parameters=[INSTANCE_ID],
            requestBody=_body("NoteRequest", required=False),
        )
    },
    "/api/v1/tasks": {
        "get": _operation(
            "My inbox: open tasks of my roles (unclaimed or claimed by me) and tasks named for me",
            {"200": _json(_object({"tasks": _list("Task")}))},
            "422",
            parameters=[
                _param("process", "query", STRING, "only this process key"),
                _param("overdue", "query", BOOLEAN, "true: only overdue; false: only in time"),
                _param("mine", "query", BOOLEAN, "only tasks I have claimed"),
                _param("unclaimed", "query", BOOLEAN, "only tasks nobody has claimed"),
            ],
        )
    },
    "/api/v1/tasks/{task_id}/claim": {
        "post": _operation(
            "Claim a task of my role",
            {"200": _json(_object({"task": _ref("Task")}))},
            "403 404 409",
            parameters=[TASK_ID],
        )
    },
    "/api/v1/tasks/{task_id}/draft": {
        "get": _operation(
            "My draft of a task (null when I saved none); removed when the task is completed",
            {"200": _json(_object({"draft": {"anyOf": [_ref("TaskDraft"), {"type": "null"}]}}))},
            "403 404",
            parameters=[TASK_ID],
        ),
        "put": _operation(
            "Save my draft of an open task I may complete (replaces the one saved before)",
            {"200": _json(_object({"draft": _ref("TaskDraft"), "saved_at": STRING}))},
            "403 404 409 422",
            parameters=[TASK_ID],
            requestBody=_body("TaskDraft"),
        ),
    },
    "/api/v1/tasks/{task_id}/complete": {
        "post": _operation(
            "Complete a task; the answer says where the process went (next tasks, or finished)",
            {"200": _json(_ref("CompleteResult"))},
            "403 404 409 422",
            parameters=[TASK_ID],
            requestBody=_body("CompleteRequest", required=False),
        )
    },
}
READ_RULE = (
    "An instance (and its history) may be read by an admin, a holder of the 'auditor' role, "
    "the user who started it, anyone who appears in its audit trail, and anyone who holds the "
    "role of, is named for, claimed or completed any of its tasks; others get 403."
)
DOCUMENT = {
    "openapi": "3.1.0",
    "info": {
        "title": "Alur API",
        "version": "1",
        "description": "SOP procedures run as BPMN processes. Send a personal API token as "
        "`Authorization: Bearer <token>`; every error is `{error: {code, message}}`. " + READ_RULE,
    },
    "security": [{"bearer": []}],
    "paths": PATHS,
    "components": {
        "schemas": SCHEMAS,
        "responses": {f"E{code}": _json(_ref("Error"), text) for code, text in ERRORS.items()},
        "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
    },
}


def document() -> dict:
    return deepcopy(DOCUMENT)
