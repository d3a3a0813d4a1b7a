"""CSRF protection, failed-login rate limiting and the security headers of every response."""

from __future__ import annotations

from flask import Flask, Response, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_wtf.csrf import CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix

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


def init_app(app: Flask) -> None:
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
        response.headers.setdefault("Cache-Control", "no-store")
    return response
