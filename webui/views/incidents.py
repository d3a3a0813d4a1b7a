"""Incidents: steps of running instances the process model could not run, with the reason, for
admins and analysts; retry runs a worker's step again (engine/incidents.py)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from engine.errors import Conflict, ProcessError
from webui.error_texts import TEXTS, error_text
from webui.facade import alur

bp = Blueprint("incidents", __name__, url_prefix="/incidents")


@bp.app_template_filter("incident_reason")
def incident_reason(incident) -> str:
    """The incident's reason in the UI language (its key's text with its parameters)."""
    text = TEXTS.get(incident.reason_key)
    try:
        return str(text) % incident.params if text is not None else incident.message
    except (KeyError, TypeError, ValueError):
        return incident.message


@bp.get("/")
@login_required
def index():
    """Open incidents first; ?all=1 with the resolved ones."""
    show_all = request.args.get("all") == "1"
    rows = alur().incidents(current_user.username, open_only=not show_all)
    return render_template("incidents/index.html", rows=rows, show_all=show_all)


@bp.post("/<int:incident_id>/retry")
@login_required
def retry(incident_id: int):
    try:
        done = alur().retry_incident(incident_id, current_user.username)
    except ProcessError as error:  # still failing: seen once more, tried again later
        flash(_("The step failed again: %(reason)s", reason=error_text(error)), "error")
        return redirect(url_for("incidents.index")), 303
    except Conflict as error:  # resolved meanwhile, or a completion's (the performer's to redo)
        flash(error_text(error), "error")
        return redirect(url_for("incidents.index")), 303
    flash(_("The step ran; incident %(id)s is resolved.", id=done.id), "success")
    return redirect(url_for("instances.show", instance_id=done.instance_id)), 303
