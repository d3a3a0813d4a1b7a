"""The JSON API under /api/v1: personal bearer tokens, processes, instances, the inbox, tasks."""

from __future__ import annotations

import json
import logging

from flask import Blueprint, g, jsonify, request, url_for
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from engine.errors import EngineError, FormInvalid, InvalidInput, Unauthenticated
from engine.views import (
    Completion,
    InboxFilter,
    User,
    moment,
    plain,
)
from webui.api import compare
from webui.api.openapi import document
from webui.facade import alur

log = logging.getLogger(__name__)
bp = Blueprint("api", __name__, url_prefix="/api/v1")
bp.register_blueprint(compare.bp)  # the studio's routes: their own module, this one's checks

START_FIELDS = {"title": str, "data": dict, "version": int}
MIGRATE_FIELDS = {
    "from": int, "to": int, "instances": list, "mapping": dict, "note": str, "dry_run": bool,
}  # fmt: skip
NOTE_FIELDS = {"note": str}
DELEGATE_FIELDS = {
    "official": str, "to": str, "roles": list, "starts_at": str, "ends_at": str, "title": str,
}  # fmt: skip
TASK_DRAFT_FIELDS = {"decision": str, "note": str, "checked": list, "gaps": dict}
COMPLETE_FIELDS = {"data": dict, "decision": (str, type(None)), "note": str, "checklist": dict}
ID = "int(max=9223372036854775807)"  # a database integer; larger ids do not route
MAX_INT = 2**63 - 1  # an integer field beyond a database integer is refused, not a 500
MAX_BODY_BYTES = 1024 * 1024  # one JSON request body; larger is a 413
FIELD_CAPS = {"title": 300, "note": 2000, "decision": 10, "xml": 2_000_000}  # characters
MAX_STRING = 10_000  # characters of any other string in a body: keys and values inside data,
# checklist and mapping (the whole body stays within MAX_BODY_BYTES)
FLAGS = {"true": True, "1": True, "yes": True, "false": False, "0": False, "no": False}


@bp.errorhandler(EngineError)
def engine_error(error: EngineError):
    key = {"key": error.key} if error.key else {}
    if error.key == "token_refused":
        log.info("API token refused from %s", request.remote_addr)
    if isinstance(error, FormInvalid):  # one message per refused form field
        key["fields"] = {f: {"key": e.key, "message": e.message} for f, e in error.fields.items()}
    response = jsonify(error={"code": error.code, "message": error.message, **key})
    if error.status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="alur"'
    return response, error.status


@bp.errorhandler(HTTPException)
def http_error(error: HTTPException):
    code = (error.name or "error").lower().replace(" ", "_")
    return error_response(error.code, code, error.description)


def error_response(status: int, code: str, message: str):
    """The API's error body: {"error": {"code", "message"}} with the status."""
    return jsonify(error={"code": code, "message": message}), status


@bp.before_request
def authenticate() -> None:
    """Every API call but the OpenAPI document needs `Authorization: Bearer <token>`."""
    if request.endpoint == "api.openapi":
        return
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthenticated("token_required")
    if request.endpoint in CHECKED_IN_THE_ANSWER:
        g.api_token = token.strip()
        return
    g.api_user = _token_user(token.strip())


# The busiest calls check the token in the transaction that makes their answer (one
# transaction and one read of the person per request, not two).
CHECKED_IN_THE_ANSWER = {"api.tasks", "api.claim", "api.complete"}


def _token_user(token: str) -> User:
    """The active owner of an unrevoked token (the engine keeps its last_used_at current)."""
    user = alur().user_for_token(token)
    if user is None:
        raise Unauthenticated("token_refused")
    return user


