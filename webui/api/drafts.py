"""The studio's drafts in /api/v1 (analysts and admins): list, create, read, save, delete, check a
BPMN document, publish with a change note, approve a change of performer. Registered on the API
blueprint by webui/api/__init__.py; its OpenAPI entries are added to the document here."""

from __future__ import annotations

from flask import g, jsonify, request, url_for

from engine.errors import DeployError, InvalidInput
from engine.views import Problem
from webui.api import ID, _body, bp
from webui.api.openapi import (
    ID as ID_SCHEMA,
)
from webui.api.openapi import (
    INTEGER,
    MAYBE_INTEGER,
    MAYBE_STRING,
    OBJECT,
    PATHS,
    SCHEMAS,
    STRING,
    WHEN,
    _fields,
    _json,
    _list,
    _object,
    _operation,
    _param,
    _ref,
)
from webui.api.openapi import (
    _body as _request_body,
)
from webui.facade import alur

CREATE_FIELDS = {"process": str, "version": int, "xml": str}
SAVE_FIELDS = {"xml": str}
VALIDATE_FIELDS = {"xml": str, "process": str}
NOTE_FIELDS = {"note": str}
STATES = ("draft", "awaiting_approval", "published")


def _xml(text: str) -> bytes:
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate
        raise InvalidInput("field_type", field="xml") from None


def problem_json(problem: Problem) -> dict:
    return {
        "line": problem.line,
        "element": problem.element,
        "message": problem.message,
        "key": problem.key,
    }


def _refused(error: DeployError):
    """A draft with problems: 422 with every problem, nothing published."""
    body = {"code": error.code, "message": error.message, "key": error.key}
    return jsonify(error=body, problems=[problem_json(p) for p in error.problems]), 422


@bp.get("/drafts")
def drafts():
    state = request.args.get("state") or None
    if state is not None and state not in STATES:
        raise InvalidInput("field_type", field="state")
    key = request.args.get("process") or None
    found = alur().drafts(g.api_user.username, key=key, state=state)
    return jsonify(drafts=[d.as_json() for d in found])


@bp.post("/drafts")
def create_draft():
    """From a deployed version ({process, version?}) or from a BPMN document ({xml})."""
    body = _body(CREATE_FIELDS)
    if ("xml" in body) == ("process" in body) or ("version" in body and "process" not in body):
        raise InvalidInput("fields_missing", fields="process | xml")
    if "xml" in body:
        draft = alur().draft_from_xml(_xml(body["xml"]), g.api_user.username)
    else:
        version = body.get("version")
        if version is not None and not 1 <= version <= 2**31:
            raise InvalidInput("version_invalid")
        draft = alur().draft_from_version(body["process"], version, g.api_user.username)
    location = url_for("api.draft", draft_id=draft.id)
    return jsonify(draft.as_json()), 201, {"Location": location}


@bp.get(f"/drafts/<{ID}:draft_id>")
def draft(draft_id: int):
    return jsonify(alur().draft(draft_id, g.api_user.username).as_json())


@bp.put(f"/drafts/<{ID}:draft_id>")
def save_draft(draft_id: int):
    body = _body(SAVE_FIELDS, required=("xml",))
    saved = alur().save_draft(draft_id, _xml(body["xml"]), g.api_user.username)
    return jsonify(saved.as_json())


@bp.delete(f"/drafts/<{ID}:draft_id>")
def delete_draft(draft_id: int):
    alur().delete_draft(draft_id, g.api_user.username)
    return "", 204


@bp.post("/validate")
def validate():
    """The problems deploy would find in a BPMN document (process: the key it must have)."""
    body = _body(VALIDATE_FIELDS, required=("xml",))
    key = body.get("process") or None
    problems = alur().check_xml(_xml(body["xml"]), key, g.api_user.username)
    return jsonify(problems=[problem_json(p) for p in problems])


@bp.post(f"/drafts/<{ID}:draft_id>/publish")
def publish_draft(draft_id: int):
    body = _body(NOTE_FIELDS, required=("note",))
    try:
        done = alur().publish_draft(draft_id, g.api_user.username, body["note"])
    except DeployError as error:
        return _refused(error)
    return jsonify(done.as_json())


@bp.post(f"/drafts/<{ID}:draft_id>/approve")
def approve_draft(draft_id: int):
    body = _body(NOTE_FIELDS)
    try:
        done = alur().approve_draft(draft_id, g.api_user.username, body.get("note", ""))
    except DeployError as error:
        return _refused(error)
    return jsonify(done.as_json())


@bp.post(f"/processes/<key>/versions/<{ID}:version>/approve")
def approve_version(key: str, version: int):
    """Approve the version of a process awaiting approval (a file deploy, or a published draft
    that needs a second person): it becomes the version new instances start on."""
    body = _body(NOTE_FIELDS)
    try:
        done = alur().approve_version(key, version, g.api_user.username, body.get("note", ""))
    except DeployError as error:
        return _refused(error)
    return jsonify(done.as_json())


