"""One whole SOP, C.1 (10 steps), walked through the browser by the demo user of each role.

Steps and roles (bpmn/README.md, "Actor mapping" and "Decisions"): 1-3 and 5 Kabid, 4 Fungsional
Umum, 6 Fungsional Tertentu (writes the draft), 7 Sub Koordinator Sosial Budaya (decision, Tidak
returns to 6), 8 Kabid (decision), 9 Kepala Badan (decision), 10 Fungsional Umum. The Kabid is
the first step's lane, so the Kabid starts it. The walk sends the draft back once at step 7.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import log_in, log_out, shot

pytestmark = pytest.mark.slow  # a whole system or a real browser: make test runs it

SOP_C1 = re.compile(r"^C\.1$")
TITLE = "Uji peramban: Koordinasi RKPD 2027"
STARTER = "kabid"
REASON = "Rumusan belum memuat hasil paparan OPD Dinas Sosial; mohon dilengkapi."
UPLOAD = "draft-rumusan-rkpd-2027.txt"
STEPS_TOTAL = 10


@dataclass(frozen=True)
class Turn:
    step: int
    user: str
    decision: str | None = None  # "Ya" / "Tidak" on a decision step
    next_step: int | None = None  # the step the flash message names next; None: finished
    upload: bool = False  # attach a file with this step


WALK = [
    Turn(1, "kabid", next_step=2),
    Turn(2, "kabid", next_step=3),
    Turn(3, "kabid", next_step=4),
    Turn(4, "fungsional.umum", next_step=5),
    Turn(5, "kabid", next_step=6),
    Turn(6, "fungsional.tertentu", next_step=7, upload=True),
    Turn(7, "subkor.sosbud", "Tidak", next_step=6),
    Turn(6, "fungsional.tertentu", next_step=7),
    Turn(7, "subkor.sosbud", "Ya", next_step=8),
    Turn(8, "kabid", "Ya", next_step=9),
    Turn(9, "kaban", "Ya", next_step=10),
    Turn(10, "fungsional.umum"),
]
GAP_STEP = 1  # leave this Kelengkapan item of step 1 unticked and say why
GAP_ITEM = "Surat Edaran Sekda"
MID_RUN_CHECK = 5  # after this step, the instance page marks 1-5 done and 6 current


def test_walk_sop_c1_through_the_ui(page: Page, console, tmp_path):
    upload = tmp_path / UPLOAD
    upload.write_text("Draft Rumusan Kegiatan Koordinasi RKPD 2027\n", encoding="utf-8")

    log_in(page, STARTER)
    instance_url = start_c1(page)
    user = STARTER
    sent_back = False
    for number, turn in enumerate(WALK):
        if turn.user != user:
            log_out(page)
            log_in(page, turn.user)
            user = turn.user
        open_from_inbox(page, turn.step, first=number == 0)
        if sent_back and turn.step == 6:
            see_reason(page)
            sent_back = False
        if turn.decision != "Tidak":  # a send-back is its own action: no checklist
            fill_checklist(page, gap=turn.step == GAP_STEP)
        if turn.upload:
            page.get_by_label("Tambahkan berkas (tidak wajib)").set_input_files(upload)
        if turn.decision == "Tidak":
            send_back(page, console)
            sent_back = True
        else:
            if turn.decision == "Ya":
                page.get_by_label("Setuju (Ya)").check()
            complete(page, turn.step)
        expect_flash(page, turn)
        if turn.upload:
            file_in_timeline(page, instance_url)
        if turn.step == MID_RUN_CHECK:
            mid_run_diagram(page, instance_url)
    shot(page, "07-inbox-after-last-step")

    log_out(page)
    log_in(page, "auditor", lands="Semua proses")
    finished_instance(page, instance_url)


def start_c1(page: Page) -> str:
    """Start C.1 from 'Mulai proses'; the Kabid lands on step 1. Returns the instance's URL."""
    page.get_by_role("link", name="Mulai proses").click()
    card = page.locator("li.sop").filter(has=page.locator(".sop-code", has_text=SOP_C1))
    card.get_by_label("Judul").fill(TITLE)
    card.get_by_role("button", name="Mulai", exact=True).click()
    expect(page.locator(".flash-success")).to_have_text(f"Dimulai: {TITLE}.")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Langkah 1:")
    link = page.locator(".task-summary").get_by_role("link", name=TITLE)
    href = link.get_attribute("href")
    assert href and re.fullmatch(r"/instances/\d+", href), href
    return href


