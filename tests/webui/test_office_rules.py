"""The office's rules on the pages: who reads every instance, releasing a claim with a reason,
suspended instances out of the inboxes, refused completions leave no file behind."""

from __future__ import annotations

import io

import pytest

from engine.errors import PermissionDenied
from engine.files import Upload
from tests.webui.conftest import advance_to, all_ticked, csrf_token, open_task, post


def blobs(alur) -> list:
    root = alur.files.root
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.mark.parametrize("who", ["analis", "kaban", "sekban", "auditor"])
def test_the_heads_auditors_and_analysts_read_instances_they_took_no_part_in(
    login_as, started, who
):
    instance = started()
    reader = login_as(who)
    assert reader.get(f"/instances/{instance.id}").status_code == 200
    listing = reader.get("/instances/?state=running")
    assert listing.status_code == 200 and f'href="/instances/{instance.id}"' in listing.text


def test_staff_with_no_part_still_get_403(login_as, started):
    instance = started()
    assert login_as("opd").get(f"/instances/{instance.id}").status_code == 403
    assert login_as("opd").get("/instances/").status_code == 403


def test_a_kabid_releases_someone_elses_claim_only_with_a_reason_shown_in_the_history(
    login_as, started, alur
):
    task = advance_to(alur, started().id, 4)
    staff = login_as("fungsional tertentu")
    assert post(staff, f"/tasks/{task.id}/claim").status_code == 302
    page = staff.get(f"/tasks/{task.id}").text
    assert 'id="release-reason"' not in page  # one's own claim goes back without a reason
    kabid = login_as("kabid")
    assert 'id="release-reason"' in kabid.get(f"/tasks/{task.id}").text
    refused = post(kabid, f"/tasks/{task.id}/unclaim", {"reason": "  "}, follow_redirects=True)
    assert "beri alasan" in refused.text.lower() or "give a reason" in refused.text.lower()
    assert alur.task(task.id).claimed_by == "fungsional.tertentu"
    post(kabid, f"/tasks/{task.id}/unclaim", {"reason": "Sedang dinas luar"})
    assert alur.task(task.id).claimed_by is None
    history = kabid.get(f"/instances/{task.instance_id}").text
    assert "Sedang dinas luar" in history


def test_a_suspended_instances_step_leaves_the_inbox_and_offers_no_action(login_as, started, alur):
    task = advance_to(alur, started().id, 4)
    staff = login_as("fungsional tertentu")
    assert f'href="/tasks/{task.id}"' in staff.get("/").text
    alur.suspend(task.instance_id, "analis", "menunggu revisi SOP")
    assert f'href="/tasks/{task.id}"' not in staff.get("/").text
    assert [t.id for t in alur.inbox("fungsional.tertentu")] == []
    page = staff.get(f"/tasks/{task.id}").text
    assert 'class="notice" role="status"' in page
    assert f'action="/tasks/{task.id}/complete"' not in page
    assert f'action="/tasks/{task.id}/claim"' not in page
    form = {"csrf_token": csrf_token(staff), **all_ticked(alur, task)}
    form["files"] = (io.BytesIO(b"%PDF draf"), "draf.pdf")
    assert staff.post(f"/tasks/{task.id}/complete", data=form).status_code == 409
    assert blobs(alur) == [] and alur.files_of(task.instance_id) == []
    alur.resume(task.instance_id, "analis")
    assert f'href="/tasks/{task.id}"' in staff.get("/").text


def test_a_refused_completion_through_the_engine_leaves_no_blob(started, alur):
    task = open_task(alur, started().id)
    upload = Upload("notulen.pdf", b"%PDF notulen", "application/pdf")
    with pytest.raises(PermissionDenied):
        alur.complete(task.id, "fungsional.tertentu", uploads=[upload])
    with pytest.raises(PermissionDenied):
        alur.attach(task.id, "fungsional.tertentu", upload)
    assert blobs(alur) == []
    alur.attach(task.id, "kabid", upload)
    (blob,) = blobs(alur)
    assert blob.read_bytes() == b"%PDF notulen" and not blob.name.startswith(".upload-")
