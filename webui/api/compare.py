"""/api/v1 routes of the analyst's studio: the step-level diff of two versions (analysts, admins).

A blueprint nested in the API's, so its token check and error bodies apply here too.
"""

from __future__ import annotations

from flask import Blueprint, g, jsonify, request

from engine.errors import InvalidInput
from webui.facade import alur

bp = Blueprint("compare", __name__)


def _version(name: str) -> int | None:
    value = request.args.get(name, "").strip()
    if not value:
        return None
    if not value.isdigit() or not 1 <= int(value) <= 2**31:
        raise InvalidInput("version_invalid")
    return int(value)


@bp.get("/processes/<key>/diff")
def diff(key: str):
    """What changed from version old to version new, as `alur diff --json` prints it."""
    changes = alur().diff_answer(key, _version("old"), _version("new"), g.api_user.username)
    return jsonify(changes)
