import pytest

from engine.sop import Waktu, WaktuError, WaktuUnit


@pytest.mark.parametrize(
    ("text", "minutes", "unit"),
    [
        ("2.550 menit", 2550, WaktuUnit.MENIT),
        ("7.350 menit", 7350, WaktuUnit.MENIT),
        ("300 Menit", 300, WaktuUnit.MENIT),
        ("1.350 menit", 1350, WaktuUnit.MENIT),
        ("3 jam", 180, WaktuUnit.JAM),
        ("1,5 jam", 90, WaktuUnit.JAM),
        ("2 hari", 2880, WaktuUnit.HARI),
        ("2 Hari", 2880, WaktuUnit.HARI),
    ],
)
def test_waktu_parses_indonesian_numbers(text, minutes, unit):
    waktu = Waktu.parse(text)
    assert waktu.minutes == minutes
    assert waktu.unit is unit
    assert waktu.text == text


def test_unspecified_waktu_is_not_zero():
    for text in ("-", "", None, "  "):
        waktu = Waktu.parse(text)
        assert waktu.minutes is None
        assert not waktu.specified


def test_working_days_stay_distinct_from_calendar_days():
    kerja = Waktu.parse("14 hari kerja")
    assert kerja.unit is WaktuUnit.HARI_KERJA
    assert kerja.working_days == 14
    assert kerja.minutes is None  # depends on the office calendar
    assert Waktu.parse("14 hari").working_days is None


@pytest.mark.parametrize("text", ["3 minggu", "lama", "12.34 menit", "menit"])
def test_bad_waktu_is_refused_with_a_hint(text):
    with pytest.raises(WaktuError, match="menit"):
        Waktu.parse(text)
