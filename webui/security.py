"""CSRF protection, failed-login rate limiting and the security headers of every response."""

from __future__ import annotations

import base64
import hashlib

from flask import Flask, Response, current_app, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_wtf.csrf import CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

MAX_ID = 2**63 - 1  # the largest database integer (PostgreSQL bigint, SQLite integer)

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
# The bpmn.io watermark dmn-js draws (its license forbids changing that code) carries these
# style attributes; the decision page allows exactly them by hash (csp_allowing_styles)
WATERMARK_STYLES = (
    "position: absolute; bottom: 15px; right: 15px; z-index: 100;",
    "vertical-align:middle",
    "z-index: 1001;position: fixed;top: 0;left: 0;right: 0;bottom: 0",
    "width: 100%;height: 100%;background: rgba(40,40,40,0.2)",
    "position: absolute;left: 50%;top: 40%;transform: translate(-50%);width: 260px;"
    "padding: 10px;background: white;box-shadow: 0 1px 4px rgba(0,0,0,0.3);"
    "font-family: Helvetica, Arial, sans-serif;font-size: 14px;display: flex;line-height: 1.3",
    "margin: 15px 20px 15px 10px; align-self: center;",
)


def csp_allowing_styles(styles: tuple[str, ...]) -> str:
    """The policy with these exact style attributes allowed ('unsafe-hashes' and their hashes:
    any other style attribute stays blocked)."""
    hashes = " ".join(
        f"'sha256-{base64.b64encode(hashlib.sha256(s.encode()).digest()).decode()}'" for s in styles
    )
    return f"{CSP}; style-src-attr 'unsafe-hashes' {hashes}"


HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


class BoundedInt(IntegerConverter):
    """<int:...> in every route: a database integer; a larger number does not route (404)
    instead of overflowing the database driver (500)."""

    def __init__(self, map, *args, **kwargs):  # noqa: A002 (werkzeug's name)
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def init_app(app: Flask) -> None:
    app.url_map.converters["int"] = BoundedInt  # before any blueprint adds its routes
    app.config.setdefault("ALUR_HSTS_SECONDS", 365 * 24 * 3600)
    proxies = int(app.config["ALUR_TRUSTED_PROXIES"])
    if proxies:  # the client address for rate limits, and https, as the proxy saw them
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)
    CSRFProtect(app)  # registers itself as app.extensions["csrf"]; the API blueprint exempts
    # auth.init_app puts the failed-login limit on the login view.
    app.extensions["alur_limiter"] = Limiter(get_remote_address, app=app)
    app.after_request(_headers)


def _headers(response: Response) -> Response:
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if request.endpoint and not request.endpoint.startswith(("static", "vendor.")):
        if "ETag" not in response.headers:  # a diagram with a validator: private, no-cache
            response.headers["Cache-Control"] = "no-store"  # pages, API answers, files, CSVs
    hsts = int(current_app.config["ALUR_HSTS_SECONDS"] or 0)
    if request.is_secure and hsts > 0:  # https, directly or as a trusted proxy says
        response.headers.setdefault("Strict-Transport-Security", f"max-age={hsts}")
    return response
