"""The incidents page: admins and analysts see the steps the model could not run, with the
reason in their language and the instance's link, retry a worker's step, and move the instance
to a fixed version; the instance page shows a banner; staff get 403."""

from __future__ import annotations

import pytest

from engine.errors import ProcessError
from engine.inbox import InboxFilter
from tests.engine.worker.test_model_budgets import GATEWAY
from tests.webui.conftest import post

LANE = "Fungsional Tertentu"
BROKEN = "jumlah / nol &gt; 1"


def gateway(condition: str) -> bytes:
    xml = GATEWAY.replace("Sub Koordinator", LANE).replace("CONDITION", condition)
    return xml.encode()


@pytest.fixture
def failed(alur):
    """An instance whose completion failed on the model (a division by zero): its incident."""
    alur.deploy_sources([("syarat.bpmn", gateway(BROKEN))], "analis")
    who = "fungsional.tertentu"
    instance = alur.start("uji_syarat", who, title="Surat 9", data={"jumlah": 1, "nol": 0})
    (task,) = alur.tasks(flt=InboxFilter(instance_id=instance.id))
    with pytest.raises(ProcessError):
        alur.complete(task.id, who)
    return instance, task


def test_analysts_see_the_incident_with_its_reason_and_the_instance(failed, login_as):
    instance, task = failed
    analyst = login_as("analis")
    page = analyst.get("/incidents/")
    assert page.status_code == 200
    assert f'href="/instances/{instance.id}"' in page.text and "Surat 9" in page.text
    assert "Model proses tidak dapat menjalankan" in page.text  # Indonesian first
    assert "ZeroDivisionError" in page.text and "(G)" in page.text
    assert "/retry" not in page.text  # a completion is the performer's to redo
    post(analyst, "/language", {"lang": "en", "next": "/incidents/"})
    english = analyst.get("/incidents/").text
    assert "The process model cannot run" in english and "ZeroDivisionError" in english


def test_the_nav_counts_open_incidents_for_analysts_only(failed, login_as):
    analyst = login_as("admin").get("/processes/").text
    assert 'href="/incidents/"' in analyst
    assert '1<span class="visually-hidden"> insiden terbuka' in analyst
    staff = login_as("fungsional tertentu").get("/processes/").text
    assert 'href="/incidents/"' not in staff


def test_staff_get_403_on_the_incidents_page_and_retry(failed, login_as, alur):
    staff = login_as("fungsional tertentu")
    assert staff.get("/incidents/").status_code == 403
    (incident,) = alur.incidents("admin")
    assert post(staff, f"/incidents/{incident.id}/retry").status_code == 403
    assert alur.incidents("admin")[0].count == 1


def test_the_instance_page_shows_a_banner(failed, login_as):
    instance, _ = failed
    analyst = login_as("analis").get(f"/instances/{instance.id}").text
    assert "incident-banner" in analyst and "ZeroDivisionError" in analyst
    starter = login_as("fungsional tertentu").get(f"/instances/{instance.id}").text
    assert "incident-banner" in starter and "ZeroDivisionError" not in starter


def test_a_newer_version_offers_the_migration_page(failed, login_as, alur):
    alur.deploy_sources([("syarat.bpmn", gateway("jumlah &gt; 1"))], "analis")
    page = login_as("analis").get("/incidents/").text
    assert 'href="/processes/uji_syarat?version=2#migrate"' in page


def test_retry_runs_a_worker_step_and_resolves_it(alur, login_as):
    alur.deploy_sources([("syarat.bpmn", gateway("jumlah &gt; 1"))], "analis")
    instance = alur.start("uji_syarat", "fungsional.tertentu", data={"jumlah": 1, "nol": 0})
    error = ProcessError("process_error", name="Tunggu", element="W", reason="sempat gagal")
    alur.note_incident(error, (instance.id, "worker", None))  # its cause fixed meanwhile
    (incident,) = alur.incidents("analis")
    analyst = login_as("analis")
    assert f'action="/incidents/{incident.id}/retry"' in analyst.get("/incidents/").text
    done = post(analyst, f"/incidents/{incident.id}/retry")
    assert done.status_code == 303 and done.location.endswith(f"/instances/{instance.id}")
    assert alur.incidents("analis") == []
    (resolved,) = alur.incidents("analis", open_only=False)
    assert (resolved.resolution, resolved.resolved_by) == ("retried", "analis")
