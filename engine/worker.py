"""The background worker: fire due timers, mark overdue tasks, remind, escalate, send e-mail.

Every job claims its rows with SELECT ... FOR UPDATE SKIP LOCKED (on SQLite, BEGIN IMMEDIATE
already lets one writer in at a time) and re-checks the job's condition under the lock, so
several workers never do the same job; a job done is visible in the rows themselves (the wake-up
time moved on, `overdue`, `escalated_at`, `emailed_at`), and notifications are unique per
(task, kind, user), so running a job again adds nothing.
"""

from __future__ import annotations

import logging
import os
import smtplib
import threading
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from engine import incidents, notifications, rows
from engine.alur import DATABASE_ERRORS, Alur
from engine.errors import ProcessError
from engine.runtime import lifecycle
from engine.sop import Waktu
from engine.storage.tables import HumanTask, Instance

log = logging.getLogger(__name__)
TRANSIENT = (*DATABASE_ERRORS, StaleDataError)  # not the step's fault: tried again next round

ACTOR = "sistem"  # recorded as the actor of what a timer sets going
DEFAULT_INTERVAL = 60.0
DEFAULT_ESCALATE_AFTER = "1 hari kerja"
DIGEST_HOUR = 7  # the daily digest goes out at the first round after 07:00 office time


@dataclass(frozen=True)
class WorkerSettings:
    interval: float = DEFAULT_INTERVAL  # seconds between rounds
    escalate_after: Waktu = field(default_factory=lambda: Waktu.parse(DEFAULT_ESCALATE_AFTER))
    batch: int = 100  # rows claimed per transaction
    smtp: notifications.SmtpSettings = field(default_factory=notifications.SmtpSettings)

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> WorkerSettings:
        """ALUR_WORKER_INTERVAL, ALUR_ESCALATE_AFTER (a Waktu: '1 hari kerja', '4 jam'), SMTP."""
        env = os.environ if env is None else env
        escalate_after = Waktu.parse(env.get("ALUR_ESCALATE_AFTER") or DEFAULT_ESCALATE_AFTER)
        if not escalate_after.specified:
            raise ValueError("ALUR_ESCALATE_AFTER needs a duration, e.g. '1 hari kerja'")
        interval = float(env.get("ALUR_WORKER_INTERVAL") or DEFAULT_INTERVAL)
        if interval <= 0:
            raise ValueError("ALUR_WORKER_INTERVAL must be more than 0 seconds")
        return cls(interval, escalate_after, smtp=notifications.SmtpSettings.from_env(env))


@dataclass
class RoundReport:
    timers: int = 0  # instances whose due timers fired
    overdue: int = 0  # tasks marked overdue
    reminders: int = 0  # notifications to holders
    escalated: int = 0  # tasks escalated
    escalations: int = 0  # notifications to supervisors
    digests: int = 0  # daily digests queued
    emailed: int = 0
    email_failed: int = 0
    errors: int = 0
    incidents: int = 0  # steps that failed and were recorded (their wake-up pushed back)

    def summary(self) -> str:
        return (
            f"{self.timers} timers fired, {self.overdue} tasks overdue, "
            f"{self.reminders} reminders, {self.escalated} tasks escalated "
            f"({self.escalations} notifications), {self.emailed} e-mails sent, "
            f"{self.email_failed} failed, {self.errors} errors ({self.incidents} incidents)"
        )


