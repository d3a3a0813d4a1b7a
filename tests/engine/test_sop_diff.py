"""engine.sop_diff: two SOP versions compared step by step; each test asserts the exact list.

Most versions are edits of bpmn/sop_c_1.bpmn: the model edited and written back with write_bpmn
(as `alur build` and the table import do: task ids follow the step numbers, so an insertion
shifts them), or the file edited in place the way a BPMN modeler does (ids kept).
"""

from __future__ import annotations

import copy
from dataclasses import replace

import pytest
from lxml import etree

from engine.bpmn import names as n
from engine.bpmn.reader import read_bpmn
from engine.bpmn.writer import write_bpmn
from engine.sop import Decision, Sop, Step, Waktu, sop_from_dict, sop_to_dict
from engine.sop_diff import Change, ChangeKind, diff, match_steps, step_map, with_task_ids
from tests.conftest import sop_path
from tests.engine.sop_edits import modeler_insert

K = ChangeKind
FU = "Fungsional Umum"
FT = "Fungsional Tertentu"
NEW_STEP = "Menyiapkan bahan paparan rapat koordinasi"


@pytest.fixture(scope="module")
def c1() -> Sop:
    return read_bpmn(sop_path("C.1"))


def name(sop: Sop, no: int) -> str:
    return sop.step(no).activity


def edited(sop: Sop, edit=None) -> Sop:
    """A copy of sop changed by edit(copy), written as BPMN and read back."""
    copied = copy.deepcopy(sop)
    if edit is not None:
        edit(copied)
    return read_bpmn(write_bpmn(copied))


def rebuilt(sop: Sop, order: list[int | Step]) -> Sop:
    """The steps in a new order (old numbers, or new Steps), renumbered 1.., written and read.

    Decision targets of old steps follow their steps to the new numbers (as an editor renumbering
    the table would); a new Step's decision is given in new numbers.
    """
    renumber = {item: i for i, item in enumerate(order, 1) if isinstance(item, int)}
    steps = []
    for i, item in enumerate(order, 1):
        step = copy.deepcopy(sop.step(item) if isinstance(item, int) else item)
        if isinstance(item, int) and step.decision:
            d = step.decision
            step.decision = Decision(d.question, renumber.get(d.yes), renumber.get(d.no))
        step.no = i
        steps.append(step)
    return read_bpmn(write_bpmn(replace(copy.deepcopy(sop), steps=steps)))


def new_step(**fields) -> Step:
    return Step(0, NEW_STEP, FU, waktu=Waktu.parse("60 menit"), **fields)


# -- nothing changed --------------------------------------------------------------------------


def test_identical_versions_have_no_changes(c1):
    assert diff(c1, read_bpmn(sop_path("C.1"))) == []
    assert diff(c1, edited(c1)) == []  # written back by Alur
    assert diff(c1, sop_from_dict(sop_to_dict(c1))) == []  # as Definition.model holds it


def test_the_same_waktu_written_differently_is_no_change(c1):
    def edit(sop):
        sop.step(1).waktu = Waktu.parse("300 menit")  # was "300 Menit"
        sop.step(2).waktu = Waktu.parse("3 jam")  # was "180 Menit"

    assert diff(c1, edited(c1, edit)) == []


# -- one field of one step --------------------------------------------------------------------


def test_a_waktu_change(c1):
    new = edited(c1, lambda sop: setattr(sop.step(5), "waktu", Waktu.parse("60 menit")))
    assert diff(c1, new) == [Change(5, K.WAKTU, name(c1, 5), "120 Menit", "60 menit")]
    assert str(diff(c1, new)[0]) == f"langkah 5 '{name(c1, 5)}': Waktu 120 Menit -> 60 menit"


def test_an_actor_change(c1):
    new = edited(c1, lambda sop: setattr(sop.step(4), "actor", FT))
    assert diff(c1, new) == [Change(4, K.ACTOR, name(c1, 4), FU, FT)]


