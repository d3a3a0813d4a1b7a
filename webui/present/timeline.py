"""An instance's audit trail as people read it: what happened, by whom, with which files."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from flask import g
from flask_babel import gettext as _

from engine.sop import Step
from engine.views import NO, EventRow, FileRow, Instance, InstancePage
from exporters.progress import acting_label
from webui import request_cache
from webui.facade import alur

# A long history shows its first events and its newest; the ones between are counted, and a
# link shows them all (the History CSV has them too).
FIRST = 5
NEWEST = 60
WINDOW = (FIRST, NEWEST)


def kind_label(kind: str) -> str:
    """What an event is called, in the request's language (the labels translated once per
    request: a long history asks for one per event)."""
    if "kind_labels" not in g:
        g.kind_labels = _kind_labels()
    return g.kind_labels.get(kind, kind)


def _step_text(step_no: int) -> str:
    """'Step 3' in the request's language, its text translated once per request."""
    if "step_text" not in g:
        g.step_text = _("Step %(no)s")  # formatted here, per entry
    return g.step_text % {"no": step_no}


def _kind_labels() -> dict[str, str]:
    return {
        "started": _("Started"),
        "task_created": _("Step ready"),
        "claimed": _("Taken"),
        "unclaimed": _("Given back"),
        "reassigned": _("Reassigned"),
        "completed": _("Completed"),
        "sent_back": _("Sent back"),
        "decided": _("Decided by a table"),
        "file_attached": _("File attached"),
        "file_removed": _("File removed"),
        "file_kept": _("File kept (the step was done by someone else)"),
        "cancelled": _("Cancelled"),
        "finished": _("Finished"),
        "suspended": _("Suspended"),
        "resumed": _("Resumed"),
        "migrated": _("Moved to another version"),
    }


@dataclass
class Entry:
    event: EventRow
    label: str
    step: Step | None
    detail: str = ""  # e.g. the role a step went to, or who a task was handed to
    note: str = ""
    files: list[FileRow] = field(default_factory=list)
    gaps: dict[str, str] = field(default_factory=dict)  # Kelengkapan item -> why it was missing
    step_text: str = ""  # 'Step 3' ('' for an event of no step)

    @property
    def decision(self) -> str:
        return self.event.data.get("decision") or ""


@dataclass
class History:
    """The timeline as the page shows it: every entry, or the first and the newest of a long
    history with the count of those left out between them."""

    entries: list[Entry]
    count: int  # every event of the instance
    hidden: int = 0  # events between the first and the newest, not shown

    @property
    def parts(self) -> list[list[Entry]]:
        """The lists the page draws, the gap between them: the first and the newest entries."""
        if not self.hidden:
            return [self.entries]
        return [self.entries[:FIRST], self.entries[FIRST:]]

    @property
    def long(self) -> bool:
        """Longer than the first and newest the page shows when not asked for all of it."""
        return self.count > FIRST + NEWEST

    @property
    def resume_at(self) -> int | None:
        """Where the events the shorter view leaves out begin, when all of a long history is
        shown (the link to it lands there)."""
        return FIRST if self.long and not self.hidden else None


def of_page(page: InstancePage) -> History:
    """The page's history: all events it was given, a gap where the engine left some out."""
    found = entries(page.instance, page.history, page.files)
    return History(found, page.history_count, page.history_count - len(found))


def entries(
    instance: Instance,
    history: Iterable[EventRow] | None = None,
    files: Iterable[FileRow] | None = None,
) -> list[Entry]:
    """Every audit event of the instance, oldest first (read now unless given)."""
    by_id = {f.id: f for f in (alur().files_of(instance.id) if files is None else files)}
    found = []
    for event in alur().history(instance.id) if history is None else history:
        data = event.data or {}
        found.append(
            Entry(
                event=event,
                label=kind_label(event.kind),
                step=request_cache.step(instance.definition, event.step_no),
                detail=_detail(event),
                note=data.get("note") or data.get("reason") or "",
                files=[by_id[i] for i in event.file_ids if i in by_id],
                gaps=gaps(data),
                step_text=_step_text(event.step_no) if event.step_no else "",
            )
        )
    return found


def gaps(data: dict | None) -> dict[str, str]:
    """The Kelengkapan items a completion reported missing: item -> what is missing and why."""
    return {
        item: answer
        for item, answer in ((data or {}).get("checklist") or {}).items()
        if isinstance(answer, str) and answer.strip()
    }


def gaps_sent_back(events: list[EventRow], task_id: int) -> dict[str, str]:
    """The gaps of the review whose Tidak opened task_id again ({} for any other task).

    One transaction records the reviewer's 'completed', 'sent_back', then the new task's
    'task_created'; the events come in id order.
    """
    created = next(
        (
            i
            for i, e in enumerate(events)
            if e.kind == "task_created" and e.human_task_id == task_id
        ),
        None,
    )
    review = next((e for e in reversed(events[: created or 0]) if e.kind == "completed"), None)
    if review is None or (review.data or {}).get("decision") != NO:
        return {}
    return gaps(review.data)


def _for_role(role: str) -> str:
    """'for <the role's lane>', once per role and request (each step's opening says it)."""
    said = g.setdefault("for_role", {})
    if role not in said:
        said[role] = _("for %(role)s", role=request_cache.role_label(role))
    return said[role]


def _detail(event: EventRow) -> str:
    data = event.data or {}
    if event.kind == "task_created" and data.get("role"):
        return _for_role(data["role"])
    if event.kind == "reassigned":
        return _("to %(user)s", user=request_cache.person(data.get("to") or ""))
    if event.kind == "unclaimed" and data.get("was") and data.get("reason"):
        return _(
            "was taken by %(user)s; reason: %(reason)s",
            user=request_cache.person(data["was"]),
            reason=data["reason"],
        )
    if event.kind == "unclaimed" and data.get("was"):
        return _("was taken by %(user)s", user=request_cache.person(data["was"]))
    if event.kind == "decided":
        rules = ", ".join(str(n) for n in data.get("matched") or []) or "-"
        return _("%(decision)s, rule %(rules)s", decision=data.get("decision_id", ""), rules=rules)
    if event.kind == "started" and data.get("title"):
        return data["title"]
    if event.kind == "completed" and data.get("acting_for"):
        official = data["acting_for"].get("user") or ""
        return acting_label(data["acting_for"], {official: request_cache.person(official)})
    if event.kind == "migrated":
        return _("from version %(old)s to version %(new)s", old=data.get("from_version"),
                 new=data.get("to_version"))  # fmt: skip
    return ""
