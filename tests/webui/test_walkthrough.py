"""SOP A from start to finish through the pages, by the role users, with one send-back."""

from __future__ import annotations

import io
import re

from tests.webui.conftest import open_task, post, username_for

STEP_LINK = re.compile(r'href="/tasks/(\d+)"')


def test_sop_a_walked_through_by_its_roles(login_as, alur):
    clients: dict[str, object] = {}

    def as_user(role: str):
        name = username_for(role)
        if name not in clients:
            clients[name] = login_as(name)
        return clients[name]

    kabid = as_user("kabid")
    response = post(kabid, "/start/sop_a", {"title": "Asistensi Renja Dinas Kesehatan 2027"})
    assert response.status_code == 302
    (instance,) = alur.instances()
    visited, sent_back = [], False
    while alur.instance(instance.id).state == "running":
        task = open_task(alur, instance.id)
        staff = as_user(task.role)
        # the task is in this user's inbox, and opening it shows its checklist
        inbox = staff.get("/").text
        assert f'href="/tasks/{task.id}"' in inbox
        page = staff.get(f"/tasks/{task.id}").text
        assert f"Langkah {task.step_no}:" in page
        checks = dict.fromkeys(re.findall(r'name="(check-\d+)"', page), "1")
        form = {**checks, "note": f"Langkah {task.step_no} dikerjakan"}
        if 'name="decision"' in page:
            form["decision"] = "Ya"
        if task.step_no == 12 and not sent_back:
            form |= {"decision": "Tidak", "note": "Rumusan belum memuat pagu indikatif"}
            sent_back = True
        if task.step_no == 10:
            form["files"] = [(io.BytesIO(b"draf rumusan " * 50), f"draf-{len(visited)}.docx")]
        response = post(
            staff, f"/tasks/{task.id}/complete", form, content_type="multipart/form-data"
        )
        assert response.status_code == 302, response.text
        flash = staff.get("/").text
        assert f"Langkah {task.step_no}" in flash
        visited.append(task.step_no)
        assert len(visited) < 40

    assert visited == [*range(1, 13), 10, 11, 12, 13, 14]
    assert "Langkah 14 selesai. Proses selesai." in flash
    assert alur.instance(instance.id).state == "completed"
    # the second draft was made knowing why the first came back
    returned = [e for e in alur.history(instance.id) if e.kind == "sent_back"]
    assert returned[0].data["reason"] == "Rumusan belum memuat pagu indikatif"
    assert sorted(f.name for f in alur.files_of(instance.id)) == ["draf-12.docx", "draf-9.docx"]
    page = kabid.get("/mine/").text
    assert "Asistensi Renja Dinas Kesehatan 2027" in page and "Selesai" in page
    assert set(clients) >= {"kabid", "fungsional.tertentu", "fungsional.umum", "kaban"}