def test_a_renamed_step(c1):
    renamed = "Membuat draf laporan hasil rapat koordinasi dan notulen"
    new = edited(c1, lambda sop: setattr(sop.step(6), "activity", renamed))
    assert diff(c1, new) == [Change(6, K.RENAMED, renamed, name(c1, 6), renamed)]


def test_a_step_renamed_beyond_recognition_keeps_its_id_in_a_modeler_edit(c1):
    root = etree.fromstring(sop_path("C.1").read_bytes())
    root.find(f".//{{{n.BPMN}}}userTask[@id='Langkah_6']").set("name", "Menyusun notulen")
    assert diff(c1, read_bpmn(etree.tostring(root))) == [
        Change(6, K.RENAMED, "Menyusun notulen", name(c1, 6), "Menyusun notulen")
    ]


def test_kelengkapan_and_output_list_edits(c1):
    def edit(sop):
        sop.step(1).kelengkapan.append("Undangan rapat")
        sop.step(10).output.remove("Nota Dinas")

    old1, old10 = c1.step(1).kelengkapan, c1.step(10).output
    assert diff(c1, edited(c1, edit)) == [
        Change(1, K.KELENGKAPAN, name(c1, 1), old1, [*old1, "Undangan rapat"]),
        Change(10, K.OUTPUT, name(c1, 10), old10, [old10[0], old10[2]]),
    ]


def test_participants_and_keterangan(c1):
    def edit(sop):
        sop.step(2).participants.remove(FT)
        sop.step(3).keterangan = ""

    assert diff(c1, edited(c1, edit)) == [
        Change(2, K.PARTICIPANTS, name(c1, 2), ["Sub. Koordinator Sosial Budaya", FT],
               ["Sub. Koordinator Sosial Budaya"]),
        Change(3, K.KETERANGAN, name(c1, 3), "Terkait SOP Surat Keluar", ""),
    ]  # fmt: skip


def test_several_changes_of_one_step_come_in_kind_order(c1):
    def edit(sop):
        step = sop.step(5)
        step.keterangan, step.waktu, step.activity = "Rapat daring", Waktu.parse("3 jam"), "Rapat"

    assert diff(c1, edited(c1, edit)) == [
        Change(5, K.RENAMED, "Rapat", name(c1, 5), "Rapat"),
        Change(5, K.WAKTU, "Rapat", "120 Menit", "3 jam"),
        Change(5, K.KETERANGAN, "Rapat", "", "Rapat daring"),
    ]


# -- decisions --------------------------------------------------------------------------------


def test_a_decision_target_change(c1):
    new = edited(c1, lambda sop: setattr(sop.step(9).decision, "no", 8))
    assert diff(c1, new) == [Change(9, K.DECISION, name(c1, 9), 6, 8, "tidak")]
    assert str(diff(c1, new)[0]).endswith(": Keputusan Tidak: langkah 6 -> langkah 8")


def test_a_decision_question_change_and_a_decision_dropped_and_gained(c1):
    def edit(sop):
        sop.step(7).decision.question = "Draf sudah benar?"
        sop.step(8).decision = None
        sop.step(10).decision = Decision("Sudah lengkap?", None, 6)

    assert diff(c1, edited(c1, edit)) == [
        Change(7, K.DECISION, name(c1, 7), "Draft Rumusan sudah benar?", "Draf sudah benar?",
               "pertanyaan"),
        Change(8, K.DECISION, name(c1, 8),
               {"pertanyaan": "Draft Rumusan disetujui dan diparaf?", "ya": 9, "tidak": 6}, None),
        Change(10, K.DECISION, name(c1, 10), None,
               {"pertanyaan": "Sudah lengkap?", "ya": None, "tidak": 6}),
    ]  # fmt: skip


