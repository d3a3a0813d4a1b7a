"""An instance's history as CSV for auditors: UTF-8 with a BOM so that Excel reads it right."""

from __future__ import annotations

import csv
import io

from flask_babel import gettext as _

from engine.views import Instance
from webui import request_cache
from webui.facade import alur
from webui.present import timeline

COLUMNS = ["waktu", "jenis", "pelaku", "langkah", "keputusan", "catatan", "berkas"]
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # a spreadsheet would run these as formulas


def history_csv(instance: Instance) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    zone = alur().calendar.timezone
    for entry in timeline.entries(instance):
        event = entry.event
        step = ""
        if event.step_no is not None:
            step = str(event.step_no)
            if entry.step:
                step += f". {entry.step.activity}"
        called = event.data.get("task_name")  # a task of a process a call activity started
        if called and (not entry.step or called != entry.step.activity):
            step = f"{step} ({called})" if step else str(called)
        gaps = [_("Missing %(item)s: %(why)s", item=k, why=v) for k, v in entry.gaps.items()]
        note = " ".join(part for part in (entry.detail, entry.note, *gaps) if part)
        writer.writerow(
            _safe(value)
            for value in (
                event.at.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S"),
                entry.label,
                _who(event.actor),
                step,
                entry.decision,
                note,
                "; ".join(f.name for f in entry.files),
            )
        )
    return "\ufeff".encode() + out.getvalue().encode("utf-8")


def _who(username: str) -> str:
    """'Demo Kabid (kabid)'; the username alone when there is no other name."""
    name = request_cache.person(username) if username else ""
    return f"{name} ({username})" if name and name != username else username


def _safe(value: str) -> str:
    """Text that starts like a formula gets a leading apostrophe, as Excel itself writes it."""
    return "'" + value if value.startswith(FORMULA_START) else value
