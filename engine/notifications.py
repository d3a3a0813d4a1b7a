"""Notifications: who is told about work arriving and about a late task, the inbox bell, and the
e-mail they go out as.

Work arriving (a new task, a task returned or reassigned to someone, a finished process) is
written by the transaction that makes it, so the bell counts it at once. A task for a role is one
role-addressed row (username "", role set), not one row per holder: a role of two hundred people
costs one row per task; who of them has read it is a row in notification_reads. E-mail is queued
as rows the worker sends (never sent inside the request): one per person who has an address and
wants one mail per event; people who chose the daily digest get one mail a day from the worker.
"""

from __future__ import annotations

import os
import smtplib
import ssl
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.errors import HeaderParseError
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from sqlalchemy import Row, exists, func, insert, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from engine import delegations, users
from engine.access import SUPERVISOR_PREFIXES
from engine.errors import InvalidInput
from engine.storage.tables import (
    Delegation,
    HumanTask,
    Instance,
    Notification,
    NotificationRead,
    User,
    UserRole,
)

REMINDER, ESCALATION = "reminder", "escalation"
NEW_TASK, RETURNED, REASSIGNED, FINISHED = "new_task", "returned", "reassigned", "finished"
MAIL = "mail"  # an e-mail-only copy of a role-addressed row for one holder: not in the bell
DIGEST = "digest"  # the daily e-mail of a person who chose it: not in the bell
HIDDEN = (MAIL, DIGEST)
ROLE = ""  # the username of a role-addressed row
BELL_MAX = 99  # the bell counts up to this many role-addressed rows ("99")
MAX_EMAIL_ATTEMPTS = 5
SMTP_TIMEOUT = 20  # seconds; on SQLite the write lock is held while one message is sent
_TRUE = {"1", "true", "yes", "ya", "on"}


@dataclass(frozen=True)
class SmtpSettings:
    """Where e-mail goes: ALUR_SMTP_HOST/PORT/USER/PASSWORD/FROM/STARTTLS (no host: no e-mail)."""

    host: str = ""
    port: int = 25
    user: str = ""
    password: str = ""
    sender: str = "alur@localhost"
    starttls: bool = False

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> SmtpSettings:
        env = os.environ if env is None else env
        return cls(
            host=env.get("ALUR_SMTP_HOST", "").strip(),
            port=int(env.get("ALUR_SMTP_PORT") or 25),
            user=env.get("ALUR_SMTP_USER", ""),
            password=env.get("ALUR_SMTP_PASSWORD", ""),
            sender=check_address(env.get("ALUR_SMTP_FROM") or cls.sender),
            starttls=env.get("ALUR_SMTP_STARTTLS", "").strip().lower() in _TRUE,
        )

    @property
    def enabled(self) -> bool:
        return bool(self.host)


def check_address(text: str) -> str:
    """An e-mail address as stored ('' clears it); refuses anything that is not one address."""
    text = text.strip()
    if not text:
        return ""
    try:
        address = Address(addr_spec=text)
    except (ValueError, IndexError, HeaderParseError) as error:
        raise InvalidInput("email_invalid", address=text) from error
    if not address.username or not address.domain:
        raise InvalidInput("email_invalid", address=text)
    return address.addr_spec


# -- who is told -----------------------------------------------------------------------------
def holders(session: Session, task: HumanTask) -> list[User]:
    """Who should act: the named assignee, else the claimant, else every active role holder."""
    named = task.assignee or task.claimed_by
    if named is None:
        return users.holders(session, task.role)
    user = session.scalar(select(User).where(User.username == named, User.active.is_(True)))
    return [user] if user else []


def supervisors(session: Session) -> list[User]:
    """Active admins and holders of a Kabid / Kepala Bidang role."""
    kabid = or_(*(UserRole.role.startswith(prefix) for prefix in SUPERVISOR_PREFIXES))
    has_role = exists().where(UserRole.user_id == User.id, kabid)
    query = select(User).where(User.active.is_(True), or_(User.is_admin.is_(True), has_role))
    return list(session.scalars(query.order_by(User.username)))


