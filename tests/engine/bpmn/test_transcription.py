"""The hand transcription of the six Ketapang SOPs is well formed and internally consistent."""

from __future__ import annotations

from engine.sop import Waktu, sop_from_dict, sop_to_dict
from tests.conftest import SOP_CODES, STEP_COUNTS, TRANSCRIPTION_DIR, transcription


def test_one_file_per_procedure():
    assert sorted(p.name for p in TRANSCRIPTION_DIR.glob("*.json")) == sorted(
        f"{c.lower().replace('.', '')}.json" for c in SOP_CODES
    )


def test_loads_and_keeps_the_model_shape(code):
    data = transcription(code)
    sop = sop_from_dict(data)
    assert sop.code == code
    assert sop_to_dict(sop) == data


def test_steps_are_numbered_one_to_n(code):
    numbers = [s["no"] for s in transcription(code)["steps"]]
    assert numbers == list(range(1, STEP_COUNTS[code] + 1))


def test_nine_unique_non_empty_actors(code):
    actors = transcription(code)["actors"]
    assert len(actors) == 9
    assert len(set(actors)) == 9
    assert all(a.strip() == a and a for a in actors)


def test_actors_and_participants_are_lanes(code):
    data = transcription(code)
    lanes = set(data["actors"])
    for step in data["steps"]:
        assert step["actor"] in lanes, f"{code} step {step['no']}"
        assert set(step["participants"]) <= lanes, f"{code} step {step['no']}"
        assert step["actor"] not in step["participants"], f"{code} step {step['no']}"


def test_decisions_send_back_and_go_forward(code):
    steps = transcription(code)["steps"]
    last = len(steps)
    decisions = [(s["no"], s["decision"]) for s in steps if s["decision"]]
    assert decisions, f"{code} has no review step"
    for no, decision in decisions:
        assert decision["question"].endswith("?")
        assert decision["no"] is not None and 1 <= decision["no"] < no, f"{code} step {no}"
        assert decision["yes"] == (no + 1 if no < last else None), f"{code} step {no}"


def test_every_waktu_parses(code):
    for step in transcription(code)["steps"]:
        waktu = Waktu.parse(step["waktu_text"])
        assert waktu.text == step["waktu_text"]


def test_c_procedures_share_one_identity():
    c1, c2, c3 = (transcription(c)["identity"] for c in ("C.1", "C.2", "C.3"))
    assert c1 == c2 == c3
    assert transcription("D")["identity"] != c1
