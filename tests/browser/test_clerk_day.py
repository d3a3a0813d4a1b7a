"""SOP B and SOP D walked end to end in the browser, the way a clerk's day goes.

Each walk sends the draft back once without ticking the Kelengkapan (a send-back is its own
action, and its button names the step the draft returns to), saves a draft half way through a
step and resumes it after signing in again, and removes a file attached by mistake before
completing. The steps, their roles and the decisions' targets are read from the BPMN files, so
the walk follows the model as deployed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from playwright.sync_api import Page, expect

from engine.alur import Alur
from engine.bpmn.reader import read_bpmn
from engine.config import Settings
from engine.runtime.lifecycle import Completion
from engine.views import normalise
from tests.browser.conftest import log_in, log_out, no_horizontal_overflow, shot
from tests.conftest import ROOT
from webui.demo import USERNAMES

pytestmark = pytest.mark.slow  # a whole system or a real browser: make test runs it

DRAFT_NOTE = "Notulen rapat sudah diketik separuh; lanjut besok pagi."
REASON = "Data lapangan belum lengkap; mohon dilengkapi."
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}


@dataclass(frozen=True)
class Walk:
    code: str
    file: str
    title: str
    send_back_at: int  # the decision step answered Tidak once
    draft_at: int  # the step saved as a draft, then resumed
    wrong_file_at: int  # the step where a wrong file is attached, then removed


WALKS = [
    Walk("B", "sop_b.bpmn", "Uji peramban: Monev Renja 2026", 8, 2, 7),
    Walk("D", "sop_d.bpmn", "Uji peramban: Sinergitas 2026", 11, 3, 10),
]


@pytest.mark.parametrize("walk", WALKS, ids=lambda w: f"sop-{w.code}")
def test_a_clerks_day_through_a_whole_sop(page: Page, console, tmp_path, walk: Walk):
    model = read_bpmn((ROOT / "bpmn" / walk.file).read_bytes())
    steps = {s.no: s for s in model.steps}
    wrong = tmp_path / "salah-lampiran.txt"
    wrong.write_text("lampiran yang keliru\n", encoding="utf-8")
    right = tmp_path / f"laporan-{walk.code.lower()}.txt"
    right.write_text("laporan yang benar\n", encoding="utf-8")

    user = _user(steps[1].actor)
    log_in(page, user)
    _start(page, walk)
    step_no, sent_back, done, rang = 1, False, [], False
    while step_no is not None:
        step = steps[step_no]
        if _user(step.actor) != user:
            log_out(page)
            user = _user(step.actor)
            log_in(page, user)
            if not rang:  # the first hand-over: the bell has it, with no worker running
                _bell_counts_the_new_task(page, walk, step_no)
                rang = True
        _open(page, walk, step_no)
        if step_no == walk.draft_at:
            _draft_and_resume(page, walk, step_no, user)
        if step_no == walk.wrong_file_at and step_no not in done:
            _remove_wrong_file(page, walk, wrong, right)
        if step.decision and step_no == walk.send_back_at and not sent_back:
            back_to = step.decision.no
            _send_back(page, console, back_to, walk)
            sent_back = True
            step_no = back_to
            continue
        _tick_all(page)
        if step.decision:
            page.get_by_label("Setuju (Ya)").check()
        page.get_by_role("button", name=f"Selesaikan langkah {step_no}").click()
        flash = page.locator(".flash-success")
        expect(flash).to_contain_text(f"Langkah {step_no} selesai.")
        done.append(step_no)
        step_no = step.decision.yes if step.decision else _next(model, step_no)
    expect(page.locator(".flash-success")).to_contain_text("Proses selesai.")
    assert sent_back and walk.draft_at in done and walk.wrong_file_at in done and rang


def _bell(page: Page) -> int:
    text = page.locator(".nav-bell .count").inner_text()
    return int(re.match(r"\d+", text)[0])


def _bell_counts_the_new_task(page: Page, walk: Walk, step_no: int) -> None:
    """The task the last completion made is in the bell at once (`alur serve --demo` runs no
    worker: the completing transaction wrote it); reading it takes one off the count."""
    before = _bell(page)
    assert before >= 1
    page.locator(".nav-bell a").click()
    expect(page.get_by_role("heading", name="Notifikasi", level=1)).to_be_visible()
    note = page.locator("li.note-item.unread").filter(has_text=walk.title).first
    expect(note).to_be_visible()
    shot(page, f"24-sop-{walk.code.lower()}-bell")
    note.get_by_role("button", name=re.compile("^Tandai sudah dibaca")).click()
    expect(page.locator(".nav-bell .count")).to_have_text(re.compile(rf"^{before - 1}\b"))
    note = page.locator("li.note-item").filter(has_text=walk.title).first
    note.get_by_role("link", name="Buka tugas").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Langkah {step_no}:")


def _user(actor: str) -> str:
    return USERNAMES[normalise(actor)]


def _next(model, step_no: int) -> int | None:
    numbers = [s.no for s in model.steps]
    i = numbers.index(step_no)
    return numbers[i + 1] if i + 1 < len(numbers) else None


def _start(page: Page, walk: Walk) -> None:
    page.get_by_role("link", name="Mulai proses").click()
    code = re.compile(rf"^{walk.code}$")
    card = page.locator("li.sop").filter(has=page.locator(".sop-code", has_text=code))
    card.get_by_label("Judul").fill(walk.title)
    card.get_by_role("button", name="Mulai", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Langkah 1:")


def _open(page: Page, walk: Walk, step_no: int) -> None:
    page.get_by_role("navigation", name="Menu utama").get_by_role(
        "link", name="Kotak masuk"
    ).click()
    row = page.locator("table.tasks tbody tr").filter(
        has=page.get_by_role("link", name=walk.title, exact=True)
    )
    expect(row.locator(".step-no")).to_have_text(f"{step_no}.")
    if step_no == 1:
        shot(page.locator("main"), f"panduan-kotak-masuk-{walk.code.lower()}")  # docs/panduan
    row.locator("a.task-link").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Langkah {step_no}:")


def _tick_all(page: Page) -> None:
    boxes = page.locator("fieldset.checklist input[type=checkbox]")
    for i in range(boxes.count()):
        boxes.nth(i).check()


def _draft_and_resume(page: Page, walk: Walk, step_no: int, user: str) -> None:
    """Tick one item and type a note, Simpan draf, sign out and in: all of it is back."""
    page.locator("fieldset.checklist input[type=checkbox]").first.check()
    page.locator("#note").fill(DRAFT_NOTE)
    page.get_by_role("button", name="Simpan draf").click()
    expect(page.locator(".flash-success")).to_contain_text("Draf disimpan.")
    log_out(page)
    log_in(page, user)
    _open(page, walk, step_no)
    expect(page.locator("#note")).to_have_value(DRAFT_NOTE)
    expect(page.locator("fieldset.checklist input[type=checkbox]").first).to_be_checked()
    expect(page.locator("#draft-status")).to_contain_text("Draf disimpan")
    # the automatic save: type more, wait for the status, reload: the longer note is kept
    page.locator("#note").fill(DRAFT_NOTE + " Tambahan.")
    expect(page.locator("#draft-status")).to_have_text("Draf disimpan.")
    page.reload()
    expect(page.locator("#note")).to_have_value(DRAFT_NOTE + " Tambahan.")
    shot(page, f"20-sop-{walk.code.lower()}-draft-resumed")
    shot(page.locator("#task-form"), f"panduan-draf-{walk.code.lower()}")  # docs/panduan


def _remove_wrong_file(page: Page, walk: Walk, wrong, right) -> None:
    """Attach the wrong file with the draft, remove it, attach the right one."""
    page.get_by_label("Tambahkan berkas (tidak wajib)").set_input_files(wrong)
    page.get_by_role("button", name="Simpan draf").click()
    saved = page.locator("ul.files").filter(has=page.get_by_role("link", name=wrong.name))
    expect(saved).to_be_visible()
    shot(page, f"21-sop-{walk.code.lower()}-wrong-file")
    files = page.locator("#task-form fieldset").filter(has=page.locator("#files"))
    shot(files, f"panduan-berkas-{walk.code.lower()}")  # docs/panduan
    page.get_by_role("button", name=f"Hapus {wrong.name}").click()
    expect(page.locator(".flash-success")).to_contain_text(f"{wrong.name} dihapus.")
    expect(page.get_by_role("link", name=wrong.name)).to_have_count(0)
    page.get_by_label("Tambahkan berkas (tidak wajib)").set_input_files(right)


def _send_back(page: Page, console, back_to: int, walk: Walk) -> None:
    """Kembalikan without ticking anything: first without a reason (422), then with one."""
    console.allow(r"status of 422 .*/tasks/\d+/complete\b")
    page.get_by_label("Kembalikan (Tidak)").check()
    button = page.get_by_role("button", name=f"Kembalikan ke langkah {back_to}")
    expect(button).to_be_visible()
    expect(page.locator("fieldset.checklist input:checked")).to_have_count(0)
    button.click()
    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("Tuliskan alasan draf dikembalikan.")
    expect(summary).not_to_contain_text("centang")
    expect(summary).to_be_in_viewport()  # scrolled into view
    page.locator("#note").fill(REASON)
    shot(page, f"22-sop-{walk.code.lower()}-send-back")
    decision = page.locator("fieldset.decision")
    shot(decision.locator(".."), f"panduan-kembalikan-{walk.code.lower()}")  # docs/panduan
    button.click()
    expect(page.locator(".flash-success")).to_contain_text(f"Berikutnya: langkah {back_to},")


def test_phone_inbox_task_and_instance_pages(new_context):
    """390 px, touch: tasks before the folded filters, the task page's buttons, touch hints."""
    page = new_context(**PHONE).new_page()
    log_in(page, "kabid")
    walk = Walk("B", "sop_b.bpmn", "Uji ponsel: Monev 2026", 8, 1, 1)
    _start(page, walk)
    expect(page.get_by_role("button", name="Simpan draf")).to_be_visible()
    expect(page.locator("label.file-button")).to_have_text("Pilih berkas")
    no_horizontal_overflow(page)
    shot(page, "23-phone-task")

    page.get_by_role("navigation", name="Menu utama").get_by_role(
        "link", name="Kotak masuk"
    ).click()
    fold = page.locator("details.filters-fold")
    expect(fold).not_to_have_attribute("open", "")  # folded away on a phone
    expect(page.get_by_label("Tampilkan")).to_be_hidden()
    row = page.locator("table.tasks tbody tr").filter(
        has=page.get_by_role("link", name=walk.title, exact=True)
    )
    expect(page.locator("table.tasks tbody tr").first).to_be_in_viewport()  # tasks come first
    no_horizontal_overflow(page)
    shot(page, "24-phone-inbox")
    fold.locator("summary").click()
    expect(page.get_by_label("Tampilkan")).to_be_visible()

    row.locator("a.task-link").click()
    page.locator(".task-summary").get_by_role("link", name=walk.title).click()
    expect(page.locator("#bpmn-canvas")).to_have_attribute("data-ready", "true")
    expect(page.locator(".hint-touch")).to_be_visible()
    expect(page.locator(".hint-mouse")).to_be_hidden()  # no Ctrl and mouse wheel on a phone
    no_horizontal_overflow(page)
    shot(page, "25-phone-instance")
    # a full-page shot re-lays the page out without touch emulation: the diagram alone shows it
    shot(page.locator(".hint-touch").locator(".."), "26-phone-diagram")


