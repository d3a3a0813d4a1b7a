"""Transactions per request: a completion, a claim, a hand-back are one write each (plus the
signed-in person's read); a page (GET) is one read transaction however many rows it shows."""

from __future__ import annotations

from tests.transactions import statements, transactions
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


def test_my_processes_page_reads_the_same_however_many_rows(login_as, started, alur):
    kabid = login_as("kabid")
    started("sop_a", "Pertama")
    kabid.get("/mine/")
    with transactions(alur) as one:
        page = kabid.get("/mine/").text
    for n in range(5):
        started("sop_b", f"Proses {n}")
    with transactions(alur) as six:
        page = kabid.get("/mine/").text
    assert "Proses 4" in page and "Pertama" in page
    # person, the page's rows, navigation, role names, people: one read transaction
    assert (six.write, six.read) == (one.write, one.read) == (0, 1)


def test_the_inbox_reads_the_same_however_many_tasks(login_as, started, alur):
    kabid = login_as("kabid")
    started("sop_a", "Pertama")
    kabid.get("/")
    with transactions(alur) as one:
        kabid.get("/")
    for n in range(5):
        started("sop_b", f"Proses {n}")
    with transactions(alur) as six:
        page = kabid.get("/").text
    assert "Proses 4" in page and "Pertama" in page
    assert (six.write, six.read) == (one.write, one.read) == (0, 1)


def test_the_task_and_instance_pages_are_one_read_each(login_as, started, alur):
    instance = started()
    task = open_task(alur, instance.id)
    kabid = login_as("kabid")
    for url, shown in ((f"/tasks/{task.id}", task.name), (f"/instances/{instance.id}", task.name)):
        with transactions(alur) as begun:
            response = kabid.get(url)
        assert response.status_code == 200 and shown in response.text
        # the person, the page, the navigation, role labels and names: one transaction
        assert (begun.write, begun.read) == (0, 1), url


def test_a_page_reads_the_signed_in_person_once(login_as, started, alur):
    task = open_task(alur, started().id)
    kabid = login_as("kabid")
    for url in ("/", f"/tasks/{task.id}"):
        with statements(alur) as sent:
            assert kabid.get(url).status_code == 200
        # the sign-in check, the page's access rules and the navigation: one person read
        persons = [s for s in sent if "users.session_epoch" in s]
        assert len(persons) == 1, url


def test_a_form_shown_again_with_its_errors_reads_in_one_transaction(login_as, started, alur):
    task = open_task(alur, started().id)
    kabid = login_as("kabid")
    form = {"csrf_token": csrf_token(kabid)}  # nothing of the checklist ticked
    with transactions(alur) as begun:
        response = kabid.post(f"/tasks/{task.id}/complete", data=form)
    assert response.status_code == 422
    assert open_task(alur, task.instance_id).id == task.id  # still open
    # the signed-in person; the write that found the form wanting; the page shown again
    assert (begun.write, begun.read) == (1, 2)
