"""Helpers for the worker tests: seeding, a collecting SMTP server, worker processes."""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import asdict
from datetime import datetime
from email import message_from_bytes
from email.message import Message
from pathlib import Path

from sqlalchemy import select

from engine.alur import Alur
from engine.config import Settings
from engine.storage.tables import User, utcnow
from engine.worker import Worker, WorkerSettings
from tests.barrier_pool import meet

DATA = Path(__file__).resolve().parent / "data"
TIMER, DEADLINE, BOUNDARY = "uji_timer", "uji_tenggat", "uji_batas"
STAFF = "sub koordinator"
KABID = "kepala bidang"
# name -> (roles, e-mail, admin); fajar is made inactive
PEOPLE = {
    "ana": ([STAFF], "ana@bappeda.test", False),
    "budi": ([STAFF], "budi@bappeda.test", False),
    "eko": ([STAFF], "", False),
    "fajar": ([STAFF], "fajar@bappeda.test", False),
    "citra": ([KABID], "citra@bappeda.test", False),
    "dewi": ([], "dewi@bappeda.test", True),
    "tamu": ([], "tamu@bappeda.test", False),
}
STAFF_ACTIVE = ["ana", "budi", "eko"]


def seed(alur: Alur) -> None:
    """Schema, the three test processes, the people above."""
    alur.upgrade()
    alur.deploy([DATA / name for name in ("timer.bpmn", "deadline.bpmn", "boundary.bpmn")], "dewi")
    for name, (roles, email, admin) in PEOPLE.items():
        alur.add_user(name, roles, is_admin=admin)
        if email:
            alur.set_email(name, email)
    with alur.session() as s:
        s.scalar(select(User).where(User.username == "fajar")).active = False


def wait_until(moment: datetime) -> None:
    """Sleep past moment (timers compare with the real clock)."""
    delay = (moment - utcnow()).total_seconds()
    if delay > 0:
        time.sleep(delay + 0.05)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Mailbox:
    """An aiosmtpd handler that keeps every message it accepts; refuses RCPT to `refused`."""

    def __init__(self, refused: frozenset[str] = frozenset()):
        self.refused = refused
        self.messages: list[tuple[str, list[str], Message]] = []
        self._lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refused:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self._lock:
            self.messages.append(
                (envelope.mail_from, list(envelope.rcpt_tos), message_from_bytes(envelope.content))
            )
        return "250 Message accepted for delivery"

    def received(self) -> list[tuple[str, str]]:
        """(recipient, subject) of every message, in arrival order."""
        with self._lock:
            return [(to, str(m["Subject"])) for _, tos, m in self.messages for to in tos]


# -- worker processes (multiprocessing, spawn): each builds its own Alur on the same database --
def worker_round(url: str, settings: WorkerSettings, now: datetime) -> dict:
    """Build an Alur, wait for the other workers, run one round; the round's counts."""
    alur = Alur(Settings(database_url=url, upload_dir=Path("/nonexistent")))
    try:
        alur.unread_count("ana")  # connect before the barrier: the race is about the round
        meet()
        return asdict(Worker(alur, settings).run_round(now=now))
    finally:
        alur.db.dispose()
