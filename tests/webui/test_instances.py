"""The instance page: facts, highlighted steps, timeline, working time; who may read it."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import UTC, datetime, timedelta

from lxml import etree
from sqlalchemy import update

from engine.files import Upload
from engine.inbox import InboxFilter
from engine.runtime.lifecycle import Completion
from engine.storage.tables import HumanTask
from tests.webui.conftest import advance_to, open_task, post, username_for

MARKS = re.compile(r"data-marks='([^']*)'")


def svg_text(data: bytes) -> str:
    """The SVG's text elements joined by spaces (wrapped headers read as one line)."""
    root = etree.fromstring(data)
    return " ".join(" ".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text"))


def _sent_back(alur, instance_id: int):
    """Steps 1-11 done, step 12 sent back (Tidak) by the Kabid: step 10 is open again."""
    task = advance_to(alur, instance_id, 12)
    alur.complete(task.id, "kabid", Completion(decision="Tidak", note="Pagu indikatif belum ada"))
    return open_task(alur, instance_id)


def _marks(page: str) -> dict:
    return json.loads(MARKS.search(page).group(1))


def test_page_shows_the_facts_current_step_and_links(login_as, started, alur):
    instance = started()
    task = open_task(alur, instance.id)
    page = login_as("kabid").get(f"/instances/{instance.id}").text
    assert "Renja Dinas Pendidikan 2027" in page
    assert "SOP A" in page and "Asistensi Penyusunan Dokumen" in page and "versi 1" in page
    assert (
        "Berjalan" in page and 'oleh <span class="person" title="kabid">Demo Kabid</span>' in page
    )
    assert "Langkah 1:" in page and "Kabid Pemerintahan dan Sosial Budaya" in page
    assert "belum diambil" in page
    assert f'href="/tasks/{task.id}"' in page  # the current step, for one who may open it
    assert f"/instances/{instance.id}/history.csv" in page
    assert f'data-bpmn-url="/instances/{instance.id}/diagram.bpmn"' in page
    assert "bpmn-navigated-viewer.production.min.js" in page and "static/diagram.js" in page
    assert _marks(page) == {"Langkah_1": "current"}


def test_steps_done_current_and_sent_back_are_marked(login_as, started, alur):
    instance = started()
    _sent_back(alur, instance.id)
    page = login_as("auditor").get(f"/instances/{instance.id}").text
    marks = _marks(page)
    assert marks["Langkah_10"] == "current"
    assert {marks[f"Langkah_{n}"] for n in (1, 2, 9, 11, 12)} == {"done"}
    assert "Langkah_13" not in marks and "Langkah_14" not in marks
    # the timeline: the send-back with its reason, who did it, and the step opened again
    assert "Dikembalikan" in page and "Pagu indikatif belum ada" in page
    assert "Diselesaikan" in page and "Langkah siap" in page and "Demo Subkor Pemerintahan" in page


def test_decision_gateways_take_their_steps_mark_and_the_answer_marks_its_path(
    login_as, started, alur
):
    instance = started()
    task = advance_to(alur, instance.id, 11)
    marks = _marks(login_as("auditor").get(f"/instances/{instance.id}").text)
    assert marks["Langkah_11"] == "current" and "Keputusan_11" not in marks  # not decided yet
    alur.complete(task.id, username_for(task.role), Completion(decision="Ya"))
    task = open_task(alur, instance.id)
    alur.complete(task.id, username_for(task.role), Completion(decision="Tidak", note="Pagu"))
    marks = _marks(login_as("auditor").get(f"/instances/{instance.id}").text)
    # step 11 said Ya (Flow_13 to step 12), step 12 said Tidak (Flow_17 back to step 10)
    assert {k: marks.get(k) for k in ("Keputusan_11", "Keputusan_12", "Keputusan_13")} == {
        "Keputusan_11": "done",
        "Keputusan_12": "done",
        "Keputusan_13": None,
    }
    assert {k for k, v in marks.items() if v == "taken"} == {"Flow_13", "Flow_17"}
    assert marks["Langkah_10"] == "current"
    # step 10 done again: step 11 is current once more, so its gateway and path are not marked
    task = open_task(alur, instance.id)
    alur.complete(task.id, username_for(task.role), Completion())
    marks = _marks(login_as("auditor").get(f"/instances/{instance.id}").text)
    assert marks["Langkah_11"] == "current" and "Keputusan_11" not in marks
    assert {k for k, v in marks.items() if v == "taken"} == {"Flow_17"}


def test_the_bpmn_view_explains_the_path_marker(login_as, started):
    instance = started()
    kabid = login_as("kabid")
    assert "Jalur yang diambil pada keputusan" in kabid.get(f"/instances/{instance.id}").text
    page = kabid.get(f"/instances/{instance.id}?view=sop").text
    assert "Jalur yang diambil pada keputusan" not in page  # the flowchart draws no paths


def test_overdue_step_is_marked_overdue(login_as, started, alur):
    instance = started()
    with alur.session() as s:
        s.execute(update(HumanTask).values(due_at=datetime.now(UTC) - timedelta(hours=1)))
    page = login_as("kabid").get(f"/instances/{instance.id}").text
    assert _marks(page) == {"Langkah_1": "overdue"}
    assert "terlambat" in page


def test_sop_view_shows_the_flowchart_with_the_overlay(login_as, started, alur):
    instance = started()
    advance_to(alur, instance.id, 3)
    kabid = login_as("kabid")
    page = kabid.get(f"/instances/{instance.id}?view=sop").text
    assert f'src="/instances/{instance.id}/flowchart.svg"' in page
    assert 'aria-current="page">Bagan alir SOP AP' in page
    assert "data-bpmn-url" not in page and "bpmn-navigated-viewer" not in page
    svg = kabid.get(f"/instances/{instance.id}/flowchart.svg")
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml"
    text = svg_text(svg.data)
    assert "Pelaksana" in text and "Kelengkapan" in text
    assert "Kabid Pemerintahan dan Sosial Budaya" in text and "Fungsional Tertentu" in text
    assert "Selesai" in text and "Demo Kabid" in text  # the legend and a done step's actor


def test_flowchart_downloads_are_real_files(login_as, started):
    instance = started()
    auditor = login_as("auditor")
    png = auditor.get(f"/instances/{instance.id}/flowchart.png?download=1")
    assert png.data.startswith(b"\x89PNG\r\n\x1a\n")
    assert "attachment" in png.headers["Content-Disposition"]
    pdf = auditor.get(f"/instances/{instance.id}/flowchart.pdf")
    assert pdf.data.startswith(b"%PDF-") and pdf.mimetype == "application/pdf"
    assert auditor.get(f"/instances/{instance.id}/flowchart.gif").status_code == 404


def test_diagram_endpoint_gives_the_definition_xml(login_as, started, alur):
    instance = started()
    response = login_as("kabid").get(f"/instances/{instance.id}/diagram.bpmn")
    assert response.status_code == 200 and response.mimetype == "application/octet-stream"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.data == alur.definition("sop_a", 1).xml


def test_history_csv(login_as, started, alur):
    instance = started()
    task = advance_to(alur, instance.id, 4)
    upload = Upload("rencana movev.pdf", b"%PDF-1.4 x", "application/pdf")
    alur.complete(task.id, "fungsional.tertentu", Completion(note="=SUM(A1)"), [upload])
    _sent_back(alur, instance.id)
    response = login_as("auditor").get(f"/instances/{instance.id}/history.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.data.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM for Excel
    lines = response.data.decode("utf-8-sig").splitlines()
    assert lines[0] == "waktu,jenis,pelaku,langkah,keputusan,catatan,berkas"
    assert lines[1].split(",")[1:3] == ["Dimulai", "Demo Kabid (kabid)"]
    assert any("rencana movev.pdf" in line and "'=SUM(A1)" in line for line in lines)
    assert any(",Tidak,Pagu indikatif belum ada," in line for line in lines)
    assert re.match(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,", lines[1])


def test_working_time_against_mutu_baku(login_as, started, alur):
    instance = started()
    advance_to(alur, instance.id, 3)
    with alur.session() as s:  # step 1's Waktu is 300 Menit
        s.execute(update(HumanTask).where(HumanTask.step_no == 1).values(working_minutes=301))
    page = login_as("kabid").get(f"/instances/{instance.id}").text
    section = page[page.index("Waktu kerja per langkah") :]
    assert "5 jam 01 menit" in section and "300 Menit" in section
    assert section.count("badge-late") == 1 and "lewat 1 menit" in section  # step 2: 0 of 420


def test_readers_and_refusals(app, login_as, started, alur):
    instance = started()
    url = f"/instances/{instance.id}"
    for who in ("kabid", "auditor", "admin"):
        assert login_as(who).get(url).status_code == 200, who
    outsider = login_as("subkor.sosbud")  # no role in SOP A
    response = outsider.get(url)
    assert response.status_code == 403 and "tidak terlibat" in response.text
    for path in ("/diagram.bpmn", "/flowchart.svg", "/history.csv", "/files/1"):
        assert outsider.get(url + path).status_code == 403, path
    anonymous = app.test_client().get(url)
    assert anonymous.status_code == 302 and anonymous.headers["Location"].startswith("/login")
    assert login_as("kabid").get("/instances/999").status_code == 404


def test_staff_who_acted_may_read(login_as, started, alur):
    instance = started()
    advance_to(alur, instance.id, 5)  # step 4 was the Fungsional Tertentu's
    assert login_as("fungsional.tertentu").get(f"/instances/{instance.id}").status_code == 200


def test_file_download_from_the_timeline(login_as, started, alur):
    instance = started()
    task = open_task(alur, instance.id)
    alur.complete(task.id, "kabid", Completion(), [Upload("agenda.txt", b"agenda", "text/plain")])
    (stored,) = alur.files_of(instance.id)
    auditor = login_as("auditor")
    page = auditor.get(f"/instances/{instance.id}").text
    assert f'href="/instances/{instance.id}/files/{stored.id}"' in page
    response = auditor.get(f"/instances/{instance.id}/files/{stored.id}")
    assert response.data == b"agenda" and "agenda.txt" in response.headers["Content-Disposition"]
    assert auditor.get(f"/instances/{instance.id}/files/{stored.id + 1}").status_code == 404


def test_reassign_by_the_kabid(login_as, started, alur):
    instance = started()
    task = advance_to(alur, instance.id, 4)  # Fungsional Tertentu
    alur.add_user("ft2", ["Fungsional Tertentu"], full_name="Fungsional Dua", password="demo")
    kabid = login_as("kabid")
    page = kabid.get(f"/instances/{instance.id}").text
    assert 'name="to"' in page and '<option value="ft2"' in page
    response = post(kabid, f"/instances/{instance.id}/reassign", {"task_id": task.id, "to": "ft2"})
    assert response.status_code == 302
    assert alur.task(task.id).claimed_by == "ft2"
    page = kabid.get(f"/instances/{instance.id}").text
    assert "Langkah 4 sekarang dipegang Fungsional Dua." in page
    assert 'diambil oleh <span class="person" title="ft2">Fungsional Dua</span>' in page


def test_reassign_refused_for_staff(login_as, started, alur):
    instance = started()
    task = advance_to(alur, instance.id, 5)
    staff = login_as("fungsional.tertentu")
    assert 'name="to"' not in staff.get(f"/instances/{instance.id}").text
    form = {"task_id": task.id, "to": "fungsional.tertentu"}
    response = post(staff, f"/instances/{instance.id}/reassign", form)
    assert response.status_code == 403 and alur.task(task.id).claimed_by is None
    response = post(login_as("kabid"), f"/instances/{instance.id}/reassign", {"task_id": 999})
    assert response.status_code == 404


def test_cancel_needs_a_reason_and_the_right_person(login_as, started, alur):
    instance = started()
    advance_to(alur, instance.id, 5)
    staff = login_as("fungsional.tertentu")  # may read it, did not start it
    assert "Batalkan proses" not in staff.get(f"/instances/{instance.id}").text
    response = post(staff, f"/instances/{instance.id}/cancel", {"reason": "salah"})
    assert response.status_code == 403
    response = post(staff, f"/instances/{instance.id}/cancel", {"reason": "x", "confirm": "yes"})
    assert response.status_code == 403
    kabid = login_as("kabid")
    response = post(kabid, f"/instances/{instance.id}/cancel", {"reason": "  ", "confirm": "yes"})
    assert response.status_code == 422 and "Tuliskan alasan pembatalan." in response.text
    assert alur.instance(instance.id).state == "running"
    response = post(kabid, f"/instances/{instance.id}/cancel", {"reason": "Dobel"})  # unconfirmed
    assert response.status_code == 422 and 'id="confirm-error"' in response.text
    assert alur.instance(instance.id).state == "running"
    response = post(
        kabid,
        f"/instances/{instance.id}/cancel",
        {"reason": "Dobel", "confirm": "yes"},
        follow_redirects=True,
    )
    assert "Proses dibatalkan." in response.text and "Dobel" in response.text
    assert alur.instance(instance.id).state == "cancelled"
    assert "Batalkan proses" not in response.text


def test_all_processes_list_for_auditors_only(login_as, started):
    instance = started()
    page = login_as("auditor").get("/instances/?state=running").text
    assert f'href="/instances/{instance.id}"' in page and "Semua proses" in page
    assert login_as("fungsional.tertentu").get("/instances/").status_code == 403
    assert "Semua proses" not in login_as("fungsional.tertentu").get("/mine/").text


def test_other_pages_link_to_the_instance(login_as, started, alur):
    instance = started()
    task = open_task(alur, instance.id)
    kabid = login_as("kabid")
    link = f'href="/instances/{instance.id}"'
    assert link in kabid.get("/mine/").text
    assert link in kabid.get("/").text
    assert link in kabid.get(f"/tasks/{task.id}").text


def test_english_page(login_as, started):
    instance = started()
    kabid = login_as("kabid")
    post(kabid, "/language", {"lang": "en"})
    page = kabid.get(f"/instances/{instance.id}").text
    assert "Working time per step" in page and "Running" in page and "History" in page


def test_finished_instance(login_as, started, alur):
    instance = started("sop_b", "Monev 2026")
    for _ in range(40):
        tasks = alur.tasks(flt=InboxFilter(instance_id=instance.id))
        if not tasks:
            break
        (task,) = tasks
        step = alur.instance(instance.id).definition.sop["steps"][task.step_no - 1]
        alur.complete(
            task.id,
            username_for(task.role),
            Completion(decision="Ya" if step["decision"] else None),
        )
    assert alur.instance(instance.id).state == "completed"
    page = login_as("auditor").get(f"/instances/{instance.id}").text
    assert "Selesai" in page and "Posisi sekarang" not in page and "Batalkan proses" not in page
    marks = _marks(page)
    steps = {k: v for k, v in marks.items() if k.startswith("Langkah_")}
    assert set(steps.values()) == {"done"} and len(steps) == 11
    # every decision answered Ya: its gateway done, its Ya flow (step 11's to the end) taken
    gateways = {f"Keputusan_{n}": "done" for n in (8, 9, 10, 11)}
    taken = {flow: "taken" for flow in ("Flow_10", "Flow_13", "Flow_16", "Flow_19")}
    assert marks == steps | gateways | taken


def test_kelengkapan_gaps_are_shown_to_auditors(login_as, started, alur):
    instance = started()
    task = open_task(alur, instance.id)
    checklist = {"Peraturan Perundang-undangan": True, "Disposisi": "belum diterima dari Kepala"}
    alur.complete(task.id, "kabid", Completion(checklist=checklist))
    auditor = login_as("auditor")
    page = auditor.get(f"/instances/{instance.id}").get_data(as_text=True)
    assert "Tidak ada: Disposisi" in page and "belum diterima dari Kepala" in page
    assert "Tidak ada: Peraturan" not in page  # a ticked item is no gap
    csv_text = auditor.get(f"/instances/{instance.id}/history.csv").data.decode("utf-8-sig")
    assert "Tidak ada Disposisi: belum diterima dari Kepala" in csv_text


def test_working_time_table_totals_send_backs_calendar_time_and_csv(login_as, started, alur, clock):
    clock.now = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)  # Friday 16:00 in Pontianak
    instance = started()
    task = open_task(alur, instance.id)
    clock.now += timedelta(days=3)  # Monday 16:00: one office hour on Friday, seven on Monday
    alur.complete(task.id, username_for(task.role), Completion())
    _sent_back(alur, instance.id)
    auditor = login_as("auditor")
    page = auditor.get(f"/instances/{instance.id}").text
    assert "Waktu kalender" in page and "Jumlah" in page
    assert "dikembalikan (Tidak)" in page and "1 kali dikembalikan" in page
    data = auditor.get(f"/instances/{instance.id}/timings.csv").data
    lines = data.decode().splitlines()
    assert lines[0] == ",".join(
        ["langkah", "kegiatan", "diselesaikan_oleh", "atas_nama", "selesai", "menit_kerja",
         "menit_kalender", "mutu_baku_menit", "menit_lewat", "dikembalikan"]
    )  # fmt: skip
    first = lines[1].split(",")
    assert first[0] == "1" and first[-4] == str(3 * 24 * 60)  # calendar minutes
    assert 0 < int(first[-5]) < 3 * 24 * 60  # office minutes: weekend and nights left out
    assert lines[-1].startswith("total,") and lines[-1].endswith(",1")
    assert any(line.endswith(",Tidak") for line in lines[1:-1])
    excel = auditor.get(f"/instances/{instance.id}/timings.csv?excel=1").data
    assert excel.startswith("\ufeff".encode() + b"langkah;kegiatan;")


def test_working_time_and_flowchart_name_the_official_an_acting_colleague_acted_for(
    login_as, started, alur, clock
):
    clock.now = datetime(2026, 12, 7, 2, 0, tzinfo=UTC)
    instance = started()
    task = open_task(alur, instance.id)
    alur.delegate("kabid", "sekban", clock.now + timedelta(days=2), by="admin")
    alur.complete(task.id, "sekban", Completion())
    auditor = login_as("auditor")
    table = auditor.get(f"/instances/{instance.id}").text.split('id="timing-title"')[1]
    acting = re.search(r'<span class="acting small">([^<]*)</span>', table)
    assert acting and acting[1].startswith("Plh. ") and acting[1].endswith(", a.n. Demo Kabid")
    data = auditor.get(f"/instances/{instance.id}/timings.csv").data.decode()
    step = next(csv.DictReader(io.StringIO(data)))
    assert (step["diselesaikan_oleh"], step["atas_nama"]) == ("sekban", acting[1])
    svg = auditor.get(f"/instances/{instance.id}/flowchart.svg").data.decode()
    texts = " ".join(etree.fromstring(svg.encode()).itertext())
    assert "Demo Sekban" in texts and "a.n. Demo" in texts
