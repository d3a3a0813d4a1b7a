"""Incidents in /api/v1 (admins and analysts): the steps the process model could not run, and
retrying a worker's step. Registered on the API blueprint by webui/api/__init__.py; its OpenAPI
entries are added to the document here."""

from __future__ import annotations

from flask import g, jsonify

from webui.api import ID, _body, _flag, bp
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
from webui.facade import alur


@bp.get("/incidents")
def incidents():
    """Open incidents, the most recently seen first; ?all=true with the resolved ones."""
    found = alur().incidents(g.api_user.username, open_only=not _flag("all"))
    return jsonify(incidents=[i.as_json() for i in found])


@bp.post(f"/incidents/<{ID}:incident_id>/retry")
def retry_incident(incident_id: int):
    """Run a worker's failed step again now; 422 (process_error) when it fails again."""
    _body({})
    return jsonify(incident=alur().retry_incident(incident_id, g.api_user.username).as_json())


# -- the OpenAPI entries ------------------------------------------------------------------------
INCIDENT = _object(
    _fields(INTEGER, "id instance_id version count")
    | _fields(STRING, "process_key title element reason_key message resolution")
    | _fields(WHEN, "first_seen_at last_seen_at retry_at resolved_at")
    | {
        "task_id": MAYBE_INTEGER | {"description": "the task whose completion failed"},
        "source": {"enum": ["worker", "completion"]},
        "params": OBJECT | {"description": "the reason's parameters (name, element, reason)"},
        "resolved_by": MAYBE_STRING,
        "newer_version": MAYBE_INTEGER
        | {"description": "the process's newest version when newer: migrate to it to fix"},
    }
)
SCHEMAS["Incident"] = INCIDENT
PATHS.update(
    {
        "/api/v1/incidents": {
            "get": _operation(
                "Steps of instances the process model could not run (admins, analysts): open "
                "ones, the most recently seen first",
                {"200": _json(_object({"incidents": _list("Incident")}))},
                "403 422",
                parameters=[_param("all", "query", {"type": "boolean"}, "with resolved ones")],
            )
        },
        "/api/v1/incidents/{incident_id}/retry": {
            "post": _operation(
                "Run a worker's failed step again now; resolved when it runs through, else 422 "
                "with the reason (seen once more, tried again later by itself)",
                {"200": _json(_object({"incident": _ref("Incident")}))},
                "403 404 409 422",
                parameters=[_param("incident_id", "path", ID_SCHEMA, "incident id")],
            )
        },
    }
)
