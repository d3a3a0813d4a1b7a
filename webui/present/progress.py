"""Where an instance stands, step by step: done, current or overdue, and the time each took."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from engine.sop import Step
from engine.views import NO, Definition, Instance, TaskRow
from exporters.progress import (
    InstanceOverlay,
    StepState,
    acting_label,
    latest_tasks,
    minutes_over,
    overlay_from_rows,
    standards_of,
)
from exporters.progress import standard_minutes as progress_standard
from webui import request_cache
from webui.facade import alur

TITLE_CHARS = 60
NEWEST_TIMINGS = 40  # rows the working-time table shows unless asked for all; totals count all


@dataclass(frozen=True)
class Timing:
    """One completed task: the working minutes it took against its Mutu Baku Waktu."""

    task: TaskRow
    step: Step | None
    minutes: int | None
    standard: int | None  # minutes; None when the SOP gives no Waktu

    @property
    def over(self) -> bool:
        known = self.minutes is not None and self.standard is not None
        return known and self.minutes > self.standard

    @property
    def minutes_over(self) -> int | None:
        return minutes_over(self.minutes, self.standard)

    @property
    def calendar_minutes(self) -> int | None:
        """Clock minutes from the step opening to its completion, nights and holidays included."""
        t = self.task
        if t.completed_at is None:
            return None
        return max(0, int((t.completed_at - t.created_at).total_seconds() // 60))

    @property
    def acting(self) -> str:
        """'Plh. Kepala Badan, a.n. <official>' when an acting official completed it, else ''."""
        acting = (self.task.data or {}).get("acting_for")
        if not acting:
            return ""
        official = acting.get("user") or ""
        return acting_label(acting, {official: request_cache.person(official)} if official else {})

    @property
    def sent_back(self) -> bool:
        """This decision answered Tidak: the draft went back."""
        return self.task.decision == NO

    @property
    def redone(self) -> bool:
        """This step was done again after a reviewer sent it back."""
        return bool((self.task.data or {}).get("dikembalikan"))


@dataclass(frozen=True)
class Totals:
    """The working-time table's last line, over every completed step."""

    steps: int
    minutes: int
    calendar_minutes: int
    standard: int
    over: int  # steps over their standard
    minutes_over: int
    sent_back: int

    @classmethod
    def of(cls, timings: list[Timing]) -> Totals:
        return cls(
            steps=len(timings),
            minutes=sum(t.minutes or 0 for t in timings),
            calendar_minutes=sum(t.calendar_minutes or 0 for t in timings),
            standard=sum(t.standard or 0 for t in timings),
            over=sum(t.over for t in timings),
            minutes_over=sum(t.minutes_over or 0 for t in timings),
            sent_back=sum(t.sent_back for t in timings),
        )


@dataclass
class Progress:
    tasks: list[TaskRow]  # every human task of the instance, oldest first
    overlay: InstanceOverlay  # step number -> done (who, when) / current / overdue

    @property
    def open(self) -> list[TaskRow]:
        return [t for t in self.tasks if t.state == "open"]

    def element_marks(self, definition: Definition) -> dict[str, str]:
        """BPMN element id -> the viewer's marker name.

        Steps are 'done', 'current' or 'overdue'; a done decision step's gateway is 'done' too,
        and the flow its answer (Ya / Tidak) took from there is 'taken'.
        """
        marks = self.overlay.steps
        found = {
            element: str(marks[no].state)
            for element, no in sorted(definition.task_steps.items())
            if no in marks
        }
        latest = latest_tasks(self.tasks)
        for element, gateway in alur().decision_gateways(definition).items():
            task = latest.get(definition.task_steps[element])
            if task is None or task.state != "completed":
                continue
            found[gateway.id] = str(StepState.DONE)
            if flow := gateway.flows.get(task.decision or ""):
                found[flow] = "taken"
        return found

    def timings(self, steps: list[Step]) -> list[Timing]:
        by_no = {s.no: s for s in steps}
        return [
            Timing(t, step, t.working_minutes, standard_minutes(step))
            for t in self.tasks
            if t.state == "completed"
            for step in [by_no.get(t.step_no)]
        ]


def of(instance: Instance, tasks: list[TaskRow] | None = None) -> Progress:
    """The instance's human tasks (read now unless given) and the overlay drawn from them."""
    tasks = alur().task_rows(instance.id) if tasks is None else list(tasks)
    names = {t.completed_by: request_cache.person(t.completed_by) for t in tasks if t.completed_by}
    title = f"Instans #{instance.id}"
    if instance.title:
        title += f": {instance.title[:TITLE_CHARS]}"
    day = alur().calendar.average_day_minutes
    standards = standards_of(instance.definition.model.steps, day)
    overlay = overlay_from_rows(tasks, names, alur().calendar.timezone, title, standards)
    return Progress(tasks, overlay)


def standard_minutes(step: Step | None) -> int | None:
    """A step's Mutu Baku Waktu in working minutes (hari kerja at the calendar's average day)."""
    return progress_standard(step, alur().calendar.average_day_minutes)


TIMING_COLUMNS = [
    "langkah",
    "kegiatan",
    "diselesaikan_oleh",
    "atas_nama",
    "selesai",
    "menit_kerja",
    "menit_kalender",
    "mutu_baku_menit",
    "menit_lewat",
    "dikembalikan",
]


def timings_csv(timings: list[Timing], excel: bool = False) -> bytes:
    """The working-time table and its totals as CSV (excel: ';' and a BOM for Indonesian Excel)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";" if excel else ",", lineterminator="\r\n")
    writer.writerow(TIMING_COLUMNS)
    zone = alur().calendar.timezone
    blank = lambda v: "" if v is None else v  # noqa: E731
    for t in timings:
        marks = [m for m, on in (("Tidak", t.sent_back), ("diulang", t.redone)) if on]
        writer.writerow(
            [
                t.task.step_no,
                _safe(t.task.name),
                t.task.completed_by or "",
                _safe(t.acting),
                t.task.completed_at.astimezone(zone).strftime("%Y-%m-%d %H:%M"),
                blank(t.minutes),
                blank(t.calendar_minutes),
                blank(t.standard),
                blank(t.minutes_over),
                " ".join(marks),
            ]
        )
    total = Totals.of(timings)
    writer.writerow(
        ["total", "", "", "", "", total.minutes, total.calendar_minutes, total.standard,
         total.minutes_over, total.sent_back]
    )  # fmt: skip
    return ("\ufeff" if excel else "").encode() + out.getvalue().encode("utf-8")


def _safe(value: str) -> str:
    return "'" + value if value.startswith(("=", "+", "-", "@", "\t", "\r")) else value
