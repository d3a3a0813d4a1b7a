"""Bad HTTP input is a clear 4xx: ids beyond 64 bits, oversized API bodies and fields, too many
files; served diagrams are attachments; headers (no-store, HSTS over https)."""

from __future__ import annotations

import io

import pytest

from tests.webui.conftest import advance_to, all_ticked, csrf_token, open_task, post

HUGE = str(2**64 + 7)


@pytest.mark.parametrize(
    "url",
    [
        f"/instances/{HUGE}",
        f"/instances/{HUGE}/diagram.bpmn",
        f"/tasks/{HUGE}",
        f"/tasks/1/files/{HUGE}",
        f"/processes/sop_a/{HUGE}/diagram.bpmn",
        "/instances/9223372036854775808",
    ],
)
def test_ids_beyond_64_bits_are_404_on_web_routes(login_as, url):
    assert login_as("kabid").get(url).status_code == 404


def test_the_largest_database_id_routes_and_is_simply_not_found(login_as):
    assert login_as("kabid").get("/instances/9223372036854775807").status_code == 404


def test_a_served_diagram_is_an_attachment_no_browser_renders(login_as, started):
    instance = started()
    for url in (f"/instances/{instance.id}/diagram.bpmn", "/processes/sop_a/1/diagram.bpmn"):
        response = login_as("kabid").get(url)
        assert response.status_code == 200
        assert response.mimetype == "application/octet-stream"
        assert response.headers["Content-Disposition"].startswith("attachment;")
        assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_pages_files_and_csvs_are_not_stored_by_caches(login_as, started):
    instance = started()
    kabid = login_as("kabid")
    for url in ("/", f"/instances/{instance.id}", f"/instances/{instance.id}/history.csv"):
        response = kabid.get(url)
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == "no-store", url


def test_hsts_only_over_https(app, login_as):
    kabid = login_as("kabid")
    assert "Strict-Transport-Security" not in kabid.get("/").headers
    secure = kabid.get("/login", base_url="https://localhost")
    assert secure.headers["Strict-Transport-Security"] == f"max-age={365 * 24 * 3600}"
    app.config["ALUR_HSTS_SECONDS"] = 0
    assert (
        "Strict-Transport-Security" not in kabid.get("/login", base_url="https://localhost").headers
    )


def test_too_many_files_in_one_submission_are_refused_and_nothing_is_stored(
    app, login_as, started, alur
):
    task = open_task(alur, started().id)
    limit = int(app.config["ALUR_MAX_FILES"])
    kabid = login_as("kabid")
    files = [(io.BytesIO(b"%PDF"), f"lampiran-{i}.pdf") for i in range(limit + 1)]
    form = {"csrf_token": csrf_token(kabid), **all_ticked(alur, task), "files": files}
    response = kabid.post(f"/tasks/{task.id}/complete", data=form)
    assert response.status_code == 422 and str(limit + 1) in response.text
    assert alur.files_of(task.instance_id) == [] and alur.task(task.id).state == "open"
    root = alur.files.root
    assert not root.exists() or not any(p.is_file() for p in root.rglob("*"))
    files = [(io.BytesIO(b"%PDF"), f"lampiran-{i}.pdf") for i in range(limit)]
    form = {"csrf_token": csrf_token(kabid), **all_ticked(alur, task), "files": files}
    assert kabid.post(f"/tasks/{task.id}/complete", data=form).status_code == 302
    assert len(alur.files_of(task.instance_id)) == limit


def test_a_release_needs_no_reason_for_ones_own_claim(login_as, started, alur):
    task = advance_to(alur, started().id, 4)
    staff = login_as("fungsional tertentu")
    post(staff, f"/tasks/{task.id}/claim")
    post(staff, f"/tasks/{task.id}/unclaim")
    assert alur.task(task.id).claimed_by is None
