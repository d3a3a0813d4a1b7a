"""CSRF protection, failed-login rate limiting and the security headers of every response."""

from __future__ import annotations

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