def record(
    session: Session,
    recipients: Iterable[User | Row],
    kind: str,
    task: HumanTask,
    subject: str,
    message: str,
    email: bool,
    now: datetime,
) -> int:
    """Add one notification per recipient; one that exists already is left alone. How many new."""
    rows = [
        _row(
            user.username,
            kind,
            task.instance_id,
            task.id,
            subject,
            message,
            now,
            mail_to(user) if email else None,
        )  # fmt: skip
        for user in {u.username: u for u in recipients}.values()
    ]
    return _insert(session, rows)


def mail_to(user: User | Row) -> str | None:
    """Where one notification of user's is e-mailed at once: None without an address, or when
    they chose the daily digest."""
    return None if not user.email or user.email_digest else user.email


def _row(username, kind, instance_id, task_id, subject, message, now, email_to, **extra) -> dict:
    return {
        "username": username,
        "kind": kind,
        "instance_id": instance_id,
        "human_task_id": task_id,
        "subject": subject,
        "message": message,
        "created_at": now,
        "email_to": email_to,
        "email_attempts": 0,
        "email_error": "",
        "role": None,
        "read_at": None,
    } | extra


def _insert(session: Session, rows: list[dict]) -> int:
    """Insert rows; one whose (task, kind, user) exists already is left alone. How many new."""
    if not rows:
        return 0
    dialect = session.get_bind().dialect.name
    if dialect not in ("postgresql", "sqlite"):
        session.execute(insert(Notification.__table__), rows)
        return len(rows)
    return len(session.execute(_upsert(dialect), rows).all())


_UPSERTS: dict[str, object] = {}


def _upsert(dialect: str):
    """INSERT ... ON CONFLICT DO NOTHING RETURNING id, built once per dialect; the rows are its
    parameters (a statement with the rows as VALUES would be compiled again for every call)."""
    found = _UPSERTS.get(dialect)
    if found is None:
        table = Notification.__table__  # a Core insert: no ORM bulk path, no autoflush
        statement = (postgresql if dialect == "postgresql" else sqlite).insert(table)
        statement = statement.on_conflict_do_nothing(
            index_elements=["human_task_id", "kind", "username"]
        )
        found = _UPSERTS[dialect] = statement.returning(table.c.id)
    return found


# -- work arriving, written by the transaction that makes it ----------------------------------
def task_arrived(
    session: Session,
    task: HumanTask,
    instance: Instance,
    returned: dict | None,
    now: datetime,
    email: bool,
) -> int:
    """Tell who should act on a task just created: its named assignee; after a send-back, whoever
    did the step last time; else the whole role, as one role-addressed row."""
    where = f"{instance.title} (instans #{instance.id})"
    step = f"langkah {task.step_no}" if task.step_no else "langkah"
    if task.assignee:
        person = _active(session, task.assignee)
        subject = f"Tugas baru: {task.name}"
        text = f'Tugas "{task.name}" ({step}) pada {where} ditugaskan kepada Anda.'
        return _personal(session, person, NEW_TASK, task, subject, text, now, email)
    if returned:
        last = (
            select(HumanTask.completed_by)
            .where(
                HumanTask.instance_id == task.instance_id,
                HumanTask.step_no == task.step_no,
                HumanTask.state == "completed",
                HumanTask.id != task.id,
            )
            .order_by(HumanTask.id.desc())
            .limit(1)
            .scalar_subquery()
        )
        person = _active(session, last)
        if person is not None:
            subject = f"Dikembalikan kepada Anda: {task.name}"
            text = (
                f'Tugas "{task.name}" ({step}) pada {where} dikembalikan oleh '
                f"{returned.get('by') or '-'}: {returned.get('reason') or '-'}"
            )
            return _personal(session, person, RETURNED, task, subject, text, now, email)
    subject = f"Tugas baru untuk peran {task.lane or task.role}: {task.name}"
    text = f'Tugas "{task.name}" ({step}) pada {where} menunggu peran {task.lane or task.role}.'
    rows = [_row(ROLE, NEW_TASK, task.instance_id, task.id, subject, text, now, None,
                 role=task.role)]  # fmt: skip
    if email:  # an e-mail-only copy for each holder (or acting official) with an address
        rows += [
            _row(
                u.username,
                MAIL,
                task.instance_id,
                task.id,
                subject,
                text,
                now,
                u.email,
                role=task.role,
                read_at=now,
            )  # fmt: skip
            for u in _mail_holders(session, task.role, now)
        ]
    return _insert(session, rows)