def test_wide_inbox_shows_the_filters(page: Page):
    log_in(page, "kabid")
    expect(page.locator("details.filters-fold")).to_have_attribute("open", "")
    expect(page.get_by_label("Tampilkan")).to_be_visible()


def test_the_browsers_form_check_speaks_the_pages_language(page: Page):
    """An empty required title: the message is the page's Indonesian, not the browser's."""
    log_in(page, "kabid")
    page.get_by_role("link", name="Mulai proses").click()
    card = page.locator("li.sop").filter(has=page.locator(".sop-code", has_text=re.compile("^B$")))
    card.get_by_role("button", name="Mulai", exact=True).click()
    title = card.get_by_label("Judul")
    expect(page.get_by_role("heading", name="Mulai proses", level=1)).to_be_visible()
    assert title.evaluate("field => field.validationMessage") == "Isian ini wajib diisi."
    title.fill("Uji pesan isian")
    assert title.evaluate("field => field.validationMessage") == ""


def test_a_step_completed_meanwhile_keeps_my_note_and_file(page: Page, server, console, tmp_path):
    """A colleague of the same role completes step 1 while the Kabid is still on it: the
    Kabid's completion answers who and when, gives the note back and keeps the file to reuse."""
    console.allow(r"status of 409 .*/tasks/\d+/complete\b")
    report = tmp_path / "agenda-koordinasi.txt"
    report.write_text("agenda yang saya susun\n", encoding="utf-8")
    log_in(page, "kabid")
    walk = Walk("B", "sop_b.bpmn", "Uji bentrok: Monev 2026", 8, 1, 1)
    _start(page, walk)
    task_id = int(re.search(r"/tasks/(\d+)", page.url)[1])
    _tick_all(page)
    page.locator("#note").fill("Catatan saya yang panjang")
    page.get_by_label("Tambahkan berkas (tidak wajib)").set_input_files(report)

    alur = Alur(Settings(database_url=f"sqlite:///{server.home / 'alur.sqlite3'}",
                         upload_dir=server.home / "files"))  # fmt: skip
    try:  # meanwhile, on another desk
        role = alur.task(task_id).role
        alur.add_user("kabid.kedua", [role], password="demo", full_name="Kabid Kedua")
        alur.complete(task_id, "kabid.kedua", Completion())
    finally:
        alur.db.dispose()

    page.get_by_role("button", name="Selesaikan langkah 1").click()
    notice = page.locator("section.notice")
    expect(notice).to_contain_text("Kabid Kedua sudah menyelesaikan langkah ini pada")
    expect(notice.locator(".person")).to_have_attribute("title", "kabid.kedua")
    expect(page.locator("#your-note")).to_have_value("Catatan saya yang panjang")
    link = page.get_by_role("link", name=report.name)
    with page.expect_download() as download:
        link.click()
    assert download.value.path().read_text(encoding="utf-8") == "agenda yang saya susun\n"
    shot(page, "27-conflict-note-and-file")
    page.get_by_role("link", name="Lihat proses").click()
    kept = page.locator("ol.timeline li.event-file_kept")
    expect(kept).to_contain_text("Berkas disimpan")
    expect(kept.get_by_role("link", name=report.name)).to_be_visible()
