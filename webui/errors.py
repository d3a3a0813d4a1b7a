"""Error pages: engine errors and HTTP errors rendered with their status and a plain message."""

from __future__ import annotations

from flask import Flask, current_app, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from engine.alur import DATABASE_ERRORS
from engine.errors import EngineError
from webui import api
from webui.error_texts import error_text
from webui.facade import alur
from webui.templating import megabytes


def init_app(app: Flask) -> None:
    app.register_error_handler(EngineError, engine_error)
    app.register_error_handler(CSRFError, csrf_error)
    app.register_error_handler(HTTPException, http_error)
    for kind in DATABASE_ERRORS:
        app.register_error_handler(kind, database_error)


def database_error(error: Exception):
    """The database is unreachable or restarting: 503 with Retry-After, never a bare 500."""
    reason = alur().unavailable(error)
    if reason is None:
        raise error
    current_app.logger.warning("database unavailable: %s", reason)
    message = _("The database is not answering. Try again in a moment.")
    if _for_api():
        response = api.error_response(503, "database_unavailable", message)
    else:
        response = page(503, message)
    response = current_app.make_response(response)
    response.headers["Retry-After"] = "5"
    return response


def engine_error(error: EngineError):
    if _for_api():
        return api.engine_error(error)
    return page(error.status, error_text(error))


def csrf_error(error: CSRFError):
    return page(
        400,
        _("The form has expired or was not sent from this site. Reload the page and try again."),
    )


def http_error(error: HTTPException):
    if _for_api():  # an unknown URL or method under /api/ is answered in JSON, not a page
        return api.http_error(error)
    code = error.code or 500
    limit = megabytes(current_app.config.get("MAX_CONTENT_LENGTH") or 0)
    messages = {
        400: _("The request could not be understood."),
        403: _("You may not open this page."),
        404: _("The page was not found."),
        405: _("This action is not possible here."),
        413: _("The upload is too large: at most %(mb)s MB in one submission.", mb=limit),
        429: _("Too many failed sign-in attempts. Wait a minute and try again.")
        if request.endpoint != "profile.password"
        else _("Too many wrong passwords. Wait a minute and try again."),
        500: _("Something went wrong on the server. Try again later."),
    }
    return page(code, messages.get(code, _("The request could not be completed.")))


def page(status: int, message: str):
    titles = {
        400: _("Bad request"),
        403: _("Not allowed"),
        404: _("Not found"),
        405: _("Not possible"),
        409: _("Already changed"),
        413: _("Too large"),
        422: _("Cannot be processed"),
        429: _("Too many attempts"),
        503: _("Temporarily unavailable"),
        507: _("Storage full"),
    }
    title = titles.get(status, _("Error"))
    return render_template("errors/error.html", status=status, title=title, message=message), status


def _for_api() -> bool:
    return request.path.startswith("/api/")
