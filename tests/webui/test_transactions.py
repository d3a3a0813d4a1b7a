"""A completion, a claim, a hand-back from the task page: one write transaction each (plus the
signed-in person's read)."""

from __future__ import annotations

from tests.transactions import transactions
from tests.webui.conftest import all_ticked, csrf_token, open_task


def test_a_web_completion_is_one_write_transaction(login_as, started, alur):
    task = open_task(alur, started().id)
    kabid = login_as("kabid")
    form = {"csrf_token": csrf_token(kabid), **all_ticked(alur, task)}
    with transactions(alur) as begun:
        response = kabid.post(f"/tasks/{task.id}/complete", data=form)
    assert response.status_code == 302
    assert begun.write == 1  # the task read, checked, completed, and the next steps found
    assert begun.read <= 1  # the signed-in person (Flask-Login's user loader)
    page = kabid.get(response.headers["Location"]).text
    assert "Langkah 1 selesai. Berikutnya: langkah 2" in page


def test_a_refused_web_completion_writes_nothing_else(login_as, started, alur):
    task = open_task(alur, started().id)
    staff = login_as("fungsional tertentu")
    form = {"csrf_token": csrf_token(staff), **all_ticked(alur, task)}
    with transactions(alur) as begun:
        response = staff.post(f"/tasks/{task.id}/complete", data=form)
    assert response.status_code == 403
    assert "milik peran Kabid Pemerintahan dan Sosial Budaya" in response.text
    assert begun.write == 1  # rolled back: nothing changed
    assert open_task(alur, task.instance_id).id == task.id


def test_claiming_and_handing_back_are_one_write_each(login_as, started, alur):
    task = open_task(alur, started().id)
    kabid = login_as("kabid")
    token = csrf_token(kabid)
    for action in ("claim", "unclaim"):
        with transactions(alur) as begun:
            response = kabid.post(f"/tasks/{task.id}/{action}", data={"csrf_token": token})
        assert response.status_code == 302
        assert (begun.write, begun.read) == (1, 1)  # the action; the signed-in person
    assert alur.task(task.id).claimed_by is None