def _body(fields: dict, required: tuple[str, ...] = ()) -> dict:
    """The request's JSON object, checked against {field: type}; any fault is a 422, a body
    over MAX_BODY_BYTES a 413. Every string in it is bounded (FIELD_CAPS, MAX_STRING) and
    free of NUL characters."""
    if (request.content_length or 0) > MAX_BODY_BYTES:
        raise RequestEntityTooLarge(f"a request body may have at most {MAX_BODY_BYTES} bytes")
    raw = request.get_data(cache=True)
    if len(raw) > MAX_BODY_BYTES:  # chunked: no Content-Length to refuse by
        raise RequestEntityTooLarge(f"a request body may have at most {MAX_BODY_BYTES} bytes")
    try:
        # int("NaN") raises ValueError: NaN and Infinity are not JSON
        body = json.loads(raw, parse_constant=int) if raw.strip() else {}
        json.dumps(body, ensure_ascii=False).encode()  # lone surrogates are no UTF-8 text
    except (ValueError, RecursionError) as error:
        raise InvalidInput("request_not_json", error=str(error)) from None
    if not isinstance(body, dict):
        raise InvalidInput("request_not_object")
    if unknown := sorted(set(body) - set(fields)):
        raise InvalidInput("fields_unknown", fields=", ".join(unknown))
    if missing := [f for f in required if f not in body]:
        raise InvalidInput("fields_missing", fields=", ".join(missing))
    for name, value in body.items():
        if fields[name] is int and isinstance(value, float) and value.is_integer():
            body[name] = value = int(value)  # as in JSON Schema, 3.0 is an integer
        if isinstance(value, bool) and fields[name] is int or not isinstance(value, fields[name]):
            raise InvalidInput("field_type", field=name)
        if fields[name] is int and not -MAX_INT <= value <= MAX_INT:  # beyond a database integer
            raise InvalidInput("field_type", field=name)
        _check_strings(name, value, FIELD_CAPS.get(name, MAX_STRING))
    return body


