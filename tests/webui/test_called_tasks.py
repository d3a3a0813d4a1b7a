"""A task of a process a call activity started, in the browser's pages: the called process's
lane's holder finds it, its form is the called process's, completing it from the page carries
the caller on, and the instance page and its history show it."""

from __future__ import annotations

from pathlib import Path

from engine.inbox import InboxFilter
from engine.runtime.lifecycle import Completion
from tests.webui.conftest import post
from webui import demo

EDITORS = Path(__file__).resolve().parents[1] / "data" / "editors"


def test_a_called_task_from_inbox_to_completion(app, alur):
    alur.deploy([EDITORS], "admin")
    for name, key, lane in [
        ("loket", "permohonan_izin", "Staf Pelayanan"),
        ("verif", "verifikasi_berkas", "Verifikator"),
    ]:
        alur.add_user(name, [alur.roles.role(key, lane)], password=demo.PASSWORD)
    instance = alur.start("permohonan_izin", "loket")
    (first,) = alur.tasks(flt=InboxFilter(instance_id=instance.id))
    alur.complete(first.id, "loket", Completion(data={"nama_pemohon": "Budi"}))
    (called,) = alur.tasks(flt=InboxFilter(instance_id=instance.id))

    client = app.test_client()
    post(client, "/login", {"username": "verif", "password": demo.PASSWORD})
    inbox = client.get("/").text
    assert f'href="/tasks/{called.id}"' in inbox and "Memeriksa kelengkapan berkas" in inbox
    page = client.get(f"/tasks/{called.id}")
    assert page.status_code == 200
    assert (
        'Langkah 2:</span> <span lang="id">Memeriksa kelengkapan berkas' in page.text
    )  # the call's step
    assert "None" not in page.text
    assert 'name="field-lengkap"' in page.text and "Berkas lengkap" in page.text  # its own form
    done = post(client, f"/tasks/{called.id}/complete", {"field-lengkap": "true", "note": ""})
    assert done.status_code in (200, 302, 303), done.text
    (last,) = alur.tasks(flt=InboxFilter(instance_id=instance.id))
    assert last.name == "Menerbitkan izin"

    shown = client.get(f"/instances/{instance.id}")
    assert shown.status_code == 200
    assert "Memeriksa kelengkapan berkas" in shown.text and "Menerbitkan izin" in shown.text
    assert "None" not in shown.text
    history = client.get(f"/instances/{instance.id}/history.csv")
    assert history.status_code == 200 and "Memeriksa kelengkapan berkas" in history.text
