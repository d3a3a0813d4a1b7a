"""The task page: what it shows, who may open it, the checklist, decisions, uploads."""

from __future__ import annotations

import io
import re

import pytest

from engine.errors import Conflict
from engine.runtime.lifecycle import Completion
from tests.webui.conftest import (
    MAX_UPLOAD_MB,
    advance_to,
    all_ticked,
    csrf_token,
    open_task,
    post,
)

LIMIT = int(float(MAX_UPLOAD_MB) * 1024 * 1024)


def _file(name: str, size: int, fill: bytes = b"x"):
    return (io.BytesIO(fill * size), name)


def test_task_page_shows_sop_step_checklist_and_outputs(login_as, started, alur):
    task = open_task(alur, started().id)
    page = login_as("kabid").get(f"/tasks/{task.id}").text
    assert "SOP A" in page and "Asistensi Penyusunan Dokumen" in page
    assert "Langkah 1:" in page and "Mengidentifikasi Isu Strategis Daerah" in page
    for item in ("Peraturan Perundang-undangan", "Kebijakan Pusat", "Disposisi"):
        assert item in page  # the Kelengkapan as a checklist
    assert 'name="check-0"' in page and 'name="gap-0"' in page
    assert "Agenda koordinasi internal" in page  # the expected output
    assert "300 Menit" in page  # the Waktu of the SOP
    assert 'type="file"' in page and "Ambil tugas ini" in page
    assert "Ini langkah pertama" in page
    assert 'name="decision"' not in page  # step 1 is no decision


def test_another_roles_task_is_refused(login_as, started, alur):
    task = open_task(alur, started().id)
    staff = login_as("fungsional tertentu")
    response = staff.get(f"/tasks/{task.id}")
    assert response.status_code == 403
    assert "milik peran Kabid Pemerintahan dan Sosial Budaya" in response.text
    assert post(staff, f"/tasks/{task.id}/complete", all_ticked(alur, task)).status_code == 403
    assert post(staff, f"/tasks/{task.id}/claim").status_code == 403
    assert open_task(alur, task.instance_id).id == task.id


def test_missing_task_is_404(login_as):
    response = login_as("kabid").get("/tasks/999")
    assert response.status_code == 404 and "Tugas 999 tidak ada" in response.text


def test_claim_and_unclaim(login_as, started, alur):
    task = open_task(alur, started().id)
    kabid = login_as("kabid")
    response = post(kabid, f"/tasks/{task.id}/claim", follow_redirects=True)
    assert "Anda mengambil tugas ini" in response.text and "Diambil oleh Anda" in response.text
    assert alur.task(task.id).claimed_by == "kabid"
    response = post(kabid, f"/tasks/{task.id}/unclaim", follow_redirects=True)
    assert "Tugas kembali ke kotak masuk perannya." in response.text
    assert alur.task(task.id).claimed_by is None


def test_a_task_taken_by_a_colleague_is_read_only(login_as, started, alur):
    task = open_task(alur, started().id)
    alur.add_user("kabid2", ["Kabid Pemerintahan dan Sosial Budaya"], password="demo")
    alur.claim(task.id, "kabid2")
    kabid = login_as("kabid")
    page = kabid.get(f"/tasks/{task.id}").text
    assert (
        'title="kabid2">kabid2</span> telah mengambil tugas ini' in page
        and 'type="file"' not in page
    )
    form = all_ticked(alur, task) | {"note": "sudah saya kerjakan"}
    response = post(kabid, f"/tasks/{task.id}/complete", form)
    assert response.status_code == 409  # taken meanwhile: who, when, and my note to reuse
    assert 'title="kabid2">kabid2</span> mengambil langkah ini pada' in response.text
    assert ">sudah saya kerjakan</textarea>" in response.text
    assert alur.task(task.id).state == "open"


def test_a_step_completed_meanwhile_keeps_my_note_and_my_file(login_as, started, alur):
    task = open_task(alur, started().id)
    kabid = login_as("kabid")
    mine = {"note": "versi saya", "files": [_file("agenda.pdf", 900, b"%")]}
    form = all_ticked(alur, task) | mine
    alur.add_user("kabid2", ["Kabid Pemerintahan dan Sosial Budaya"], password="demo")
    alur.complete(task.id, "kabid2", Completion())  # a colleague was quicker
    response = post(kabid, f"/tasks/{task.id}/complete", form)
    assert response.status_code == 409
    assert 'title="kabid2">kabid2</span> sudah menyelesaikan langkah ini pada' in response.text
    assert "Tugas 1 sudah selesai" in response.text  # the state in Indonesian too
    assert ">versi saya</textarea>" in response.text
    link = re.search(r'href="(/instances/\d+/files/(\d+))" download>agenda.pdf<', response.text)
    assert link
    assert kabid.get(link[1]).data == b"%" * 900  # the very bytes, to download and reuse
    [kept] = [f for f in alur.files_of(task.instance_id) if f.id == int(link[2])]
    assert (kept.uploaded_by, kept.human_task_id) == ("kabid", None)  # not the step's output
    assert alur.task(task.id).completed_by == "kabid2"
    [event] = [e for e in alur.history(task.instance_id) if e.kind == "file_kept"]
    assert (event.actor, event.step_no, event.data["file"]) == ("kabid", 1, kept.id)
    page = kabid.get(f"/instances/{task.instance_id}").text
    assert "Berkas disimpan" in page and f"/files/{kept.id}" in page
    # a person who may still complete the task attaches files to it instead
    with pytest.raises(Conflict):
        alur.keep_overtaken_files(open_task(alur, task.instance_id).id, "kabid", [])


