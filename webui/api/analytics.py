"""GET /api/v1/processes/<key>/analytics: a process's figures against its Mutu Baku as JSON."""

from __future__ import annotations

from flask import g, jsonify, request

from engine.errors import InvalidInput
from engine.views import analytics_json
from webui.api import bp
from webui.facade import alur

MAX_VERSION = 2**31


def period_args(args) -> dict:
    """period, from and to of a query string (absent or empty: not given)."""
    return {
        "period": args.get("period") or None,
        "start": args.get("from") or None,
        "end": args.get("to") or None,
    }


def version_arg(args) -> int | None:
    """The version asked for; not a whole number from 1 to 2^31: InvalidInput."""
    raw = (args.get("version") or "").strip()
    if not raw:
        return None
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_VERSION:
        raise InvalidInput("version_invalid")
    return int(raw)


@bp.get("/processes/<key>/analytics")
def analytics(key: str):
    engine = alur()
    period = engine.period(**period_args(request.args))
    figures = engine.analytics(key, g.api_user.username, period, version_arg(request.args))
    return jsonify(analytics_json(figures))
