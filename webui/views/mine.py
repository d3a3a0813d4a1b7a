"""'My processes': instances I started or acted in, with the step each one is at and its due."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user, login_required

from engine import involvement
from engine.inbox import InboxFilter
from webui import access
from webui.facade import alur
from webui.templating import due

bp = Blueprint("mine", __name__, url_prefix="/mine")
LIMIT = 100


@bp.get("/")
@login_required
def index():
    user = access.me()
    with alur().session() as s:
        instances = involvement.instances_of(s, current_user.username, LIMIT)
    rows = []
    for instance in instances:
        open_tasks = alur().tasks(flt=InboxFilter(instance_id=instance.id))
        rows.append(
            {
                "instance": instance,
                "sop": instance.definition,
                "open": [(t, access.may_act(t, user)) for t in open_tasks],
                "overdue": any(due(t.due_at)["overdue"] for t in open_tasks),
            }
        )
    return render_template("mine/index.html", rows=rows, limit=LIMIT)
