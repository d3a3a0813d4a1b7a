"""Acting officials (Plh./Plt.) and time away.

An official (for their own roles) or an admin (for anyone's, a vacant post too) names a colleague
to act in a role for a period: during it the colleague sees the role's tasks in the inbox and may
claim and complete them (engine.access asks `User.acting_for`, which `attach` fills for one
transaction), and the completion records both people. A delegation ends by itself at its end
time: every check compares with the engine's clock, nothing has to run. A person may also mark
themselves away without naming anyone (to_user None): tasks of a role whose every holder is away
then carry a warning.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo

from sqlalchemy import String, and_, bindparam, or_, select
from sqlalchemy.orm import Session, aliased, joinedload

from engine.errors import InvalidInput, NotFound, PermissionDenied
from engine.roles import normalise
from engine.storage.tables import Delegation, User, UserRole, UTCDateTime

MAX_PERIOD = timedelta(days=366)  # a delegation is bounded: at most a year
TITLES = ("Plh", "Plt")  # Pelaksana Harian (a short absence), Pelaksana Tugas (a longer one)


@dataclass(frozen=True)
class Acting:
    """Whom a person acts for in one role, as recorded on the completion and shown."""

    official: str  # username
    name: str  # their display name
    role: str
    title: str = "Plh"

    def as_data(self, role_label: str) -> dict:
        return {"user": self.official, "name": self.name, "role": role_label, "title": self.title}


def moment(text: str, tz: tzinfo, end_of_day: bool = False) -> datetime:
    """A date as people give it: YYYY-MM-DD is a whole day in the office's time zone (its start,
    or with end_of_day the start of the next day, so '--until 30 June' includes 30 June), or an
    ISO 8601 date and time (office time when it names no offset)."""
    text = text.strip()
    try:
        value = datetime.fromisoformat(text)
        if value.tzinfo is None:
            value = value.replace(tzinfo=tz)
        whole_day = len(text) == 10  # YYYY-MM-DD
        return value + timedelta(days=1) if whole_day and end_of_day else value
    except (ValueError, OverflowError) as error:
        raise InvalidInput("delegation_date", text=text[:40]) from error


def active(now: datetime):
    """The SQL condition of a delegation (or absence) in force at now."""
    return and_(
        Delegation.starts_at <= now, Delegation.ends_at > now, Delegation.revoked_at.is_(None)
    )


# attach's read, built once (it runs for every request and completion)
_ACTING = (
    select(Delegation.role, Delegation.from_user, Delegation.title, User.full_name)
    .join(User, User.username == Delegation.from_user, isouter=True)
    .where(
        Delegation.to_user == bindparam("username", type_=String),
        active(bindparam("now", type_=UTCDateTime())),
    )
    .order_by(Delegation.id)
)


def attach(session: Session, user: User, now: datetime) -> User:
    """Fill user.acting_for with the roles delegated to them now (one indexed read)."""
    found = {}
    for role, official, title, name in session.execute(
        _ACTING, {"username": user.username, "now": now}
    ):
        if role and role not in found:
            found[role] = Acting(official, name or official, role, title)
    user.acting_for = found
    return user


# get_user's read: the user, their roles (joined) and the delegations to them in force now (an
# outer join, one row per role and delegation), one statement built once
_OFFICIAL = aliased(User)
_PERSON = (
    select(User, Delegation.role, Delegation.from_user, Delegation.title, _OFFICIAL.full_name)
    .outerjoin(
        Delegation,
        and_(
            Delegation.to_user == User.username,
            active(bindparam("now", type_=UTCDateTime())),
        ),
    )
    .outerjoin(_OFFICIAL, _OFFICIAL.username == Delegation.from_user)
    .where(User.username == bindparam("username", type_=String))
    .options(joinedload(User.roles))
    .order_by(Delegation.id)
)


def get_user(session: Session, username: str, now: datetime) -> User:
    """users.get with the roles they act in now attached (as attach does), in one read."""
    rows = session.execute(_PERSON, {"username": username, "now": now}).unique().all()
    if not rows:
        raise NotFound("user_missing", username=username)
    found = {}
    for _user, role, official, title, name in rows:
        if role and role not in found:
            found[role] = Acting(official, name or official, role, title)
    user = rows[0][0]
    user.acting_for = found
    return user


def delegate(
    session: Session,
    official: User,
    to: User,
    roles: Iterable[str] | None,
    until: datetime,
    by: User,
    now: datetime,
    since: datetime | None = None,
    title: str = "Plh",
) -> list[Delegation]:
    """Name `to` to act for `official` in roles (default: every role official holds)."""
    _check_may_manage(official, by)
    if to.username == official.username:
        raise InvalidInput("delegate_self")
    if not to.active:
        raise InvalidInput("delegate_inactive", user=to.username)
    if title not in TITLES:
        raise InvalidInput("delegation_title", title=title)
    wanted = sorted({normalise(r) for r in roles if normalise(r)} if roles else official.role_names)
    if not wanted:
        raise InvalidInput("delegation_no_roles", user=official.username)
    for role in wanted:
        if role not in official.role_names and not by.is_admin:
            raise PermissionDenied("delegate_role_missing", user=official.username, role=role)
    starts = _period(since or now, until, now)
    rows = [
        Delegation(
            from_user=official.username,
            to_user=to.username,
            role=role,
            title=title,
            starts_at=starts,
            ends_at=until,
            created_by=by.username,
            created_at=now,
        )
        for role in wanted
    ]
    session.add_all(rows)
    session.flush()
    return rows


def mark_away(
    session: Session, user: User, until: datetime, by: User, now: datetime, since=None
) -> Delegation:
    """The user is away for a period without naming anyone to act for them."""
    _check_may_manage(user, by)
    starts = _period(since or now, until, now)
    row = Delegation(
        from_user=user.username,
        starts_at=starts,
        ends_at=until,
        created_by=by.username,
        created_at=now,
    )
    session.add(row)
    session.flush()
    return row


def revoke(session: Session, delegation_id: int, by: User, now: datetime) -> Delegation:
    """End a delegation (or an absence) now: its official, its delegate or an admin may."""
    row = session.get(Delegation, delegation_id)
    if row is None:
        raise NotFound("delegation_missing", id=delegation_id)
    if not (by.is_admin or by.username in (row.from_user, row.to_user)):
        raise PermissionDenied("delegation_revoke_forbidden", id=delegation_id)
    if row.revoked_at is None and row.ends_at > now:
        row.revoked_at, row.revoked_by = now, by.username
    return row


def listing(session: Session, now: datetime, username: str | None = None) -> list[Delegation]:
    """Delegations and absences in force or still to come (of one person, given or named)."""
    query = select(Delegation).where(Delegation.ends_at > now, Delegation.revoked_at.is_(None))
    if username:
        query = query.where(or_(Delegation.from_user == username, Delegation.to_user == username))
    return list(session.scalars(query.order_by(Delegation.starts_at, Delegation.id)))


def uncovered_roles(session: Session, roles: Iterable[str], now: datetime) -> set[str]:
    """Of roles, those whose every active holder is away now with nobody acting for them in it.

    Three small reads (holders, absences, delegations), whatever the number of tasks asked for.
    """
    roles = set(roles)
    if not roles:
        return set()
    held = session.execute(
        select(UserRole.role, User.username)
        .join(User)
        .where(UserRole.role.in_(sorted(roles)), User.active.is_(True))
    ).all()
    if not held:
        return set()
    people = {name for _, name in held}
    away = set(
        session.scalars(
            select(Delegation.from_user).where(
                Delegation.from_user.in_(sorted(people)), Delegation.to_user.is_(None), active(now)
            )
        )
    )
    covered = set(
        session.scalars(
            select(Delegation.role).where(Delegation.role.in_(sorted(roles)), active(now))
        )
    )
    holders: dict[str, set[str]] = {}
    for role, name in held:
        holders.setdefault(role, set()).add(name)
    return {role for role, names in holders.items() if names <= away and role not in covered}


def _check_may_manage(official: User, by: User) -> None:
    if not by.active or not (by.is_admin or by.username == official.username):
        raise PermissionDenied("delegate_forbidden", user=official.username)


def _period(starts: datetime, until: datetime, now: datetime) -> datetime:
    if until <= starts or until <= now:
        raise InvalidInput("delegation_period")
    if until - starts > MAX_PERIOD:
        raise InvalidInput("delegation_too_long", days=MAX_PERIOD.days)
    return starts
