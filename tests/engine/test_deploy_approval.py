"""Separation of duties on the deploy path: a file deploy that changes who performs a step, puts
a step in a role the deployer holds, or touches an approval or signing step, waits as a draft for
a second person (another analyst or an admin, never the deployer); until then new instances
start on the previous version. Both people are on the version."""

from __future__ import annotations

import pytest

from engine.drafts import AWAITING, DEPLOY, PUBLISHED
from engine.errors import DeployError, NotFound, PermissionDenied
from engine.sop_diff import ChangeKind
from tests.engine import migration_edits
from tests.engine.helpers import ADMIN, BPMN_DIR, starter

KEY = "sop_c_1"
ANA, BUDI = "analis_ana", "analis_budi"
KABID = "kabid pemerintahan dan sosial budaya"


@pytest.fixture
def analysts(alur):
    alur.add_user(ANA, ["analis"])
    alur.add_user(BUDI, ["analis"])
    return alur


def source(edit=None) -> tuple[str, bytes]:
    xml = (BPMN_DIR / f"{KEY}.bpmn").read_bytes()
    return (f"{KEY}.bpmn", edit(xml) if edit else xml)


def kepala_to_analis(xml: bytes) -> bytes:
    """The issue's case: the signing step's lane (Kepala Badan) renamed to the deployer's role."""
    return xml.replace(b'name="Kepala Badan"', b'name="Analis"', 1)


def versions(alur) -> list[int]:
    return [d.version for d in alur.processes() if d.key == KEY]


def test_a_deploy_moving_the_signing_step_to_the_deployers_role_waits_for_a_second_person(
    analysts,
):
    alur = analysts
    (result,) = alur.deploy_sources([source(kepala_to_analis)], ANA, "lajur diganti")
    assert result.awaiting and not result.created
    assert result.definition.version == 1  # what new instances still start on
    draft = result.draft
    assert (draft.state, draft.source, draft.author, draft.base_version) == (
        AWAITING, DEPLOY, ANA, 1,
    )  # fmt: skip
    assert (draft.filename, draft.note) == (f"{KEY}.bpmn", "lajur diganti")
    kinds = [(c.change, c.field) for c in result.changes]
    assert kinds == [(ChangeKind.PELAKSANA, "renamed"), (ChangeKind.ACTOR, "own_role")]
    assert versions(alur) == [1]
    assert alur.start(KEY, starter(alur, KEY)).definition.version == 1

    with pytest.raises(PermissionDenied) as refused:
        alur.approve_version(KEY, 2, ANA)
    assert refused.value.key == "deploy_own_approval"
    with pytest.raises(NotFound):
        alur.approve_version(KEY, 3, BUDI)  # no version 3 waits
    done = alur.approve_version(KEY, 2, BUDI, "dibahas dengan Sekban")
    assert (done.version, done.draft.state, done.draft.approver) == (2, PUBLISHED, BUDI)
    new = alur.definition(KEY)
    assert (new.version, new.deployed_by, new.approved_by, new.note) == (
        2, ANA, BUDI, "lajur diganti",
    )  # fmt: skip
    assert new.model.find(9).actor == "Analis"
    assert alur.start(KEY, starter(alur, KEY)).definition.version == 2


def test_deploying_the_same_held_file_again_names_the_same_draft(analysts):
    alur = analysts
    (first,) = alur.deploy_sources([source(kepala_to_analis)], ANA)
    (again,) = alur.deploy_sources([source(kepala_to_analis)], ANA)
    assert again.draft.id == first.draft.id and first.draft.note == f"deploy {KEY}.bpmn"
    assert [d.id for d in alur.drafts(BUDI, key=KEY, state=AWAITING)] == [first.draft.id]


def test_a_change_of_performer_by_anyone_waits_and_an_admin_may_approve(analysts):
    alur = analysts
    moved = lambda xml: migration_edits.move_to_lane(xml, "Langkah_7", "Fungsional Tertentu")  # noqa: E731
    (result,) = alur.deploy_sources([source(moved)], ADMIN)
    assert result.awaiting
    assert [(c.change, c.step_no, c.old, c.new) for c in result.changes] == [
        (ChangeKind.ACTOR, 7, "Sub. Koordinator Sosial Budaya", "Fungsional Tertentu")
    ]
    with pytest.raises(PermissionDenied):
        alur.approve_draft(result.draft.id, ADMIN)  # the deployer, admin or not
    assert alur.approve_draft(result.draft.id, ANA).version == 2


def test_a_change_to_an_approval_step_waits_and_a_waktu_change_does_not(analysts):
    alur = analysts
    approval = lambda x: migration_edits.add_decision(x, "Langkah_10", 10, "Lengkap?", "Langkah_9")  # noqa: E731
    (held,) = alur.deploy_sources([source(approval)], ANA)
    assert held.awaiting and [(c.change, c.step_no) for c in held.changes] == [
        (ChangeKind.DECISION, 10)
    ]
    waktu = lambda x: migration_edits.set_waktu(x, "Langkah_9", "2 hari kerja")  # noqa: E731
    (plain,) = alur.deploy_sources([source(waktu)], ANA)
    assert plain.created and not plain.awaiting and plain.definition.version == 2


def test_a_step_added_in_a_role_the_deployer_holds_waits(analysts):
    alur = analysts
    alur.add_user("ana_kabid", ["analis", KABID])
    insert = lambda x: migration_edits.insert_after(x, "Langkah_3", "Langkah_3b", "Mencatat", 4)  # noqa: E731
    (held,) = alur.deploy_sources([source(insert)], "ana_kabid")
    assert held.awaiting
    (own,) = [c for c in held.changes if c.field == "own_role"]
    assert (own.change, own.old, own.name) == (ChangeKind.ACTOR, None, "Mencatat")
    (plain,) = alur.deploy_sources([source(insert)], BUDI)  # no role of the step: deployed
    assert plain.created and plain.definition.version == 2


def test_a_folder_deploys_in_one_transaction_and_only_the_held_process_waits(analysts):
    alur = analysts
    other = (BPMN_DIR / "sop_b.bpmn").read_bytes()
    other = migration_edits.set_waktu(other, "Langkah_2", "3 hari kerja")
    results = alur.deploy_sources([source(kepala_to_analis), ("sop_b.bpmn", other)], ANA)
    assert [(r.definition.key, r.created, r.awaiting) for r in results] == [
        ("sop_b", True, False),
        (KEY, False, True),
    ]
    drafts = len(alur.drafts(BUDI))
    broken = other.replace(b'targetRef="Langkah_3"', b'targetRef="Nowhere"', 1)
    with pytest.raises(DeployError):
        alur.deploy_sources([source(kepala_to_analis), ("sop_b.bpmn", broken)], BUDI)
    assert len(alur.drafts(BUDI)) == drafts  # a refused folder holds nothing either