def task_reassigned(session: Session, task: HumanTask, to: User, by: User, now: datetime,
                    email: bool) -> int:  # fmt: skip
    """Tell the person a task was handed to."""
    subject = f"Tugas dialihkan kepada Anda: {task.name}"
    text = f'Tugas "{task.name}" (instans #{task.instance_id}) dialihkan kepada Anda oleh ' + (
        by.full_name or by.username
    )
    return _personal(session, to, REASSIGNED, task, subject, text, now, email)


def instance_finished(session: Session, instance: Instance, now: datetime, email: bool) -> int:
    """Tell whoever started a process that it has finished."""
    person = _active(session, instance.started_by)
    if person is None:
        return 0
    subject = f"Proses selesai: {instance.title}"
    text = f"{instance.title} (instans #{instance.id}) telah selesai."
    row = _row(person.username, FINISHED, instance.id, None, subject, text, now,
               mail_to(person) if email else None)  # fmt: skip
    return _insert(session, [row])


def _personal(session, person, kind, task, subject, text, now, email) -> int:
    if person is None:
        return 0
    return record(session, [person], kind, task, subject, text, email, now)


def _active(session: Session, username) -> Row | None:
    """The active user of that name (a value or a subquery), with what a notification needs
    of them: one row, not the user with their roles."""
    query = select(User.username, User.email, User.email_digest)
    return session.execute(query.where(User.username == username, User.active.is_(True))).first()


def _mail_holders(session: Session, role: str, now: datetime) -> list[User]:
    """Active holders of role, and those acting in it now, who want one e-mail per event."""
    holds = select(UserRole.user_id).where(UserRole.role == role)
    acting = select(Delegation.to_user).where(Delegation.role == role, delegations.active(now))
    query = select(User).where(
        User.active.is_(True),
        User.email != "",
        User.email_digest.is_(False),
        or_(User.id.in_(holds), User.username.in_(acting)),
    )
    return list(session.scalars(query.order_by(User.username)))


def reminder(task: HumanTask, title: str, due: str) -> tuple[str, str]:
    """Subject and text telling a holder that their task is past its due time."""
    subject = f"Tugas terlambat: {task.name}"
    text = (
        f'Tugas "{task.name}" pada {title} (instans #{task.instance_id}) telah melewati '
        f"tenggat {due}. Mohon segera diselesaikan."
    )
    return subject, text


def escalation(task: HumanTask, title: str, due: str, late: str) -> tuple[str, str]:
    """Subject and text telling a supervisor that a task is late by more than `late`."""
    if task.assignee:
        who = f"ditugaskan kepada {task.assignee}"
    elif task.claimed_by:
        who = f"dikerjakan oleh {task.claimed_by}"
    else:
        who = f"untuk peran {task.role or '-'}"
    subject = f"Eskalasi: tugas terlambat: {task.name}"
    text = (
        f'Tugas "{task.name}" pada {title} (instans #{task.instance_id}), {who}, terlambat '
        f"lebih dari {late} dari tenggat {due}. Mohon ditindaklanjuti."
    )
    return subject, text


