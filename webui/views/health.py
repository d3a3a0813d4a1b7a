"""GET /healthz: whether this app server answers and reaches its database (no sign-in)."""

from __future__ import annotations

import logging

from flask import Blueprint, jsonify
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from webui.facade import alur

log = logging.getLogger(__name__)
bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    """200 {"status": "ok", "database": "ok"} when SELECT 1 answers, else 503 with the reason."""
    try:
        with alur().db.connect() as connection:
            connection.execute(text("SELECT 1"))
    except SQLAlchemyError as error:
        reason = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
        log.warning("health check: database unreachable: %s", reason)
        return jsonify(status="error", database=reason or type(error).__name__), 503
    return jsonify(status="ok", database="ok")
