"""engine.sop_table: BPMN -> the SOP table -> BPMN keeps steps, ids and Mutu Baku; bad tables are
refused cell by cell."""

from __future__ import annotations

import copy

import pytest
from lxml import etree

from engine.bpmn import names as n
from engine.bpmn.reader import properties, read_bpmn
from engine.bpmn.validate import validate_bytes
from engine.errors import InvalidInput
from engine.sop_diff import ChangeKind, diff
from engine.sop_table import TableError, bpmn_to_table, table_to_bpmn
from tests.conftest import SOP_CODES, sop_path
from tests.engine.table_edits import NEW_STEP, c1_table, insert_row

C1 = sop_path("C.1").read_bytes()


@pytest.mark.parametrize("code", SOP_CODES)
def test_round_trip_keeps_every_step_id_and_mutu_baku(code):
    xml = sop_path(code).read_bytes()
    table = bpmn_to_table(xml)
    out = table_to_bpmn(table, xml)
    before, after = read_bpmn(xml), read_bpmn(out)
    assert diff(before, after) == []
    assert before == after  # identity, actors, steps with Kelengkapan, Waktu, Output, Keterangan
    assert [s.element_id for s in after.steps] == [s.element_id for s in before.steps]
    assert after.process_id == before.process_id and after.owner == before.owner
    assert validate_bytes(out, f"{code}.bpmn") == []


def test_the_table_has_the_grid_auditors_know():
    table = c1_table()
    assert table["actors"][:2] == [
        "Kabid Pemerintahan dan Sosial Budaya",
        "Sub. Koordinator Sosial Budaya",
    ]
    row = table["rows"][1]
    assert row["no"] == 2 and row["id"] == "Langkah_2"
    assert row["participants"] == ["Sub. Koordinator Sosial Budaya", "Fungsional Tertentu"]
    assert row["waktu"] == {"amount": 180, "unit": "menit", "text": "180 Menit"}
    assert table["rows"][6]["decision"] == {
        "question": "Draft Rumusan sudah benar?",
        "yes": 8,
        "no": 6,
    }


def test_a_reordered_row_keeps_its_element_and_reads_as_moved():
    table = c1_table()
    rows = table["rows"]
    rows[1], rows[2] = rows[2], rows[1]  # swap steps 2 and 3
    sop = read_bpmn(table_to_bpmn(table, C1))
    assert [s.element_id for s in sop.steps[:4]] == [
        "Langkah_1",
        "Langkah_3",
        "Langkah_2",
        "Langkah_4",
    ]
    changes = diff(read_bpmn(C1), sop)
    assert [(c.step_no, c.change) for c in changes] == [(2, ChangeKind.MOVED)]


def test_an_inserted_row_gets_a_fresh_id_and_the_others_keep_theirs():
    table = insert_row(c1_table(), 2, {"activity": NEW_STEP, "actor": "Fungsional Umum"})
    sop = read_bpmn(table_to_bpmn(table, C1))
    assert [s.element_id for s in sop.steps[:3]] == ["Langkah_1", "Langkah_2_2", "Langkah_2"]
    assert sop.step(8).decision.no == 7  # Tidak of old step 7 follows old step 6, now 7
    assert [str(c) for c in diff(read_bpmn(C1), sop)] == [f"langkah 2 '{NEW_STEP}': ditambahkan"]


def test_actor_columns_added_removed_and_renamed():
    table = c1_table()
    table["actors"].append("Inspektorat")
    table["rows"][0]["participants"] = ["Inspektorat"]
    table["actors"].remove("Bupati")  # no step is Bupati's
    sop = read_bpmn(table_to_bpmn(table, C1))
    assert sop.actors[-1] == "Inspektorat" and "Bupati" not in sop.actors
    assert sop.step(1).participants == ["Inspektorat"]
    kinds = [(c.change, c.field, c.name) for c in diff(read_bpmn(C1), sop)]
    assert (ChangeKind.PELAKSANA, "removed", "Bupati") in kinds
    assert (ChangeKind.PELAKSANA, "added", "Inspektorat") in kinds
    table = c1_table()
    old = table["actors"][2]
    table["actors"][2] = "Fungsional Perencana"
    for row in table["rows"]:
        row["actor"] = "Fungsional Perencana" if row["actor"] == old else row["actor"]
        row["participants"] = [
            "Fungsional Perencana" if p == old else p for p in row["participants"]
        ]
    changes = diff(read_bpmn(C1), read_bpmn(table_to_bpmn(table, C1)))
    assert [(c.change, c.field) for c in changes] == [(ChangeKind.PELAKSANA, "renamed")]