def test_decision_targets_compare_through_the_pairing(c1):
    """Step 6 removed; the decisions that sent Tidak back to it now send it to step 5."""
    order = [1, 2, 3, 4, 5, 7, 8, 9, 10]
    new = rebuilt(c1, order)
    for no in (6, 7, 8):
        new.step(no).decision.no = 5
    assert diff(c1, new) == [
        Change(6, K.REMOVED, name(c1, 6), name(c1, 6), None),
        Change(6, K.DECISION, name(c1, 7), 6, 5, "tidak"),
        Change(7, K.DECISION, name(c1, 8), 6, 5, "tidak"),
        Change(8, K.DECISION, name(c1, 9), 6, 5, "tidak"),
    ]


# -- steps added, removed, moved --------------------------------------------------------------


def test_a_step_inserted_in_the_middle_is_one_addition(c1):
    """Ids follow the numbers (Alur wrote the file): steps 5..10 become 6..11 under new ids,
    decisions point to the new numbers; only the addition is reported, no rename or move."""
    new = rebuilt(c1, [1, 2, 3, 4, new_step(), 5, 6, 7, 8, 9, 10])
    assert [s.element_id for s in new.steps][4:6] == ["Langkah_5", "Langkah_6"]
    assert new.step(8).decision == Decision("Draft Rumusan sudah benar?", 9, 7)
    assert diff(c1, new) == [Change(5, K.ADDED, NEW_STEP, None, NEW_STEP)]
    assert step_map(c1, new) == {1: 1, 2: 2, 3: 3, 4: 4} | {no: no + 1 for no in range(5, 11)}


def test_a_step_inserted_in_a_modeler_is_one_addition(c1):
    """Ids kept (Langkah_5 is now step 6), the new task has its own id."""
    new = read_bpmn(modeler_insert(NEW_STEP))
    assert new.step(5).element_id == "Activity_0baru"
    assert diff(c1, new) == [Change(5, K.ADDED, NEW_STEP, None, NEW_STEP)]


def test_deployed_models_pair_by_the_ids_their_definition_keeps(c1):
    """Definition.model has no ids (steps pair by Langkah_<no>); with_task_ids restores them."""
    old_name = f'name="{c1.step(6).activity}"'.encode()
    data = modeler_insert(NEW_STEP).replace(old_name, b'name="Notulen"')
    new = read_bpmn(data)
    stored = sop_from_dict(sop_to_dict(new))  # as a deployed version holds it
    task_steps = {s.element_id: s.no for s in new.steps}  # Definition.task_steps
    renamed = [
        Change(5, K.ADDED, NEW_STEP, None, NEW_STEP),
        Change(7, K.RENAMED, name(new, 7), name(c1, 6), name(new, 7)),
    ]
    assert diff(c1, new) == renamed
    assert diff(c1, with_task_ids(stored, task_steps)) == renamed
    assert diff(c1, stored) == [
        Change(5, K.ADDED, NEW_STEP, None, NEW_STEP),
        Change(6, K.REMOVED, name(c1, 6), name(c1, 6), None),
        Change(7, K.ADDED, name(new, 7), None, name(new, 7)),
        *[Change(no, K.DECISION, name(new, no), 6, 7, "tidak") for no in (8, 9, 10)],
    ]  # old step 6 looks removed, so Tidak -> 6 looks retargeted
    assert stored.steps[4].element_id == ""  # the shared model is left alone


def test_an_insertion_and_a_rename_further_down(c1):
    """Old step 7 is now 8 and renamed; its positional id went to old 6: it pairs by its text."""
    renamed = name(c1, 7).replace("kemudian disampaikan", "disampaikan")
    new = rebuilt(c1, [1, 2, 3, 4, new_step(), 5, 6, 7, 8, 9, 10])
    new.step(8).activity = renamed
    assert diff(c1, new) == [
        Change(5, K.ADDED, NEW_STEP, None, NEW_STEP),
        Change(8, K.RENAMED, renamed, name(c1, 7), renamed),
    ]


