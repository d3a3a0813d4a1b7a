"""The engine facade for the app: created once per app, reached through `alur()`."""

from __future__ import annotations

from flask import Flask, current_app

from engine.alur import Alur
from engine.config import Settings
from webui.config import engine_env


def init_app(app: Flask) -> None:
    settings = Settings.from_env(engine_env(app))
    app.extensions["alur"] = Alur(settings, clock=app.config.get("ENGINE_CLOCK"))
    # The per-file limit is the engine's; a request may carry several files and the form.
    per_file = settings.max_upload_bytes
    if app.config.get("MAX_CONTENT_LENGTH") is None:
        app.config["MAX_CONTENT_LENGTH"] = per_file * int(app.config["ALUR_MAX_FILES"]) + 2**20


def alur() -> Alur:
    return current_app.extensions["alur"]
