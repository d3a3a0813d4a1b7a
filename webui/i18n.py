"""Languages: Bahasa Indonesia by default, English on request; the choice lives in the session."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, Flask, redirect, request, session, url_for
from flask_babel import Babel

LANGUAGES = {"id": "Bahasa Indonesia", "en": "English"}
DEFAULT = "id"

bp = Blueprint("i18n", __name__)


def init_app(app: Flask) -> None:
    alur = app.extensions["alur"]
    app.config.setdefault("BABEL_DEFAULT_TIMEZONE", str(alur.calendar.timezone))
    Babel(app, locale_selector=locale)
    app.jinja_env.globals.update(languages=LANGUAGES, app_name="Alur")
    app.context_processor(lambda: {"current_locale": locale()})


def locale() -> str:
    chosen = session.get("lang")
    return chosen if chosen in LANGUAGES else DEFAULT


@bp.post("/language")
def switch():
    """Store the chosen language and go back to the page the switch was on."""
    lang = request.form.get("lang", "")
    if lang in LANGUAGES:
        session["lang"] = lang
    return redirect(safe_next(request.form.get("next")) or url_for("inbox.index"))


def safe_next(target: str | None) -> str | None:
    """A path on this site (never another host), or None."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target:
        return None
    return target