class Worker:
    def __init__(self, alur: Alur, settings: WorkerSettings | None = None):
        self.alur = alur
        self.settings = settings or WorkerSettings.from_env()

    def run(self, stop: threading.Event) -> int:
        """Run rounds every `interval` seconds until stop is set; how many rounds ran."""
        rounds = 0
        log.info("worker started: a round every %s s", self.settings.interval)
        while not stop.is_set():
            try:
                self.run_round()
            except Exception:  # the database may be back next round; the error is logged
                log.exception("round failed")
            rounds += 1
            stop.wait(self.settings.interval)
        log.info("worker stopped after %d rounds", rounds)
        return rounds

    def run_round(self, now: datetime | None = None) -> RoundReport:
        """One round of every job at `now` (default: the engine's clock)."""
        report = RoundReport()
        now = now or self.alur.clock()
        self.fire_timers(report)
        self.mark_overdue(now, report)
        self.escalate(now, report)
        if self.settings.smtp.enabled:
            self.queue_digests(now, report)
            self.send_email(report)
        log.info("round: %s", report.summary())
        return report

    # -- timers -------------------------------------------------------------------------------
    def fire_timers(self, report: RoundReport) -> None:
        """Wake every running instance whose earliest timer is due, one transaction each."""
        now, after = self.alur.clock(), None
        while True:
            query = select(Instance.id, Instance.next_wakeup_at).where(
                Instance.state == "running", Instance.next_wakeup_at <= now
            )
            if after is not None:  # keyset paging: an instance whose timer stays due waits
                last, at = after
                same = and_(Instance.next_wakeup_at == at, Instance.id > last)
                query = query.where(or_(Instance.next_wakeup_at > at, same))
            query = query.order_by(Instance.next_wakeup_at, Instance.id)
            with self.alur.session() as s:
                page = s.execute(query.limit(self.settings.batch)).all()
            for instance_id, _ in page:
                try:
                    report.timers += self._wake(instance_id, now)
                except ProcessError as error:  # an incident, its wake-up pushed back
                    log.warning("instance %s: its timer step failed: %s", instance_id, error)
                    report.errors += 1
                    report.incidents += 1
                except TRANSIENT:  # the database may be back next round
                    log.exception("instance %s: waking its timers failed", instance_id)
                    report.errors += 1
                except Exception as error:  # anything else is the step's: an incident too
                    log.exception("instance %s: waking its timers failed", instance_id)
                    report.errors += 1
                    report.incidents += 1
                    reason = f"{type(error).__name__}: {error}"
                    failure = ProcessError("process_error", name="?", element="?", reason=reason)
                    self.alur.note_incident(failure, (instance_id, incidents.WORKER, None))
            if len(page) < self.settings.batch:
                return
            after = page[-1]

    def _wake(self, instance_id: int, now: datetime) -> bool:
        """Fire one instance's timers under its row lock, saved like a completion (revision)."""

        def work(s: Session):
            instance = s.scalar(
                select(Instance)
                .where(
                    Instance.id == instance_id,
                    Instance.state == "running",
                    Instance.next_wakeup_at <= now,
                )
                .with_for_update(of=Instance, skip_locked=True)
            )
            if instance is None:  # another worker has it, or has done it
                return False, None, None
            return True, instance, lifecycle.wake(s, self.alur.ctx, instance, ACTOR)

        return self.alur.write_workflow(work)

    # -- overdue and escalation ---------------------------------------------------------------
    def mark_overdue(self, now: datetime, report: RoundReport) -> None:
        """Flag open tasks past due_at and remind their holders; a page of tasks per transaction."""
        email = self.settings.smtp.enabled
        while True:
            with self.alur.session() as s:
                tasks = self._claim(s, HumanTask.overdue.is_(False), rows.overdue_clause(now))
                titles = _titles(s, tasks)
                reminders = 0
                for task in tasks:
                    task.overdue = True
                    subject, text = notifications.reminder(
                        task, titles[task.instance_id], self._at(task)
                    )
                    holders = notifications.holders(s, task)
                    if not holders:
                        log.warning("task %s is overdue and nobody holds %r", task.id, task.role)
                    reminders += notifications.record(
                        s, holders, notifications.REMINDER, task, subject, text, email, now
                    )
            report.overdue += len(tasks)
            report.reminders += reminders
            if len(tasks) < self.settings.batch:
                return

    def escalate(self, now: datetime, report: RoundReport) -> None:
        """Tell the supervisors of tasks late by more than escalate_after (working time)."""
        email, late = self.settings.smtp.enabled, self.settings.escalate_after
        while True:
            with self.alur.session() as s:
                tasks = self._claim(
                    s,
                    HumanTask.overdue.is_(True),
                    HumanTask.escalated_at.is_(None),
                    rows.overdue_clause(now),
                )
                # escalation time grows with due_at, so the due ones are a prefix of the page
                due = [t for t in tasks if self.alur.calendar.due(t.due_at, late) <= now]
                titles = _titles(s, due)
                bosses = notifications.supervisors(s) if due else []
                notes = 0
                for task in due:
                    task.escalated_at = now
                    holders = {u.username for u in notifications.holders(s, task)}
                    recipients = [u for u in bosses if u.username not in holders]
                    if not recipients:
                        log.warning("task %s: no supervisor to escalate to", task.id)
                    subject, text = notifications.escalation(
                        task, titles[task.instance_id], self._at(task), late.text
                    )
                    notes += notifications.record(
                        s, recipients, notifications.ESCALATION, task, subject, text, email, now
                    )
            report.escalated += len(due)
            report.escalations += notes
            if len(due) < len(tasks) or len(tasks) < self.settings.batch:
                return

    def _claim(self, s: Session, *conditions) -> list[HumanTask]:
        """A page of open tasks, oldest due first, locked; rows another worker holds are skipped."""
        query = (
            select(HumanTask)
            .where(HumanTask.state == "open", HumanTask.due_at.is_not(None), *conditions)
            .order_by(HumanTask.due_at, HumanTask.id)
            .limit(self.settings.batch)
            .with_for_update(skip_locked=True)
        )
        return list(s.scalars(query))

    def _at(self, task: HumanTask) -> str:
        """The task's due time on the office clock, e.g. '28-11-2026 15:30 WIB'."""
        return task.due_at.astimezone(self.alur.calendar.timezone).strftime("%d-%m-%Y %H:%M %Z")

    # -- e-mail -------------------------------------------------------------------------------
    def queue_digests(self, now: datetime, report: RoundReport) -> None:
        """Queue the daily e-mail of everyone who chose it, once an office day after DIGEST_HOUR
        (the notifications that arrived since their last one, unread)."""
        local = now.astimezone(self.alur.calendar.timezone)
        if local.hour < DIGEST_HOUR:
            return
        today = local.replace(hour=0, minute=0, second=0, microsecond=0)
        while True:
            with self.alur.session() as s:
                people = notifications.digest_due(s, today, self.settings.batch)
                for user in people:
                    sent = notifications.queue_digest(s, user, now, local.strftime("%d-%m-%Y"))
                    report.digests += sent
            if len(people) < self.settings.batch:
                return

    def send_email(self, report: RoundReport) -> None:
        """Send the notifications still to be e-mailed, each marked in its own transaction.

        A message sent but not marked (a crash in between) goes out again next round: at least
        once. The row lock keeps two workers from sending the same one.
        """
        smtp, after = self.settings.smtp, 0
        with notifications.Mailer(smtp) as mailer:
            while True:
                with self.alur.session() as s:
                    note = s.scalar(notifications.outbox_query(after))
                    if note is None:
                        return
                    after = note.id
                    try:
                        mailer.send(notifications.email_message(smtp, note))
                    except notifications.PER_MESSAGE_ERRORS as error:
                        notifications.mark_failed(note, error)
                        log.warning("notification %s: e-mail refused: %s", note.id, error)
                        report.email_failed += 1
                        continue
                    except (smtplib.SMTPException, OSError) as error:
                        notifications.mark_failed(note, error)
                        log.warning("SMTP %s:%s unusable: %s", smtp.host, smtp.port, error)
                        report.email_failed += 1
                        return
                    notifications.mark_sent(note, self.alur.clock())
                report.emailed += 1


def _titles(s: Session, tasks: list[HumanTask]) -> dict[int, str]:
    """Instance titles for messages (columns only: the instance row and its spec stay unread)."""
    ids = {t.instance_id for t in tasks}
    if not ids:
        return {}
    return dict(s.execute(select(Instance.id, Instance.title).where(Instance.id.in_(ids))).all())
