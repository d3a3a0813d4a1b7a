"""The engine facade for the app: created once per app, reached through `alur()`."""

from __future__ import annotations

from contextlib import ExitStack

from flask import Flask, current_app, g

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
    app.before_request(_one_read)  # before the sign-in check: its person read is one of them
    app.teardown_request(_end_read)


def _one_read() -> None:
    """A request's reads are one read transaction: a page's person, navigation and rows. A
    write (a form posted) ends it, so the page shown after the write reads in a new one."""
    g.one_read = ExitStack()
    g.one_read.enter_context(alur().one_read())


def _end_read(_error: BaseException | None) -> None:
    if (stack := g.pop("one_read", None)) is not None:
        stack.close()


def alur() -> Alur:
    return current_app.extensions["alur"]
