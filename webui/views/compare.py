"""Comparing two versions of a process (analysts and admins): the step-level changes as a table,
both BPMN diagrams and both SOP AP flowcharts side by side with the changed steps marked."""

from __future__ import annotations

from io import BytesIO

from flask import Blueprint, abort, render_template, request, send_file
from flask_login import current_user, login_required

from engine.errors import InvalidInput
from exporters.flowchart import render_flowchart
from exporters.marks import StepMarks
from webui.facade import alur
from webui.present import changes as present

bp = Blueprint("compare", __name__, url_prefix="/processes")
SIDES = ("old", "new")


def _version(name: str) -> int | None:
    value = request.args.get(name, "").strip()
    if not value:
        return None
    if not value.isdigit() or not 1 <= int(value) <= 2**31:
        raise InvalidInput("version_invalid")
    return int(value)


def _draft():
    """The draft named by ?draft=ID (the new side), or None."""
    value = request.args.get("draft", "").strip()
    if not value:
        return None
    if not value.isdigit() or not 1 <= int(value) <= 2**63 - 1:
        raise InvalidInput("field_type", field="draft")
    return alur().draft(int(value), current_user.username)


def _comparison(key: str):
    draft = _draft()
    old = _version("old")
    if draft is None:
        return alur().compare(key, old, _version("new"), current_user.username), None
    old = old if old is not None else draft.base_version
    return alur().compare(key, old, draft.xml, current_user.username), draft


@bp.get("/<key>/compare")
@login_required
def show(key: str):
    comparison, draft = _comparison(key)
    definition = alur().definition(key, comparison.new.version or None)
    args = {"key": key, "old": comparison.old.version}
    args |= {"draft": draft.id} if draft else {"new": comparison.new.version}
    return render_template(
        "compare/show.html",
        comparison=comparison,
        definition=definition,
        draft=draft,
        rows=present.rows(comparison.changes),
        args=args,
    )


@bp.get("/<key>/compare/<side>.svg")
@login_required
def flowchart(key: str, side: str):
    """One side's SOP AP flowchart with its changed steps marked (legend in the UI language)."""
    if side not in SIDES:
        abort(404)
    chosen = getattr(_comparison(key)[0], side)
    marks = StepMarks(chosen.marks, present.mark_legend())
    data = render_flowchart(chosen.sop, "svg", marks=marks)
    return send_file(BytesIO(data), mimetype="image/svg+xml", max_age=0)
