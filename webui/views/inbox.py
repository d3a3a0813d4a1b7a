"""The inbox: open tasks of my roles, unclaimed or claimed by me, filtered and sorted by due."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from engine.views import InboxFilter
from webui import access, request_cache
from webui.facade import alur

bp = Blueprint("inbox", __name__)
VIEWS = ("all", "mine", "unclaimed")


@bp.get("/")
@login_required
def index():
    can = access.abilities()
    if can.read_all and not (can.tasks or can.admin) and not request.args:
        # auditors and analysts: no step goes to them; they start from every process
        return redirect(url_for("instances.index"))
    choice = {
        "sop": request.args.get("sop", ""),
        "view": request.args.get("view", "all"),
        "overdue": request.args.get("overdue", ""),
        "order": "late" if request.args.get("order") == "late" else "soon",
    }
    processes = request_cache.latest_processes()
    if choice["sop"] not in processes:
        choice["sop"] = ""
    if choice["view"] not in VIEWS:
        choice["view"] = "all"
    flt = InboxFilter(
        process=choice["sop"] or None,
        overdue=True if choice["overdue"] == "1" else None,
        mine_only=choice["view"] == "mine",
        unclaimed_only=choice["view"] == "unclaimed",
    )
    found = alur().inbox_rows(current_user.username, flt)  # soonest due first, no due last
    if choice["order"] == "late":
        found.reverse()
    rows = [{"task": t, "sop": processes.get(t.process_key)} for t in found]
    partial = request.headers.get("HX-Request") and not request.headers.get(
        "HX-History-Restore-Request"
    )
    template = "inbox/_results.html" if partial else "inbox/index.html"
    return render_template(template, rows=rows, choice=choice, processes=processes)
