"""The clerk's day on the task page: send-back as its own action, drafts, removing a file."""

from __future__ import annotations

import io

from engine.storage.tables import TaskDraft
from tests.webui.conftest import advance_to, all_ticked, open_task, post


def _file(name: str, content: bytes):
    return (io.BytesIO(content), name)


def test_send_back_needs_no_checklist_but_a_reason(login_as, started, alur):
    task = advance_to(alur, started().id, 11)
    subkor = login_as("subkor.pemerintahan")
    page = subkor.get(f"/tasks/{task.id}").text
    assert 'data-label-no="Kembalikan ke langkah 10"' in page  # the button names where it goes
    no_reason = post(subkor, f"/tasks/{task.id}/complete", {"decision": "Tidak", "note": " "})
    assert no_reason.status_code == 422
    assert "Tuliskan alasan draf dikembalikan." in no_reason.text
    assert "centang, atau jelaskan" not in no_reason.text  # no checklist error for a send-back
    assert ">Kembalikan ke langkah 10</button>" in no_reason.text  # the choice is kept
    assert alur.task(task.id).state == "open"
    form = {"decision": "Tidak", "note": "Angka pagu belum sesuai"}
    response = post(subkor, f"/tasks/{task.id}/complete", form, follow_redirects=True)
    assert "Langkah 11 dikembalikan. Berikutnya: langkah 10" in response.text
    back = open_task(alur, task.instance_id)
    assert back.step_no == 10 and back.data["dikembalikan"]["reason"] == "Angka pagu belum sesuai"
    page = login_as("fungsional tertentu").get(f"/tasks/{back.id}").text
    assert "Angka pagu belum sesuai" in page


def test_approving_still_needs_the_checklist(login_as, started, alur):
    task = advance_to(alur, started().id, 11)
    subkor = login_as("subkor.pemerintahan")
    response = post(subkor, f"/tasks/{task.id}/complete", {"decision": "Ya"})
    assert response.status_code == 422 and "centang, atau jelaskan" in response.text
    assert alur.task(task.id).state == "open"


def test_a_draft_is_saved_restored_and_removed_on_completion(login_as, started, alur):
    task = open_task(alur, started().id)
    kabid = login_as("kabid")
    form = {"check-0": "1", "gap-1": "belum terbit", "note": "Setengah jalan"}
    response = post(kabid, f"/tasks/{task.id}/draft", form)
    assert response.status_code == 302
    page = kabid.get(f"/tasks/{task.id}").text
    assert 'id="check-0" name="check-0" value="1" checked' in page
    assert 'value="belum terbit"' in page and ">Setengah jalan</textarea>" in page
    assert "Draf disimpan" in page
    # the automatic save (task.js) asks for JSON; the last save wins
    auto = post(kabid, f"/tasks/{task.id}/draft", {"note": "Lebih lengkap"},
                headers={"Accept": "application/json"})  # fmt: skip
    assert auto.status_code == 200 and auto.json["saved_at"]
    page = kabid.get(f"/tasks/{task.id}").text
    assert ">Lebih lengkap</textarea>" in page and 'name="check-0" value="1" checked' not in page
    assert post(kabid, f"/tasks/{task.id}/complete", all_ticked(alur, task)).status_code == 302
    with alur.session() as s:
        assert s.query(TaskDraft).filter_by(human_task_id=task.id).count() == 0


def test_a_draft_needs_someone_who_may_complete_the_task(login_as, started, alur):
    task = open_task(alur, started().id)
    outsider = login_as("fungsional tertentu")
    assert post(outsider, f"/tasks/{task.id}/draft", {"note": "x"}).status_code == 403
    with alur.session() as s:
        assert s.query(TaskDraft).count() == 0


