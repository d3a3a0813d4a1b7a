"""The office calendar: working hours, holidays and days off that turn Waktu into due dates."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays

from engine.sop import Waktu, WaktuUnit

Window = tuple[time, time] | None  # opening and closing time of one weekday; None: closed

DAY_KEYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_DAY_ALIASES = dict(zip(DAY_KEYS, DAY_KEYS, strict=True)) | {
    "senin": "mon", "selasa": "tue", "rabu": "wed", "kamis": "thu",
    "jumat": "fri", "sabtu": "sat", "minggu": "sun",
}  # fmt: skip
DEFAULT_HOURS: tuple[Window, ...] = (
    *[(time(7, 30), time(16, 0))] * 4,  # Senin-Kamis
    (time(7, 30), time(16, 30)),  # Jumat
    None,
    None,
)
_CONFIG_KEYS = {"timezone", "hours", "days_off", "holidays", "holiday_categories"}
_MAX_DAYS = 3660  # a walk that finds no working day in ten years is a configuration error


@lru_cache(maxsize=256)
def _holiday_ordinals(year: int, categories: tuple[str, ...]) -> frozenset[int]:
    """Ordinals of the `holidays` package's Indonesian holidays (and cuti bersama) in a year."""
    found = holidays.country_holidays("ID", years=year, categories=categories)
    return frozenset(day.toordinal() for day in found)


def _delta(clock: time) -> timedelta:
    return timedelta(hours=clock.hour, minutes=clock.minute, seconds=clock.second)


