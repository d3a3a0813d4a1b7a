"""An instance's progress drawn over a chart: which steps are done, current or overdue, by whom.

The overlay is built from the instance's human tasks as plain rows. A step's latest task decides:
completed -> DONE (who, and the day in the office time zone), or LATE when its working minutes
passed the step's Mutu Baku standard (with the minutes over), open -> CURRENT, or OVERDUE once its
due time has passed; cancelled, or no task -> drawn plain. Rows are mappings or objects with id,
step_no, state, completed_by, completed_at and due_at (engine HumanTask rows fit as they are).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, tzinfo
from enum import StrEnum
from typing import Any


class StepState(StrEnum):
    DONE = "done"
    CURRENT = "current"
    OVERDUE = "overdue"
    LATE = "late"  # done, but its working time passed the Mutu Baku standard


# (fill, stroke, legend text) per state; Bahasa Indonesia first, as the UI speaks.
STATE_STYLE: dict[StepState, tuple[str, str, str]] = {
    StepState.DONE: ("#c8e6c9", "#2e7d32", "Selesai (garis penuh, \u2713)"),
    StepState.CURRENT: ("#bbdefb", "#1565c0", "Sedang berjalan (garis tebal, \u25b6)"),
    StepState.OVERDUE: ("#ffcdd2", "#c62828", "Terlambat (garis titik-titik, !)"),
    StepState.LATE: ("#ffe0b2", "#bf360c", "Selesai terlambat (garis putus, \u2713)"),
}
# The cues besides colour, for print in grey and for colour-blind readers (the legend names
# them): each state's outline (Graphviz style, pen width) and a sign inside the symbol. The web
# viewer (webui/static/diagram.js, alur.css) draws the same.
STATE_OUTLINE: dict[StepState, tuple[str, float]] = {
    StepState.DONE: ("solid", 1.4),
    StepState.CURRENT: ("solid", 3.0),
    StepState.OVERDUE: ("dotted", 2.6),
    StepState.LATE: ("dashed", 2.0),
}
STATE_SIGN: dict[StepState, str] = {
    StepState.DONE: "\u2713",
    StepState.CURRENT: "\u25b6",
    StepState.OVERDUE: "!",
    StepState.LATE: "\u2713",
}
DASHED = frozenset(s for s, (outline, _) in STATE_OUTLINE.items() if outline == "dashed")


@dataclass(frozen=True)
class StepMark:
    """One step's state; for done steps who completed it and when."""

    state: StepState
    actor: str = ""
    date: date | None = None
    over: int | None = None  # LATE: working minutes beyond the standard
    fill: str = ""  # a colour instead of the state's (the analytics' heat scale)
    lines: tuple[str, ...] = ()  # small print instead of actor, date and lateness

    def note(self) -> list[str]:
        """The small print under a done step's symbol: actor, date (dd-mm-yyyy), lateness."""
        if self.lines:
            return list(self.lines)
        if self.state not in (StepState.DONE, StepState.LATE):
            return []
        when = self.date.strftime("%d-%m-%Y") if self.date else ""
        late = f"terlambat {self.over} mnt" if self.state is StepState.LATE else ""
        return [text for text in (self.actor.strip(), when, late) if text]


@dataclass
class InstanceOverlay:
    """Per step number the mark to draw; steps without a mark are drawn plain."""

    steps: dict[int, StepMark] = field(default_factory=dict)
    title: str = ""  # e.g. "Instans #42", printed with the legend
    legend: tuple[tuple[str, str], ...] = ()  # (fill, text) swatches instead of the states'

    def mark(self, no: int) -> StepMark | None:
        return self.steps.get(no)


def _field(row: Any, name: str) -> Any:
    return row.get(name) if isinstance(row, Mapping) else getattr(row, name, None)