def _check_strings(name: str, value: object, cap: int) -> None:
    """Every string in value (keys too, at any depth) within cap characters and without NUL."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack += [*item.keys(), *item.values()]
        elif isinstance(item, list):
            stack += item
        elif isinstance(item, str):
            if len(item) > cap:
                raise InvalidInput("field_too_long", field=name, length=len(item), limit=cap)
            if "\x00" in item:
                raise InvalidInput("field_nul", field=name)


def _flag(name: str) -> bool | None:
    value = request.args.get(name, "").lower()
    if value and value not in FLAGS:
        raise InvalidInput("flag_invalid", name=name)
    return FLAGS.get(value)


@bp.get("/openapi.json")
def openapi():
    return jsonify(document())


@bp.get("/processes")
def processes():
    latest: dict[str, dict] = {}
    for d in alur().processes():  # newest version first within each key
        if d.key in latest:
            latest[d.key]["versions"].append(d.version)
            continue
        latest[d.key] = plain(
            d,
            "key code name version starter_roles deployed_at",
            versions=[d.version],
            actors=d.model.actors,
            steps=len(d.model.steps),
        )
    return jsonify(processes=list(latest.values()))


@bp.post("/processes/<key>/instances")
def start(key: str):
    body = _body(START_FIELDS, required=("title",))
    if not 1 <= body.get("version", 1) <= 2**31:
        raise InvalidInput("version_invalid")
    if "\x00" in body["title"]:  # PostgreSQL text cannot hold NUL
        raise InvalidInput("title_nul")
    instance = alur().start(key, g.api_user.username, **body)  # title, data, version
    location = url_for("api.instance", instance_id=instance.id)
    return jsonify(alur().instance_answer(instance.id)), 201, {"Location": location}


@bp.get(f"/instances/<{ID}:instance_id>")
def instance(instance_id: int):
    return jsonify(alur().instance_answer(instance_id, g.api_user.username))


@bp.get(f"/instances/<{ID}:instance_id>/history")
def history(instance_id: int):
    events = alur().history_answer(instance_id, g.api_user.username)
    return jsonify(instance_id=instance_id, events=events)


@bp.get("/tasks")
def tasks():
    flt = InboxFilter(
        process=request.args.get("process") or None,
        overdue=_flag("overdue"),
        mine_only=bool(_flag("mine")),
        unclaimed_only=bool(_flag("unclaimed")),
    )
    return jsonify(tasks=alur().inbox_answer(g.api_token, flt))


@bp.post(f"/tasks/<{ID}:task_id>/claim")
def claim(task_id: int):
    return jsonify(task=alur().claim_answer(task_id, g.api_token))


@bp.get(f"/tasks/<{ID}:task_id>/draft")
def task_draft(task_id: int):
    found = alur().task_draft(task_id, g.api_user.username)
    return jsonify(draft=found and {k: v for k, v in found.items() if k != "saved_at"})


@bp.put(f"/tasks/<{ID}:task_id>/draft")
def save_task_draft(task_id: int):
    body = _body(TASK_DRAFT_FIELDS)
    saved_at, _attached = alur().save_task_draft(task_id, g.api_user.username, body)
    return jsonify(draft=alur().clean_task_draft(body), saved_at=saved_at.isoformat())


@bp.post(f"/tasks/<{ID}:task_id>/complete")
def complete(task_id: int):
    body = _body(COMPLETE_FIELDS)
    if not all(isinstance(v, bool | str) for v in body.get("checklist", {}).values()):
        raise InvalidInput("checklist_invalid")
    # One write transaction: the token checked, the task read, checked and completed, and the
    # answer made from it.
    return jsonify(alur().complete_from_api(task_id, g.api_token, Completion(**body)))


@bp.post("/processes/<key>/migrations")
def migrate(key: str):
    """Check (dry_run) or move instances of one version to another: one result per instance."""
    body = _body(MIGRATE_FIELDS, required=("from", "to"))
    ids = body.get("instances") or None
    mapping = body.get("mapping") or {}
    if ids and not all(isinstance(i, int) and not isinstance(i, bool) for i in ids):
        raise InvalidInput("field_type", field="instances")
    if not all(isinstance(v, str) for v in mapping.values()):
        raise InvalidInput("field_type", field="mapping")
    args = (key, body["from"], body["to"], g.api_user.username, ids, mapping)
    if body.get("dry_run", False):
        outcomes = alur().plan_migration(*args)
    else:
        outcomes = alur().migrate(*args, body.get("note", ""))
    return jsonify(dry_run=body.get("dry_run", False), results=[o.as_json() for o in outcomes])


@bp.post(f"/instances/<{ID}:instance_id>/suspend")
def suspend(instance_id: int):
    note = _body(NOTE_FIELDS).get("note", "")
    alur().suspend(instance_id, g.api_user.username, note)
    return jsonify(alur().instance_answer(instance_id, g.api_user.username))


@bp.post(f"/instances/<{ID}:instance_id>/resume")
def resume(instance_id: int):
    note = _body(NOTE_FIELDS).get("note", "")
    alur().resume(instance_id, g.api_user.username, note)
    return jsonify(alur().instance_answer(instance_id, g.api_user.username))


@bp.get("/delegations")
def delegations():
    """Delegations and absences in force or to come: mine (as official or delegate); an admin
    sees everyone's, or one person's with ?user=."""
    me = g.api_user
    who = (request.args.get("user") or None) if me.is_admin else me.username
    return jsonify(delegations=[d.as_json() for d in alur().delegations(who)])


@bp.post("/delegations")
def delegate():
    """Name someone to act for an official (default: me) in roles (default: all of theirs)."""
    body = _body(DELEGATE_FIELDS, required=("to", "ends_at"))
    roles = body.get("roles") or None
    if roles and not all(isinstance(r, str) for r in roles):
        raise InvalidInput("field_type", field="roles")
    tz = alur().calendar.timezone
    made = alur().delegate(
        body.get("official") or g.api_user.username,
        body["to"],
        until=moment(body["ends_at"], tz, end_of_day=True),
        by=g.api_user.username,
        roles=roles,
        since=moment(body["starts_at"], tz) if body.get("starts_at") else None,
        title=body.get("title", "Plh"),
    )
    return jsonify(delegations=[d.as_json() for d in made]), 201


@bp.delete(f"/delegations/<{ID}:delegation_id>")
def revoke_delegation(delegation_id: int):
    """End a delegation or an absence now (its official, its delegate or an admin)."""
    return jsonify(
        delegation=alur().revoke_delegation(delegation_id, g.api_user.username).as_json()
    )


# The studio's drafts: their routes live in their own module, registered on this blueprint.
from webui.api import analytics as _analytics  # noqa: E402, F401  (its routes on bp)
from webui.api import drafts as _drafts  # noqa: E402, F401
from webui.api import incidents as _incidents  # noqa: E402, F401
