"""Facade methods for user administration and personal API tokens (mixed into Alur)."""

from __future__ import annotations

from functools import cache

from sqlalchemy import select

from engine import users
from engine.errors import Conflict, InvalidInput, NotFound
from engine.storage.tables import ApiToken, User


@cache
def _dummy_user() -> User:
    return User(username="-", password_hash=users.hash_password("-"), active=True)


class UserAdmin:
    """Users, roles, passwords and tokens, each change one transaction."""

    def sign_in(self, username: str, password: str) -> User | None:
        """The user when the password is theirs and they are active, else None; an unknown name
        costs the same hashing work as a known one."""
        with self.session(read_only=True) as s:
            user = s.scalar(select(User).where(User.username == username))
        if user is None:
            users.check_password(_dummy_user(), password)
            return None
        return user if users.check_password(user, password) else None

    def all_users(self) -> list[User]:
        """Every user, by username."""
        with self.session(read_only=True) as s:
            return list(s.scalars(select(User).order_by(User.username)))

    def create_user(
        self, username: str, full_name: str, password: str, roles: list[str], is_admin: bool
    ) -> User:
        """A new user; Conflict (exists=username) when the name is taken."""
        with self.session() as s:
            if s.scalar(select(User.id).where(User.username == username)) is not None:
                raise Conflict(f"pengguna {username!r} sudah ada", exists=username)
            return users.add(s, username, roles, full_name, password, is_admin)

    def update_user(
        self, username: str, full_name: str, roles: list[str], is_admin: bool, by: str
    ) -> User:
        """Change a user's name, roles and admin right; nobody takes their own admin right away
        (InvalidInput with own_admin=True)."""
        with self.session() as s:
            user = users.get(s, username)
            if username == by and user.is_admin and not is_admin:
                raise InvalidInput("hak admin sendiri tidak dapat dicabut", own_admin=True)
            user.full_name = full_name or user.full_name
            user.is_admin = is_admin
            users.set_roles(s, user, roles)
            return user

    def set_password(self, username: str, password: str) -> None:
        """An administrator sets a user's password."""
        with self.session() as s:
            users.get(s, username).password_hash = users.hash_password(password)

    def set_active(self, username: str, active: bool, by: str) -> None:
        """(De)activate a user; nobody deactivates themselves (InvalidInput, own_account=True)."""
        if username == by and not active:
            raise InvalidInput("akun sendiri tidak dapat dinonaktifkan", own_account=True)
        with self.session() as s:
            users.get(s, username).active = active

    def tokens(self, username: str) -> list[ApiToken]:
        """A user's personal tokens, newest first (revoked ones too)."""
        with self.session(read_only=True) as s:
            user = users.get(s, username)
            query = select(ApiToken).where(ApiToken.user_id == user.id)
            return list(s.scalars(query.order_by(ApiToken.id.desc())))

    def create_token(self, username: str, label: str) -> str:
        """A new personal token for the user; the token itself (only its hash is stored)."""
        with self.session() as s:
            return users.create_token(s, users.get(s, username), label)

    def revoke_token(self, username: str, token_id: int) -> None:
        """Revoke one of the user's own tokens (another user's token is as good as missing)."""
        with self.session() as s:
            row = s.get(ApiToken, token_id)
            if row is None or row.user.username != username:
                raise NotFound(f"token {token_id} tidak ada", token=token_id)
            row.revoked = True
