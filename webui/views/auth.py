"""Sign in with a username and password, sign out; who is signed in (Flask-Login)."""

from __future__ import annotations

from flask import Blueprint, Flask, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_limiter.util import get_remote_address
from flask_login import (
    LoginManager,
    UserMixin,
    current_user,
    login_required,
    login_user,
    logout_user,
)
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from engine.errors import NotFound
from engine.views import User
from webui.facade import alur
from webui.i18n import safe_next

bp = Blueprint("auth", __name__)
login_manager = LoginManager()


class Staff(UserMixin):
    """The signed-in person as the pages see them: a snapshot of the engine's user row."""

    def __init__(self, user: User):
        self.username = user.username
        self.full_name = user.full_name or user.username
        self.roles = sorted(user.role_names)
        self.is_admin = user.is_admin
        self.active = user.active
        self.epoch = user.session_epoch
        self.must_change_password = user.must_change_password

    def get_id(self) -> str:
        """What the session cookie holds: the username and the user's session epoch, so that
        raising the epoch (sign-out, a password change) ends every session made before."""
        return f"{self.epoch}:{self.username}"

    @property
    def is_active(self) -> bool:
        return self.active


class LoginForm(FlaskForm):
    username = StringField(
        _l("Username"),
        validators=[DataRequired(_l("Enter your username.")), Length(max=80)],
    )
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(_l("Enter your password.")), Length(max=200)],
    )


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please sign in to open this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    login_manager.user_loader(load_user)
    app.before_request(_must_change_password)
    # Failed sign-ins only (the view sets g.login_failed): per address and username, so one
    # office behind one NAT address is not locked out by a colleague; and per address.
    limiter = app.extensions["alur_limiter"]
    for setting, key in (
        ("ALUR_LOGIN_LIMIT", _address_and_username),
        ("ALUR_LOGIN_LIMIT_PER_ADDRESS", get_remote_address),
    ):
        limiter.limit(
            lambda setting=setting: app.config[setting],
            key_func=key,
            methods=["POST"],
            deduct_when=lambda response: g.get("login_failed", False),
            exempt_when=lambda: request.endpoint != "auth.login",
        )(bp)


def _address_and_username() -> str:
    username = request.form.get("username", "").strip().casefold()[:80]
    return f"{get_remote_address()}/{username}"


def load_user(session_id: str) -> Staff | None:
    epoch, _sep, username = session_id.partition(":")
    try:
        user = alur().person(username)
    except NotFound:
        return None
    if not user.active or str(user.session_epoch) != epoch:
        return None  # signed out, or the password changed, since this session began
    g.me = user  # the request's one read of the person (webui.access.me)
    return Staff(user)


# Pages a person who must choose a new password may still open.
OPEN_WHILE_CHANGING = {
    "profile.index",
    "profile.password",
    "auth.login",
    "auth.logout",
    "i18n.switch",
}


def _must_change_password():
    """After an administrator set the password, the person chooses their own first. Not for
    the API: it authenticates by token, and a session cookie sent along is not read there."""
    if (request.blueprint or "").partition(".")[0] == "api":
        return None
    if (
        current_user.is_authenticated
        and current_user.must_change_password
        and request.endpoint not in OPEN_WHILE_CHANGING
        and not (request.endpoint or "").startswith(("vendor.", "static", "health."))
    ):
        flash(_("An administrator set your password: choose a new one to continue."), "info")
        return redirect(url_for("profile.index"))
    return None


def renew(user: User) -> None:
    """Keep the current session signed in after the user's epoch moved (own password change)."""
    login_user(Staff(user))


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    failed = None  # the refusal, tied to both fields (it does not say which one was wrong)
    if form.validate_on_submit():
        user = _check(form.username.data.strip(), form.password.data)
        if user is not None:
            lang = session.get("lang")
            session.clear()  # a fresh session on sign-in; keep only the language
            if lang:
                session["lang"] = lang
            login_user(Staff(user))
            return redirect(safe_next(request.args.get("next")) or url_for("inbox.index"))
        g.login_failed = True
        failed = _("Wrong username or password.")
    elif request.method == "POST":
        g.login_failed = True
    return render_template("auth/login.html", form=form, failed=failed)


@bp.post("/logout")
@login_required
def logout():
    """Sign out here and everywhere: a copy of this session's cookie stops working too."""
    lang = session.get("lang")
    alur().end_sessions(current_user.username)
    logout_user()
    session.clear()
    if lang:
        session["lang"] = lang
    flash(_("You have signed out."), "info")
    return redirect(url_for("auth.login"))


def _check(username: str, password: str) -> User | None:
    return alur().sign_in(username, password)
