"""Facade methods for the auditor's analytics (mixed into Alur): one read per page, report or
API call; the figures themselves are engine/analytics.py's."""

from __future__ import annotations

from datetime import date

from engine import access, analytics, analytics_totals, definitions, users
from engine.analytics import Analytics, Period
from engine.errors import PermissionDenied


class Insights:
    """How an SOP performs against its Mutu Baku across instances."""

    def period(
        self,
        period: str | None = None,
        start: str | date | None = None,
        end: str | date | None = None,
    ) -> Period:
        """A month, quarter, year or from/to days in the office's time zone (InvalidInput)."""
        return Period.parse(self.calendar.timezone, period, start, end)

    def analytics(
        self,
        key: str,
        username: str,
        period: Period | None = None,
        version: int | None = None,
    ) -> Analytics:
        """The figures of process key over period (default: all time), one version or all.

        Auditors, analysts, supervisors and admins may read them; the figures per person are
        there only for supervisors and auditors (None for the others).
        """
        with self.session(read_only=True) as s:
            user = users.get(s, username)
            if not access.may_read_analytics(user):
                raise PermissionDenied("analytics_forbidden", user=username)
            definitions.get(s, key, version)  # NotFound for an unknown process or version
            return analytics.compute(
                s,
                self.calendar,
                key,
                period or Period(None, None, "semua"),
                version,
                access.may_see_people_figures(user),
                self.clock(),
            )

    def rebuild_analytics(self) -> int:
        """The analytics' maintained sums anew from every instance and task; how many instances
        (engine/analytics_totals.py; Alur.upgrade does it on a database from before them)."""
        with self.session() as s:
            return analytics_totals.rebuild(s, self.calendar.timezone)
