"""Starting a process: only the SOPs of the user's starter roles, always with a title."""

from __future__ import annotations

from tests.webui.conftest import open_task, post


def test_start_page_lists_the_sops_my_roles_may_start(login_as):
    page = login_as("kabid").get("/start/").text
    for code in ("A", "B", "C.1", "C.2", "C.3", "D"):
        assert f'<span class="sop-code">{code}</span>' in page
    assert 'action="/start/sop_a"' in page and 'name="title"' in page


def test_other_roles_see_nothing_to_start(login_as):
    page = login_as("fungsional tertentu").get("/start/").text
    assert 'class="sop-code"' not in page
    assert "Tidak ada peran Anda yang dapat memulai proses." in page


def test_starting_needs_a_title(login_as, alur):
    kabid = login_as("kabid")
    response = post(kabid, "/start/sop_a", {"title": "   "})
    assert response.status_code == 422 and "Beri judul proses" in response.text
    assert alur.instances() == []


def test_starting_opens_the_first_task(login_as, alur):
    kabid = login_as("kabid")
    response = post(kabid, "/start/sop_a", {"title": "Renja  Bappeda 2027"})
    (instance,) = alur.instances()
    assert instance.title == "Renja Bappeda 2027" and instance.started_by == "kabid"
    task = open_task(alur, instance.id)
    assert response.headers["Location"] == f"/tasks/{task.id}"
    page = kabid.get(response.headers["Location"]).text
    assert "Dimulai: Renja Bappeda 2027." in page


def test_starting_without_the_role_is_refused(login_as, alur):
    response = post(login_as("fungsional tertentu"), "/start/sop_a", {"title": "Coba"})
    assert response.status_code == 403
    assert alur.instances() == []


def test_starting_an_unknown_process_is_404(login_as):
    assert post(login_as("kabid"), "/start/sop_x", {"title": "Coba"}).status_code == 404