def _aware(moment: datetime) -> datetime:
    """Naive datetimes are UTC, as the engine stores them."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def latest_tasks(rows: Iterable[Any]) -> dict[int, Any]:
    """Step number -> its latest task row (the highest id; input order when ids are missing)."""
    latest: dict[int, tuple[int, int, Any]] = {}
    for order, row in enumerate(rows):
        step_no = _field(row, "step_no")
        if step_no is None:
            continue
        key = (_field(row, "id") or 0, order)
        if step_no not in latest or key > latest[step_no][:2]:
            latest[step_no] = (*key, row)
    return {no: row for no, (_, _, row) in latest.items()}


def acting_label(acting: Mapping[str, Any] | None, names: Mapping[str, str] | None = None) -> str:
    """'Plh. Kepala Badan, a.n. <official>' for a step done by an acting official, else ''."""
    if not acting:
        return ""
    official = acting.get("user") or ""
    name = (names or {}).get(official) or acting.get("name") or official
    return f"{acting.get('title') or 'Plh'}. {acting.get('role') or ''}, a.n. {name}"


def overlay_from_rows(
    rows: Iterable[Any],
    users: Mapping[str, str],
    tz: tzinfo,
    title: str = "",
    standards: Mapping[int, int | None] | None = None,
) -> InstanceOverlay:
    """The overlay of one instance; users maps a username to the name to print (full name).

    An open row is drawn overdue when its `late` says so: the engine decides (engine.rows).
    standards: step number -> its Mutu Baku Waktu in working minutes; a completed row whose
    working_minutes passed it is drawn LATE with the minutes over.
    """
    overlay = InstanceOverlay(title=title)
    for no, row in latest_tasks(rows).items():
        state = _field(row, "state")
        if state == "completed":
            who = _field(row, "completed_by") or ""
            done = _field(row, "completed_at")
            day = _aware(done).astimezone(tz).date() if done else None
            over = minutes_over(_field(row, "working_minutes"), (standards or {}).get(no))
            state = StepState.LATE if over else StepState.DONE
            actor = users.get(who) or who
            if acting := acting_label((_field(row, "data") or {}).get("acting_for"), users):
                actor = f"{actor} ({acting})"
            overlay.steps[no] = StepMark(state, actor, day, over)
        elif state == "open":  # late: the engine's overdue rule, answered in the row
            late = bool(_field(row, "late"))
            overlay.steps[no] = StepMark(StepState.OVERDUE if late else StepState.CURRENT)
    return overlay


def minutes_over(minutes: int | None, standard: int | None) -> int | None:
    """Working minutes beyond the standard (None when within it, or either is unknown)."""
    if minutes is None or standard is None or minutes <= standard:
        return None
    return minutes - standard


def standard_minutes(step: Any, day_minutes: float) -> int | None:
    """A step's Mutu Baku Waktu in working minutes (hari kerja at day_minutes a day)."""
    if not step:
        return None
    waktu = step.waktu
    if waktu.minutes is not None:
        return waktu.minutes
    if waktu.working_days is not None:
        return round(waktu.working_days * day_minutes)
    return None


def standards_of(steps: Iterable[Any], day_minutes: float) -> dict[int, int | None]:
    """Step number -> its standard in working minutes, for overlay_from_rows."""
    return {step.no: standard_minutes(step, day_minutes) for step in steps}


@dataclass(frozen=True)
class TimingLine:
    """One completed task of an instance: its office and calendar minutes against the Waktu."""

    step_no: int | None
    activity: str
    done_by: str  # the name to print
    done_at: datetime | None
    office_minutes: int | None  # working minutes, created -> completed (the office calendar)
    calendar_minutes: int | None  # clock minutes, nights, weekends and holidays included
    standard: str  # the Waktu as the SOP writes it ('' without one)
    standard_minutes: int | None
    sent_back: bool  # this decision answered Tidak
    redone: bool  # done again after a send-back

    @property
    def minutes_over(self) -> int | None:
        return minutes_over(self.office_minutes, self.standard_minutes)


def timing_lines(
    rows: Iterable[Any], steps: Iterable[Any], users: Mapping[str, str], day_minutes: float
) -> list[TimingLine]:
    """The completed task rows (oldest first) as the working-time table's lines."""
    by_no = {step.no: step for step in steps}
    lines = []
    for row in rows:
        if _field(row, "state") != "completed":
            continue
        step = by_no.get(_field(row, "step_no"))
        created, done = _field(row, "created_at"), _field(row, "completed_at")
        calendar = None
        if created is not None and done is not None:
            calendar = max(0, int((_aware(done) - _aware(created)).total_seconds() // 60))
        who = _field(row, "completed_by") or ""
        lines.append(
            TimingLine(
                step_no=_field(row, "step_no"),
                activity=_field(row, "name") or (step.activity if step else ""),
                done_by=users.get(who) or who,
                done_at=_aware(done) if done else None,
                office_minutes=_field(row, "working_minutes"),
                calendar_minutes=calendar,
                standard=step.waktu.text if step else "",
                standard_minutes=standard_minutes(step, day_minutes),
                sent_back=_field(row, "decision") == "Tidak",
                redone=bool((_field(row, "data") or {}).get("dikembalikan")),
            )
        )
    return lines
