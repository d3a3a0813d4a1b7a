"""The inbox: my roles' open tasks, due dates, filters, the count in the navigation, htmx."""

from __future__ import annotations

from datetime import timedelta

from engine.storage.tables import HumanTask, utcnow
from tests.webui.conftest import open_task


def _set_due(alur, task_id: int, delta: timedelta) -> None:
    with alur.session() as s:
        s.get(HumanTask, task_id).due_at = utcnow() + delta


def test_inbox_lists_my_roles_open_tasks(login_as, started, alur):
    instance = started("sop_a", "Renja Dinas Pendidikan 2027")
    task = open_task(alur, instance.id)
    page = login_as("kabid").get("/").text
    assert "Renja Dinas Pendidikan 2027" in page
    assert f'href="/tasks/{task.id}"' in page
    assert '<span class="step-no">1.</span> <span lang="id">Mengidentifikasi Isu' in page
    assert ">A</abbr>" in page and "Asistensi Penyusunan Dokumen" in page
    assert " lagi" in page  # due relative, e.g. "30 jam lagi"
    assert 'class="count">1<' in page
    assert "Belum ada" in page  # nobody has claimed it


def test_other_roles_do_not_see_the_task(login_as, started):
    started()
    page = login_as("fungsional tertentu").get("/").text
    assert "Renja Dinas Pendidikan 2027" not in page
    assert 'class="count">0<' in page
    assert "Tidak ada tugas terbuka" in page


def test_overdue_tasks_are_marked(login_as, started, alur):
    task = open_task(alur, started().id)
    _set_due(alur, task.id, timedelta(hours=-3, minutes=-5))
    page = login_as("kabid").get("/").text
    assert 'class="overdue"' in page
    assert "terlambat 3 jam" in page
    assert "terlambat 3 jam</span>" in page  # said in words, not by colour alone


def test_filters_sop_overdue_mine_and_unclaimed(login_as, started, alur):
    a = open_task(alur, started("sop_a", "Proses A").id)
    b = open_task(alur, started("sop_b", "Proses B").id)
    _set_due(alur, b.id, timedelta(hours=-1))
    kabid = login_as("kabid")
    page = kabid.get("/?sop=sop_a").text
    assert "Proses A" in page and "Proses B" not in page
    page = kabid.get("/?overdue=1").text
    assert "Proses B" in page and "Proses A" not in page
    alur.claim(a.id, "kabid")
    page = kabid.get("/?view=mine").text
    assert "Proses A" in page and "Proses B" not in page
    page = kabid.get("/?view=unclaimed").text
    assert "Proses B" in page and "Proses A" not in page
    # unknown values fall back to everything
    page = kabid.get("/?sop=nope&view=nope").text
    assert "Proses A" in page and "Proses B" in page


def test_sorted_by_due(login_as, started, alur):
    first = open_task(alur, started("sop_a", "Proses pertama").id)
    second = open_task(alur, started("sop_a", "Proses kedua").id)
    _set_due(alur, first.id, timedelta(days=2))
    _set_due(alur, second.id, timedelta(days=1))
    kabid = login_as("kabid")
    page = kabid.get("/").text
    assert page.index("Proses kedua") < page.index("Proses pertama")
    page = kabid.get("/?order=late").text
    assert page.index("Proses pertama") < page.index("Proses kedua")


def test_tasks_claimed_by_someone_else_leave_my_inbox(login_as, started, alur):
    task = open_task(alur, started().id)
    alur.add_user("kabid2", ["Kabid Pemerintahan dan Sosial Budaya"], password="demo")
    alur.claim(task.id, "kabid2")
    page = login_as("kabid").get("/").text
    assert "Renja Dinas Pendidikan 2027" not in page
    page = login_as("kabid2").get("/").text
    assert "Renja Dinas Pendidikan 2027" in page and "Anda" in page


def test_htmx_filter_returns_only_the_results(login_as, started):
    started()
    kabid = login_as("kabid")
    response = kabid.get("/?sop=sop_a", headers={"HX-Request": "true"})
    assert "<html" not in response.text and "<table" in response.text
    restore = {"HX-Request": "true", "HX-History-Restore-Request": "true"}
    assert "<html" in kabid.get("/", headers=restore).text
