"""Drafts in the studio: saved by their author, checked as deploy checks, published as a new
version with a change note; a change of who performs a step needs a second analyst (four eyes)."""

from __future__ import annotations

import pytest

from engine.drafts import AWAITING, DRAFT, MAX_XML_BYTES, PUBLISHED, NewSop
from engine.errors import Conflict, DeployError, InvalidInput, NotFound, PermissionDenied
from engine.sop_diff import ChangeKind
from tests.engine import migration_edits
from tests.engine.helpers import ADMIN, NOBODY, starter

KEY = "sop_c_1"
ANA, BUDI = "analis_ana", "analis_budi"


@pytest.fixture
def analysts(alur):
    alur.add_user(ANA, ["analis"])
    alur.add_user(BUDI, ["analis"])
    return alur


def _versions(alur, key: str = KEY) -> list[int]:
    return [d.version for d in alur.processes() if d.key == key]


def _draft(alur, edit=None, who: str = ANA):
    draft = alur.draft_from_version(KEY, None, who)
    if edit:
        draft = alur.save_draft(draft.id, edit(draft.xml), who)
    return draft


def test_a_draft_of_a_version_is_saved_and_published_with_its_note(analysts):
    alur = analysts
    draft = alur.draft_from_version(KEY, 1, ANA)
    assert (draft.process_key, draft.base_version, draft.state, draft.author) == (
        KEY,
        1,
        DRAFT,
        ANA,
    )
    assert draft.xml == alur.definition(KEY, 1).xml
    changed = migration_edits.set_waktu(draft.xml, "Langkah_7", "2 hari kerja")
    saved = alur.save_draft(draft.id, changed, ANA)
    assert saved.xml == changed and saved.size == len(changed)
    assert [d.id for d in alur.drafts(ANA, key=KEY)] == [draft.id]
    assert alur.check_xml(changed, KEY) == []

    published = alur.publish_draft(draft.id, ANA, "  Waktu langkah 7 menjadi 2 hari kerja ")
    assert (published.version, published.awaiting, published.changes) == (2, False, [])
    new = alur.definition(KEY)
    assert (new.version, new.note, new.deployed_by, new.approved_by) == (
        2,
        "Waktu langkah 7 menjadi 2 hari kerja",
        ANA,
        None,
    )
    assert new.model.step(7).waktu.text == "2 hari kerja"
    row = alur.draft(draft.id, ANA)
    assert (row.state, row.published_version, row.note) == (PUBLISHED, 2, new.note)
    with pytest.raises(Conflict) as refused:  # a published draft is history
        alur.save_draft(draft.id, changed, ANA)
    assert refused.value.key == "draft_state"


def test_a_draft_with_problems_is_not_published_and_nothing_is_deployed(analysts):
    alur = analysts
    broken = lambda xml: xml.replace(b'targetRef="Langkah_2"', b'targetRef="Langkah_99"', 1)  # noqa: E731
    draft = _draft(alur, broken)
    problems = alur.check_xml(draft.xml, KEY)
    assert problems and any("Langkah_99" in p.message for p in problems)
    assert all(p.line for p in problems if "Langkah_99" in p.message)
    with pytest.raises(DeployError) as refused:
        alur.publish_draft(draft.id, ANA, "rusak")
    assert refused.value.problems == problems
    assert _versions(alur) == [1]
    assert alur.draft(draft.id, ANA).state == DRAFT


