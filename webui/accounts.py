"""Users, roles, passwords and personal API tokens, for the admin and profile pages.

The facade does the work; this module words its refusals for the pages.
"""

from __future__ import annotations

import re

from flask_babel import gettext as _

from engine.errors import Conflict, InvalidInput, NotFound
from engine.views import PASSWORD_MIN, ApiToken, User, normalise
from webui.facade import alur

USERNAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$")
PASSWORD_MAX = 200  # the sign-in form takes no longer one
LABEL_MAX = 120


def listing() -> list[User]:
    return alur().all_users()


def parse_roles(chosen: list[str], extra: str) -> list[str]:
    """Ticked roles plus free text (comma or semicolon separated), normalised, in order."""
    found: list[str] = []
    for role in [*chosen, *re.split(r"[,;\n]", extra)]:
        role = normalise(role)
        if role and role not in found:
            found.append(role)
    return found


def check_username(username: str) -> str | None:
    if not USERNAME.match(username):
        return _("Use 1 to 80 letters, digits, dots, hyphens or underscores, without spaces.")
    return None


def check_password(password: str) -> str | None:
    if len(password) < PASSWORD_MIN:
        return _("The password needs at least %(n)s characters.", n=PASSWORD_MIN)
    if len(password) > PASSWORD_MAX:
        return _("The password may have at most %(n)s characters.", n=PASSWORD_MAX)
    return None


def create(username: str, full_name: str, password: str, roles: list[str], is_admin: bool):
    try:
        return alur().create_user(username, full_name, password, roles, is_admin)
    except Conflict as error:
        if "exists" in error.params:
            raise Conflict(_("The user %(name)s already exists.", name=username)) from None
        raise


def update(username: str, full_name: str, roles: list[str], is_admin: bool, by: str) -> User:
    try:
        return alur().update_user(username, full_name, roles, is_admin, by)
    except InvalidInput as error:
        if error.params.get("own_admin"):
            raise InvalidInput(_("You cannot take away your own administrator right.")) from None
        raise


def set_password(username: str, password: str) -> int:
    """Set the password (the user's sessions end, their tokens are revoked); tokens revoked."""
    return alur().set_password(username, password)


def set_active(username: str, active: bool, by: str) -> None:
    try:
        alur().set_active(username, active, by)
    except InvalidInput as error:
        if error.params.get("own_account"):
            raise InvalidInput(_("You cannot deactivate yourself.")) from None
        raise


def tokens(username: str) -> list[ApiToken]:
    """A user's personal tokens, newest first (revoked ones too)."""
    return alur().tokens(username)


def create_token(username: str, label: str) -> str:
    return alur().create_token(username, label[:LABEL_MAX])


def revoke_token(username: str, token_id: int) -> None:
    """Revoke one of the user's own tokens (another user's token is as good as missing)."""
    try:
        alur().revoke_token(username, token_id)
    except NotFound as error:
        if "token" in error.params:
            raise NotFound(_("There is no token %(id)s.", id=token_id)) from None
        raise
