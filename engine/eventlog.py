"""The event log of one process for process-mining tools: XES (IEEE 1849-2016) or flat CSV.

A trace is an instance (concept:name = its id, with its process version); its events are its
steps' human tasks: 'start' when the task was claimed (or, never claimed, when it opened) and
'complete' when it was completed, each with the step as concept:name and the person as
org:resource. Instances are read a page at a time, ordered by id, so a log of any size is
written in bounded memory.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from xml.sax.saxutils import quoteattr

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.storage.tables import Definition, HumanTask, Instance

PAGE = 500
FORMATS = ("xes", "csv")
CSV_COLUMNS = ["case_id", "activity", "timestamp", "resource", "lifecycle", "version"]
EXTENSIONS = (
    ("Concept", "concept", "http://www.xes-standard.org/concept.xesext"),
    ("Time", "time", "http://www.xes-standard.org/time.xesext"),
    ("Organizational", "org", "http://www.xes-standard.org/org.xesext"),
    ("Lifecycle", "lifecycle", "http://www.xes-standard.org/lifecycle.xesext"),
)


@dataclass(frozen=True)
class LogEvent:
    activity: str  # "3. Memeriksa draf"
    at: datetime
    resource: str  # username
    transition: str  # start | complete


@dataclass(frozen=True)
class Trace:
    case_id: int  # the instance
    title: str
    version: int
    events: tuple[LogEvent, ...]


def traces_page(
    s: Session,
    process: str,
    since: datetime | None,
    until: datetime | None,
    after: int = 0,
    limit: int = PAGE,
) -> list[Trace]:
    """Up to limit traces of process's instances started in [since, until) with id > after."""
    q = (
        select(Instance.id, Instance.title, Definition.version)
        .join(Definition, Instance.definition_id == Definition.id)
        .where(Instance.process_key == process, Instance.id > after)
    )
    if since is not None:
        q = q.where(Instance.started_at >= since)
    if until is not None:
        q = q.where(Instance.started_at < until)
    found = list(s.execute(q.order_by(Instance.id).limit(limit)))
    if not found:
        return []
    tasks = select(HumanTask).where(
        HumanTask.instance_id.in_([r.id for r in found]), HumanTask.step_no.is_not(None)
    )
    events: dict[int, list[tuple]] = {}
    for t in s.scalars(tasks.order_by(HumanTask.instance_id, HumanTask.id)):
        activity = f"{t.step_no}. {t.name}"
        began = t.claimed_at or (t.created_at if t.completed_at else None)
        mine = events.setdefault(t.instance_id, [])
        if began is not None:
            who = t.claimed_by or t.completed_by or ""
            mine.append((began, t.id, 0, LogEvent(activity, began, who, "start")))
        if t.state == "completed" and t.completed_at is not None:
            done = LogEvent(activity, t.completed_at, t.completed_by or "", "complete")
            mine.append((t.completed_at, t.id, 1, done))
    return [
        Trace(r.id, r.title, r.version, tuple(e[-1] for e in sorted(events.get(r.id, []))))
        for r in found
    ]


def all_traces(read_page: Callable[[int], list[Trace]]) -> Iterator[Trace]:
    """Every trace, asking read_page(after_id) for one page after another."""
    after = 0
    while page := read_page(after):
        yield from page
        after = page[-1].case_id


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds")


def _attr(kind: str, key: str, value: str) -> str:
    return f"<{kind} key={quoteattr(key)} value={quoteattr(value)}/>"


def xes_chunks(traces: Iterable[Trace], process: str) -> Iterator[str]:
    """The log as XES text, a trace at a time."""
    head = ['<?xml version="1.0" encoding="UTF-8"?>', '<log xes.version="1849.2016">']
    head += [
        f"  <extension name={quoteattr(n)} prefix={quoteattr(p)} uri={quoteattr(u)}/>"
        for n, p, u in EXTENSIONS
    ]
    head += [
        '  <global scope="trace">',
        "    " + _attr("string", "concept:name", "__INVALID__"),
        "  </global>",
        '  <global scope="event">',
        "    " + _attr("string", "concept:name", "__INVALID__"),
        "    " + _attr("date", "time:timestamp", "1970-01-01T00:00:00.000+00:00"),
        "    " + _attr("string", "org:resource", "__INVALID__"),
        "    " + _attr("string", "lifecycle:transition", "complete"),
        "  </global>",
        '  <classifier name="Activity" keys="concept:name"/>',
        '  <classifier name="Activity_Transition" keys="concept:name lifecycle:transition"/>',
        "  " + _attr("string", "concept:name", process),
        "  " + _attr("string", "lifecycle:model", "standard"),
    ]
    yield "\n".join(head) + "\n"
    for trace in traces:
        lines = [
            "  <trace>",
            "    " + _attr("string", "concept:name", str(trace.case_id)),
            "    " + _attr("int", "version", str(trace.version)),
            "    " + _attr("string", "title", trace.title),
        ]
        for e in trace.events:
            lines += [
                "    <event>",
                "      " + _attr("string", "concept:name", e.activity),
                "      " + _attr("date", "time:timestamp", _stamp(e.at)),
                "      " + _attr("string", "org:resource", e.resource),
                "      " + _attr("string", "lifecycle:transition", e.transition),
                "    </event>",
            ]
        lines.append("  </trace>")
        yield "\n".join(lines) + "\n"
    yield "</log>\n"


def csv_chunks(traces: Iterable[Trace]) -> Iterator[str]:
    """The log as a flat CSV (comma, UTF-8): a line per event, case by case in time order."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for trace in traces:
        for e in trace.events:
            writer.writerow([trace.case_id, e.activity, _stamp(e.at), e.resource, e.transition,
                             trace.version])  # fmt: skip
        yield out.getvalue()
        out.seek(0)
        out.truncate()
    yield out.getvalue()


def chunks(fmt: str, traces: Iterable[Trace], process: str) -> Iterator[str]:
    return xes_chunks(traces, process) if fmt == "xes" else csv_chunks(traces)