def test_the_checklist_must_be_complete_or_each_gap_explained(login_as, started, alur):
    task = open_task(alur, started().id)
    kabid = login_as("kabid")
    form = {"check-0": "1", "check-1": "1", "note": "catatan saya"}
    response = post(kabid, f"/tasks/{task.id}/complete", form)
    assert response.status_code == 422
    assert "Kebijakan Kepala Daerah: centang, atau jelaskan apa yang kurang." in response.text
    assert "Disposisi: centang, atau jelaskan" in response.text
    assert "catatan saya" in response.text  # what was typed is kept
    assert alur.task(task.id).state == "open"
    form |= {"check-2": "1", "gap-3": "Disposisi menyusul minggu depan"}
    response = post(kabid, f"/tasks/{task.id}/complete", form)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    done = alur.task(task.id)
    assert done.state == "completed" and done.data["note"] == "catatan saya"
    assert done.data["checklist"]["Disposisi"] == "Disposisi menyusul minggu depan"
    assert done.data["checklist"]["Kebijakan Pusat"] is True


def test_completing_says_where_the_process_went(login_as, started, alur):
    task = open_task(alur, started().id)
    kabid = login_as("kabid")
    response = post(kabid, f"/tasks/{task.id}/complete", all_ticked(alur, task))
    page = kabid.get(response.headers["Location"]).text
    assert "Langkah 1 selesai. Berikutnya: langkah 2" in page
    assert "Kabid Pemerintahan dan Sosial Budaya" in page
    assert "Melaksanakan analisis, kajian, diskusi internal" in page  # the next step, in the inbox


def test_completing_twice_is_a_conflict(login_as, started, alur):
    task = open_task(alur, started().id)
    kabid = login_as("kabid")
    assert post(kabid, f"/tasks/{task.id}/complete", all_ticked(alur, task)).status_code == 302
    response = post(kabid, f"/tasks/{task.id}/complete", all_ticked(alur, task))
    assert response.status_code == 409


def test_send_back_needs_a_reason(login_as, started, alur):
    task = advance_to(alur, started().id, 11)
    subkor = login_as("subkor.pemerintahan")
    page = subkor.get(f"/tasks/{task.id}").text
    assert "Draft Rumusan sudah benar?" in page
    assert "Setuju (Ya)" in page and "Kembalikan (Tidak)" in page
    form = all_ticked(alur, task) | {"decision": "Tidak", "note": "  "}
    response = post(subkor, f"/tasks/{task.id}/complete", form)
    assert response.status_code == 422
    assert "Tuliskan alasan draf dikembalikan." in response.text
    assert alur.task(task.id).state == "open"
    response = post(subkor, f"/tasks/{task.id}/complete", all_ticked(alur, task))
    assert (
        response.status_code == 422
        and "Pilih Setuju (Ya) atau Kembalikan (Tidak)." in response.text
    )
    form["note"] = "Angka pagu belum sesuai"
    response = post(subkor, f"/tasks/{task.id}/complete", form, follow_redirects=True)
    assert "Langkah 11 dikembalikan. Berikutnya: langkah 10" in response.text
    back = open_task(alur, task.instance_id)
    assert back.step_no == 10 and back.data["dikembalikan"]["reason"] == "Angka pagu belum sesuai"
    page = login_as("fungsional tertentu").get(f"/tasks/{back.id}").text
    assert "Dikembalikan dari langkah 11" in page and "Angka pagu belum sesuai" in page
    person = '<span class="person" title="subkor.pemerintahan">Demo Subkor Pemerintahan</span>'
    assert f"{person} mengembalikan draf" in page  # the name, the login on hover
    assert "Kelengkapan yang dinyatakan tidak ada" not in page  # every item was ticked


def test_a_returned_draft_shows_the_kelengkapan_the_reviewer_found_missing(login_as, started, alur):
    task = advance_to(alur, started().id, 11)
    items = alur.instance(task.instance_id).definition.sop["steps"][10]["kelengkapan"]
    form = all_ticked(alur, task) | {"decision": "Tidak", "note": "Lengkapi dulu"}
    del form["check-0"]
    form["gap-0"] = "notulen rapat belum dilampirkan"
    subkor = login_as("subkor.pemerintahan")
    assert post(subkor, f"/tasks/{task.id}/complete", form).status_code == 302
    back = open_task(alur, task.instance_id)
    page = login_as("fungsional tertentu").get(f"/tasks/{back.id}").text
    start = page.index('id="returned-title"')
    notice = page[start : page.index("</section>", start)]
    assert "Lengkapi dulu" in notice and "Kelengkapan yang dinyatakan tidak ada" in notice
    assert f"<dt>Tidak ada: {items[0]}</dt><dd>notulen rapat belum dilampirkan</dd>" in notice
    assert all(f"Tidak ada: {item}" not in notice for item in items[1:])