def test_a_changed_performer_waits_for_another_analyst(analysts):
    alur = analysts
    draft = _draft(
        alur, lambda xml: migration_edits.move_to_lane(xml, "Langkah_6", "Fungsional Umum")
    )
    assert [c.change for c in alur.draft_changes(draft.id, ANA)] == [ChangeKind.ACTOR]

    waiting = alur.publish_draft(draft.id, ANA, "Langkah 6 oleh Fungsional Umum")
    assert (waiting.awaiting, waiting.draft.state, waiting.version) == (True, AWAITING, None)
    assert [(c.step_no, c.old, c.new) for c in waiting.changes] == [
        (6, "Fungsional Tertentu", "Fungsional Umum")
    ]
    assert _versions(alur) == [1]  # new instances still start on version 1
    instance = alur.start(KEY, starter(alur, KEY), "Rapat koordinasi")
    assert instance.definition.version == 1
    with pytest.raises(Conflict):  # waiting: no more edits
        alur.save_draft(draft.id, draft.xml, ANA)

    with pytest.raises(PermissionDenied) as own:
        alur.approve_draft(draft.id, ANA)
    assert own.value.key == "draft_own_approval"
    assert "persetujuannya harus dari analis atau admin lain" in own.value.message
    with pytest.raises(PermissionDenied) as nobody:
        alur.approve_draft(draft.id, NOBODY)
    assert nobody.value.key == "drafts_forbidden"
    assert _versions(alur) == [2 - 1]

    approved = alur.approve_draft(draft.id, BUDI, "Sudah dibahas dengan Kabid")
    assert approved.version == 2
    new = alur.definition(KEY)
    assert (new.version, new.deployed_by, new.approved_by, new.note) == (
        2,
        ANA,
        BUDI,
        "Langkah 6 oleh Fungsional Umum",
    )
    row = alur.draft(draft.id, BUDI)
    assert (row.state, row.approver, row.approval_note) == (
        PUBLISHED,
        BUDI,
        "Sudah dibahas dengan Kabid",
    )
    assert row.approved_at is not None
    assert alur.instance(instance.id).definition.version == 1  # the running one stays
    with pytest.raises(Conflict):
        alur.approve_draft(draft.id, ADMIN)


def test_renaming_a_pelaksana_column_is_a_performer_change_too(analysts):
    alur = analysts
    rename = lambda xml: xml.replace(b'name="Kepala Badan"', b'name="Analis"', 1)  # noqa: E731
    draft = _draft(alur, rename)
    waiting = alur.publish_draft(draft.id, ANA, "lajur Kepala Badan diganti")
    assert waiting.awaiting
    signing = alur.definition(KEY).model.find(9)  # the Kepala Badan's: now the author's role
    assert [(c.change, c.field, c.step_no, c.old, c.new) for c in waiting.changes] == [
        (ChangeKind.PELAKSANA, "renamed", None, "Kepala Badan", "Analis"),
        (ChangeKind.ACTOR, "own_role", signing.no, "Kepala Badan", "Analis"),
    ]
    approved = alur.approve_draft(draft.id, ADMIN)  # an administrator is a second person too
    assert approved.version == 2 and alur.definition(KEY).approved_by == ADMIN


def test_the_author_may_withdraw_a_draft_awaiting_approval(analysts):
    alur = analysts
    move = lambda xml: migration_edits.move_to_lane(xml, "Langkah_6", "Fungsional Umum")  # noqa: E731
    draft = _draft(alur, move)
    alur.publish_draft(draft.id, ANA, "catatan")
    with pytest.raises(PermissionDenied):
        alur.withdraw_draft(draft.id, BUDI)
    assert alur.withdraw_draft(draft.id, ANA).state == DRAFT
    with pytest.raises(Conflict):
        alur.approve_draft(draft.id, BUDI)


def test_only_analysts_and_admins_use_drafts(analysts):
    alur = analysts
    for call in (
        lambda: alur.drafts(NOBODY),
        lambda: alur.draft_from_version(KEY, None, NOBODY),
        lambda: alur.check_xml(b"<x/>", KEY, NOBODY),
    ):
        with pytest.raises(PermissionDenied) as refused:
            call()
        assert refused.value.key == "drafts_forbidden"
    assert alur.draft_from_version(KEY, None, ADMIN).author == ADMIN


