"""Demo history: months of past work on the six SOPs, run through the real engine.

An evaluator opening the auditor's analytics should see figures, not empty charts. So the demo,
on an empty database, plays a believable past: for each SOP some instances started over the
last four months, their steps claimed and completed by the demo user of the step's role, some
sent back (Tidak), some late against their Mutu Baku Waktu, one cancelled, a few still running.
Everything goes through the engine's own start/claim/complete on an engine whose clock is set to
each past moment, so working minutes, due times and the analytics' sums are the engine's own.
The events of all instances run in time order, so the clock only moves forward, and none runs
at or after the moment the seeding began: what would come later is left open, as work in hand.
The draws come from a seeded random generator: the same story every time (its dates follow
today's date and the office calendar).
"""

from __future__ import annotations

import heapq
import itertools
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from engine.alur import Alur
from engine.sop import Step
from engine.views import NO, YES, Completion, InboxFilter

SEED = 2026
DAYS = 122  # the history starts about four months back
NO_WAKTU_MINUTES = 900  # a step without a Waktu takes about two office days
CLAIMED = 0.3  # tasks taken from the inbox first (the rest are completed from it)
DAY_MINUTES = 510  # an office day (Mon-Thu 07:30-16:00), for rough spans only
LONG = 5 * DAY_MINUTES  # a step of a week or more

# process key -> titles of its instances (the office's real kinds of work), oldest first.
TITLES = {
    "sop_a": [
        "Asistensi Renja 2027 — Satuan Polisi Pamong Praja",
        "Asistensi Renja 2027 — Disdukcapil",
        "Asistensi Renja 2027 — Kecamatan Delta Pawan",
        "Asistensi Renja 2027 — Badan Kesbangpol",
    ],
    "sop_b": [
        "Monev Renja 2026 Triwulan II — Satuan Polisi Pamong Praja",
        "Monev Renja 2026 Triwulan II — Kecamatan Kendawangan",
        "Monev Renja 2026 Triwulan II — Disdukcapil",
        "Monev Renja 2026 Triwulan III — Kecamatan Muara Pawan",
    ],
    "sop_c_1": [
        "Telaahan staf RKPD 2027 — Bidang PSB",
        "Rancangan Awal RKPD 2027 — urusan pendidikan",
        "Evaluasi RPJMD 2025-2029 — capaian bidang pembangunan manusia",
        "Rancangan Awal RKPD 2027 — urusan kesehatan",
        "Rakor Rancangan RKPD 2027 — Dinas Pendidikan dan Kebudayaan",
    ],
    "sop_c_2": [
        "Rencana Definitif DAK Fisik Pendidikan 2026",
        "Rencana Definitif DAK Fisik Kesehatan 2026",
        "Rencana Definitif Bantuan Keuangan Desa 2027",
    ],
    "sop_c_3": [
        "Data TKPKD 2026 Semester I — kemiskinan ekstrem",
        "LP2KD 2025 — laporan penanggulangan kemiskinan daerah",
        "Verifikasi data P3KE 2026 — Kecamatan Kendawangan",
    ],
    "sop_d": [
        "Sinergi program pusat-daerah 2027 — bidang kesehatan",
        "Harmonisasi Renja PD dengan RKPD 2027 — Dinas Sosial",
        "Sinergi percepatan penurunan stunting 2026",
    ],
}
RUNNING = {"sop_a": 1, "sop_c_1": 1, "sop_d": 1}  # instances started lately, still in hand
CANCELLED = ("sop_b", 2, "Digabung dengan Monev Triwulan III atas arahan Kepala Badan")
SEND_BACK_NOTES = [
    "Data capaian belum sesuai dengan Renstra, mohon diperbaiki",
    "Lampiran tabel belum lengkap",
    "Mohon sesuaikan dengan format Permendagri 86/2017",
    "Rumusan rekomendasi perlu dipertajam",
    "Angka pagu indikatif belum sinkron dengan KUA-PPAS",
    "Redaksional perlu diperbaiki sebelum diparaf",
]
NOTES = ["", "", "", "Sudah sesuai", "Lanjut", "Terlampir", "Sudah dikoordinasikan dengan OPD"]


@dataclass(order=True)
class _Event:
    at: datetime
    seq: int
    action: str = field(compare=False)  # start, claim or complete
    ident: int = field(compare=False)  # a plan's index for start, else a task id


@dataclass
class _Plan:
    key: str
    title: str
    start: datetime
    cancel_after: int | None = None  # completions after which its starter cancels it
    done: int = 0
    sent_back: dict[int, int] = field(default_factory=dict)  # step -> times answered Tidak


def play(alur: Alur, users: dict[str, str]) -> int:
    """Play the history up to alur's "now" on an engine of the same settings whose clock is the
    story's (alur's own clock is left alone); how many instances it started.

    users: role -> the demo user who does that role's work.
    """
    story = Story(users, alur.clock())
    past = Alur(alur.settings, clock=story.clock)
    try:
        story.play(past)
    finally:
        past.db.dispose()
    return len(story.plans)