# -- the bell ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class NoteRow:
    """A notification as one person sees it (a role-addressed one read or not by them)."""

    id: int
    kind: str
    instance_id: int | None
    human_task_id: int | None
    subject: str
    message: str
    created_at: datetime
    read_at: datetime | None
    role: str | None = None
    email_to: str | None = None  # where it is e-mailed (a role-addressed one: never)


def _roles(user: User) -> list[str]:
    return sorted(user.role_names | set(user.acting_for))


def _role_notes(user: User, unread_only: bool):
    """The role-addressed rows user sees: of their roles (acting ones too), while the task is
    open and nobody else has taken it; driven by the open tasks of those roles (inbox index)."""
    query = (
        select(Notification.id)
        .join(HumanTask, HumanTask.id == Notification.human_task_id)
        .where(
            HumanTask.state == "open",
            HumanTask.role.in_(_roles(user)),
            or_(HumanTask.claimed_by.is_(None), HumanTask.claimed_by == user.username),
            Notification.kind == NEW_TASK,
            Notification.username == ROLE,
        )
    )
    if unread_only:
        query = query.where(~_read_by(user.username))
    return query


def _read_by(username: str):
    return exists().where(
        NotificationRead.notification_id == Notification.id, NotificationRead.username == username
    )


def _personal_notes(username: str):
    return select(Notification.id).where(
        Notification.username == username, Notification.kind.not_in(HIDDEN)
    )


def unread_count(session: Session, user: User) -> int:
    """The bell: the user's unread notifications, of which at most BELL_MAX role-addressed."""
    personal = select(func.count()).where(
        Notification.username == user.username,
        Notification.read_at.is_(None),
        Notification.kind.not_in(HIDDEN),
    )
    count = session.scalar(personal) or 0
    if _roles(user):
        capped = _role_notes(user, unread_only=True).limit(BELL_MAX).subquery()
        count += session.scalar(select(func.count()).select_from(capped)) or 0
    return count


def listing(
    session: Session, user: User, limit: int = 20, unread_only: bool = False
) -> list[NoteRow]:
    """A user's notifications (their own and their roles'), newest first."""
    own = _personal_notes(user.username)
    if unread_only:
        own = own.where(Notification.read_at.is_(None))
    ids = own.union_all(_role_notes(user, unread_only)) if _roles(user) else own
    mine = select(NotificationRead.read_at).where(
        NotificationRead.notification_id == Notification.id,
        NotificationRead.username == user.username,
    )
    query = (
        select(Notification, mine.scalar_subquery())
        .where(Notification.id.in_(ids))
        .order_by(Notification.created_at.desc(), Notification.id.desc())
        .limit(limit)
    )
    return [
        NoteRow(
            n.id,
            n.kind,
            n.instance_id,
            n.human_task_id,
            n.subject,
            n.message,
            n.created_at,
            n.read_at if n.username else read,
            n.role,
        )  # fmt: skip
        for n, read in session.execute(query)
    ]


def mark_read(session: Session, user: User, ids: Iterable[int] | None, now: datetime) -> int:
    """Mark a user's notifications read (all of them when ids is None); how many changed."""
    query = update(Notification).where(
        Notification.username == user.username,
        Notification.read_at.is_(None),
        Notification.kind.not_in(HIDDEN),
    )
    wanted = None if ids is None else list(ids)
    if wanted is not None:
        query = query.where(Notification.id.in_(wanted))
    changed = session.execute(query.values(read_at=now)).rowcount
    if not _roles(user):
        return changed
    roles = _role_notes(user, unread_only=True)
    if wanted is not None:
        roles = roles.where(Notification.id.in_(wanted))
    fresh = [{"notification_id": i, "username": user.username, "read_at": now}
             for i in session.scalars(roles)]  # fmt: skip
    if fresh:
        session.execute(insert(NotificationRead), fresh)
    return changed + len(fresh)


# -- the daily digest ---------------------------------------------------------------------------
DIGEST_MAX = 50  # notifications listed in one digest


