"""My profile: who I am, my roles, my password, my notification e-mail and my API tokens."""

from __future__ import annotations

from flask import Blueprint, Flask, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required

from engine.errors import EngineError, InvalidInput, PermissionDenied
from engine.views import moment
from webui import access, accounts
from webui.error_texts import error_text
from webui.facade import alur
from webui.views import auth

bp = Blueprint("profile", __name__, url_prefix="/profile")


def init_app(app: Flask) -> None:
    """Wrong current passwords count against the sign-in limit, per user: no guessing here."""
    app.extensions["alur_limiter"].limit(
        lambda: app.config["ALUR_LOGIN_LIMIT"],
        key_func=lambda: f"password/{current_user.get_id() or get_remote_address()}",
        methods=["POST"],
        deduct_when=lambda response: g.get("password_failed", False),
        exempt_when=lambda: request.endpoint != "profile.password",
    )(bp)


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


@bp.post("/password")
@login_required
def password():
    """Change my own password: the current one, then the new one twice."""
    current, new, confirm = (request.form.get(k, "") for k in ("current", "new", "confirm"))
    errors: dict[str, str] = {}
    if not current:
        errors["current"] = _("Enter your current password.")
    if error := accounts.check_password(new):
        errors["new"] = error
    elif confirm != new:
        errors["confirm"] = _("The two new passwords are not the same.")
    if not errors:
        try:
            auth.renew(alur().change_password(access.me().username, current, new, confirm))
        except PermissionDenied:
            g.password_failed = True
            errors["current"] = _("The current password is wrong.")
        except InvalidInput as error:
            errors["new"] = error_text(error)
    if errors:
        return _page(errors=errors), 422
    flash(
        _("Your password was changed; your other sessions were signed out."),
        "success",
    )
    return redirect(url_for("profile.index"))


@bp.post("/email")
@login_required
def email():
    address = request.form.get("email", "").strip()
    try:
        alur().set_email(access.me().username, address)
    except InvalidInput as error:
        return _page(errors={"email": error_text(error)}, email=address), 422
    alur().set_digest(access.me().username, request.form.get("digest") == "1")
    flash(_("Saved."), "success")
    return redirect(url_for("profile.index"))


@bp.post("/delegations")
@login_required
def delegate():
    """Name a colleague to act for me (Plh./Plt.) in my roles for a period."""
    me, form = access.me().username, request.form
    tz = alur().calendar.timezone
    try:
        alur().delegate(
            me,
            form.get("to", "").strip(),
            until=moment(form.get("until", ""), tz, end_of_day=True),
            by=me,
            roles=form.getlist("role") or None,
            since=moment(form["since"], tz) if form.get("since") else None,
            title=form.get("title", "Plh"),
        )
    except EngineError as error:
        return _page(errors={"delegate": error_text(error)}), error.status
    flash(_("Saved. The delegation ends by itself at the end of its period."), "success")
    return redirect(url_for("profile.index"))


@bp.post("/away")
@login_required
def away():
    """Mark myself away for a period without anyone acting for me."""
    me, form = access.me().username, request.form
    tz = alur().calendar.timezone
    try:
        alur().mark_away(
            me,
            moment(form.get("until", ""), tz, end_of_day=True),
            by=me,
            since=moment(form["since"], tz) if form.get("since") else None,
        )
    except EngineError as error:
        return _page(errors={"away": error_text(error)}), error.status
    flash(_("Saved."), "success")
    return redirect(url_for("profile.index"))


@bp.post("/delegations/<int:delegation_id>/revoke")
@login_required
def end_delegation(delegation_id: int):
    alur().revoke_delegation(delegation_id, access.me().username)
    flash(_("The delegation has ended."), "success")
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
        password_min=accounts.PASSWORD_MIN,
        delegations=alur().delegations(user.username),
        colleagues=[u for u in alur().all_users() if u.active and u.username != user.username],
    )
