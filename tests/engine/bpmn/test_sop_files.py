"""The six Ketapang SOP diagrams carry their source faithfully and survive write(read(x))."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from engine.bpmn.reader import read_bpmn
from engine.bpmn.writer import write_bpmn
from engine.cli import main
from engine.sop import sop_to_dict
from tests.conftest import BPMN_DIR, SOP_CODES, STEP_COUNTS, sop_path, transcription

SOURCE_FIELDS = ("no", "activity", "kelengkapan", "waktu_text", "output", "keterangan")
MODELLING_FIELDS = ("actor", "participants", "decision")


def test_bpmn_folder_holds_exactly_the_six_sops():
    assert sorted(p.name for p in BPMN_DIR.glob("*.bpmn")) == sorted(
        sop_path(c).name for c in SOP_CODES
    )


def test_steps_equal_the_source_transcription(code):
    sop = sop_to_dict(read_bpmn(sop_path(code)))
    expected = transcription(code)
    assert len(sop["steps"]) == STEP_COUNTS[code]
    assert sop["code"] == code
    for got, want in zip(sop["steps"], expected["steps"], strict=True):
        for name in SOURCE_FIELDS:
            assert got[name] == want[name], f"{code} step {want['no']}: {name}"


def test_lanes_are_the_nine_header_columns_in_order(code):
    sop = read_bpmn(sop_path(code))
    assert sop.actors == transcription(code)["actors"]
    assert len(sop.actors) == 9


def test_identity_and_modelling_decisions_are_kept(code):
    sop = sop_to_dict(read_bpmn(sop_path(code)))
    expected = transcription(code)
    assert sop["identity"] == expected["identity"]
    assert sop["name"] == expected["name"]
    assert sop["owner"] == expected["owner"]
    for got, want in zip(sop["steps"], expected["steps"], strict=True):
        for name in MODELLING_FIELDS:
            assert got[name] == want[name], f"{code} step {want['no']}: {name}"


def test_write_of_read_keeps_every_sop_field(code):
    first = read_bpmn(sop_path(code))
    again = read_bpmn(write_bpmn(first))
    assert sop_to_dict(again) == sop_to_dict(first)


def test_every_review_step_can_send_the_draft_back(code):
    sop = read_bpmn(sop_path(code))
    decisions = [s for s in sop.steps if s.decision]
    assert decisions, f"{code} has no review decision"
    for step in decisions:
        assert step.decision.no is not None and step.decision.no < step.no


def test_inspect_json_has_the_documented_shape(code):
    result = CliRunner().invoke(main, ["inspect", str(sop_path(code)), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert {"code", "name", "actors", "identity", "steps"} <= data.keys()
    keys = {"no", "activity", "actor", "participants", "kelengkapan", "waktu_menit"}
    keys |= {"waktu_text", "output", "keterangan", "decision"}
    assert keys <= data["steps"][0].keys()
    assert data["code"] == code


def test_inspect_gives_minutes_in_indonesian_number_format():
    data = sop_to_dict(read_bpmn(sop_path("C.3")))
    step7 = data["steps"][6]
    assert (step7["waktu_text"], step7["waktu_menit"]) == ("7.350 menit", 7350)
    unspecified = data["steps"][3]
    assert (unspecified["waktu_text"], unspecified["waktu_menit"]) == ("-", None)


def test_the_writer_refuses_an_sop_that_breaks_the_model_rules():
    sop = read_bpmn(sop_path("A"))
    sop.steps[1].activity = " "
    sop.steps[2].no = sop.steps[0].no
    with pytest.raises(ValueError) as caught:
        write_bpmn(sop)
    first = sop.steps[0].no
    assert str(caught.value) == (
        f"SOP {sop.code}: langkah {sop.steps[1].no}: kegiatan kosong; "
        f"langkah {first}: nomor langkah ganda"
    )