@dataclass(frozen=True)
class OfficeCalendar:
    """Working hours per weekday (Monday first), days off and holidays in one time zone."""

    timezone: ZoneInfo = field(default_factory=lambda: ZoneInfo("Asia/Pontianak"))
    hours: tuple[Window, ...] = DEFAULT_HOURS
    days_off: frozenset[date] = frozenset()  # cuti bersama and other local days off
    use_holidays: bool = True
    holiday_categories: tuple[str, ...] = ("public", "government")  # government: cuti bersama
    _spans: tuple[tuple[timedelta, timedelta] | None, ...] = field(init=False, repr=False)
    _off: frozenset[int] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        if len(self.hours) != 7 or not any(self.hours):
            raise ValueError("hours needs 7 weekdays (Monday first), at least one of them open")
        for window in self.hours:
            if window and not window[0] < window[1]:
                raise ValueError(f"working hours {window} close before they open")
        unknown = set(self.holiday_categories) - set(holidays.ID.supported_categories)
        if unknown:
            raise ValueError(f"holiday categories {sorted(unknown)} are not Indonesia's")
        spans = tuple(w and (_delta(w[0]), _delta(w[1])) for w in self.hours)
        object.__setattr__(self, "_spans", spans)
        object.__setattr__(self, "_off", frozenset(d.toordinal() for d in self.days_off))

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> OfficeCalendar:
        """Build from JSON-like settings; `hours` entries override the default weekdays."""
        unknown = set(config) - _CONFIG_KEYS
        if unknown:
            raise ValueError(f"unknown calendar settings: {', '.join(sorted(unknown))}")
        try:
            zone = ZoneInfo(config.get("timezone", "Asia/Pontianak"))
        except (ValueError, ZoneInfoNotFoundError) as error:
            raise ValueError(f"unknown time zone {config.get('timezone')!r}") from error
        hours = list(DEFAULT_HOURS)
        for key, window in (config.get("hours") or {}).items():
            day = _DAY_ALIASES.get(key.lower(), key)
            if day not in DAY_KEYS:
                raise ValueError(f"unknown weekday {key!r}: use {', '.join(DAY_KEYS)}")
            hours[DAY_KEYS.index(day)] = window and tuple(time.fromisoformat(t) for t in window)
        return cls(
            timezone=zone,
            hours=tuple(hours),
            days_off=frozenset(date.fromisoformat(d) for d in config.get("days_off", ())),
            use_holidays=bool(config.get("holidays", True)),
            holiday_categories=tuple(config.get("holiday_categories", cls.holiday_categories)),
        )

    def is_working_day(self, day: date) -> bool:
        """Whether the office opens on a date (an aware datetime is read in the calendar zone)."""
        if isinstance(day, datetime):
            day = self._local(day).date()
        return self._span(day.toordinal()) is not None

    def add_working_minutes(self, start: datetime, minutes: int) -> datetime:
        """The moment `minutes` of working time after start; counting begins when the office opens.

        A task that uses up a day exactly is due at that day's closing time, not next morning.
        """
        if minutes < 0:
            raise ValueError("minutes must not be negative")
        ordinal, offset = self._split(start)
        remaining = timedelta(minutes=minutes)
        for _ in range(_MAX_DAYS):
            span = self._span(ordinal)
            if span and (begin := max(offset, span[0])) <= span[1]:
                if remaining <= span[1] - begin:
                    return self._at(ordinal, begin + remaining)
                remaining -= span[1] - begin
            ordinal, offset = ordinal + 1, timedelta(0)
        raise ValueError("the calendar has no working day in ten years")

    def add_working_days(self, start: datetime, days: int) -> datetime:
        """The same clock time `days` working days later, clamped to that day's closing time.

        A start outside working hours counts from the next opening; a start at opening counts
        that whole day, so it is due at the close of the `days`-th working day counting it.
        """
        if days < 0:
            raise ValueError("days must not be negative")
        begin = self.add_working_minutes(start, 0)
        if days == 0:
            return begin
        ordinal, offset = self._split(begin)
        whole_day = offset == self._spans_of(ordinal)[0]
        for _ in range(days - whole_day):
            ordinal = self._next_working(ordinal)
        opening, close = self._spans_of(ordinal)
        return self._at(ordinal, offset if not whole_day and opening <= offset <= close else close)

    def due(self, start: datetime, waktu: Waktu) -> datetime | None:
        """When a step started at `start` is due by its Mutu Baku Waktu (None: unspecified)."""
        if waktu.amount is None or waktu.unit is None:
            return None
        if waktu.unit is WaktuUnit.HARI:
            return self._local(start) + timedelta(days=waktu.amount)
        if waktu.unit is WaktuUnit.HARI_KERJA:
            whole = int(waktu.amount)
            due = self.add_working_days(start, whole)
            fraction = waktu.amount - whole
            if fraction:
                due = self.add_working_minutes(due, round(fraction * self.average_day_minutes))
            return due
        return self.add_working_minutes(start, waktu.minutes or 0)

    def working_minutes_between(self, start: datetime, end: datetime) -> int:
        """Whole minutes of working time from start to end (seconds left over are dropped)."""
        first, first_offset = self._split(start)
        last, last_offset = self._split(end)
        if (last, last_offset) < (first, first_offset):
            raise ValueError("end is before start")
        total = timedelta(0)
        for ordinal in range(first, last + 1):
            if span := self._span(ordinal):
                low = max(span[0], first_offset) if ordinal == first else span[0]
                high = min(span[1], last_offset) if ordinal == last else span[1]
                total += max(high - low, timedelta(0))
        return total // timedelta(minutes=1)

    @property
    def average_day_minutes(self) -> float:
        """Mean length of an open weekday: what a fraction of a hari kerja is a fraction of."""
        spans = [s[1] - s[0] for s in self._spans if s]
        return sum(spans, timedelta(0)) / timedelta(minutes=1) / len(spans)

    def _local(self, moment: datetime) -> datetime:
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise ValueError(f"naive datetime {moment.isoformat()}: give one with a time zone")
        return moment.astimezone(self.timezone)

    def _split(self, moment: datetime) -> tuple[int, timedelta]:
        """A moment as its local date's ordinal and the wall-clock time since local midnight."""
        local = self._local(moment)
        return local.toordinal(), local - local.replace(hour=0, minute=0, second=0, microsecond=0)

    def _at(self, ordinal: int, offset: timedelta) -> datetime:
        midnight = datetime.combine(date.fromordinal(ordinal), time(), tzinfo=self.timezone)
        return midnight + offset

    def _span(self, ordinal: int) -> tuple[timedelta, timedelta] | None:
        """Working hours of a day as offsets from midnight; None when the office is closed."""
        span = self._spans[(ordinal - 1) % 7]  # ordinal 1 (0001-01-01) was a Monday
        if span is None or ordinal in self._off:
            return None
        if self.use_holidays:
            year = date.fromordinal(ordinal).year
            if ordinal in _holiday_ordinals(year, self.holiday_categories):
                return None
        return span

    def _spans_of(self, ordinal: int) -> tuple[timedelta, timedelta]:
        span = self._span(ordinal)
        assert span is not None, "only called on working days"
        return span

    def _next_working(self, ordinal: int) -> int:
        for step in range(1, _MAX_DAYS):
            if self._span(ordinal + step):
                return ordinal + step
        raise ValueError("the calendar has no working day in ten years")
