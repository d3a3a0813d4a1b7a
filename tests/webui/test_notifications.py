"""The notification bell: the unread count in the navigation, the list, marking read."""

from __future__ import annotations

import re

from engine.storage.tables import Notification
from tests.webui.conftest import open_task, post


def _notify(alur, task, username: str, kind: str = "reminder") -> None:
    with alur.session() as s:
        s.add(
            Notification(
                username=username,
                kind=kind,
                instance_id=task.instance_id,
                human_task_id=task.id,
                subject=f"Tugas terlambat: {task.name}",
                message="Mohon segera diselesaikan.",
            )
        )


def _bell(page: str) -> str:
    return re.search(r'class="count[^"]*">(\d+)<span class="visually-hidden"> belum dibaca', page)[
        1
    ]


def test_bell_list_and_mark_read(login_as, started, alur):
    task = open_task(alur, started().id)
    _notify(alur, task, "kabid")
    _notify(alur, task, "kabid", "escalation")
    _notify(alur, task, "opd")
    kabid = login_as("kabid")
    assert _bell(kabid.get("/").text) == "3"  # with the new task for the Kabid's role
    page = kabid.get("/notifications/").text
    assert page.count("<strong>Tugas terlambat: Mengidentifikasi") == 2 and "Eskalasi" in page
    assert "<strong>Tugas baru untuk peran" in page
    assert f'href="/instances/{task.instance_id}"' in page and f'href="/tasks/{task.id}"' in page
    first = re.search(r'name="id" value="(\d+)"', page).group(1)
    page = post(kabid, "/notifications/read", {"id": first}, follow_redirects=True).text
    assert _bell(page) == "2"
    assert (
        "Tidak ada notifikasi yang belum dibaca." not in kabid.get("/notifications/?unread=1").text
    )
    page = post(kabid, "/notifications/read", follow_redirects=True).text
    assert _bell(page) == "0" and "Semua notifikasi ditandai sudah dibaca." in page
    assert "Tidak ada notifikasi yang belum dibaca." in kabid.get("/notifications/?unread=1").text
    assert alur.unread_count("opd") == 1  # another user's are untouched


def test_notifications_need_sign_in(client):
    assert client.get("/notifications/").status_code == 302
    assert client.post("/notifications/read").status_code in (302, 400)
