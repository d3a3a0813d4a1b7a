"""GET /healthz: whether this app server answers and reaches its database (no sign-in)."""

from __future__ import annotations

import logging

from flask import Blueprint, jsonify

from webui.facade import alur

log = logging.getLogger(__name__)
bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    """200 {"status": "ok", "database": "ok"} when SELECT 1 answers, else 503 with the reason."""
    reason = alur().ping()
    if reason is not None:
        log.warning("health check: database unreachable: %s", reason)
        return jsonify(status="error", database=reason), 503
    return jsonify(status="ok", database="ok")