def test_a_draft_with_files_keeps_them_and_a_wrong_one_is_removed(login_as, started, alur):
    task = open_task(alur, started().id)
    kabid = login_as("kabid")
    form = {"note": "x", "files": [_file("salah.pdf", b"%salah"), _file("benar.pdf", b"%benar")]}
    response = post(kabid, f"/tasks/{task.id}/draft", form, content_type="multipart/form-data")
    assert response.status_code == 302
    wrong, right = alur.files_of(task.instance_id)
    blob = alur.files.path(wrong.sha256)
    assert blob.exists()
    page = kabid.get(f"/tasks/{task.id}").text
    assert 'aria-label="Hapus salah.pdf"' in page
    # only its uploader may remove it
    outsider = login_as("fungsional tertentu")
    assert post(outsider, f"/tasks/{task.id}/files/{wrong.id}/remove").status_code == 403
    response = post(kabid, f"/tasks/{task.id}/files/{wrong.id}/remove", {"note": "tetap"})
    assert response.status_code == 302
    assert [f.name for f in alur.files_of(task.instance_id)] == ["benar.pdf"]
    assert not blob.exists() and alur.files.path(right.sha256).exists()
    page = kabid.get(f"/tasks/{task.id}").text
    assert ">tetap</textarea>" in page  # what was typed survived the removal
    assert post(kabid, f"/tasks/{task.id}/files/{wrong.id}/remove").status_code == 404
    assert post(kabid, f"/tasks/{task.id}/complete", all_ticked(alur, task)).status_code == 302
    assert alur.task(task.id).data["files"] == [right.id]
    # once completed, a file stays
    assert post(kabid, f"/tasks/{task.id}/files/{right.id}/remove").status_code == 409


def test_a_blob_shared_with_another_file_is_kept(login_as, started, alur):
    task = open_task(alur, started().id)
    kabid = login_as("kabid")
    form = {"files": [_file("a.pdf", b"%sama"), _file("b.pdf", b"%sama")]}
    post(kabid, f"/tasks/{task.id}/draft", form, content_type="multipart/form-data")
    first, second = alur.files_of(task.instance_id)
    assert post(kabid, f"/tasks/{task.id}/files/{first.id}/remove").status_code == 302
    assert alur.files.path(second.sha256).exists()  # b.pdf still needs the bytes


def test_a_task_completed_meanwhile_says_who_and_when_and_keeps_the_note(login_as, started, alur):
    task = open_task(alur, started().id)
    mine, theirs = login_as("kabid"), login_as("kabid")
    assert post(theirs, f"/tasks/{task.id}/complete", all_ticked(alur, task)).status_code == 302
    form = all_ticked(alur, task) | {
        "note": "Catatan panjang saya",
        "files": [_file("hasil.pdf", b"%hasil")],
    }
    response = post(mine, f"/tasks/{task.id}/complete", form, content_type="multipart/form-data")
    assert response.status_code == 409
    done = alur.task(task.id)
    assert 'title="kabid">Demo Kabid</span> sudah menyelesaikan langkah ini pada' in response.text
    assert done.completed_by == "kabid"
    assert (
        '<textarea id="your-note" rows="4" readonly>Catatan panjang saya</textarea>'
        in response.text
    )
    [kept] = alur.files_of(task.instance_id)  # kept to reuse, not as the step's output
    assert (kept.name, kept.human_task_id) == ("hasil.pdf", None)
    assert f'/files/{kept.id}" download>hasil.pdf</a>' in response.text


def test_a_completed_task_shows_its_completion_not_a_due_date(login_as, started, alur):
    task = open_task(alur, started().id)
    kabid = login_as("kabid")
    page = kabid.get(f"/tasks/{task.id}").text
    assert "<dt>Tenggat</dt>" in page
    assert 'class="button secondary file-button" aria-hidden="true">Pilih berkas</label>' in page
    response = post(kabid, f"/tasks/{task.id}/complete", all_ticked(alur, task))
    assert response.status_code == 302 and "#" not in response.headers["Location"]
    flash = kabid.get(response.headers["Location"]).text
    assert "Berikutnya: langkah 2, " in flash and ", oleh Kabid" in flash
    page = kabid.get(f"/tasks/{task.id}").text
    assert (
        "<dt>Tenggat</dt>" not in page
        and 'Diselesaikan oleh <span class="person" title="kabid">Demo Kabid</span>' in page
    )
    earlier = page[page.index('id="earlier-title"') :]
    assert "Langkah 1</strong>" not in earlier  # not listed among its own earlier steps


def test_cancelling_the_process_removes_its_drafts(login_as, started, alur):
    instance = started()
    task = open_task(alur, instance.id)
    kabid = login_as("kabid")
    assert post(kabid, f"/tasks/{task.id}/draft", {"note": "setengah"}).status_code == 302
    alur.cancel(instance.id, "kabid", "salah judul")
    with alur.session() as s:
        assert s.query(TaskDraft).count() == 0
