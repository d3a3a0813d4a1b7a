"""The JSON API under /api/v1: personal bearer tokens, processes, instances, the inbox, tasks."""

from __future__ import annotations

import json
import logging

from flask import Blueprint, g, jsonify, request, url_for
from werkzeug.exceptions import HTTPException

from engine.errors import EngineError, InvalidInput
from engine.views import (
    Completion,
    InboxFilter,
    User,
    plain,
)
from webui.api.openapi import document
from webui.facade import alur

log = logging.getLogger(__name__)
bp = Blueprint("api", __name__, url_prefix="/api/v1")

START_FIELDS = {"title": str, "data": dict, "version": int}
MIGRATE_FIELDS = {
    "from": int, "to": int, "instances": list, "mapping": dict, "note": str, "dry_run": bool,
}  # fmt: skip
NOTE_FIELDS = {"note": str}
TASK_DRAFT_FIELDS = {"decision": str, "note": str, "checked": list, "gaps": dict}
COMPLETE_FIELDS = {"data": dict, "decision": (str, type(None)), "note": str, "checklist": dict}
ID = "int(max=9223372036854775807)"  # a database integer; larger ids do not route
FLAGS = {"true": True, "1": True, "yes": True, "false": False, "0": False, "no": False}


class Unauthenticated(EngineError):
    code, status = "unauthorized", 401


@bp.errorhandler(EngineError)
def engine_error(error: EngineError):
    key = {"key": error.key} if error.key else {}
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
    g.api_user = _token_user(token.strip())


def _token_user(token: str) -> User:
    """The active owner of an unrevoked token (the engine keeps its last_used_at current)."""
    user = alur().user_for_token(token)
    if user is None:
        log.info("API token refused from %s", request.remote_addr)
        raise Unauthenticated("token_refused")
    return user


def _body(fields: dict, required: tuple[str, ...] = ()) -> dict:
    """The request's JSON object, checked against {field: type}; any fault is a 422."""
    raw = request.get_data(cache=True)
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
    return body


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
    return jsonify(tasks=alur().inbox_answer(g.api_user.username, flt))


@bp.post(f"/tasks/<{ID}:task_id>/claim")
def claim(task_id: int):
    return jsonify(task=alur().claim_answer(task_id, g.api_user.username))


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
    # One write transaction: the task read, checked and completed, and the answer made from it.
    return jsonify(alur().complete_from_api(task_id, g.api_user.username, Completion(**body)))


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
