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


def test_a_suspended_instance_is_marked_and_can_be_listed(login_as, started, alur):
    instance, other = started(), started()
    alur.suspend(instance.id, "analis", note="menunggu versi baru")
    auditor = login_as("auditor")
    page = auditor.get(f"/instances/{instance.id}").text
    assert '<span class="badge badge-back">Ditangguhkan</span>' in page
    listed = auditor.get("/instances/?state=suspended").text
    assert f'/instances/{instance.id}"' in listed and f'/instances/{other.id}"' not in listed
    alur.resume(instance.id, "analis")
    assert 'badge-back">Ditangguhkan' not in auditor.get(f"/instances/{instance.id}").text