def open_from_inbox(page: Page, step: int, first: bool) -> None:
    """Open the inbox, find this instance's task row, check its step and open it."""
    menu = page.get_by_role("navigation", name="Menu utama")
    menu.get_by_role("link", name="Kotak masuk").click()
    expect(page.get_by_role("heading", name="Kotak masuk", level=1)).to_be_visible()
    row = page.locator("table.tasks tbody tr").filter(
        has=page.get_by_role("link", name=TITLE, exact=True)
    )
    expect(row).to_have_count(1)
    expect(row.locator(".step-no")).to_have_text(f"{step}.")
    if first:
        shot(page, "01-inbox")
    row.locator("a.task-link").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Langkah {step}:")
    expect(page.get_by_role("button", name=f"Selesaikan langkah {step}")).to_be_visible()


def fill_checklist(page: Page, gap: bool) -> None:
    """Tick every Kelengkapan item; with gap, explain GAP_ITEM instead of ticking it."""
    items = page.locator("fieldset.checklist .check-item")
    count = items.count()
    assert count >= 1, "every C.1 step lists Kelengkapan"
    missing = gap
    for i in range(count):
        item = items.nth(i)
        if missing and item.get_by_role("checkbox", name=GAP_ITEM).count():
            item.get_by_label("Jika belum ada").fill(
                "Surat Edaran Sekda belum terbit; rapat memakai disposisi Kepala Badan."
            )
            expect(item.get_by_role("checkbox")).not_to_be_checked()
            missing = False
            continue
        item.get_by_role("checkbox").check()
    if gap:
        assert not missing, f"step {GAP_STEP} has no Kelengkapan item {GAP_ITEM!r}"
        shot(page, "02-task-page")


def complete(page: Page, step: int) -> None:
    page.get_by_role("button", name=f"Selesaikan langkah {step}").click()


def send_back(page: Page, console) -> None:
    """Kembalikan (Tidak): first without a reason (422, the form says why), then with one."""
    console.allow(r"status of 422 .*/tasks/\d+/complete\b")  # sent without a reason on purpose
    page.get_by_label("Kembalikan (Tidak)").check()
    back = page.get_by_role("button", name="Kembalikan ke langkah 6")  # names where it goes
    back.click()
    expect(page.locator(".error-summary")).to_contain_text("Tuliskan alasan draf dikembalikan.")
    expect(page.locator(".error-summary")).not_to_contain_text("centang")  # no checklist asked
    expect(page.locator("#decision-no")).to_be_checked()  # the choice survives the round trip
    page.locator("#note").fill(REASON)
    back.click()


def expect_flash(page: Page, turn: Turn) -> None:
    """Back in the inbox with 'Langkah N selesai. Berikutnya: langkah M, ...' (or finished)."""
    flash = page.locator(".flash-success")
    done = "dikembalikan" if turn.decision == "Tidak" else "selesai"
    expect(flash).to_contain_text(f"Langkah {turn.step} {done}.")
    if turn.next_step is None:
        expect(flash).to_contain_text("Proses selesai.")
    else:
        expect(flash).to_contain_text(f"Berikutnya: langkah {turn.next_step},")


def see_reason(page: Page) -> None:
    """The draft step, back again, shows who sent it back from step 7 and why."""
    notice = page.locator("section.notice-back")
    expect(notice.get_by_role("heading")).to_have_text("Dikembalikan dari langkah 7")
    expect(notice.locator("blockquote")).to_have_text(REASON)
    reviewer = notice.locator("span.person")  # the display name, the login on hover
    expect(reviewer).to_have_text("Demo Subkor Sosbud")
    expect(reviewer).to_have_attribute("title", "subkor.sosbud")
    earlier = page.locator("section").filter(
        has=page.get_by_role("heading", name="Langkah sebelumnya dalam proses ini")
    )
    expect(earlier.get_by_role("link", name=UPLOAD)).to_be_visible()  # the first draft's file
    shot(page, "03-sent-back-reason")


