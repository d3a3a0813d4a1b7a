"""An instance moved to another version says so in its timeline."""

from __future__ import annotations

from tests.conftest import sop_path
from tests.engine import migration_edits


def test_the_timeline_shows_suspension_and_the_move(login_as, started, alur):
    instance = started()
    changed = migration_edits.set_waktu(sop_path("A").read_bytes(), "Langkah_1", "2 Hari Kerja")
    (deployed,) = alur.deploy_sources([("sop_a.bpmn", changed)], "analis")
    (outcome,) = alur.migrate("sop_a", 1, deployed.definition.version, "analis")
    assert outcome.status == "migrated"
    page = login_as("auditor").get(f"/instances/{instance.id}").text
    assert "Ditangguhkan" in page and "Dilanjutkan" in page
    assert "Dipindahkan ke versi lain" in page and "dari versi 1 ke versi 2" in page
