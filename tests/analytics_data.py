"""A small SOP and four instances with known times, for the analytics tests (engine, API, CLI).

SOP 'sop_u' (code U): 1 Menyusun draft (Pelaksana, 60 menit), 2 Memeriksa draft (Pemeriksa,
30 menit; Ya -> 3, Tidak -> 1), 3 Mengarsipkan (Pelaksana, no Waktu). The office calendar is the
default one (Asia/Pontianak, Mon-Thu 07:30-16:00, Fri 07:30-16:30); Sat 30 May, Sun 31 May
(Waisak) and Mon 1 June 2026 (Pancasila) are off.

  A  Tue 2 Jun 08:00  ana claims 1 at 08:10, done 08:50; 2 Ya 09:10; 3 done 10:10     (lead 130)
  B  Tue 2 Jun 09:00  budi: 1 unclaimed done 11:00 (60 over); 2 Tidak 11:20; 1 claimed 11:30,
                      done 12:00; 2 Tidak 12:30 (at its due time: on time); 1 done 13:00;
                      2 Ya 13:10; 3 done 13:20                                         (lead 260)
  C  Fri 29 May 16:00 ana claims 1 at 16:20, done Tue 2 Jun 08:00 (exactly at due: 30 + 30
                      office minutes over the long weekend, 5,280 calendar minutes);
                      2 Ya 09:00 (30 over); 3 done 09:05                               (lead 125)
  D  Wed 1 Jul 08:00  1 done 08:30 by ana; still running (outside 2026-Q2)
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from engine.alur import Alur
from engine.bpmn.writer import write_bpmn
from engine.runtime.lifecycle import Completion
from engine.sop import Decision, Sop, Step, Waktu
from tests.clock import Clock

WIB = ZoneInfo("Asia/Pontianak")
KEY = "sop_u"
PELAKSANA, PEMERIKSA = "Pelaksana", "Pemeriksa"
STAFF = {"ana": "pelaksana", "budi": "pelaksana", "rudi": "pemeriksa"}
AUDITOR, ANALYST, KABID = "inspektur", "perencana", "kabid_uji"


def wib(*args: int) -> datetime:
    return datetime(*args, tzinfo=WIB)


def sop() -> Sop:
    return Sop(
        "U",
        "Uji Analitik",
        "Bidang Uji",
        actors=[PELAKSANA, PEMERIKSA],
        steps=[
            Step(1, "Menyusun draft", PELAKSANA, waktu=Waktu.parse("60 menit")),
            Step(
                2,
                "Memeriksa draft",
                PEMERIKSA,
                waktu=Waktu.parse("30 menit"),
                decision=Decision("Draft benar?", yes=3, no=1),
            ),
            Step(3, "Mengarsipkan", PELAKSANA),
        ],
    )


def deploy(alur: Alur) -> None:
    """The SOP (version 1) and its people: staff, an auditor, an analyst, a Kabid."""
    alur.deploy_sources([("sop_uji.bpmn", write_bpmn(sop()))], "admin")
    for name, role in STAFF.items():
        alur.add_user(name, [role])
    alur.add_user(AUDITOR, ["auditor"])
    alur.add_user(ANALYST, ["analis"])
    alur.add_user(KABID, ["kabid uji"])


def _task(alur: Alur, instance_id: int):
    (task,) = [t for t in alur.task_rows(instance_id) if t.state == "open"]
    return task


def _do(alur, clock, instance_id, who, done, claim=None, decision=None):
    task = _task(alur, instance_id)
    if claim is not None:
        clock.now = claim
        alur.claim(task.id, who)
    clock.now = done
    form = Completion(decision=decision, note="perbaiki" if decision == "Tidak" else "")
    alur.complete(task.id, who, form)


def play(alur: Alur, clock: Clock) -> dict[str, int]:
    """Deploy, then run instances A-D at their times; their ids by letter."""
    deploy(alur)
    ids = {}
    clock.now = wib(2026, 6, 2, 8, 0)
    a = ids["A"] = alur.start(KEY, "ana", "A").id
    _do(alur, clock, a, "ana", wib(2026, 6, 2, 8, 50), claim=wib(2026, 6, 2, 8, 10))
    _do(alur, clock, a, "rudi", wib(2026, 6, 2, 9, 10), decision="Ya")
    _do(alur, clock, a, "ana", wib(2026, 6, 2, 10, 10))

    clock.now = wib(2026, 6, 2, 9, 0)
    b = ids["B"] = alur.start(KEY, "budi", "B").id
    _do(alur, clock, b, "budi", wib(2026, 6, 2, 11, 0))
    _do(alur, clock, b, "rudi", wib(2026, 6, 2, 11, 20), decision="Tidak")
    _do(alur, clock, b, "budi", wib(2026, 6, 2, 12, 0), claim=wib(2026, 6, 2, 11, 30))
    _do(alur, clock, b, "rudi", wib(2026, 6, 2, 12, 30), decision="Tidak")
    _do(alur, clock, b, "budi", wib(2026, 6, 2, 13, 0))
    _do(alur, clock, b, "rudi", wib(2026, 6, 2, 13, 10), decision="Ya")
    _do(alur, clock, b, "budi", wib(2026, 6, 2, 13, 20))

    clock.now = wib(2026, 5, 29, 16, 0)
    c = ids["C"] = alur.start(KEY, "ana", "C").id
    _do(alur, clock, c, "ana", wib(2026, 6, 2, 8, 0), claim=wib(2026, 5, 29, 16, 20))
    _do(alur, clock, c, "rudi", wib(2026, 6, 2, 9, 0), decision="Ya")
    _do(alur, clock, c, "ana", wib(2026, 6, 2, 9, 5))

    clock.now = wib(2026, 7, 1, 8, 0)
    d = ids["D"] = alur.start(KEY, "ana", "D").id
    _do(alur, clock, d, "ana", wib(2026, 7, 1, 8, 30))
    clock.now = wib(2026, 7, 10, 12, 0)
    return ids