def test_upload_is_stored_and_downloadable(login_as, started, alur):
    task = open_task(alur, started().id)
    kabid = login_as("kabid")
    form = all_ticked(alur, task) | {"files": [_file("agenda.pdf", 1000, b"%")]}
    response = post(kabid, f"/tasks/{task.id}/complete", form, content_type="multipart/form-data")
    assert response.status_code == 302
    (stored,) = alur.files_of(task.instance_id)
    assert stored.name == "agenda.pdf" and stored.content_type == "application/pdf"
    assert alur.task(task.id).data["files"] == [stored.id]
    following = open_task(alur, task.instance_id)
    page = kabid.get(f"/tasks/{following.id}").text
    assert "agenda.pdf" in page  # among the earlier outputs
    download = kabid.get(f"/tasks/{following.id}/files/{stored.id}")
    assert download.status_code == 200 and download.data == b"%" * 1000
    assert download.headers["Content-Disposition"].startswith("attachment")
    outsider = login_as("fungsional tertentu")
    assert outsider.get(f"/tasks/{following.id}/files/{stored.id}").status_code == 403
    assert kabid.get(f"/tasks/{following.id}/files/999").status_code == 404


def test_oversized_upload_is_refused_and_nothing_is_lost(login_as, started, alur):
    task = open_task(alur, started().id)
    kabid = login_as("kabid")
    form = all_ticked(alur, task) | {
        "note": "Isi catatan panjang",
        "files": [_file("kecil.pdf", 10), _file("besar.pdf", LIMIT + 1)],
    }
    response = post(kabid, f"/tasks/{task.id}/complete", form, content_type="multipart/form-data")
    assert response.status_code == 422
    assert "besar.pdf lebih besar dari 0,05 MB" in response.text
    assert (
        "Isi catatan panjang" in response.text
        and 'name="check-0" value="1" checked' in response.text
    )
    assert alur.task(task.id).state == "open"
    assert alur.files_of(task.instance_id) == []  # not even the small one


def test_a_request_over_the_total_limit_is_413(login_as, started, alur, app):
    task = open_task(alur, started().id)
    kabid = login_as("kabid")
    boundary = "batas"
    fields = {"csrf_token": csrf_token(kabid)} | all_ticked(alur, task)
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
        for k, v in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="files"; '
        f'filename="sangat-besar.pdf"\r\nContent-Type: application/pdf\r\n\r\n'.encode()
        + b"x" * (app.config["MAX_CONTENT_LENGTH"] + 1)
        + f"\r\n--{boundary}--\r\n".encode()
    )
    # a bytes body: the test client keeps it in memory (no temporary file left open)
    response = kabid.post(
        f"/tasks/{task.id}/complete",
        data=b"".join(parts),
        content_type=f"multipart/form-data; boundary={boundary}",
    )
    assert response.status_code == 413
    assert "Unggahan terlalu besar" in response.text
    assert alur.task(task.id).state == "open"


def test_file_types_are_limited(login_as, started, alur):
    task = open_task(alur, started().id)
    kabid = login_as("kabid")
    form = all_ticked(alur, task) | {"files": [_file("skrip.exe", 10)]}
    response = post(kabid, f"/tasks/{task.id}/complete", form, content_type="multipart/form-data")
    assert response.status_code == 422
    assert "skrip.exe: jenis berkas ini tidak diterima" in response.text
    assert alur.task(task.id).state == "open"


def test_valid_files_are_kept_when_the_rest_of_the_form_is_wrong(login_as, started, alur):
    task = open_task(alur, started().id)
    kabid = login_as("kabid")
    form = {"files": [_file("draf.docx", 100)]}
    response = post(kabid, f"/tasks/{task.id}/complete", form, content_type="multipart/form-data")
    assert response.status_code == 422 and "Sudah tersimpan pada langkah ini" in response.text
    response = post(kabid, f"/tasks/{task.id}/complete", all_ticked(alur, task))
    assert response.status_code == 302
    (stored,) = alur.files_of(task.instance_id)
    assert alur.task(task.id).data["files"] == [stored.id]


def test_an_upload_to_a_task_one_may_not_see_stores_nothing(login_as, started, alur):
    task = open_task(alur, started().id)
    staff = login_as("fungsional tertentu")
    form = {"csrf_token": csrf_token(staff), **all_ticked(alur, task), "files": _file("a.pdf", 10)}
    response = staff.post(f"/tasks/{task.id}/complete", data=form)
    assert response.status_code == 403
    root = alur.files.root
    assert not root.exists() or not any(p.is_file() for p in root.rglob("*"))
    assert alur.files_of(task.instance_id) == []
