"""Facade methods for people: users, their passwords, tokens and notifications (mixed into Alur)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from functools import cache

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine import delegations, notifications, users
from engine.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from engine.rows import DelegationRow
from engine.storage.tables import ApiToken, Delegation, User


@cache
def _dummy_user() -> User:
    return User(username="-", password_hash=users.hash_password("-"), active=True)


class UserAdmin:
    """Users, roles, passwords, tokens and notifications, each change one transaction."""

    # -- users ------------------------------------------------------------------------------
    def add_user(self, username: str, roles: list[str], **kwargs) -> User:
        with self.session() as s:
            return users.add(s, username, roles, now=self.clock(), **kwargs)

    def user(self, username: str) -> User:
        with self.session(read_only=True) as s:
            return users.get(s, username)

    def change_password(
        self, username: str, current: str, new: str, confirm: str | None = None
    ) -> User:
        """A user changes their own password (the current one must be right); every other
        session of theirs ends. The user, with the epoch the caller's own session needs."""
        with self.session() as s:
            user = users.get(s, username)
            if not users.check_password(user, current):
                raise PermissionDenied("password_wrong")
            users.check_new_password(new, confirm)
            user.password_hash = users.hash_password(new)
            user.must_change_password = False
            user.session_epoch += 1  # other sessions end; the caller renews its own
            return user

    def set_email(self, username: str, email: str) -> User:
        """Where a user's notifications are e-mailed ('' stops the e-mail)."""
        with self.session() as s:
            user = users.get(s, username)
            user.email = notifications.check_address(email)
            return user

    # -- notifications (the inbox bell) -----------------------------------------------------
    def unread_count(self, username: str) -> int:
        with self.session(read_only=True) as s:
            return notifications.unread_count(s, self._person(s, username))

    def notifications(
        self, username: str, limit: int = 20, unread_only: bool = False
    ) -> list[notifications.NoteRow]:
        """A user's notifications (their own and their roles'), newest first."""
        with self.session(read_only=True) as s:
            return notifications.listing(s, self._person(s, username), limit, unread_only)

    def mark_read(self, username: str, ids: list[int] | None = None) -> int:
        """Mark the user's notifications read (all when ids is None); how many changed."""
        with self.session() as s:
            return notifications.mark_read(s, self._person(s, username), ids, self.clock())

    def set_digest(self, username: str, digest: bool) -> User:
        """One e-mail a day with the day's notifications instead of one per notification."""
        with self.session() as s:
            user = users.get(s, username)
            user.email_digest = digest
            return user

    def user_for_token(self, token: str) -> User | None:
        """The user a personal API token belongs to (None: unknown, revoked or inactive).

        A read; its last use is written down in a write of its own at most once a minute.
        """
        with self.token_read(token) as (_s, row, _now):
            return row.user if row else None

    @contextmanager
    def token_read(self, token: str) -> Iterator[tuple[Session, ApiToken | None, datetime]]:
        """A read session, the usable row of a personal API token (None: unknown, revoked or
        its user inactive) and the time; on leaving, a stale token's last use is written down
        in a write of its own (at most once a minute), after the read."""
        with self.session(read_only=True) as s:
            now = self.clock()
            row = users.token_row(s, token)
            yield s, row, now
        if row is not None and users.token_stale(row, now):
            with self.session() as s:
                s.get(ApiToken, row.id).last_used_at = now

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
                raise Conflict("user_exists", name=username, exists=username)
            return users.add(s, username, roles, full_name, password, is_admin, now=self.clock())

    def update_user(
        self, username: str, full_name: str, roles: list[str], is_admin: bool, by: str
    ) -> User:
        """Change a user's name, roles and admin right; nobody takes their own admin right away
        (InvalidInput with own_admin=True)."""
        with self.session() as s:
            user = users.get(s, username)
            if username == by and user.is_admin and not is_admin:
                raise InvalidInput("own_admin_right", own_admin=True)
            user.full_name = full_name or user.full_name
            user.is_admin = is_admin
            users.set_roles(s, user, roles)
            return user

    def set_password(self, username: str, password: str) -> int:
        """An administrator sets a user's password: their sessions end, their API tokens are
        revoked, and their next sign-in must choose a new password. How many tokens were
        revoked."""
        with self.session() as s:
            user = users.get(s, username)
            user.password_hash = users.hash_password(password)
            user.must_change_password = True
            user.session_epoch += 1
            tokens = s.scalars(
                select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked.is_(False))
            ).all()
            for token in tokens:
                token.revoked = True
            return len(tokens)

    def end_sessions(self, username: str) -> None:
        """Sign the user out everywhere: every session cookie they hold stops working."""
        with self.session() as s:
            users.get(s, username).session_epoch += 1

    def set_active(self, username: str, active: bool, by: str) -> None:
        """(De)activate a user; nobody deactivates themselves (InvalidInput, own_account=True)."""
        if username == by and not active:
            raise InvalidInput("deactivate_self", own_account=True)
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
            return users.create_token(s, users.get(s, username), label, self.clock())

    def revoke_token(self, username: str, token_id: int) -> None:
        """Revoke one of the user's own tokens (another user's token is as good as missing)."""
        with self.session() as s:
            row = s.get(ApiToken, token_id)
            if row is None or row.user.username != username:
                raise NotFound("token_missing", id=token_id, token=token_id)
            row.revoked = True

    # -- acting officials (Plh./Plt.) and time away (engine/delegations.py) -------------------
    def delegate(
        self,
        official: str,
        to: str,
        until: datetime,
        by: str,
        roles: list[str] | None = None,
        since: datetime | None = None,
        title: str = "Plh",
    ) -> list[DelegationRow]:
        """Name `to` to act for `official` in roles (default: all of theirs) until `until`; the
        official themselves or an admin may (an admin also for a role nobody holds)."""
        with self.session() as s:
            now = self.clock()
            made = delegations.delegate(
                s, users.get(s, official), users.get(s, to), roles, until,
                users.get(s, by), now, since, title,
            )  # fmt: skip
            return [_delegation_row(s, d, now) for d in made]

    def mark_away(
        self, username: str, until: datetime, by: str, since: datetime | None = None
    ) -> DelegationRow:
        """The user is away for a period without anyone acting for them."""
        with self.session() as s:
            now = self.clock()
            row = delegations.mark_away(s, users.get(s, username), until, users.get(s, by), now,
                                        since)  # fmt: skip
            return _delegation_row(s, row, now)

    def revoke_delegation(self, delegation_id: int, by: str) -> DelegationRow:
        """End a delegation or an absence now (its official, its delegate or an admin)."""
        with self.session() as s:
            now = self.clock()
            row = delegations.revoke(s, delegation_id, users.get(s, by), now)
            return _delegation_row(s, row, now)

    def uncovered_roles(self, roles) -> set[str]:
        """Of roles, those whose every holder is away now with nobody acting for them."""
        with self.session(read_only=True) as s:
            return delegations.uncovered_roles(s, roles, self.clock())

    def delegations(self, username: str | None = None) -> list[DelegationRow]:
        """Delegations and absences in force or still to come, of one person or of everyone."""
        with self.session(read_only=True) as s:
            now = self.clock()
            return [_delegation_row(s, d, now) for d in delegations.listing(s, now, username)]


def _delegation_row(s, row: Delegation, now: datetime) -> DelegationRow:
    names = dict(
        s.execute(
            select(User.username, User.full_name).where(
                User.username.in_([n for n in (row.from_user, row.to_user) if n])
            )
        ).all()
    )
    return DelegationRow(
        id=row.id,
        from_user=row.from_user,
        from_name=names.get(row.from_user) or row.from_user,
        to_user=row.to_user,
        to_name=(names.get(row.to_user) or row.to_user) if row.to_user else None,
        role=row.role,
        title=row.title,
        starts_at=row.starts_at,
        ends_at=row.ends_at,
        created_by=row.created_by,
        in_force=row.starts_at <= now < row.ends_at and row.revoked_at is None,
    )
