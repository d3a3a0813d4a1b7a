"""The OpenAPI 3.1 description of /api/v1, built from small JSON Schema pieces."""

from __future__ import annotations

from copy import deepcopy

STRING, INTEGER, BOOLEAN = {"type": "string"}, {"type": "integer"}, {"type": "boolean"}
NOTE = STRING | {"maxLength": 2000}  # webui.api.FIELD_CAPS; other strings: 10,000 characters
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
        "called_definition_id": MAYBE_INTEGER
        | {"description": "set on a task of a process a call activity started: that version"},
        "called_step_no": MAYBE_INTEGER | {"description": "its step number in that process"},
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
MAYBE_NUMBER = {"type": ["number", "null"]}
STEP_FIGURES = _object(
    _fields(INTEGER, "step_no instances tasks completions unclaimed over_standard")
    | _fields(INTEGER, "over_standard_min max_rounds")
    | _fields(STRING, "activity actor standard")
    | _fields(MAYBE_NUMBER, "median_work_min p90_work_min median_calendar_min p90_calendar_min")
    | _fields(MAYBE_NUMBER, "median_wait_min p90_wait_min median_handle_min p90_handle_min")
    | {
        "standard_min": MAYBE_INTEGER | {"description": "the step's Waktu in minutes"},
        "over_standard_share": MAYBE_NUMBER | {"description": "0..1; null without a Waktu"},
        "sendbacks": MAYBE_INTEGER | {"description": "Tidak answers; null: no decision step"},
        "sendback_rounds": OBJECT
        | {"additionalProperties": INTEGER, "description": "Tidak per instance -> instances"},
    }
)
ANALYTICS = _object(
    {
        "process": _object(_fields(STRING, "key code name")),
        "versions": {"type": "array", "items": INTEGER},
        "version": MAYBE_INTEGER,
        "period": _object({"label": STRING, "from": MAYBE_STRING, "to": MAYBE_STRING}),
        "generated_at": WHEN,
        "steps": {"type": "array", "items": STEP_FIGURES},
        "actors": {"type": "array", "items": OBJECT},
        "people": {
            "type": ["array", "null"],
            "items": OBJECT,
            "description": "supervisors and auditors only; null for others",
        },
        "instances": OBJECT,
        "lead_histogram": {"type": "array", "items": OBJECT},
        "months": {"type": "array", "items": OBJECT},
        "late": {
            "type": "array",
            "items": OBJECT,
            "description": "instances with a step over "
            "standard, worst first, each with its worst step",
        },
        "late_count": INTEGER,
    }
)
SCHEMAS = {
    "Analytics": ANALYTICS,
    "Error": _object(
        {
            "error": _object(
                _fields(STRING, "code message")
                | {"key": STRING | {"description": "the message's stable id (engine errors)"}}
                | {
                    "fields": OBJECT
                    | {
                        "description": "form_invalid: one refusal per form field id",
                        "additionalProperties": _object(_fields(STRING, "key message")),
                    }
                },
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
            "title": STRING
            | {"pattern": "^[^\\u0000]*$", "maxLength": 300, "description": "no NUL"},
            "data": VARIABLES,
            "version": INTEGER | {"minimum": 1, "maximum": 2**31, "description": "default: newest"},
        },
        required=["title"],
        closed=True,
    ),
    "CompleteRequest": _object(
        {
            "data": VARIABLES
            | {
                "description": "process variables; the values of the task's form fields "
                "(camunda:formField) are checked by their type and constraints"
            },
            "decision": DECISION | {"description": "required on a decision step"},
            "note": NOTE | {"description": "required with Tidak: the reason"},
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
            "note": NOTE | {"description": "why (recorded in each instance's history)"},
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
    "NoteRequest": _object({"note": NOTE}, required=[], closed=True),
    "Change": _object(
        {
            "step_no": MAYBE_INTEGER
            | {"description": "the step's number in the new version (old one if removed)"},
            "change": {
                "enum": [
                    "identity",
                    "pelaksana",
                    "added",
                    "removed",
                    "moved",
                    "renamed",
                    "actor",
                    "participants",
                    "kelengkapan",
                    "waktu",
                    "output",
                    "keterangan",
                    "decision",
                ]
            },
            "name": STRING | {"description": "the step's Kegiatan, or the Pelaksana column"},
            "field": STRING | {"description": "identity field, pelaksana or decision part"},
            "old": {"description": "the old value (null: none)"},
            "new": {"description": "the new value (null: none)"},
        }
    ),
    "Delegation": _object(
        _fields(STRING, "from_user from_name title created_by")
        | _fields(MAYBE_STRING, "to_user to_name role")
        | _fields(WHEN, "starts_at ends_at")
        | {
            "id": INTEGER,
            "in_force": BOOLEAN | {"description": "false: it starts later"},
            "away": BOOLEAN | {"description": "an absence without anyone acting (to_user null)"},
        }
    ),
    "DelegateRequest": _object(
        {
            "official": STRING | {"description": "whose roles (default: me; others: admins)"},
            "to": STRING | {"description": "who acts for them"},
            "roles": STRINGS | {"description": "default: every role the official holds"},
            "starts_at": STRING | {"description": "YYYY-MM-DD or ISO 8601; default: now"},
            "ends_at": STRING
            | {"description": "YYYY-MM-DD (that whole day) or ISO 8601; at most a year on"},
            "title": {"enum": ["Plh", "Plt"]},
        },
        required=["to", "ends_at"],
        closed=True,
    ),
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
    "/api/v1/processes/{key}/analytics": {
        "get": _operation(
            "How the process performs against its Mutu Baku over a period, per step "
            "(auditors, analysts, supervisors, admins). Periods select instances by their start "
            "in the office's time zone; medians and p90 are percentile_cont, in minutes",
            {"200": _json(_ref("Analytics"))},
            "403 404 422",
            parameters=[
                _param("key", "path", STRING, "process key, e.g. sop_b"),
                _param("period", "query", STRING, "a month 2026-03, quarter 2026-Q1 or year 2026"),
                _param("from", "query", STRING | {"format": "date"}, "first day (inclusive)"),
                _param("to", "query", STRING | {"format": "date"}, "last day (inclusive)"),
                _param("version", "query", INTEGER | {"minimum": 1}, "one version (default all)"),
            ],
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
    "/api/v1/processes/{key}/diff": {
        "get": _operation(
            "What changed between two versions, step by step, as `alur diff --json` (analysts)",
            {"200": _json(_list("Change"), "One change per difference, in reading order")},
            "403 404 422",
            parameters=[
                _param("key", "path", STRING, "process key, e.g. sop_b"),
                _param("old", "query", INTEGER, "old version (default: the one before new)"),
                _param("new", "query", INTEGER, "new version (default: the newest)"),
            ],
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
DELEGATIONS = _object({"delegations": _list("Delegation")})
PATHS["/api/v1/delegations"] = {
    "get": _operation(
        "Acting officials (Plh./Plt.) and absences in force or to come: mine; an admin's: all",
        {"200": _json(DELEGATIONS)},
        "",
        parameters=[_param("user", "query", STRING, "admins: only this person's")],
    ),
    "post": _operation(
        "Name someone to act for an official in their roles for a period (the official or an "
        "admin); it ends by itself",
        {"201": _json(DELEGATIONS, "Made, one per role")},
        "403 404 422",
        requestBody=_body("DelegateRequest"),
    ),
}
PATHS["/api/v1/delegations/{delegation_id}"] = {
    "delete": _operation(
        "End a delegation or absence now (its official, its delegate or an admin)",
        {"200": _json(_object({"delegation": _ref("Delegation")}))},
        "403 404",
        parameters=[_param("delegation_id", "path", ID, "delegation id")],
    )
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