def digest_due(session: Session, since: datetime, limit: int):
    """People who chose the digest, have an address and have had none since `since`, locked."""
    return list(
        session.scalars(
            select(User)
            .where(
                User.active.is_(True),
                User.email_digest.is_(True),
                User.email != "",
                or_(User.digest_sent_at.is_(None), User.digest_sent_at < since),
            )
            .order_by(User.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
    )


def queue_digest(session: Session, user: User, now: datetime, day: str) -> bool:
    """Queue one e-mail with the user's unread notifications that arrived since their last
    digest (the last day at most); whether there was anything to send. Marks it done."""
    since = user.digest_sent_at or now - timedelta(days=1)
    delegations.attach(session, user, now)
    notes = [
        n for n in listing(session, user, DIGEST_MAX, unread_only=True) if n.created_at > since
    ]
    user.digest_sent_at = now
    if not notes:
        return False
    lines = [f"- {n.subject}" + (f" (instans #{n.instance_id})" if n.instance_id else "")
             for n in reversed(notes)]  # fmt: skip
    subject = f"Ringkasan Alur {day}: {len(notes)} notifikasi"
    text = "Notifikasi yang belum dibaca sejak ringkasan terakhir:\n\n" + "\n".join(lines)
    row = _row(user.username, DIGEST, None, None, subject, text, now, user.email, read_at=now)
    return _insert(session, [row]) == 1


# -- e-mail -----------------------------------------------------------------------------------
def outbox_query(after_id: int = 0):
    """The next notification still to be e-mailed, locked; others skip it (SKIP LOCKED)."""
    return (
        select(Notification)
        .where(
            Notification.email_to.is_not(None),
            Notification.emailed_at.is_(None),
            Notification.email_attempts < MAX_EMAIL_ATTEMPTS,
            Notification.id > after_id,
        )
        .order_by(Notification.id)
        .limit(1)
        .with_for_update(skip_locked=True)
    )


def email_message(settings: SmtpSettings, note: Notification) -> EmailMessage:
    message = EmailMessage()
    message["From"] = settings.sender
    message["To"] = note.email_to
    message["Subject"] = note.subject
    message["Date"] = format_datetime(note.created_at)
    message["Message-ID"] = make_msgid("alur", settings.sender.rpartition("@")[2] or None)
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no vacation replies
    message.set_content(f"{note.message}\n\n-- \nPesan otomatis dari Alur; mohon tidak dibalas.\n")
    return message


class Mailer:
    """One SMTP connection for a round, opened at the first message, closed with the round."""

    def __init__(self, settings: SmtpSettings):
        self.settings = settings
        self._smtp: smtplib.SMTP | None = None

    def send(self, message: EmailMessage) -> None:
        if self._smtp is None:
            self._smtp = self._connect()
        self._smtp.send_message(message)

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        smtp = smtplib.SMTP(s.host, s.port, timeout=SMTP_TIMEOUT)
        try:
            if s.starttls:
                smtp.starttls(context=ssl.create_default_context())
            if s.user:
                smtp.login(s.user, s.password)
        except BaseException:
            smtp.close()
            raise
        return smtp

    def close(self) -> None:
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except (smtplib.SMTPException, OSError):
                self._smtp.close()
            self._smtp = None

    def __enter__(self) -> Mailer:
        return self

    def __exit__(self, *_exc) -> None:
        self.close()


# the message's own fault: count an attempt and go on; anything else: the server is unusable now
PER_MESSAGE_ERRORS = (
    smtplib.SMTPRecipientsRefused,
    smtplib.SMTPSenderRefused,
    smtplib.SMTPDataError,
    smtplib.SMTPNotSupportedError,
)


def mark_sent(note: Notification, now: datetime) -> None:
    note.emailed_at, note.email_attempts, note.email_error = now, note.email_attempts + 1, ""


def mark_failed(note: Notification, error: Exception) -> None:
    note.email_attempts += 1
    note.email_error = f"{type(error).__name__}: {error}"[:1000]
