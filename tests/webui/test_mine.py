"""'My processes': what I started or worked on, and the step each one is at."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import update

from engine.runtime.lifecycle import Completion
from engine.storage.tables import HumanTask
from tests.webui.conftest import open_task


def test_lists_started_and_worked_on_processes_with_their_step(login_as, started, alur):
    mine = started("sop_a", "Proses yang saya mulai")
    other = started("sop_b", "Proses orang lain")
    alur.add_user("kabid2", ["Kabid Pemerintahan dan Sosial Budaya"], password="demo")
    page = login_as("kabid2").get("/mine/").text
    assert "Anda belum memulai atau mengerjakan proses apa pun." in page
    alur.complete(open_task(alur, other.id).id, "kabid2", Completion())
    page = login_as("kabid2").get("/mine/").text
    assert "Proses orang lain" in page and "Proses yang saya mulai" not in page
    page = login_as("kabid").get("/mine/").text
    assert "Proses yang saya mulai" in page and "Proses orang lain" in page
    task = open_task(alur, mine.id)
    assert f'href="/tasks/{task.id}"' in page  # the current step, linked when it is mine
    assert 'Langkah 1: <span lang="id">Mengidentifikasi Isu Strategis' in page


def test_a_step_of_another_role_is_shown_without_a_link(login_as, started, alur):
    instance = started()
    for _ in range(3):  # steps 1-3 are the Kabid's; step 4 is the Fungsional Tertentu's
        alur.complete(open_task(alur, instance.id).id, "kabid", Completion())
    task = open_task(alur, instance.id)
    page = login_as("kabid").get("/mine/").text
    assert 'Langkah 4: <span lang="id">Menyusun Rencana Movev' in page
    assert f'href="/tasks/{task.id}"' not in page and "Fungsional Tertentu" in page


def test_each_current_step_shows_its_due_and_overdue_rows_are_marked(login_as, started, alur):
    started("sop_a", "Masih ada waktu")
    late = started("sop_b", "Sudah lewat")
    with alur.session() as s:
        s.execute(
            update(HumanTask)
            .where(HumanTask.instance_id == late.id)
            .values(due_at=datetime.now(UTC) - timedelta(days=2))
        )
    page = login_as("kabid").get("/mine/").text
    late_row, on_time_row = _row(page, "Sudah lewat"), _row(page, "Masih ada waktu")
    assert late_row.startswith(' class="overdue">')
    assert 'class="due late"' in late_row and "terlambat" in late_row
    assert on_time_row.startswith(' class="">') and "terlambat" not in on_time_row
    assert 'class="due"' in on_time_row and " lagi</span>" in on_time_row


def _row(page: str, title: str) -> str:
    """The table row (from just after '<tr') that names the process."""
    return next(row for row in page.split("<tr")[1:] if title in row)