def file_in_timeline(page: Page, instance_url: str) -> None:
    """The uploaded file is in the instance's history, and downloads."""
    page.goto(instance_url)
    history = page.locator("section").filter(
        has=page.get_by_role("heading", name="Riwayat", exact=True)
    )
    link = history.get_by_role("link", name=UPLOAD).first
    expect(link).to_be_visible()
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == UPLOAD
    download.value.delete()


def wait_for_diagram(page: Page) -> None:
    canvas = page.locator("#bpmn-canvas")
    expect(canvas).to_have_attribute("data-ready", "true")
    expect(canvas.locator("svg").first).to_be_visible()


def shape(page: Page, step: int):
    return page.locator(f'g.djs-element[data-element-id="Langkah_{step}"]')


def mid_run_diagram(page: Page, instance_url: str) -> None:
    """Halfway: steps 1-5 are done, step 6 is current (the Kabid reads every instance)."""
    page.goto(instance_url)
    wait_for_diagram(page)
    for step in range(1, 6):
        expect(shape(page, step)).to_have_class(re.compile(r"\balur-done\b"))
    expect(shape(page, 6)).to_have_class(re.compile(r"\balur-current\b"))
    expect(shape(page, 7)).not_to_have_class(re.compile(r"\balur-"))
    expect(page.locator(".current-steps")).to_contain_text("Langkah 6:")
    shot(page.locator("#diagram"), "04-instance-mid-run-diagram")


def decisions_and_paths(page: Page) -> None:
    """Each decision's gateway is done and its last answer's flow is drawn green (all Ya)."""
    for gateway in ("Keputusan_7", "Keputusan_8", "Keputusan_9"):
        element = page.locator(f'g.djs-element[data-element-id="{gateway}"]')
        expect(element).to_have_class(re.compile(r"\balur-done\b"))
    for flow in ("Flow_9", "Flow_12", "Flow_15"):  # the Ya flows
        line = page.locator(f'g.djs-connection[data-element-id="{flow}"] .djs-visual > path')
        expect(line).to_have_css("stroke", "rgb(46, 125, 50)")
    tidak = page.locator('g.djs-connection[data-element-id="Flow_10"]')  # step 7's first answer
    expect(tidak).not_to_have_class(re.compile(r"\balur-"))
    expect(page.locator(".legend")).to_contain_text("Jalur yang diambil pada keputusan")


def finished_instance(page: Page, instance_url: str) -> None:
    """The auditor's view: finished, every step done in bpmn-js, and the SOP AP flowchart."""
    page.goto(instance_url)
    expect(page.locator(".facts .badge-yes").first).to_have_text("Selesai")
    wait_for_diagram(page)
    for step in range(1, STEPS_TOTAL + 1):
        expect(shape(page, step)).to_have_class(re.compile(r"\balur-done\b"))
    expect(page.locator("g.djs-element.alur-current")).to_have_count(0)
    decisions_and_paths(page)
    expect(page.locator("#bpmn-canvas a.bjs-powered-by")).to_be_visible()
    history = page.locator("section").filter(
        has=page.get_by_role("heading", name="Riwayat", exact=True)
    )
    expect(history).to_contain_text(REASON)
    expect(history.get_by_role("link", name=UPLOAD).first).to_be_visible()
    shot(page, "05-finished-bpmn")
    shot(page.locator("#diagram"), "05-finished-bpmn-diagram")

    page.get_by_role("navigation", name="Tampilan diagram").get_by_role(
        "link", name="Bagan alir SOP AP"
    ).click()
    expect(page).to_have_url(re.compile(r"view=sop"))
    image = page.locator("img.flowchart")
    expect(image).to_be_visible()
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=image.element_handle()
    )
    shot(page, "06-finished-flowchart")
    shot(page.locator("#diagram"), "06-finished-flowchart-diagram")
