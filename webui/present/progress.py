"""Where an instance stands, step by step: done, current or overdue, and the time each took."""

from __future__ import annotations

from dataclasses import dataclass

from engine.sop import Step
from engine.views import Definition, Instance, TaskRow
from exporters.progress import (
    InstanceOverlay,
    StepState,
    latest_tasks,
    overlay_from_rows,
    standards_of,
)
from exporters.progress import standard_minutes as progress_standard
from webui import request_cache
from webui.facade import alur

TITLE_CHARS = 60


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
