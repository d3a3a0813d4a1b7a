"""The demo's seed: on an empty database months of past work that the auditor's analytics can
read; seeding again adds nothing, and a database with instances is left as it is."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from engine.alur import Alur
from engine.clock import system_clock
from engine.config import Settings
from tests.conftest import BPMN_DIR
from webui import demo

KEYS = {"sop_a", "sop_b", "sop_c_1", "sop_c_2", "sop_c_3", "sop_d"}


def test_a_first_start_plays_months_of_past_work(tmp_path, quick_password_hashes):
    """Seeded as `alur serve --demo` does on its first start, then on a second one."""
    alur = Alur(
        Settings(database_url=f"sqlite:///{tmp_path / 'alur.sqlite3'}", upload_dir=tmp_path)
    )
    try:
        demo.seed(alur, BPMN_DIR)
        _past_months(alur)
        _real_figures(alur)
        _work_in_hand(alur)
        before = [(i.id, i.state) for i in alur.instances()]
        demo.seed(alur, BPMN_DIR)
        assert [(i.id, i.state) for i in alur.instances()] == before
    finally:
        alur.db.dispose()


def _past_months(alur: Alur) -> None:
    instances = alur.instances()
    assert {i.process_key for i in instances if i.state == "completed"} == KEYS
    assert {i.state for i in instances} == {"completed", "running", "cancelled"}
    now = datetime.now(UTC)
    starts = [i.started_at.replace(tzinfo=UTC) for i in instances]
    assert min(starts) < now - timedelta(days=90) and max(starts) <= now
    titles = [i.title for i in instances]
    assert "Telaahan staf RKPD 2027 — Bidang PSB" in titles and len(titles) == len(set(titles))
    # the engine's clock is the system's again; the sample, started now, is the newest
    assert alur.clock is system_clock
    assert instances[0].title == "Asistensi Renja Dinas Pendidikan 2027"


def _real_figures(alur: Alur) -> None:
    """What the auditor reads: completions, medians, steps over standard, send-backs."""
    over = sendbacks = completed = 0
    for key in KEYS:
        figures = alur.analytics(key, "auditor")
        assert figures.completed and figures.months, key
        completed += figures.completed
        assert figures.lead.median is not None and figures.lead.median > 0, key
        steps = [s for s in figures.steps if s.figures.completions]
        assert steps and all(s.figures.work.median is not None for s in steps), key
        over += sum(s.figures.over for s in figures.steps)
        sendbacks += sum(s.figures.sendbacks for s in figures.steps)
    assert over > 0 and sendbacks > 0 and completed >= 12
    shares = [s.figures.over_share for s in alur.analytics("sop_a", "auditor").steps]
    assert any(0 < share < 1 for share in shares if share is not None)


def _work_in_hand(alur: Alur) -> None:
    """A few instances still running; the bell shows their work, not the months before."""
    running = alur.instances(state="running")
    assert 2 <= len(running) <= 6
    people = demo.demo_users(alur)
    notes = [n for p in people for n in alur.notifications(p.username, unread_only=True)]
    assert notes and {n.instance_id for n in notes} <= {i.id for i in running}


def test_a_database_with_instances_is_not_touched(alur, quick_password_hashes):
    kabid = demo.USERNAMES["kabid pemerintahan dan sosial budaya"]
    alur.start("sop_c_1", kabid, "Sudah ada")
    demo.seed(alur, BPMN_DIR)
    assert [i.title for i in alur.instances()] == ["Sudah ada"]
