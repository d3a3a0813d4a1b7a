"""Notifications: who is told about a late task, the inbox bell, and the e-mail they go out as."""

from __future__ import annotations

import os
import smtplib
import ssl
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from email.errors import HeaderParseError
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from sqlalchemy import exists, func, insert, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from engine import users
from engine.errors import InvalidInput
from engine.inbox import SUPERVISOR_PREFIXES
from engine.storage.tables import HumanTask, Notification, User, UserRole

REMINDER, ESCALATION = "reminder", "escalation"
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
    recipients: Iterable[User],
    kind: str,
    task: HumanTask,
    subject: str,
    message: str,
    email: bool,
    now: datetime,
) -> int:
    """Add one notification per recipient; one that exists already is left alone. How many new."""
    rows = [
        {
            "username": user.username,
            "kind": kind,
            "instance_id": task.instance_id,
            "human_task_id": task.id,
            "subject": subject,
            "message": message,
            "created_at": now,
            "email_to": (user.email or None) if email else None,
            "email_attempts": 0,
            "email_error": "",
        }
        for user in {u.username: u for u in recipients}.values()
    ]
    if not rows:
        return 0
    dialect = session.get_bind().dialect.name
    if dialect not in ("postgresql", "sqlite"):
        session.execute(insert(Notification), rows)
        return len(rows)
    statement = (postgresql if dialect == "postgresql" else sqlite).insert(Notification)
    statement = statement.values(rows).on_conflict_do_nothing(
        index_elements=["human_task_id", "kind", "username"]
    )
    return len(session.execute(statement.returning(Notification.id)).all())


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
def unread_count(session: Session, username: str) -> int:
    query = select(func.count()).where(
        Notification.username == username, Notification.read_at.is_(None)
    )
    return session.scalar(query) or 0


def listing(
    session: Session, username: str, limit: int = 20, unread_only: bool = False
) -> list[Notification]:
    """A user's notifications, newest first."""
    query = select(Notification).where(Notification.username == username)
    if unread_only:
        query = query.where(Notification.read_at.is_(None))
    query = query.order_by(Notification.created_at.desc(), Notification.id.desc()).limit(limit)
    return list(session.scalars(query))


def mark_read(session: Session, username: str, ids: Iterable[int] | None, now: datetime) -> int:
    """Mark a user's notifications read (all of them when ids is None); how many changed."""
    query = update(Notification).where(
        Notification.username == username, Notification.read_at.is_(None)
    )
    if ids is not None:
        query = query.where(Notification.id.in_(list(ids)))
    return session.execute(query.values(read_at=now)).rowcount


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
