"""The compare facade: versions or a draft's XML, changed steps per side, analysts only."""

from __future__ import annotations

import pytest

from engine.errors import InvalidInput, NotFound, PermissionDenied
from engine.sop_table import TableError
from tests.conftest import sop_path
from tests.engine.helpers import ADMIN, NOBODY, holder
from tests.engine.table_edits import c1_table, c1_version_2


def test_a_draft_compares_with_a_version_and_marks_both_sides(alur):
    comparison = alur.compare("sop_c_1", 1, c1_version_2(), ADMIN)
    assert comparison.old.version == 1 and comparison.new.is_draft
    assert [(c.step_no, str(c.change)) for c in comparison.changes] == [
        (3, "added"),
        (4, "waktu"),
        (5, "actor"),
    ]
    assert comparison.new.marks == {3: "added", 4: "changed", 5: "changed"}
    assert comparison.old.marks == {3: "changed", 4: "changed"}
    assert comparison.new.elements == {
        "Langkah_3_2": "added",
        "Langkah_3": "changed",
        "Langkah_4": "changed",
    }
    # the default old side of a draft is the newest version
    assert alur.compare("sop_c_1", None, c1_version_2(), ADMIN).old.version == 1


def test_two_drafts_and_refusals(alur):
    same = alur.compare("sop_c_1", sop_path("C.1").read_bytes(), c1_version_2(), ADMIN)
    assert len(same.changes) == 3 and same.old.is_draft
    with pytest.raises(InvalidInput) as caught:
        alur.compare("sop_c_1", 1, sop_path("B").read_bytes(), ADMIN)
    assert caught.value.key == "compare_other_process"
    with pytest.raises(InvalidInput) as caught:
        alur.compare("sop_c_1", 1, b"<x/>", ADMIN)
    assert caught.value.key == "xml_not_sop"
    with pytest.raises(NotFound):
        alur.compare("sop_c_1", 7, None, ADMIN)
    for who in (NOBODY, holder("kabid pemerintahan dan sosial budaya")):
        with pytest.raises(PermissionDenied):
            alur.compare("sop_c_1", None, None, who)
        with pytest.raises(PermissionDenied):
            alur.sop_table(sop_path("C.1").read_bytes(), who)


def test_table_conversions_through_the_facade(alur):
    table, side = alur.version_table("sop_c_1", None, ADMIN)
    assert table == c1_table() and side.version == 1
    xml = alur.table_bpmn(table, side.xml, ADMIN)
    assert alur.compare("sop_c_1", 1, xml, ADMIN).changes == ()
    table["rows"][0]["activity"] = ""
    with pytest.raises(TableError):
        alur.table_bpmn(table, side.xml, ADMIN)
    with pytest.raises(InvalidInput) as caught:
        alur.sop_table(b" " * (5 * 1024 * 1024), ADMIN)
    assert caught.value.key == "xml_too_big"