def test_a_step_removed(c1):
    new = rebuilt(c1, [1, 2, 4, 5, 6, 7, 8, 9, 10])
    assert diff(c1, new) == [Change(3, K.REMOVED, name(c1, 3), name(c1, 3), None)]
    assert step_map(c1, new) == {1: 1, 2: 2} | {no: no - 1 for no in range(4, 11)}


def test_a_step_replaced_under_a_fresh_id_is_a_removal_and_an_addition(c1):
    """Removed steps stand where they stood: after the partner of the step before them."""
    new = rebuilt(c1, [1, 2, new_step(), 4, 5, 6, 7, 8, 9, 10])
    new.step(3).element_id = "Activity_lain"  # as a modeler names a new task
    assert diff(c1, new) == [
        Change(3, K.REMOVED, name(c1, 3), name(c1, 3), None),
        Change(3, K.ADDED, NEW_STEP, None, NEW_STEP),
    ]


def test_a_step_replaced_under_the_same_id_reads_as_renamed(c1):
    """Alur names tasks after their numbers: a new step 3 takes the id Langkah_3."""
    new = rebuilt(c1, [1, 2, new_step(), 4, 5, 6, 7, 8, 9, 10])
    step3 = c1.step(3)
    assert diff(c1, new) == [
        Change(3, K.RENAMED, NEW_STEP, step3.activity, NEW_STEP),
        Change(3, K.ACTOR, NEW_STEP, step3.actor, FU),
        Change(3, K.PARTICIPANTS, NEW_STEP, step3.participants, []),
        Change(3, K.KELENGKAPAN, NEW_STEP, step3.kelengkapan, []),
        Change(3, K.WAKTU, NEW_STEP, "180 Menit", "60 menit"),
        Change(3, K.OUTPUT, NEW_STEP, step3.output, []),
        Change(3, K.KETERANGAN, NEW_STEP, step3.keterangan, ""),
    ]


def test_a_step_moved_later(c1):
    """Step 4 now comes after 5 and 6: only it moved (5 and 6 were renumbered, not moved)."""
    new = rebuilt(c1, [1, 2, 3, 5, 6, 4, 7, 8, 9, 10])
    assert diff(c1, new) == [Change(6, K.MOVED, name(c1, 4), 4, 6)]
    assert str(diff(c1, new)[0]) == f"langkah 6 '{name(c1, 4)}': dipindah (dulu langkah 4)"


def test_two_steps_swapped_report_the_later_one_as_moved(c1):
    new = rebuilt(c1, [1, 2, 4, 3, 5, 6, 7, 8, 9, 10])
    assert diff(c1, new) == [Change(3, K.MOVED, name(c1, 4), 4, 3)]


def test_hand_built_models_insert_and_move():
    def sop(*steps: Step) -> Sop:
        return Sop("X", "Contoh", "Unit", actors=["A", "B"], steps=list(steps))

    old = sop(Step(1, "Menerima", "A"), Step(2, "Memeriksa", "B"), Step(3, "Mengarsipkan", "A"))
    new = sop(
        Step(1, "Menerima", "A"),
        Step(2, "Mengarsipkan", "A"),
        Step(3, "Mencatat", "B"),
        Step(4, "Memeriksa", "B", waktu=Waktu.parse("1 jam")),
    )
    assert diff(old, new) == [  # of two equally short stories, the earlier old steps stay put
        Change(2, K.MOVED, "Mengarsipkan", 3, 2),
        Change(3, K.ADDED, "Mencatat", None, "Mencatat"),
        Change(4, K.WAKTU, "Memeriksa", "", "1 jam"),
    ]
    assert [(o and o.no, n and n.no) for o, n in match_steps(old, new)] == [
        (1, 1), (3, 2), (None, 3), (2, 4)
    ]  # fmt: skip


# -- Pelaksana columns and identity -----------------------------------------------------------


