"""App configuration: defaults, then the environment (ALUR_*), then the caller's mapping."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from pathlib import Path

from flask import Flask

ROOT = Path(__file__).resolve().parents[1]
UPLOAD_EXTENSIONS = "pdf doc docx odt rtf txt xls xlsx ods csv ppt pptx odp jpg jpeg png zip"
DEFAULTS = {
    "ALUR_DEMO": False,
    # Failed sign-ins before 429 (Flask-Limiter syntax): per address and username, per address.
    "ALUR_LOGIN_LIMIT": "5 per minute; 20 per hour",
    "ALUR_LOGIN_LIMIT_PER_ADDRESS": "30 per minute; 200 per hour",
    "ALUR_TRUSTED_PROXIES": 0,  # reverse proxies in front (X-Forwarded-For/-Proto are trusted)
    "RATELIMIT_STORAGE_URI": "memory://",
    "RATELIMIT_HEADERS_ENABLED": False,
    "ALUR_UPLOAD_EXTENSIONS": UPLOAD_EXTENSIONS,
    "ALUR_MAX_FILES": 10,  # files in one submit; bounds the request size with the per-file limit
    "ALUR_MAX_BPMN_BYTES": 2 * 1024 * 1024,  # one .bpmn file on the deploy page
    "ALUR_HSTS_SECONDS": 365 * 24 * 3600,  # Strict-Transport-Security over https; 0: none
    "ALUR_NODE_MODULES": str(ROOT / "node_modules"),
    "ALUR_BPMN_DIR": str(ROOT / "bpmn"),
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "REMEMBER_COOKIE_HTTPONLY": True,
    "REMEMBER_COOKIE_SAMESITE": "Lax",
    "BABEL_DEFAULT_LOCALE": "id",
    # A CSRF token lives as long as the session: a long task form must not expire while typed.
    "WTF_CSRF_TIME_LIMIT": None,
    "ENGINE_CLOCK": None,  # the engine's "now" (a callable; tests stop it), None: the system clock
}
# Environment variables read besides the engine's own (ALUR_DATABASE_URL, ALUR_UPLOAD_DIR, ...).
FROM_ENV = {
    "ALUR_SECRET_KEY": "SECRET_KEY",
    "SECRET_KEY": "SECRET_KEY",
    "ALUR_RATELIMIT_STORAGE_URI": "RATELIMIT_STORAGE_URI",
    "ALUR_LOGIN_LIMIT": "ALUR_LOGIN_LIMIT",
    "ALUR_LOGIN_LIMIT_PER_ADDRESS": "ALUR_LOGIN_LIMIT_PER_ADDRESS",
    "ALUR_TRUSTED_PROXIES": "ALUR_TRUSTED_PROXIES",
    "ALUR_UPLOAD_EXTENSIONS": "ALUR_UPLOAD_EXTENSIONS",
    "ALUR_NODE_MODULES": "ALUR_NODE_MODULES",
    "ALUR_BPMN_DIR": "ALUR_BPMN_DIR",
    "ALUR_MAX_BPMN_BYTES": "ALUR_MAX_BPMN_BYTES",
    "ALUR_HSTS_SECONDS": "ALUR_HSTS_SECONDS",
    "ALUR_COOKIE_SECURE": "ALUR_COOKIE_SECURE",
}


def load(app: Flask, test_config: Mapping | None = None) -> None:
    """Fill app.config; refuse to run without a SECRET_KEY outside demo and testing."""
    app.config.from_mapping(DEFAULTS)
    for env_name, key in FROM_ENV.items():
        if os.environ.get(env_name):
            app.config[key] = os.environ[env_name]
    if test_config:
        app.config.from_mapping(test_config)
    relaxed = app.config["ALUR_DEMO"] or app.testing or app.debug
    if not app.config.get("SECRET_KEY"):
        if not relaxed:
            raise RuntimeError(
                "ALUR_SECRET_KEY is not set: give the web UI a long random secret "
                "(for example `python -c 'import secrets; print(secrets.token_hex(32))'`)"
            )
        app.config["SECRET_KEY"] = secrets.token_hex(32)
    secure = app.config.get("ALUR_COOKIE_SECURE")
    secure = (not relaxed) if secure is None else str(secure).lower() in {"1", "true", "yes"}
    app.config["SESSION_COOKIE_SECURE"] = secure
    app.config["REMEMBER_COOKIE_SECURE"] = secure


def engine_env(app: Flask) -> dict[str, str]:
    """The environment the engine settings are read from, with ALUR_* strings of the config."""
    env = dict(os.environ)
    env.update({k: str(v) for k, v in app.config.items() if k.startswith("ALUR_")})
    return env
