"""The notification bell: my notifications, newest first, and marking them read."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from webui.facade import alur

bp = Blueprint("notifications", __name__, url_prefix="/notifications")
LIMIT = 100


@bp.get("/")
@login_required
def index():
    unread_only = request.args.get("unread") == "1"
    found = alur().notifications(current_user.username, LIMIT, unread_only)
    return render_template(
        "notifications/index.html", notes=found, unread_only=unread_only, limit=LIMIT
    )


@bp.post("/read")
@login_required
def read():
    """Mark one notification read (id=...), or all of them."""
    one = request.form.get("id", type=int)
    changed = alur().mark_read(current_user.username, [one] if one else None)
    if not one:
        flash(_("All notifications are marked as read."), "success")
    elif changed == 0:
        flash(_("That notification was already read."), "info")
    return redirect(url_for("notifications.index"))
