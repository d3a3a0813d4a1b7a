"""Office calendar: due dates from Mutu Baku Waktu, checked against hand-computed dates."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from engine.sop import Waktu
from engine.workcalendar import OfficeCalendar

WIB = ZoneInfo("Asia/Pontianak")
CAL = OfficeCalendar()  # Mon-Thu 07:30-16:00 (510 min), Fri 07:30-16:30 (540 min)


def wib(*args: int) -> datetime:
    return datetime(*args, tzinfo=WIB)


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 5, 29), True),  # Friday
        (date(2026, 5, 30), False),  # Saturday
        (date(2026, 5, 31), False),  # Sunday, Hari Raya Waisak
        (date(2026, 6, 1), False),  # Monday, Hari Lahir Pancasila
        (date(2026, 1, 16), False),  # Friday, Isra Mikraj
        (date(2026, 5, 15), False),  # Friday, cuti bersama Kenaikan Yesus Kristus
        (date(2026, 12, 24), False),  # Thursday, cuti bersama Natal
        (date(2027, 3, 12), False),  # Friday, cuti bersama Idul Fitri
    ],
)
def test_is_working_day(day: date, working: bool) -> None:
    assert CAL.is_working_day(day) is working


def test_cuti_bersama_only_with_government_category() -> None:
    public_only = OfficeCalendar(holiday_categories=("public",))
    assert public_only.is_working_day(date(2026, 5, 15))
    assert not public_only.is_working_day(date(2026, 5, 14))  # Kenaikan Yesus Kristus itself
    assert OfficeCalendar(use_holidays=False).is_working_day(date(2026, 6, 1))


def test_long_weekend_waisak_pancasila() -> None:
    # Fri 29 May 2026 14:00, 2.550 menit:
    # Fri 14:00-16:30 = 150 -> 2400 left; Sat 30, Sun 31 (Waisak), Mon 1 Jun (Pancasila) off;
    # Tue 2, Wed 3, Thu 4 Jun: 3 x 510 = 1530 -> 870; Fri 5 Jun: 540 -> 330;
    # Mon 8 Jun 07:30 + 330 min (5 h 30) = 13:00.
    start = wib(2026, 5, 29, 14, 0)
    assert CAL.add_working_minutes(start, 2550) == wib(2026, 6, 8, 13, 0)
    assert CAL.due(start, Waktu.parse("2.550 menit")) == wib(2026, 6, 8, 13, 0)
    assert CAL.due(start, Waktu.parse("42,5 jam")) == wib(2026, 6, 8, 13, 0)


def test_idul_fitri_with_and_without_cuti_bersama() -> None:
    # Fri 13 Mar 2026 15:00, 2.550 menit: Fri 15:00-16:30 = 90 -> 2460;
    # Mon 16, Tue 17: 2 x 510 -> 1440. Off: Wed 18 (cuti Nyepi), Thu 19 (Nyepi), Fri 20 (cuti),
    # Sat 21 + Sun 22 (Idul Fitri), Mon 23 + Tue 24 (cuti). Wed 25, Thu 26: 2 x 510 -> 420;
    # Fri 27 07:30 + 420 min (7 h) = 14:30.
    start = wib(2026, 3, 13, 15, 0)
    assert CAL.add_working_minutes(start, 2550) == wib(2026, 3, 27, 14, 30)
    # Public holidays only: Wed 18 works (510 -> 930), Thu 19 off, Fri 20 works (540 -> 390),
    # Mon 23 07:30 + 390 min (6 h 30) = 14:00.
    public_only = OfficeCalendar(holiday_categories=("public",))
    assert public_only.add_working_minutes(start, 2550) == wib(2026, 3, 23, 14, 0)


@pytest.mark.parametrize(
    ("start", "minutes", "expected"),
    [
        (wib(2026, 6, 2, 19, 0), 60, wib(2026, 6, 3, 8, 30)),  # Tue evening -> Wed 07:30 + 1 h
        (wib(2026, 6, 6, 10, 0), 90, wib(2026, 6, 8, 9, 0)),  # Saturday -> Mon 07:30 + 1 h 30
        (wib(2026, 6, 3, 6, 0), 30, wib(2026, 6, 3, 8, 0)),  # before opening -> 07:30 + 30
        (wib(2026, 6, 2, 19, 0), 0, wib(2026, 6, 3, 7, 30)),  # zero: the next working moment
        (wib(2026, 6, 4, 15, 30), 30, wib(2026, 6, 4, 16, 0)),  # Thu: due at closing, 16:00
        (wib(2026, 6, 4, 15, 45), 30, wib(2026, 6, 5, 7, 45)),  # Thu 15 min + Fri 15 min
        (wib(2026, 6, 5, 16, 0), 30, wib(2026, 6, 5, 16, 30)),  # Fri closes at 16:30
        (wib(2026, 6, 5, 16, 15), 30, wib(2026, 6, 8, 7, 45)),  # Fri 15 min + Mon 15 min
    ],
)
def test_add_working_minutes(start: datetime, minutes: int, expected: datetime) -> None:
    assert CAL.add_working_minutes(start, minutes) == expected


def test_fourteen_working_days_walks_days_not_minutes(monkeypatch: pytest.MonkeyPatch) -> None:
    # Mon 8 Jun 2026 07:30, 7.350 menit: week of 8-12 Jun = 4 x 510 + 540 = 2580 -> 4770;
    # 15-19 Jun without Tue 16 (Tahun Baru Islam) = 3 x 510 + 540 = 2070 -> 2700;
    # 22-26 Jun = 2580 -> 120; Mon 29 Jun 07:30 + 120 = 09:30.
    calls = []
    span = OfficeCalendar._span
    monkeypatch.setattr(OfficeCalendar, "_span", lambda self, o: calls.append(o) or span(self, o))
    assert CAL.add_working_minutes(wib(2026, 6, 8, 7, 30), 7350) == wib(2026, 6, 29, 9, 30)
    assert len(calls) == 22  # one look per calendar day, 8..29 June


def test_configured_cuti_bersama_is_skipped() -> None:
    # Tue 2 Jun 2026 15:00 + 120: Tue 15:00-16:00 = 60; Wed 3 Jun is a configured day off;
    # Thu 4 Jun 07:30 + 60 = 08:30. Without it: Wed 3 Jun 08:30.
    start = wib(2026, 6, 2, 15, 0)
    local = OfficeCalendar.from_config({"days_off": ["2026-06-03"]})
    assert not local.is_working_day(date(2026, 6, 3))
    assert local.add_working_minutes(start, 120) == wib(2026, 6, 4, 8, 30)
    assert CAL.add_working_minutes(start, 120) == wib(2026, 6, 3, 8, 30)


def test_working_minutes_between_weekend_and_holiday() -> None:
    # Thu 13 Aug 2026 14:00 -> Tue 18 Aug 10:00: Thu 14:00-16:00 = 120, Fri 14 = 540,
    # Sat, Sun, Mon 17 (Hari Kemerdekaan) off, Tue 07:30-10:00 = 150; 120 + 540 + 150 = 810.
    assert CAL.working_minutes_between(wib(2026, 8, 13, 14, 0), wib(2026, 8, 18, 10, 0)) == 810
    # Thu 15 Jan 2026 15:00 -> Mon 19 Jan 08:00: 60 + (Fri 16 Isra Mikraj off) + 30 = 90.
    assert CAL.working_minutes_between(wib(2026, 1, 15, 15, 0), wib(2026, 1, 19, 8, 0)) == 90
    # A full week 8-12 Jun 2026: 4 x 510 + 540 = 2580; seconds left over are dropped.
    assert CAL.working_minutes_between(wib(2026, 6, 8, 7, 0), wib(2026, 6, 13, 9, 0)) == 2580
    assert CAL.working_minutes_between(wib(2026, 6, 8, 8, 0), wib(2026, 6, 8, 8, 1, 59)) == 1
    assert CAL.working_minutes_between(wib(2026, 6, 6, 8, 0), wib(2026, 6, 7, 12, 0)) == 0
    with pytest.raises(ValueError, match="before start"):
        CAL.working_minutes_between(wib(2026, 6, 8, 9, 0), wib(2026, 6, 8, 8, 0))


def test_working_minutes_between_inverts_add() -> None:
    start = wib(2026, 3, 13, 15, 0)
    assert CAL.working_minutes_between(start, CAL.add_working_minutes(start, 2550)) == 2550


def test_hari_and_hari_kerja_differ() -> None:
    start = wib(2026, 5, 29, 14, 0)  # Friday before Waisak and Hari Lahir Pancasila
    # 3 hari: plain calendar days, Mon 1 Jun 14:00 (a holiday, but calendar days do not care).
    assert CAL.due(start, Waktu.parse("3 hari")) == wib(2026, 6, 1, 14, 0)
    # 3 hari kerja: Tue 2 (1), Wed 3 (2), Thu 4 Jun (3) at the same clock time.
    assert CAL.due(start, Waktu.parse("3 hari kerja")) == wib(2026, 6, 4, 14, 0)


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (wib(2026, 6, 5, 16, 15), 1, wib(2026, 6, 8, 16, 0)),  # Mon closes at 16:00: clamped
        (wib(2026, 6, 3, 6, 0), 1, wib(2026, 6, 3, 16, 0)),  # before opening: that whole day
        (wib(2026, 6, 2, 19, 0), 2, wib(2026, 6, 4, 16, 0)),  # evening: Wed (1), Thu (2)
        (wib(2026, 6, 6, 10, 0), 1, wib(2026, 6, 8, 16, 0)),  # Saturday: Monday's whole day
        (wib(2026, 6, 4, 16, 0), 1, wib(2026, 6, 5, 16, 0)),  # at Thu closing: Fri 16:00
        (wib(2026, 6, 2, 19, 0), 0, wib(2026, 6, 3, 7, 30)),  # zero: the next working moment
    ],
)
def test_add_working_days(start: datetime, days: int, expected: datetime) -> None:
    assert CAL.add_working_days(start, days) == expected


def test_fraction_of_hari_kerja_is_fraction_of_average_day() -> None:
    # Average open day (4 x 510 + 540) / 5 = 516 min; 0,5 of it = 258 min (4 h 18).
    # Mon 8 Jun 2026 07:30 + 1 hari kerja = Mon 16:00; + 258 = Tue 9 Jun 07:30 + 4 h 18 = 11:48.
    assert CAL.average_day_minutes == 516
    assert CAL.due(wib(2026, 6, 8, 7, 30), Waktu.parse("1,5 hari kerja")) == wib(2026, 6, 9, 11, 48)


@pytest.mark.parametrize("text", ["-", ""])
def test_unspecified_waktu_has_no_due(text: str) -> None:
    assert CAL.due(wib(2026, 6, 8, 9, 0), Waktu.parse(text)) is None


def test_naive_datetime_refused() -> None:
    naive = datetime(2026, 6, 8, 9, 0)
    with pytest.raises(ValueError, match="naive datetime"):
        CAL.add_working_minutes(naive, 10)
    with pytest.raises(ValueError, match="naive datetime"):
        CAL.due(naive, Waktu.parse("1 hari"))
    with pytest.raises(ValueError, match="naive datetime"):
        CAL.working_minutes_between(wib(2026, 6, 8, 9, 0), naive)


def test_other_time_zone_and_utc_input() -> None:
    # 00:00 UTC Tue 2 Jun 2026 is 09:00 WIT in Jayapura: + 120 = 11:00 WIT (02:00 UTC);
    # in Pontianak it is 07:00 WIB, before opening: 07:30 + 120 = 09:30 WIB (02:30 UTC).
    start = datetime(2026, 6, 2, 0, 0, tzinfo=UTC)
    papua = OfficeCalendar.from_config({"timezone": "Asia/Jayapura"})
    due = papua.add_working_minutes(start, 120)
    assert due.tzinfo is ZoneInfo("Asia/Jayapura") and due.utcoffset() == timedelta(hours=9)
    assert due == datetime(2026, 6, 2, 2, 0, tzinfo=UTC)
    assert CAL.add_working_minutes(start, 120) == datetime(2026, 6, 2, 2, 30, tzinfo=UTC)
    assert CAL.add_working_minutes(start, 120).tzinfo is WIB


def test_daylight_saving_zone_counts_wall_clock_hours() -> None:
    # Amsterdam, Mon-Fri 09:00-17:00, no Indonesian holidays. Fri 27 Mar 2026 15:00 CET
    # (14:00 UTC) + 240: Fri 120 to 17:00; clocks go forward Sun 29 Mar;
    # Mon 30 Mar 09:00 CEST + 120 = 11:00 CEST = 09:00 UTC.
    weekdays = dict.fromkeys(["mon", "tue", "wed", "thu", "fri"], ["09:00", "17:00"])
    config = {"timezone": "Europe/Amsterdam", "hours": weekdays, "holidays": False}
    amsterdam = OfficeCalendar.from_config(config)
    start = datetime(2026, 3, 27, 14, 0, tzinfo=UTC)
    due = amsterdam.add_working_minutes(start, 240)
    assert due == datetime(2026, 3, 30, 9, 0, tzinfo=UTC)
    assert due.utcoffset() == timedelta(hours=2)
    assert amsterdam.working_minutes_between(start, due) == 240


def test_from_config_hours() -> None:
    # Saturday opened 08:00-12:00 (Indonesian names accepted), Friday closed.
    config = {"hours": {"sabtu": ["08:00", "12:00"], "fri": None}}
    cal = OfficeCalendar.from_config(config)
    assert cal.is_working_day(date(2026, 6, 6)) and not cal.is_working_day(date(2026, 6, 5))
    # Thu 4 Jun 2026 15:00 + 120: Thu 60, Fri closed, Sat 08:00 + 60 = 09:00.
    assert cal.add_working_minutes(wib(2026, 6, 4, 15, 0), 120) == wib(2026, 6, 6, 9, 0)
    assert OfficeCalendar.from_config({}) == CAL


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ({"zone": "Asia/Jakarta"}, "unknown calendar settings"),
        ({"hours": {"funday": ["08:00", "12:00"]}}, "unknown weekday"),
        ({"hours": {"mon": ["16:00", "07:30"]}}, "close before they open"),
        ({"hours": dict.fromkeys(["mon", "tue", "wed", "thu", "fri"])}, "at least one"),
        ({"timezone": "Asia/Ketapang"}, "unknown time zone"),
        ({"holiday_categories": ["optional"]}, "not Indonesia's"),
    ],
)
def test_from_config_refuses_bad_settings(config: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        OfficeCalendar.from_config(config)


def test_negative_amounts_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        CAL.add_working_minutes(wib(2026, 6, 8, 9, 0), -1)
    with pytest.raises(ValueError, match="negative"):
        CAL.add_working_days(wib(2026, 6, 8, 9, 0), -1)
