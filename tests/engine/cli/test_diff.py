"""`alur diff OLD NEW [--json]`: files and deployed versions compared, bad arguments refused."""

from __future__ import annotations

import copy
import json

import pytest

from engine.bpmn.reader import read_bpmn
from engine.bpmn.writer import write_bpmn
from engine.sop import Decision, Step, Waktu
from tests.conftest import sop_path
from tests.engine.sop_edits import modeler_insert

C1 = sop_path("C.1")
NEW_STEP = "Menyiapkan bahan paparan rapat koordinasi"


@pytest.fixture
def edited_c1(tmp_path):
    """sop_c_1.bpmn edited: a step inserted before step 5 and old step 5's Waktu changed."""
    sop = read_bpmn(C1)
    steps = copy.deepcopy(sop.steps)
    steps[4].waktu = Waktu.parse("60 menit")
    steps.insert(4, Step(0, NEW_STEP, "Fungsional Umum", waktu=Waktu.parse("30 menit")))
    for no, step in enumerate(steps, 1):
        step.no = no
        if step.decision:
            d = step.decision
            step.decision = Decision(d.question, d.yes + 1, d.no + 1)
    sop.steps = steps
    path = tmp_path / "sop_c_1.bpmn"
    path.write_bytes(write_bpmn(sop))
    return path


@pytest.fixture
def two_versions(engine_cli, edited_c1):
    """sop_c_1 deployed as it is (version 1), then edited (version 2)."""
    engine_cli("deploy", C1, "--user", "analis")
    engine_cli("deploy", edited_c1, "--user", "analis")
    return engine_cli


def changes(name: str) -> list[str]:
    return [
        f"langkah 5 '{NEW_STEP}': ditambahkan",
        f"langkah 6 '{name}': Waktu 120 Menit -> 60 menit",
    ]


def test_two_deployed_versions_one_change_a_line(two_versions):
    name = read_bpmn(C1).step(5).activity
    out = two_versions("diff", "sop_c_1@1", "sop_c_1@2").output
    assert out.splitlines() == changes(name)
    assert two_versions("diff", "sop_c_1@1", "sop_c_1").output == out  # KEY alone: the newest


def test_json_lists_the_changes(two_versions):
    name = read_bpmn(C1).step(5).activity
    result = two_versions("diff", "sop_c_1@1", "sop_c_1@2", "--json")
    assert json.loads(result.output) == [
        {"step_no": 5, "change": "added", "name": NEW_STEP, "field": "", "old": None,
         "new": NEW_STEP},
        {"step_no": 6, "change": "waktu", "name": name, "field": "", "old": "120 Menit",
         "new": "60 menit"},
    ]  # fmt: skip


def test_files_and_deployed_versions_mix(two_versions, edited_c1):
    name = read_bpmn(C1).step(5).activity
    assert two_versions("diff", C1, edited_c1).output.splitlines() == changes(name)
    assert two_versions("diff", C1, "sop_c_1@1").output == "tidak ada perbedaan\n"
    assert two_versions("diff", edited_c1, "sop_c_1").output == "tidak ada perbedaan\n"
    assert json.loads(two_versions("diff", C1, C1, "--json").output) == []


def test_the_reverse_direction_reports_a_removal(two_versions):
    out = two_versions("diff", "sop_c_1", "sop_c_1@1").output.splitlines()
    name = read_bpmn(C1).step(5).activity
    assert out == [
        f"langkah 5 '{NEW_STEP}': dihapus",
        f"langkah 5 '{name}': Waktu 60 menit -> 120 Menit",
    ]


@pytest.mark.parametrize(
    ("old", "message"),
    [
        ("sop_x", "proses sop_x tidak ada"),
        ("sop_c_1@9", "proses sop_c_1 versi 9 tidak ada"),
        ("sop_c_1@0", "versi 0: versi mulai dari 1"),
        ("tidak/ada.bpmn", "berkas tidak/ada.bpmn tidak ada"),
    ],
)
def test_bad_arguments_exit_2_saying_why(two_versions, old, message):
    result = two_versions("diff", old, "sop_c_1", code=2)
    assert "Invalid value for OLD" in result.output
    assert message in result.output


def test_an_unreadable_file_exits_2(two_versions, tmp_path):
    broken = tmp_path / "rusak.bpmn"
    broken.write_text("<bpmn:definitions", encoding="utf-8")
    result = two_versions("diff", "sop_c_1", broken, code=2)
    assert "Invalid value for NEW" in result.output
    assert "rusak.bpmn" in result.output


def test_deployed_versions_pair_by_their_bpmn_ids(engine_cli, tmp_path):
    """A modeler inserted a task and renamed Langkah_6 beyond recognition: its id tells."""
    old_name = read_bpmn(C1).step(6).activity
    data = modeler_insert(NEW_STEP).replace(f'name="{old_name}"'.encode(), b'name="Notulen"')
    path = tmp_path / "sop_c_1.bpmn"
    path.write_bytes(data)
    engine_cli("deploy", C1, "--user", "analis")
    engine_cli("deploy", path, "--user", "analis")
    expected = [
        f"langkah 5 '{NEW_STEP}': ditambahkan",
        f"langkah 7 'Notulen': Kegiatan '{old_name}' -> 'Notulen'",
    ]
    assert engine_cli("diff", "sop_c_1@1", "sop_c_1@2").output.splitlines() == expected
    assert engine_cli("diff", C1, path).output.splitlines() == expected
