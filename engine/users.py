"""Users and their roles; passwords hashed with argon2; personal API tokens stored as hashes."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import String, bindparam, select
from sqlalchemy.orm import Session, joinedload

from engine.errors import InvalidInput, NotFound
from engine.roles import normalise
from engine.storage.tables import ApiToken, User, UserRole

_hasher = PasswordHasher()
PASSWORD_MIN = 8  # characters of a password people choose themselves
TOKEN_TOUCH_S = 60  # a token's last use is written down at most this often


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def check_new_password(password: str, confirm: str | None = None) -> None:
    """Refuse a chosen password that is too short, or that its confirmation does not repeat."""
    if len(password) < PASSWORD_MIN:
        raise InvalidInput("password_too_short", min=PASSWORD_MIN)
    if confirm is not None and confirm != password:
        raise InvalidInput("password_mismatch")


def check_password(user: User, password: str) -> bool:
    """True when password matches; a user without a password or inactive never matches."""
    if not user.active or not user.password_hash:
        return False
    try:
        return _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


# The user and their roles in one statement (a join, not the relationship's second SELECT),
# built once: every request and completion reads its person this way.
_BY_NAME = (
    select(User)
    .where(User.username == bindparam("username", type_=String))
    .options(joinedload(User.roles))
)


def get(session: Session, username: str) -> User:
    user = session.execute(_BY_NAME, {"username": username}).unique().scalar_one_or_none()
    if user is None:
        raise NotFound("user_missing", username=username)
    return user


def add(
    session: Session,
    username: str,
    roles: list[str],
    full_name: str = "",
    password: str | None = None,
    is_admin: bool = False,
    *,
    now: datetime,
) -> User:
    """Create a user, or add roles to an existing one; roles may be written as SOP lane names."""
    username = username.strip()
    if not username or any(c.isspace() for c in username):
        raise InvalidInput("username_invalid")
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        user = User(
            username=username, full_name=full_name or username, is_admin=is_admin, created_at=now
        )
        session.add(user)
    elif full_name:
        user.full_name = full_name
    if password:
        user.password_hash = hash_password(password)
    user.is_admin = user.is_admin or is_admin
    have = user.role_names
    for role in {normalise(r) for r in roles} - have:
        if not role:
            raise InvalidInput("role_empty")
        user.roles.append(UserRole(role=role))
    session.flush()
    session.refresh(user, ["roles"])  # loaded now: callers read them after the session ends
    return user


def set_roles(session: Session, user: User, roles: list[str]) -> None:
    wanted = {normalise(r) for r in roles if normalise(r)}
    user.roles = [r for r in user.roles if r.role in wanted]
    for role in wanted - user.role_names:
        user.roles.append(UserRole(role=role))
    session.flush()


def holders(session: Session, role: str) -> list[User]:
    return list(
        session.scalars(
            select(User)
            .join(UserRole)
            .where(UserRole.role == role, User.active.is_(True))
            .order_by(User.username)
        )
    )


def new_token() -> tuple[str, str]:
    """A fresh API token and the hash to store (the token itself is shown once)."""
    token = "alur_" + secrets.token_urlsafe(32)
    return token, token_hash(token)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(session: Session, user: User, label: str, now: datetime) -> str:
    """Store a new personal API token for user (its hash only) and return the token."""
    token, digest = new_token()
    session.add(ApiToken(user_id=user.id, name=label, token_hash=digest, created_at=now))
    session.flush()
    return token


# a token with its user and the user's roles, one statement (every API call reads it)
_BY_TOKEN = (
    select(ApiToken)
    .where(ApiToken.token_hash == bindparam("token_hash", type_=String))
    .options(joinedload(ApiToken.user).joinedload(User.roles))
)


def token_row(session: Session, token: str) -> ApiToken | None:
    """The usable token row for a personal API token (its user active); None otherwise."""
    if not token.startswith("alur_"):
        return None
    found = session.execute(_BY_TOKEN, {"token_hash": token_hash(token)})
    row = found.unique().scalar_one_or_none()
    if row is None or row.revoked or not row.user.active:
        return None
    return row


def token_stale(row: ApiToken, now: datetime) -> bool:
    """Whether the token's last use is worth writing down again (at most once a minute)."""
    return row.last_used_at is None or (now - row.last_used_at).total_seconds() > TOKEN_TOUCH_S


def user_for_token(session: Session, token: str, now: datetime) -> User | None:
    """The active user a personal API token belongs to; None for unknown or revoked tokens."""
    row = token_row(session, token)
    if row is None:
        return None
    if token_stale(row, now):
        row.last_used_at = now
    return row.user
