"""The examples of docs/calendar.md build a calendar, and mean what the text says."""

from __future__ import annotations

import json
import re
from datetime import date, time

from engine.workcalendar import OfficeCalendar
from tests.conftest import ROOT

DOC = ROOT / "docs" / "calendar.md"


def _examples() -> list[dict]:
    return [json.loads(block) for block in re.findall(r"```json\n(.*?)```", DOC.read_text(), re.S)]


def test_every_example_builds_a_calendar():
    examples = _examples()
    assert len(examples) == 4
    for example in examples:
        OfficeCalendar.from_config(example)


def test_the_examples_mean_what_the_text_says():
    ramadan, saturday, no_cuti, own_days = map(OfficeCalendar.from_config, _examples())
    assert ramadan.hours[0] == (time(8), time(15)) and ramadan.hours[4] == (time(8), time(15, 30))
    assert not ramadan.is_working_day(date(2027, 3, 8))  # a Monday, given as a day off
    assert str(saturday.timezone) == "Asia/Jakarta" and saturday.is_working_day(date(2027, 3, 6))
    assert no_cuti.holiday_categories == ("public",)
    assert not own_days.use_holidays and not own_days.is_working_day(date(2027, 8, 17))