def test_a_renamed_column_is_one_change_not_one_per_step(c1):
    """Its steps' performers and participants follow the new name without a change each."""
    subkor, renamed = "Sub. Koordinator Sosial Budaya", "Sub. Koordinator Pemerintahan"
    names = {FU: "Pengadministrasi Umum", subkor: renamed}

    def edit(sop):
        sop.actors = [names.get(a, a) for a in sop.actors]
        for step in sop.steps:
            step.actor = names.get(step.actor, step.actor)
            step.participants = [names.get(p, p) for p in step.participants]

    assert diff(c1, edited(c1, edit)) == [
        Change(None, K.PELAKSANA, renamed, subkor, renamed, "renamed"),
        Change(None, K.PELAKSANA, "Pengadministrasi Umum", FU, "Pengadministrasi Umum", "renamed"),
    ]


def test_columns_added_removed_and_reordered(c1):
    def edit(sop):
        sop.actors.remove("Bupati")
        sop.actors.remove("OPD")
        sop.actors[:0] = ["OPD"]
        sop.actors.append("Inspektorat")

    changes = diff(c1, edited(c1, edit))
    assert changes == [
        Change(None, K.PELAKSANA, "Bupati", "Bupati", None, "removed"),
        Change(None, K.PELAKSANA, "OPD", 9, 1, "moved"),
        Change(None, K.PELAKSANA, "Inspektorat", None, "Inspektorat", "added"),
    ]
    assert [str(c) for c in changes] == [
        "kolom pelaksana 'Bupati': dihapus",
        "kolom pelaksana 'OPD': dipindah dari kolom 9 ke kolom 1",
        "kolom pelaksana 'Inspektorat': ditambahkan",
    ]


def test_identity_field_changes(c1):
    law = "Peraturan Bupati Ketapang Nomor 1 Tahun 2024"

    def edit(sop):
        sop.identity.tanggal_revisi = "1 MARET 2024"
        sop.identity.disahkan_oleh.nama = "BUDI, ST"
        sop.identity.dasar_hukum.append(law)

    changes = diff(c1, edited(c1, edit))
    laws = c1.identity.dasar_hukum
    assert changes == [
        Change(None, K.IDENTITY, "", "31 JANUARI 2022", "1 MARET 2024", "tanggal_revisi"),
        Change(None, K.IDENTITY, "", "HARTO, SE, M.Si", "BUDI, ST", "disahkan_oleh.nama"),
        Change(None, K.IDENTITY, "", laws, [*laws, law], "dasar_hukum"),
    ]
    assert [str(c) for c in changes] == [
        "identitas: Tanggal revisi '31 JANUARI 2022' -> '1 MARET 2024'",
        "identitas: Disahkan oleh (nama) 'HARTO, SE, M.Si' -> 'BUDI, ST'",
        f"identitas: Dasar hukum: tambah '{law}'",
    ]


def test_changes_as_json(c1):
    new = edited(c1, lambda sop: setattr(sop.step(9).decision, "no", 8))
    assert [c.to_dict() for c in diff(c1, new)] == [
        {"step_no": 9, "change": "decision", "name": name(c1, 9), "field": "tidak", "old": 6,
         "new": 8}
    ]  # fmt: skip


def test_a_first_step_removed_and_a_last_one_added_keep_their_places():
    def sop(*names: str) -> Sop:
        steps = [Step(no, text, "A") for no, text in enumerate(names, 1)]
        return Sop("X", "Contoh", "Unit", actors=["A"], steps=steps)

    old, new = (
        sop("Menerima", "Memeriksa", "Mengarsipkan"),
        sop("Memeriksa", "Mengarsipkan", "Lapor"),
    )
    assert diff(old, new) == [
        Change(1, K.REMOVED, "Menerima", "Menerima", None),
        Change(3, K.ADDED, "Lapor", None, "Lapor"),
    ]
    assert step_map(old, new) == {2: 1, 3: 2}
