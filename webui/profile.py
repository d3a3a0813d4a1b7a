"""My profile: who I am, my roles, my notification e-mail and my personal API tokens."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from engine.errors import InvalidInput
from webui import access, accounts
from webui.backend import alur

bp = Blueprint("profile", __name__, url_prefix="/profile")


@bp.get("/")
@login_required
def index():
    return _page()


@bp.post("/tokens")
@login_required
def new_token():
    """Create a token and show it in this response only: it is stored as a hash."""
    user = access.me()
    label = " ".join(request.form.get("label", "").split())
    token = accounts.create_token(user.username, label)
    return _page(token=token), 201


@bp.post("/tokens/<int:token_id>/revoke")
@login_required
def revoke(token_id: int):
    accounts.revoke_token(access.me().username, token_id)
    flash(_("The token was revoked; programs using it are refused from now on."), "success")
    return redirect(url_for("profile.index"))


@bp.post("/email")
@login_required
def email():
    address = request.form.get("email", "").strip()
    try:
        alur().set_email(access.me().username, address)
    except InvalidInput as error:
        return _page(errors={"email": error.message}, email=address), 422
    flash(_("Saved."), "success")
    return redirect(url_for("profile.index"))


def _page(token: str | None = None, errors: dict | None = None, email: str | None = None):
    user = access.me()
    return render_template(
        "profile/index.html",
        person=user,
        tokens=accounts.tokens(user.username),
        token=token,
        errors=errors or {},
        email=user.email if email is None else email,
    )
