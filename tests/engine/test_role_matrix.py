"""Every cell of the role matrix in docs/security.md, checked against the rules in engine.access.

The table is read from the document, so the document and the rules cannot drift apart.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import update

from engine import access, users
from engine.errors import PermissionDenied
from engine.storage.tables import Draft, HumanTask, Instance
from tests.engine.helpers import ADMIN, NOBODY, ROOT, holder, run_to_step, starter

KEY = "sop_a"  # steps 1-3 Kabid, 4-6 Fungsional Tertentu, ... OPD later
STEP_ROLE = "fungsional tertentu"
STARTER = holder("fungsional umum")  # a lane role of the process, but not a starter role
PEOPLE = {
    "admin": ADMIN,
    "starter": STARTER,
    "Kabid of its unit": holder("kabid pemerintahan dan sosial budaya", second=True),
    "Kabid of another unit": "kabid_ekonomi",
    "Kepala Badan": holder("kepala badan"),
    "Sekretaris Badan": holder("sekretaris badan"),
    "auditor": "pemeriksa",
    "analyst": "perencana",
    "holder of the step's role": holder(STEP_ROLE, second=True),
    "claimant": holder(STEP_ROLE),
    "staff with no part": holder("opd"),
    "no role": NOBODY,
}
ACTIONS = ("start", "read", "claim", "complete", "release", "reassign", "cancel", "migrate")
ACTIONS += ("deploy", "approve", "incidents")
# a file deploy by someone else, waiting for a second person (the deployer never approves it)
WAITING = Draft(id=1, process_key=KEY, author="lead", state="awaiting_approval", source="deploy")


def matrix() -> dict[str, dict[str, bool]]:
    """The table under the matrix comment in docs/security.md: who -> action -> allowed."""
    text = (ROOT / "docs" / "security.md").read_text(encoding="utf-8")
    lines = text.split("<!-- the matrix:", 1)[1].splitlines()[1:]
    rows = [[c.strip() for c in line.strip().strip("|").split("|")] for line in lines]
    rows = [r for r in rows[: next(i for i, r in enumerate(rows) if r == [""])]]
    header, body = rows[0], rows[2:]
    assert header == ["who", *ACTIONS]
    assert all(re.fullmatch("yes|no", cell) for row in body for cell in row[1:])
    return {row[0]: dict(zip(ACTIONS, (c == "yes" for c in row[1:]), strict=True)) for row in body}


def test_the_matrix_names_every_person_once():
    assert list(matrix()) == list(PEOPLE)


@pytest.fixture
def situation(alur):
    """An instance of sop_a 'started by' a staff member, its step 4 open, unclaimed; steps 1-3
    were done by the first Kabid, who is none of the people of the matrix."""
    alur.add_user("kabid_ekonomi", ["kabid perekonomian dan sumber daya alam"])
    alur.add_user("pemeriksa", ["auditor"])
    alur.add_user("perencana", ["analis"])
    instance = alur.start(KEY, starter(alur, KEY), title="Uji matriks")
    task = run_to_step(alur, instance.id, 4)
    with alur.session() as s:  # as if its starter role were Fungsional Umum (a 'pemula' property)
        s.execute(update(Instance).where(Instance.id == instance.id).values(started_by=STARTER))
    return instance.id, task.id


def answers(alur, instance_id: int, task_id: int, who: str) -> dict[str, bool]:
    """What the rules say for one person, each action asked as the engine asks it."""
    with alur.session() as s:
        user, instance = users.get(s, PEOPLE[who]), s.get(Instance, instance_id)
        task, other = s.get(HumanTask, task_id), users.get(s, holder(STEP_ROLE, second=True))
        found = {
            "start": access.may_start(instance.definition, user),
            "read": access.may_read_instance(s, instance, user),
            "claim": access.claim_refusal(task, user) is None,
            "complete": access.complete_refusal(task, user) is None,
            "cancel": access.cancel_refusal(instance, user, alur.lane_roles(instance.definition))
            is None,
            "migrate": access.may_migrate(user),
            "deploy": access.is_analyst(user),
            "approve": access.draft_approval_refusal(WAITING, user) is None,
            "incidents": access.may_handle_incidents(user),
        }
        task.claimed_by = holder(STEP_ROLE)  # taken by the claimant: may others release it?
        found["release"] = access.unclaim_refusal(task, user, reason="cuti") is None
        found["reassign"] = access.reassign_refusal(task, other, user) is None
        s.rollback()
    return found


@pytest.mark.parametrize("who", list(PEOPLE))
def test_each_cell_of_the_matrix_is_the_rule(alur, situation, who):
    assert answers(alur, *situation, who) == matrix()[who]


def test_the_actions_enforce_the_matrix_for_cancel(alur, situation):
    """The engine's own action follows the cell: another unit's Kabid may not cancel."""
    instance_id, _task = situation
    with pytest.raises(PermissionDenied):
        alur.cancel(instance_id, PEOPLE["Kabid of another unit"], "bukan bidangnya")
    with pytest.raises(PermissionDenied):
        alur.cancel(instance_id, PEOPLE["Kepala Badan"], "tidak boleh")
    assert alur.instance(instance_id).state == "running"
    alur.cancel(instance_id, PEOPLE["starter"], "dobel")
    assert alur.instance(instance_id).state == "cancelled"


def test_the_deployer_never_approves_their_own_deploy(alur, situation):
    """The approve column is for a deploy by someone else: its deployer, admin or analyst, may
    not approve it."""
    with alur.session() as s:
        for who in ("admin", "analyst"):
            user = users.get(s, PEOPLE[who])
            own = Draft(id=2, process_key=KEY, author=user.username, state="awaiting_approval")
            own.source = "deploy"
            assert isinstance(access.draft_approval_refusal(own, user), PermissionDenied)