class Story:
    """The events of every planned instance, played in time order, the clock set to each."""

    def __init__(self, users: dict[str, str], until: datetime):
        self.users, self.until, self.now = users, until, until
        self.rand = random.Random(SEED)
        self.late: dict[tuple[str, int], float] = {}  # (key, step) -> chance of running late
        self.plans: list[_Plan] = []
        self.of_instance: dict[int, _Plan] = {}
        self.tasks: dict[int, tuple[int, int]] = {}  # queued task -> its instance and step
        self.holder: dict[int, str] = {}  # queued task -> who claims and completes it
        self.queue: list[_Event] = []
        self.order = itertools.count()  # events at the same moment run in the order queued

    def clock(self) -> datetime:
        """The engine's "now" while the story plays."""
        return self.now

    def play(self, alur: Alur) -> None:
        """Plan, then run every event before `until` (alur's clock must be self.clock)."""
        self.alur, self.calendar = alur, alur.calendar
        self.definitions = {d.key: d for d in alur.processes()}
        self.plan()
        while self.queue and self.queue[0].at < self.until:
            event = heapq.heappop(self.queue)
            self.now = event.at
            getattr(self, "_" + event.action)(event.ident)

    def _push(self, at: datetime, action: str, ident: int) -> None:
        heapq.heappush(self.queue, _Event(at.astimezone(UTC), next(self.order), action, ident))

    # -- the plan ----------------------------------------------------------------------------
    def plan(self) -> None:
        """Starts spread over the months that leave each SOP time to finish, a few recent."""
        for key, titles in TITLES.items():
            definition = self.definitions.get(key)
            if definition is None:
                continue
            steps = definition.model.steps
            for step in steps:  # now and then a step the office is often late on
                often = self.rand.random() < 0.18
                self.late[(key, step.no)] = 0.5 if often else self.rand.uniform(0.05, 0.2)
            lead = sum(_standard(s) for s in steps) * 0.75 / DAY_MINUTES * 7 / 5  # in days
            running = RUNNING.get(key, 0)
            finished = len(titles) - running
            latest = min(DAYS - 20, lead * 1.6 + 3)
            for index, title in enumerate(titles):
                if index < finished:
                    days = DAYS - (DAYS - latest) * index / max(finished - 1, 1)
                else:
                    days = 1 + lead * self.rand.uniform(0.15, 0.4)
                cancel = 3 if (key, index) == CANCELLED[:2] else None
                self.plans.append(_Plan(key, title, self._morning(days), cancel))
                self._push(self.plans[-1].start, "start", len(self.plans) - 1)

    def _morning(self, days_ago: float) -> datetime:
        """An office day about days_ago back, a quarter to three hours after opening."""
        local = (self.until - timedelta(days=days_ago)).astimezone(self.calendar.timezone)
        day = local.date()
        while not self.calendar.is_working_day(day):  # back: never after `until`
            day -= timedelta(days=1)
        midnight = datetime(day.year, day.month, day.day, tzinfo=self.calendar.timezone)
        return self.calendar.add_working_minutes(midnight, self.rand.randint(15, 180))

    # -- the events -----------------------------------------------------------------------
    def _start(self, index: int) -> None:
        plan = self.plans[index]
        definition = self.definitions[plan.key]
        starter = self.users[definition.starter_roles[0]]
        instance = self.alur.start(plan.key, starter, plan.title).id
        self.of_instance[instance] = plan
        self._schedule(instance)

    def _schedule(self, instance: int) -> None:
        """When each new open task of the instance is claimed (some) and completed."""
        plan = self.of_instance[instance]
        for task in self.alur.tasks(flt=InboxFilter(instance_id=instance)):
            if task.id in self.tasks:
                continue
            self.tasks[task.id] = (instance, task.step_no)
            self.holder[task.id] = self.users[task.role]
            standard = _standard(self.definitions[plan.key].model.find(task.step_no))
            late = self.rand.random() < self.late[(plan.key, task.step_no)]
            if standard >= LONG:  # field work and data collection: its Waktu is a ceiling
                factor = self.rand.uniform(1.05, 1.3) if late else self.rand.uniform(0.2, 0.7)
            else:
                factor = self.rand.uniform(1.1, 1.9) if late else self.rand.uniform(0.3, 0.95)
            minutes = max(5, round(standard * factor))
            created = _utc(task.created_at)
            if self.rand.random() < CLAIMED:  # else completed straight from the inbox
                wait = round(minutes * self.rand.uniform(0.05, 0.35))
                self._push(self.calendar.add_working_minutes(created, wait), "claim", task.id)
            self._push(self.calendar.add_working_minutes(created, minutes), "complete", task.id)

    def _claim(self, task_id: int) -> None:
        self.alur.claim(task_id, self.holder[task_id])

    def _complete(self, task_id: int) -> None:
        instance, step_no = self.tasks.pop(task_id)
        plan = self.of_instance[instance]
        definition = self.definitions[plan.key]
        step = definition.model.find(step_no)
        form = Completion(
            note=self.rand.choice(NOTES), checklist=dict.fromkeys(step.kelengkapan, True)
        )
        if step.decision:
            rounds = plan.sent_back.get(step.no, 0)
            if rounds < 2 and self.rand.random() < (0.2 if rounds == 0 else 0.1):
                plan.sent_back[step.no] = rounds + 1
                form.decision, form.note = NO, self.rand.choice(SEND_BACK_NOTES)
            else:
                form.decision = YES
        self.alur.complete(task_id, self.holder.pop(task_id), form)
        plan.done += 1
        if plan.cancel_after is not None and plan.done >= plan.cancel_after:
            starter = self.users[definition.starter_roles[0]]
            self.alur.cancel(instance, starter, CANCELLED[2])
        else:
            self._schedule(instance)


def _standard(step: Step) -> int:
    """The step's Mutu Baku in office minutes (the SOPs write menit), or a usual span."""
    return step.waktu.minutes or NO_WAKTU_MINUTES


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