def test_only_the_author_changes_publishes_or_deletes_a_draft(analysts):
    alur = analysts
    draft = _draft(alur)
    for call in (
        lambda: alur.save_draft(draft.id, draft.xml, BUDI),
        lambda: alur.publish_draft(draft.id, BUDI, "catatan"),
        lambda: alur.delete_draft(draft.id, BUDI),
    ):
        with pytest.raises(PermissionDenied) as refused:
            call()
        assert refused.value.key == "draft_not_author"
    alur.delete_draft(draft.id, ANA)
    with pytest.raises(NotFound):
        alur.draft(draft.id, ANA)


def test_bad_input_is_refused_and_changes_nothing(analysts):
    alur = analysts
    draft = _draft(alur)
    for xml, key in ((b" ", "draft_empty"), (b"x" * (MAX_XML_BYTES + 1), "draft_too_large")):
        with pytest.raises(InvalidInput) as refused:
            alur.save_draft(draft.id, xml, ANA)
        assert refused.value.key == key
    for note, key in (("  ", "draft_note_required"), ("x" * 2001, "draft_note_too_long")):
        with pytest.raises(InvalidInput) as refused:
            alur.publish_draft(draft.id, ANA, note)
        assert refused.value.key == key
    with pytest.raises(InvalidInput) as unchanged:  # the same as version 1
        alur.publish_draft(draft.id, ANA, "tidak ada perubahan")
    assert unchanged.value.key == "draft_unchanged"
    assert alur.draft(draft.id, ANA).xml == alur.definition(KEY).xml
    assert alur.draft(draft.id, ANA).state == DRAFT and _versions(alur) == [1]
    with pytest.raises(NotFound):
        alur.save_draft(10_000, draft.xml, ANA)


def test_the_process_id_of_a_draft_cannot_change(analysts):
    alur = analysts
    draft = _draft(alur, lambda xml: xml.replace(b'"sop_c_1"', b'"sop_c_9"'))
    (problem,) = alur.check_xml(draft.xml, KEY)
    assert (problem.key, problem.element) == ("draft_key_changed", "sop_c_9")
    with pytest.raises(DeployError):
        alur.publish_draft(draft.id, ANA, "id diganti")
    assert _versions(alur, "sop_c_9") == []


def test_a_draft_of_an_older_version_is_not_published_over_a_newer_one(analysts):
    alur = analysts
    waktu = lambda w: lambda xml: migration_edits.set_waktu(xml, "Langkah_7", w)  # noqa: E731
    first, second = _draft(alur, waktu("1 jam")), _draft(alur, waktu("2 jam"), who=BUDI)
    assert alur.publish_draft(first.id, ANA, "satu jam").version == 2
    with pytest.raises(Conflict) as outdated:
        alur.publish_draft(second.id, BUDI, "dua jam")
    assert outdated.value.key == "draft_base_outdated"
    assert _versions(alur) == [2, 1]


def test_a_new_sop_starts_empty_and_is_published_as_version_1(analysts):
    alur = analysts
    new = NewSop(
        code="E.1",
        name="Penyusunan Laporan",
        owner="BAPPEDA - Bidang Ekonomi",
        actor="Kabid Ekonomi",
        activity="Menyusun laporan",
        nomor="050/1/2026",
    )
    draft = alur.draft_new(new, ANA)
    assert (draft.process_key, draft.base_version, draft.name) == ("sop_e_1", None, new.name)
    assert alur.check_xml(draft.xml, "sop_e_1") == []
    published = alur.publish_draft(draft.id, ANA, "SOP baru")
    deployed = alur.definition("sop_e_1")
    assert (published.version, deployed.version, deployed.note) == (1, 1, "SOP baru")
    assert deployed.model.actors == ["Kabid Ekonomi"]
    assert deployed.model.identity.nomor == "050/1/2026"
    with pytest.raises(Conflict) as exists:
        alur.draft_new(new, ANA)
    assert exists.value.key == "draft_process_exists"
    with pytest.raises(InvalidInput) as incomplete:
        alur.draft_new(NewSop("E.2", "Nama", "Unit", " ", "Kegiatan"), ANA)
    assert incomplete.value.key == "draft_new_invalid" and "actor" in incomplete.value.message
