"""'My processes': instances I started or acted in, with the step each one is at and its due."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user, login_required

from webui.facade import alur

bp = Blueprint("mine", __name__, url_prefix="/mine")
LIMIT = 100


@bp.get("/")
@login_required
def index():
    """The whole page from one read of the engine (instances, their open steps, who may act)."""
    rows = alur().mine(current_user.username, LIMIT)
    return render_template("mine/index.html", rows=rows, limit=LIMIT)
