"""E-mail: notifications go out through SMTP once, to the right address, with the right subject."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from engine.errors import InvalidInput
from engine.inbox import InboxFilter
from engine.notifications import MAX_EMAIL_ATTEMPTS, SmtpSettings, check_address
from engine.storage.tables import Notification
from tests.engine.worker.helpers import DEADLINE, PEOPLE, Mailbox, free_port

LATE = timedelta(days=30)  # past due and past the escalation delay


def start_late_task(alur):
    instance = alur.start(DEADLINE, "ana", title="Rencana kerja 2027")
    (task,) = alur.tasks(flt=InboxFilter(instance_id=instance.id))
    return task


def stored(alur) -> list[Notification]:
    with alur.session() as s:
        return list(s.scalars(select(Notification).order_by(Notification.id)))


def test_notifications_are_emailed_once_to_each_address(alur, make_worker, mailbox, smtp):
    task = start_late_task(alur)
    worker = make_worker(smtp=smtp)
    report = worker.run_round(now=task.due_at + LATE)
    assert (report.reminders, report.escalations) == (3, 2)
    assert (report.emailed, report.email_failed) == (4, 0)  # eko has no address
    reminder, escalation = (
        "Tugas terlambat: Menyusun draf",
        "Eskalasi: tugas terlambat: Menyusun draf",
    )
    assert sorted(mailbox.received()) == [
        ("ana@bappeda.test", reminder),
        ("budi@bappeda.test", reminder),
        ("citra@bappeda.test", escalation),
        ("dewi@bappeda.test", escalation),
    ]
    sender, _, message = mailbox.messages[0]
    assert sender == "alur@bappeda.test" and message["From"] == "alur@bappeda.test"
    assert message["Auto-Submitted"] == "auto-generated" and message["Message-ID"]
    body = message.get_payload(decode=True).decode(message.get_content_charset())
    assert "Rencana kerja 2027" in body and "melewati tenggat" in body

    rows = {n.username: n for n in stored(alur)}
    assert rows["eko"].email_to is None and rows["eko"].emailed_at is None
    assert rows["ana"].email_to == PEOPLE["ana"][1] and rows["ana"].emailed_at is not None
    assert rows["ana"].email_attempts == 1 and rows["ana"].email_error == ""

    assert worker.run_round(now=task.due_at + LATE + LATE).emailed == 0
    assert len(mailbox.received()) == 4


def test_without_smtp_nothing_is_queued_for_email(alur, make_worker, mailbox):
    task = start_late_task(alur)
    report = make_worker().run_round(now=task.due_at + LATE)
    assert report.reminders == 3 and report.emailed == 0
    assert all(n.email_to is None for n in stored(alur))
    assert mailbox.received() == []


def test_an_unreachable_server_is_retried_next_round(alur, make_worker):
    task = start_late_task(alur)
    port = free_port()  # nothing listens there yet
    settings = SmtpSettings(host="127.0.0.1", port=port, sender="alur@bappeda.test")
    down = make_worker(smtp=settings).run_round(now=task.due_at + LATE)
    assert (down.emailed, down.email_failed, down.errors) == (0, 1, 0)  # gives up for the round
    failed = [n for n in stored(alur) if n.email_attempts]
    assert len(failed) == 1 and "Connection" in failed[0].email_error

    box = Mailbox()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        up = make_worker(smtp=settings).run_round(now=task.due_at + LATE)
    finally:
        controller.stop()
    assert (up.emailed, up.email_failed) == (4, 0)
    assert len(box.received()) == 4


def test_a_refused_address_does_not_hold_up_the_others(alur, make_worker, mailbox, smtp):
    mailbox.refused = frozenset({"budi@bappeda.test"})
    task = start_late_task(alur)
    worker = make_worker(smtp=smtp)
    report = worker.run_round(now=task.due_at + LATE)
    assert (report.emailed, report.email_failed) == (3, 1)
    assert "budi@bappeda.test" not in {to for to, _ in mailbox.received()}
    (budi,) = [n for n in stored(alur) if n.username == "budi"]
    assert budi.emailed_at is None and "550" in budi.email_error
    for _ in range(MAX_EMAIL_ATTEMPTS + 2):  # retried each round, then left alone
        worker.run_round(now=task.due_at + LATE)
    (budi,) = [n for n in stored(alur) if n.username == "budi"]
    assert budi.email_attempts == MAX_EMAIL_ATTEMPTS and budi.emailed_at is None
    assert len(mailbox.received()) == 3


def test_smtp_settings_from_the_environment():
    assert not SmtpSettings.from_env({}).enabled
    settings = SmtpSettings.from_env(
        {
            "ALUR_SMTP_HOST": "mail.ketapangkab.go.id",
            "ALUR_SMTP_PORT": "587",
            "ALUR_SMTP_USER": "alur",
            "ALUR_SMTP_PASSWORD": "rahasia",
            "ALUR_SMTP_FROM": "alur@ketapangkab.go.id",
            "ALUR_SMTP_STARTTLS": "ya",
        }
    )
    assert settings == SmtpSettings(
        "mail.ketapangkab.go.id", 587, "alur", "rahasia", "alur@ketapangkab.go.id", True
    )
    assert settings.enabled


@pytest.mark.parametrize(
    ("text", "expected"),
    [(" ana@bappeda.test ", "ana@bappeda.test"), ("", ""), ("ana@localhost", "ana@localhost")],
)
def test_addresses_are_checked(text, expected):
    assert check_address(text) == expected


@pytest.mark.parametrize("text", ["ana", "@bappeda.test", "ana@", "a b@x.test", "a@x.test, b@x"])
def test_bad_addresses_are_refused(text):
    with pytest.raises(InvalidInput, match="alamat e-mail tidak sah"):
        check_address(text)


def test_set_email(alur):
    assert alur.set_email("eko", "eko@bappeda.test").email == "eko@bappeda.test"
    assert alur.user("eko").email == "eko@bappeda.test"
    assert alur.set_email("eko", "").email == ""
    with pytest.raises(InvalidInput):
        alur.set_email("eko", "bukan alamat")


def test_the_daily_digest_replaces_one_mail_per_event(make_alur, make_worker, mailbox, smtp, clock):
    """ana chose the digest: the new tasks reach budi at once, ana once a day after 07:00."""
    wib = ZoneInfo("Asia/Pontianak")
    alur = make_alur(email=True)
    alur.set_digest("ana", True)
    clock.now = datetime(2026, 6, 2, 6, 0, tzinfo=wib)
    for title in ("Draf satu", "Draf dua"):
        alur.start(DEADLINE, "ana", title=title)
    worker = make_worker(alur, smtp=smtp)
    early = worker.run_round(now=clock.now)
    assert early.digests == 0
    new = "Tugas baru untuk peran Sub Koordinator: Menyusun draf"
    assert sorted(mailbox.received()) == [("budi@bappeda.test", new)] * 2  # eko has no address

    clock.now = datetime(2026, 6, 2, 7, 30, tzinfo=wib)
    assert worker.run_round(now=clock.now).digests == 1
    digests = [m for m in mailbox.messages if m[1] == ["ana@bappeda.test"]]
    assert len(digests) == 1
    message = digests[0][2]
    assert message["Subject"] == "Ringkasan Alur 02-06-2026: 2 notifikasi"
    body = message.get_payload(decode=True).decode(message.get_content_charset())
    assert body.count(new) == 2
    assert alur.unread_count("ana") == 2  # the bell is untouched by the mail

    clock.now = datetime(2026, 6, 2, 16, 0, tzinfo=wib)  # once a day; the drafts are late now
    report = worker.run_round(now=clock.now)
    assert (report.digests, report.reminders) == (0, 6)
    clock.now = datetime(2026, 6, 3, 8, 0, tzinfo=wib)  # the next day: what came since
    assert worker.run_round(now=clock.now).digests == 1
    digests = [m for _, tos, m in mailbox.messages if tos == ["ana@bappeda.test"]]
    body = digests[1].get_payload(decode=True).decode(digests[1].get_content_charset())
    assert body.count("Tugas terlambat: Menyusun draf") == 2 and new not in body
