"""'Semua proses': the list's filter from the query string, and the list as CSV.

The CSV comes in two forms: the standard one (comma, UTF-8) and the one Indonesian Excel opens
as it is (semicolon, UTF-8 with a byte order mark), since Excel in the id-ID locale splits
columns at semicolons.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Mapping
from datetime import date, datetime, time, timedelta

from engine.views import STATES, InstanceFilter, InstanceLine
from webui import request_cache
from webui.facade import alur

PAGE = 50
EXPORT_PAGE = 500
EXPORT_MAX = 100_000  # lines in one download at most (newest first)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
COLUMNS = [
    "id",
    "judul",
    "sop",
    "versi",
    "status",
    "dimulai",
    "dimulai_oleh",
    "berakhir",
    "waktu_tempuh_menit",
    "langkah_sekarang",
    "peran",
    "terlambat",
]


def choice_from(args: Mapping[str, str]) -> dict[str, str]:
    """The filter as the form shows it: every value checked, unknown ones dropped."""
    processes = request_cache.latest_processes()
    pick = {k: (args.get(k) or "").strip() for k in ("sop", "state", "overdue", "q", "role")}
    pick |= {k: (args.get(k) or "").strip() for k in ("actor", "from", "to", "version")}
    pick["sop"] = pick["sop"] if pick["sop"] in processes else ""
    pick["state"] = pick["state"] if pick["state"] in STATES else ""
    pick["overdue"] = pick["overdue"] if pick["overdue"] in ("1", "0") else ""
    pick["role"] = pick["role"] if pick["role"] in request_cache.lane_roles() else ""
    pick["version"] = pick["version"] if pick["version"].isdigit() and pick["sop"] else ""
    pick["q"] = pick["q"][:200]
    pick["actor"] = pick["actor"][:80]
    for key in ("from", "to"):
        pick[key] = pick[key] if _day(pick[key]) else ""
    return pick


def instance_filter(choice: Mapping[str, str], **page) -> InstanceFilter:
    """The engine's filter for a checked choice; page: before, after, limit."""
    zone = alur().calendar.timezone
    since, until = _day(choice["from"]), _day(choice["to"])
    return InstanceFilter(
        process=choice["sop"] or None,
        version=int(choice["version"]) if choice["version"] else None,
        state=choice["state"] or None,
        overdue={"1": True, "0": False}.get(choice["overdue"]),
        since=datetime.combine(since, time(), zone) if since else None,
        until=datetime.combine(until + timedelta(days=1), time(), zone) if until else None,
        search=choice["q"],
        role=choice["role"] or None,
        actor=choice["actor"] or None,
        **page,
    )


def query_args(choice: Mapping[str, str]) -> dict[str, str]:
    """The non-empty parts of the choice, for links that keep the filter."""
    return {k: v for k, v in choice.items() if v}


def lines(username: str, choice: Mapping[str, str]) -> Iterator[InstanceLine]:
    """Every matching line (at most EXPORT_MAX), newest first, read a page at a time."""
    before, count = None, 0
    while count < EXPORT_MAX:
        flt = instance_filter(choice, before=before, limit=min(EXPORT_PAGE, EXPORT_MAX - count))
        found = alur().all_instances(username, flt)
        yield from found.lines
        count += len(found.lines)
        if found.older is None:
            return
        before = found.older


def csv_chunks(found: Iterator[InstanceLine], excel: bool, labels: Mapping[str, str]):
    """The CSV as text chunks: a header, then a line per instance (excel: ';' and a BOM).

    labels: each state's name as the reader reads it.
    """
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";" if excel else ",", lineterminator="\r\n")
    if excel:
        out.write("\ufeff")
    writer.writerow(COLUMNS)
    zone = alur().calendar.timezone
    for n, line in enumerate(found, start=1):
        steps = line.current
        writer.writerow(
            [
                line.id,
                _safe(line.title),
                _safe(line.process_code or line.process_key),
                line.version,
                labels.get(line.state, line.state),
                _local(line.started_at, zone),
                line.started_by,
                _local(line.ended_at, zone),
                line.lead_minutes,
                _safe("; ".join(f"{s.step_no}. {s.name}" for s in steps)),
                _safe("; ".join(request_cache.role_label(s.role) for s in steps)),
                "ya" if line.overdue else "tidak",
            ]
        )
        if n % 100 == 0:
            yield out.getvalue()
            out.seek(0)
            out.truncate()
    yield out.getvalue()


def _local(moment: datetime | None, zone) -> str:
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M") if moment else ""


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:
        return None


def _safe(value: str) -> str:
    """Text that starts like a formula gets a leading apostrophe, as Excel itself writes it."""
    return "'" + value if value.startswith(FORMULA_START) else value
