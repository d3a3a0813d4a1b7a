"""User administration (admins only): create users, give roles, reset passwords, deactivate."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from engine.errors import Conflict, EngineError, InvalidInput
from engine.views import ANALYST_ROLE, User, moment
from webui import access, accounts, request_cache
from webui.error_texts import error_text
from webui.facade import alur

bp = Blueprint("admin", __name__, url_prefix="/admin")
FULL_NAME_MAX = 200


@bp.before_request
@login_required
def admins_only():
    access.require_admin()


@bp.get("/users")
def users():
    return render_template("admin/users.html", people=accounts.listing())


@bp.route("/users/new", methods=["GET", "POST"])
def new_user():
    values = {
        "username": "",
        "full_name": "",
        "email": "",
        "roles": [],
        "extra": "",
        "is_admin": False,
    }
    errors: dict[str, str] = {}
    if request.method == "POST":
        values = _role_values() | {"username": request.form.get("username", "").strip()}
        password = request.form.get("password", "")
        if error := accounts.check_username(values["username"]):
            errors["username"] = error
        if error := accounts.check_password(password):
            errors["password"] = error
        if not errors:
            try:
                accounts.create(
                    values["username"],
                    values["full_name"],
                    password,
                    values["roles"],
                    values["is_admin"],
                )
            except Conflict as error:
                errors["username"] = error_text(error)
            else:
                flash(_("User %(name)s created.", name=values["username"]), "success")
                if values["email"] and not _set_email(values["username"], values["email"], errors):
                    return _edit(alur().user(values["username"]), errors), 422
                return redirect(url_for("admin.user", username=values["username"]))
    status = 422 if errors else 200
    return render_template("admin/new.html", values=values, errors=errors, **_choices()), status


@bp.get("/users/<username>")
def user(username: str):
    return _edit(alur().user(username), {})


@bp.post("/users/<username>/roles")
def roles(username: str):
    values = _role_values()
    try:
        accounts.update(
            username, values["full_name"], values["roles"], values["is_admin"], access.me().username
        )
    except InvalidInput as error:
        return _edit(alur().user(username), {"roles": error_text(error)}), 422
    errors: dict[str, str] = {}
    if not _set_email(username, values["email"], errors):
        return _edit(alur().user(username), errors), 422
    flash(_("Roles of %(name)s saved.", name=username), "success")
    return redirect(url_for("admin.user", username=username))


@bp.post("/users/<username>/password")
def password(username: str):
    alur().user(username)  # 404 for an unknown user
    new = request.form.get("password", "")
    if error := accounts.check_password(new):
        return _edit(alur().user(username), {"password": error}), 422
    revoked = accounts.set_password(username, new)
    flash(
        _(
            "The password of %(name)s was reset: they are signed out, %(tokens)s API token(s)"
            " were revoked, and they choose a new password at their next sign-in.",
            name=username,
            tokens=revoked,
        ),
        "success",
    )
    return redirect(url_for("admin.user", username=username))


@bp.post("/users/<username>/active")
def active(username: str):
    alur().user(username)
    wanted = request.form.get("active") == "1"
    try:
        accounts.set_active(username, wanted, access.me().username)
    except InvalidInput as error:
        return _edit(alur().user(username), {"active": error_text(error)}), 422
    if wanted:
        flash(_("%(name)s can sign in again.", name=username), "success")
    else:
        flash(_("%(name)s can no longer sign in.", name=username), "success")
    return redirect(url_for("admin.user", username=username))


def _set_email(username: str, email: str, errors: dict[str, str]) -> bool:
    """Where the user's notifications go; a refusal lands in errors['email']."""
    try:
        alur().set_email(username, email)
    except InvalidInput as error:
        errors["email"] = error_text(error)
        return False
    return True


def _role_values() -> dict:
    return {
        "full_name": " ".join(request.form.get("full_name", "").split())[:FULL_NAME_MAX],
        "email": request.form.get("email", "").strip()[:254],
        "roles": accounts.parse_roles(request.form.getlist("role"), request.form.get("extra", "")),
        "extra": request.form.get("extra", ""),
        "is_admin": request.form.get("is_admin") == "1",
    }


def _choices() -> dict:
    """The roles to tick: every lane role of the deployed processes, then analis and auditor."""
    offered = dict(request_cache.lane_roles())
    offered.setdefault(ANALYST_ROLE, _("Analyst (deploys processes)"))
    offered.setdefault("auditor", _("Auditor (reads everything)"))
    return {"offered": offered}


@bp.post("/users/<username>/delegations")
def delegate(username: str):
    """Name someone to act for this user (Plh./Plt.) in their roles for a period."""
    form, tz = request.form, alur().calendar.timezone
    try:
        alur().delegate(
            username,
            form.get("to", "").strip(),
            until=moment(form.get("until", ""), tz, end_of_day=True),
            by=access.me().username,
            roles=form.getlist("role") or None,
            since=moment(form["since"], tz) if form.get("since") else None,
            title=form.get("title", "Plh"),
        )
    except EngineError as error:
        return _edit(alur().user(username), {"delegate": error_text(error)}), error.status
    flash(_("Saved. The delegation ends by itself at the end of its period."), "success")
    return redirect(url_for("admin.user", username=username))


@bp.post("/users/<username>/delegations/<int:delegation_id>/revoke")
def end_delegation(username: str, delegation_id: int):
    alur().revoke_delegation(delegation_id, access.me().username)
    flash(_("The delegation has ended."), "success")
    return redirect(url_for("admin.user", username=username))


def _edit(person: User, errors: dict[str, str]):
    choices = _choices()
    extra = sorted(person.role_names - set(choices["offered"]))
    return render_template(
        "admin/user.html",
        person=person,
        errors=errors,
        extra=", ".join(extra),
        delegations=alur().delegations(person.username),
        colleagues=[u for u in alur().all_users() if u.active and u.username != person.username],
        **choices,
    )
