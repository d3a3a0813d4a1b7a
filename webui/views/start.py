"""Start a process: the SOPs whose starter roles the user holds, each with a title to give."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from engine.errors import NotFound, PermissionDenied
from engine.views import InboxFilter, may_start, task_actions
from webui import access, request_cache
from webui.facade import alur

bp = Blueprint("start", __name__, url_prefix="/start")
TITLE_MAX = 300


@bp.get("/")
@login_required
def index():
    return _page({}, {}), 200


@bp.post("/<key>")
@login_required
def begin(key: str):
    user = access.me()
    definition = request_cache.latest_processes().get(key)
    if definition is None:
        raise NotFound(_("There is no process %(key)s.", key=key))
    if not may_start(definition, user):
        raise PermissionDenied(_("You may not start %(sop)s.", sop=definition.code or key))
    title = " ".join(request.form.get("title", "").split())[:TITLE_MAX]
    if not title:
        error = _("Give the process a title, e.g. the document or the agency it is about.")
        return _page({key: title}, {key: error}), 422
    instance = alur().start(key, user.username, title)
    flash(_("Started: %(title)s.", title=instance.title), "success")
    opened = alur().tasks(flt=InboxFilter(instance_id=instance.id))
    first = [t for t in opened if task_actions(t, user).can_act]
    if first:
        return redirect(url_for("tasks.show", task_id=first[0].id))
    return redirect(url_for("mine.index"))


def _page(titles: dict[str, str], errors: dict[str, str]):
    user = access.me()
    startable = [d for d in request_cache.latest_processes().values() if may_start(d, user)]
    return render_template("start/index.html", startable=startable, titles=titles, errors=errors)
