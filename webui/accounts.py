"""Users, roles, passwords and personal API tokens, for the admin and profile pages."""

from __future__ import annotations

import re

from flask_babel import gettext as _
from sqlalchemy import select

from engine import users
from engine.errors import Conflict, InvalidInput, NotFound
from engine.roles import normalise
from engine.storage.tables import ApiToken, User
from webui.facade import alur

USERNAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$")
PASSWORD_MIN = users.PASSWORD_MIN
PASSWORD_MAX = 200  # the sign-in form takes no longer one
LABEL_MAX = 120


def listing() -> list[User]:
    with alur().session(read_only=True) as s:
        return list(s.scalars(select(User).order_by(User.username)))


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
    with alur().session() as s:
        if s.scalar(select(User.id).where(User.username == username)) is not None:
            raise Conflict("user_exists", name=username)
        return users.add(s, username, roles, full_name, password, is_admin, now=alur().clock())


def update(username: str, full_name: str, roles: list[str], is_admin: bool, by: str) -> User:
    with alur().session() as s:
        user = users.get(s, username)
        if username == by and user.is_admin and not is_admin:
            raise InvalidInput("own_admin_right")
        user.full_name = full_name or user.full_name
        user.is_admin = is_admin
        users.set_roles(s, user, roles)
        return user


def set_password(username: str, password: str) -> None:
    with alur().session() as s:
        users.get(s, username).password_hash = users.hash_password(password)


def set_active(username: str, active: bool, by: str) -> None:
    if username == by and not active:
        raise InvalidInput("deactivate_self")
    with alur().session() as s:
        users.get(s, username).active = active


def tokens(username: str) -> list[ApiToken]:
    """A user's personal tokens, newest first (revoked ones too)."""
    with alur().session(read_only=True) as s:
        user = users.get(s, username)
        query = select(ApiToken).where(ApiToken.user_id == user.id)
        return list(s.scalars(query.order_by(ApiToken.id.desc())))


def create_token(username: str, label: str) -> str:
    with alur().session() as s:
        return users.create_token(s, users.get(s, username), label[:LABEL_MAX], alur().clock())


def revoke_token(username: str, token_id: int) -> None:
    """Revoke one of the user's own tokens (another user's token is as good as missing)."""
    with alur().session() as s:
        row = s.get(ApiToken, token_id)
        if row is None or row.user.username != username:
            raise NotFound("token_missing", id=token_id)
        row.revoked = True
