"""The SOP table editor (analysts and admins): stateless conversions BPMN XML <-> table JSON for
the studio, and a page that edits a deployed version's table and gives back the .bpmn."""

from __future__ import annotations

import json

from flask import Blueprint, Response, current_app, jsonify, render_template, request
from flask_login import current_user, login_required

from engine.errors import EngineError, InvalidInput
from webui import errors
from webui.error_texts import error_text
from webui.facade import alur

bp = Blueprint("sop_table", __name__)


@bp.errorhandler(EngineError)
def engine_error(error: EngineError):
    """JSON for the editor: the message, and each bad cell (row, field, column) in the UI
    language; the page shows each on its cell. The page itself answers with the error page."""
    if request.endpoint == "sop_table.edit":
        return errors.engine_error(error)
    problems = [
        {
            "row": p.params.get("row"),
            "field": p.params.get("field"),
            "column": p.params.get("column"),
            "message": error_text(p),
        }
        for p in getattr(error, "problems", [])
    ]
    return jsonify(error={"code": error.code, "key": error.key, "message": error_text(error)},
                   problems=problems), error.status  # fmt: skip


def _limit() -> int:
    return int(current_app.config["ALUR_MAX_BPMN_BYTES"]) * 2


def _bounded_body() -> bytes:
    if (request.content_length or 0) > _limit():
        size, limit = request.content_length // 1024, _limit() // 1024
        raise InvalidInput("xml_too_big", size=size, limit=limit)
    return request.get_data(cache=False)


@bp.post("/studio/table/from-xml")
@login_required
def from_xml():
    """Body: a BPMN document. Answer: its SOP table as JSON."""
    return jsonify(alur().sop_table(_bounded_body(), current_user.username))


@bp.post("/studio/table/to-xml")
@login_required
def to_xml():
    """Body: {"table": <table JSON>, "xml": <the document it was read from, optional>}.
    Answer: the BPMN document written with the automatic layout."""
    try:
        body = json.loads(_bounded_body() or b"null")
    except (ValueError, RecursionError) as error:
        raise InvalidInput("request_not_json", error=str(error)) from None
    if not isinstance(body, dict) or not isinstance(body.get("xml", ""), str | type(None)):
        raise InvalidInput("request_not_object")
    xml = (body.get("xml") or "").encode("utf-8") or None
    data = alur().table_bpmn(body.get("table"), xml, current_user.username)
    return Response(data, mimetype="application/xml")


@bp.get("/processes/<key>/table")
@login_required
def edit(key: str):
    """A deployed version's SOP table in the editor; the analyst downloads the resulting .bpmn."""
    version = request.args.get("version", type=int)
    table, side = alur().version_table(key, version, current_user.username)
    definition = alur().definition(key, side.version)
    return render_template("sop_table/edit.html", definition=definition, table=table)
