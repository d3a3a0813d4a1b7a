"""What every page shows: the signed-in person, the inbox count, and the display filters."""

from __future__ import annotations

from datetime import UTC, datetime

from babel.dates import get_date_format, get_time_format
from flask import Flask, g
from flask_babel import format_decimal, format_timedelta, get_locale, get_timezone
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from engine.views import overdue
from webui import request_cache
from webui.facade import alur


def init_app(app: Flask) -> None:
    app.context_processor(_context)
    app.add_template_filter(when, "when")
    app.add_template_filter(isodate, "isodate")
    app.add_template_filter(due, "due")
    app.add_template_filter(request_cache.role_label, "role")
    app.add_template_filter(filesize, "filesize")
    app.add_template_filter(request_cache.person, "person")
    app.add_template_filter(minutes, "minutes")
    app.add_template_filter(megabytes, "megabytes")
    app.add_template_filter(indonesian, "indonesian")


def _context() -> dict:
    if not current_user.is_authenticated:
        return {}
    if "nav" not in g:
        nav = alur().nav(current_user.username)
        g.nav = {
            "inbox_count": nav.inbox_count,
            "unread_count": nav.unread_count,
            "all_instances": nav.can.read_all,
            # the inbox, 'start a process' and 'my processes' are for those SOP steps go to
            "works": nav.can.tasks or nav.can.admin or nav.inbox_count > 0,
            "analyst": nav.can.analyst,
            "admin": nav.can.admin,
            "incident_count": nav.incident_count,
        }
    return {**g.nav, "now": now()}


def indonesian(text: object) -> Markup:
    """SOP content (step names, Kelengkapan, Output, the SOP's name) as written, in Bahasa
    Indonesia whatever the page's language: marked lang="id" for screen readers."""
    return Markup('<span lang="id">%s</span>') % text


def now() -> datetime:
    return alur().clock()


def when(moment: datetime | None) -> str:
    """A date and time in the office's time zone, e.g. '28 Nov 2026 14.05': the locale's medium
    date and short time, as Flask-Babel's format_date and format_time give them.

    The zone, the locale and its two Babel patterns are looked up once per request and applied
    directly: a long page formats a time per row, and each Flask-Babel call looks all of them
    up again.
    """
    if moment is None:
        return ""
    if "when_format" not in g:
        locale = get_locale()
        date, time = get_date_format("medium", locale), get_time_format("short", locale)
        g.when_format = (get_timezone(), locale, date, time)
    zone, locale, date, time = g.when_format
    local = (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(zone)
    return f"{date.apply(local, locale)} {time.apply(local, locale)}"


def isodate(text: str | None) -> datetime | None:
    """An ISO 8601 string from task data back to a datetime (None when unreadable)."""
    try:
        return datetime.fromisoformat(text) if text else None
    except ValueError:
        return None


def due(due_at: datetime | None) -> dict:
    """How long until a due date, or how late: {'text', 'overdue', 'at'}."""
    if due_at is None:
        return {"text": _("no time limit"), "overdue": False, "at": ""}
    moment = now()
    span = format_timedelta(abs(due_at - moment), granularity="minute", threshold=1.5)
    if overdue("open", due_at, moment):  # the engine's rule; a due date shown is an open task's
        return {"text": _("%(span)s overdue", span=span), "overdue": True, "at": when(due_at)}
    return {"text": _("%(span)s left", span=span), "overdue": False, "at": when(due_at)}


def filesize(size: int) -> str:
    """'812 byte', '35 KB', '2,4 MB' (the locale's decimal mark)."""
    if size < 1024:
        return _("%(n)s bytes", n=size)
    if size < 1024 * 1024:
        return _("%(n)s KB", n=format_decimal(size / 1024, "#,##0"))
    return _("%(n)s MB", n=megabytes(size))


def megabytes(size: int) -> str:
    """A byte count as megabytes with at most two decimals, e.g. '20' or '0,05'."""
    return format_decimal(size / (1024 * 1024), "#,##0.##")


def minutes(total: int | None) -> str:
    """Working minutes as '45 min' or '3 h 05 min'; '-' when not known."""
    if total is None:
        return "-"
    if "minute_texts" not in g:  # translated once per request: a long table has a few per row
        g.minute_texts = (_("%(m)s min"), _("%(h)s h %(m)02d min"))
    short, long = g.minute_texts
    if total < 60:
        return short % {"m": total}
    return long % {"h": total // 60, "m": total % 60}
