import pytest

from engine.sop import Decision, Rule, Sop, Step, Waktu, WaktuError, WaktuUnit


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


def test_a_sound_sop_has_no_problems():
    steps = [
        Step(1, "Menyusun", "A"),
        Step(2, "Setuju?", "B", ["A"], decision=Decision("?", None, 1)),
    ]
    assert Sop("X", "x", "o", actors=["A", "B"], steps=steps).problems() == []


def test_problems_name_the_rule_the_step_and_say_why():
    steps = [
        Step(1, "", "A"),
        Step(1, "Memeriksa", "C", ["Z"], decision=Decision("Setuju?", 5, 1)),
    ]
    sop = Sop("X", "x", "o", actors=["A", "A", " "], steps=steps)
    found = [(p.rule, p.step, p.index, p.answer, p.message) for p in sop.problems()]
    assert found == [
        (Rule.ACTOR_UNIQUE, None, 1, "", "pelaksana 'A' ada di dua kolom Pelaksana"),
        (Rule.ACTOR_NAME, None, 2, "", "kolom Pelaksana 3: nama pelaksana kosong"),
        (Rule.ACTIVITY, 1, 0, "", "langkah 1: kegiatan kosong"),
        (Rule.STEP_NO, 1, 1, "", "langkah 1: nomor langkah ganda"),
        (Rule.PERFORMER, 1, 1, "", "langkah 1: pelaksana 'C' bukan kolom Pelaksana"),
        (Rule.PARTICIPANT, 1, 1, "", "langkah 1: peserta 'Z' bukan kolom Pelaksana"),
        (Rule.TARGET, 1, 1, "Ya", "langkah 1: Ya menunjuk ke langkah 5 yang tidak ada"),
    ]
    assert [p.rule for p in Sop("X", "x", "o").problems()] == [Rule.STEPS, Rule.ACTORS]