# -- the OpenAPI entries ------------------------------------------------------------------------
DRAFT = _object(
    _fields(STRING, "process_key name author state note approval_note filename")
    | _fields(MAYBE_INTEGER, "base_version published_version")
    | _fields(WHEN, "created_at updated_at submitted_at approved_at")
    | {
        "id": INTEGER,
        "approver": MAYBE_STRING,
        "size": INTEGER | {"description": "bytes of BPMN"},
        "xml": STRING | {"description": "the BPMN (only when one draft is read or written)"},
        "source": {"enum": ["studio", "deploy"]}
        | {"description": "deploy: a file deploy waiting for a second person's approval"},
    },
    required=[
        *"id process_key name base_version author state note approval_note approver".split(),
        "source",
        "filename",
        *"published_version size created_at updated_at submitted_at approved_at".split(),
    ],
)
PROBLEM = _object(
    {
        "line": MAYBE_INTEGER,
        "element": MAYBE_STRING,
        "message": STRING,
        "key": MAYBE_STRING,
    }
)
CHANGE = _object(
    {
        "step_no": MAYBE_INTEGER,
        "change": STRING,
        "name": STRING,
        "field": STRING,
        "old": {},
        "new": {},
    }
)
PUBLICATION = _object(
    {
        "draft": _ref("Draft"),
        "state": {"enum": ["published", "awaiting_approval"]},
        "version": MAYBE_INTEGER | {"description": "the version deployed; null: awaiting"},
        "performer_changes": _list("Change", "the changes that need a second person (four eyes)"),
    }
)
REFUSED = _json(
    _object({"error": OBJECT, "problems": _list("Problem")}, required=["error"]),
    "The draft has problems: nothing was published",
)
DRAFT_ID = _param("draft_id", "path", ID_SCHEMA, "draft id")
FOUR_EYES = (
    "A draft or a file deploy that changes who performs a step (a step's Pelaksana, or a "
    "Pelaksana column renamed), puts a step in a role its author holds, or adds, removes, moves "
    "or re-branches an approval or signing step waits for another analyst or an administrator to "
    "approve it; its author (the deployer) cannot."
)
SCHEMAS.update(
    {
        "Draft": DRAFT,
        "Problem": PROBLEM,
        "Change": CHANGE,
        "Publication": PUBLICATION,
        "DraftCreateRequest": _object(
            {
                "process": STRING | {"description": "a deployed process key"},
                "version": INTEGER
                | {"minimum": 1, "maximum": 2**31, "description": "default: newest"},
                "xml": STRING | {"description": "or a BPMN document (a new SOP)"},
            },
            required=[],
            closed=True,
        ),
        "DraftSaveRequest": _object({"xml": STRING}, closed=True),
        "ValidateRequest": _object(
            {"xml": STRING, "process": STRING | {"description": "the key it must have"}},
            required=["xml"],
            closed=True,
        ),
        "PublishRequest": _object(
            {"note": STRING | {"description": "the change note (required)"}}, closed=True
        ),
    }
)
PATHS.update(
    {
        "/api/v1/drafts": {
            "get": _operation(
                "SOP drafts, newest first (analysts, admins)",
                {"200": _json(_object({"drafts": _list("Draft")}))},
                "403 422",
                parameters=[
                    _param("process", "query", STRING, "only this process key"),
                    _param("state", "query", {"enum": list(STATES)}, "only this state"),
                ],
            ),
            "post": _operation(
                "A new draft from a deployed version, or from a BPMN document",
                {"201": _json(_ref("Draft"), "Made; Location names the draft")},
                "403 404 409 422",
                requestBody=_request_body("DraftCreateRequest"),
            ),
        },
        "/api/v1/drafts/{draft_id}": {
            "get": _operation(
                "A draft with its BPMN",
                {"200": _json(_ref("Draft"))},
                "403 404",
                parameters=[DRAFT_ID],
            ),
            "put": _operation(
                "Save the draft's BPMN (its author, while it is a draft)",
                {"200": _json(_ref("Draft"))},
                "403 404 409 422",
                parameters=[DRAFT_ID],
                requestBody=_request_body("DraftSaveRequest"),
            ),
            "delete": _operation(
                "Delete a draft not yet published (its author, an administrator)",
                {"204": {"description": "Deleted"}},
                "403 404 409",
                parameters=[DRAFT_ID],
            ),
        },
        "/api/v1/validate": {
            "post": _operation(
                "The problems deploy would find in a BPMN document; empty: it can be published",
                {"200": _json(_object({"problems": _list("Problem")}))},
                "403 422",
                requestBody=_request_body("ValidateRequest"),
            )
        },
        "/api/v1/drafts/{draft_id}/publish": {
            "post": _operation(
                "Publish a draft as the next version with a change note, all or nothing. "
                + FOUR_EYES,
                {"200": _json(_ref("Publication")), "422": REFUSED},
                "403 404 409",
                parameters=[DRAFT_ID],
                requestBody=_request_body("PublishRequest"),
            )
        },
        "/api/v1/processes/{key}/versions/{version}/approve": {
            "post": _operation(
                "Approve the version of a process awaiting approval: it is published now. "
                + FOUR_EYES,
                {"200": _json(_ref("Publication")), "422": REFUSED},
                "403 404 409",
                parameters=[
                    _param("key", "path", STRING, "process key"),
                    _param("version", "path", ID_SCHEMA, "the version waiting"),
                ],
                requestBody=_request_body("NoteRequest", required=False),
            )
        },
        "/api/v1/drafts/{draft_id}/approve": {
            "post": _operation(
                "Approve a draft awaiting approval: it is published now. " + FOUR_EYES,
                {"200": _json(_ref("Publication")), "422": REFUSED},
                "403 404 409",
                parameters=[DRAFT_ID],
                requestBody=_request_body("NoteRequest", required=False),
            )
        },
    }
)
