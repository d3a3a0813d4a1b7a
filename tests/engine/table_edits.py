"""SOP C.1 edited through its table, as the table editor does, for tests of comparing versions."""

from __future__ import annotations

import copy

from engine.sop_table import bpmn_to_table, table_to_bpmn
from tests.conftest import sop_path

NEW_STEP = "Menyiapkan bahan paparan rapat koordinasi"
NEW_ACTOR = "Fungsional Umum"


def c1_table() -> dict:
    return bpmn_to_table(sop_path("C.1").read_bytes())


def insert_row(table: dict, at: int, row: dict) -> dict:
    """A copy with row inserted as row number at; decision targets follow their rows."""
    table = copy.deepcopy(table)
    for other in table["rows"]:
        decision = other.get("decision")
        for answer in ("yes", "no"):
            if decision and decision[answer] is not None and decision[answer] >= at:
                decision[answer] += 1
    table["rows"].insert(at - 1, row)
    return table


def c1_version_2() -> bytes:
    """C.1 with a step inserted before step 3, old step 3's Waktu 4 jam and step 4's performer
    changed to the Sub. Koordinator."""
    table = c1_table()
    table["rows"][2]["waktu"] = {"amount": 4, "unit": "jam"}
    table["rows"][3]["actor"] = "Sub. Koordinator Sosial Budaya"
    new = {"activity": NEW_STEP, "actor": NEW_ACTOR, "waktu": {"amount": 30, "unit": "menit"}}
    table = insert_row(table, 3, new)
    return table_to_bpmn(table, sop_path("C.1").read_bytes())