def test_waktu_units_and_decimal_amounts():
    table = c1_table()
    table["rows"][0]["waktu"] = {"amount": 1.5, "unit": "hari kerja"}
    table["rows"][1]["waktu"] = {"amount": None, "unit": None}
    sop = read_bpmn(table_to_bpmn(table, C1))
    assert sop.step(1).waktu.text == "1,5 hari kerja" and sop.step(1).waktu.working_days == 1.5
    assert not sop.step(2).waktu.specified


def test_identity_and_other_process_properties_survive():
    root = etree.fromstring(C1)
    holder = root.find(f".//{n.q(n.BPMN, 'process')}/{n.q(n.BPMN, 'extensionElements')}/*")
    etree.SubElement(holder, n.q(n.CAMUNDA, "property"), name="pemula", value="Kepala Badan")
    xml = etree.tostring(root)
    out = table_to_bpmn(bpmn_to_table(xml), xml)
    process = etree.fromstring(out).find(n.q(n.BPMN, "process"))
    assert ("pemula", "Kepala Badan") in properties(process)
    assert read_bpmn(out).identity == read_bpmn(C1).identity


def test_a_table_without_the_previous_xml_is_a_new_sop():
    table = {
        "code": "Z.1",
        "name": "Uji",
        "actors": ["Kabid", "Staf"],
        "rows": [
            {"activity": "Menyusun", "actor": "Staf", "waktu": {"amount": 2, "unit": "jam"}},
            {
                "activity": "Memeriksa",
                "actor": "Kabid",
                "decision": {"question": "Benar?", "yes": None, "no": 1},
            },
        ],
    }
    out = table_to_bpmn(table)
    sop = read_bpmn(out)
    assert (sop.code, sop.key, [s.element_id for s in sop.steps]) == (
        "Z.1",
        "sop_z_1",
        ["Langkah_1", "Langkah_2"],
    )
    assert validate_bytes(out, "z.bpmn") == []


def problems(table) -> list[tuple]:
    with pytest.raises(TableError) as caught:
        table_to_bpmn(table, C1)
    assert caught.value.status == 422 and caught.value.key == "table_refused"
    return [(p.key, p.params["row"], p.params["field"]) for p in caught.value.problems]


def test_bad_cells_are_named_by_row_and_column():
    table = c1_table()
    rows = table["rows"]
    rows[0]["activity"] = "  "
    rows[1]["actor"] = "Camat"
    rows[2]["waktu"] = {"amount": -3, "unit": "menit"}
    rows[3]["waktu"] = {"amount": 3, "unit": "minggu"}
    rows[6]["decision"]["yes"] = 11
    rows[7]["decision"]["no"] = 8
    rows[8]["actor"] = ""
    assert problems(table) == [
        ("table_activity_empty", 1, "activity"),
        ("table_performer_unknown", 2, "actor"),
        ("table_waktu_invalid", 3, "waktu"),
        ("table_waktu_unit", 4, "waktu"),
        ("table_target_missing", 7, "yes"),
        ("table_target_self", 8, "no"),
        ("table_performer_missing", 9, "actor"),
    ]
    table = c1_table()
    table["actors"][1] = table["actors"][0]
    table["actors"][2] = ""
    assert problems(table)[:2] == [
        ("table_actor_twice", None, "actors.1"),
        ("table_actor_empty", None, "actors.2"),
    ]
    assert problems({"actors": [], "rows": []}) == [
        ("table_no_actors", None, "actors"),
        ("table_no_rows", None, "rows"),
    ]
    assert problems([1, 2]) == [("table_not_object", None, "table")]
    assert problems({"actors": ["A"], "rows": ["x"]}) == [("table_shape", 1, "row")]


def test_messages_name_the_row_and_column():
    table = c1_table()
    table["rows"][6]["decision"]["yes"] = 11
    with pytest.raises(TableError) as caught:
        table_to_bpmn(table, C1)
    (problem,) = caught.value.problems
    assert problem.message == "baris 7, kolom Ya: langkah 11 tidak ada (tabel punya 10 langkah)"
    assert caught.value.message == "1 masalah di tabel; diagram tidak diubah"


def test_xml_that_is_no_sop_is_refused():
    for bad in (b"<not-bpmn/>", b"<<", b""):
        with pytest.raises(InvalidInput) as caught:
            bpmn_to_table(bad)
        assert caught.value.key == "xml_not_sop"


def test_a_failed_table_changes_nothing():
    table = c1_table()
    before = copy.deepcopy(table)
    table["rows"][0]["activity"] = ""
    with pytest.raises(TableError):
        table_to_bpmn(table, C1)
    table["rows"][0]["activity"] = before["rows"][0]["activity"]
    assert table == before
