"""The analyst studio's whole errand in Chromium, as the issue's Done-when words it.

As the analyst: open SOP C.1 in the studio, change step 7's Waktu and Pelaksana in the SOP panel,
add a step in the table editor, see a problem flagged on an element and fix it, compare the
draft with the deployed version (the diff names exactly those three changes), publish with a
note; the change of performer waits for a second person, the administrator approves it; then a
process started now runs version 2 (its step 7 goes to the new performer) while one started
before stays on version 1. Screenshots of the modeler, the table editor and the diff are kept in
test-artifacts/browser/.

This module runs its own `alur serve --demo` (a fresh ALUR_HOME): it publishes a version.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from engine.alur import Alur
from engine.bpmn.reader import read_bpmn
from engine.config import Settings
from engine.inbox import InboxFilter
from engine.roles import normalise
from engine.runtime.lifecycle import Completion
from tests.browser.conftest import Server, demo_server, log_in, log_out, shot
from webui import demo

pytestmark = pytest.mark.slow  # a real browser: make test runs it

NOTE = "Langkah 7 oleh Fungsional Umum, 2 hari kerja; langkah 11 arsip"
ADDED = "Mengarsipkan dokumen perencanaan yang telah ditetapkan"
OLD_ACTOR, NEW_ACTOR = "Sub. Koordinator Sosial Budaya", "Fungsional Umum"


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[Server]:
    with demo_server(tmp_path_factory.mktemp("alur-analyst-home")) as running:
        yield running


def engine_of(server: Server) -> Alur:
    """The server's own database, for walking a process to step 7 quickly (not the subject)."""
    return Alur(Settings(database_url=f"sqlite:///{server.home / 'alur.sqlite3'}",
                         upload_dir=server.home / "files"))  # fmt: skip


def walk_to_step_7(server: Server, instance_id: int) -> str:
    """Complete steps 1-6 (Ya at every decision) through the engine; the role step 7 waits on."""
    alur = engine_of(server)
    try:
        while True:
            [task] = alur.tasks(flt=InboxFilter(instance_id=instance_id))
            if task.step_no == 7:
                return task.role
            step = alur.instance(instance_id).definition.model.find(task.step_no)
            who = demo.USERNAMES[normalise(task.role)]
            alur.complete(task.id, who, Completion(decision="Ya" if step.decision else None))
    finally:
        alur.db.dispose()


def start_c1(page: Page, title: str) -> int:
    """The Kabid starts SOP C.1 from 'Mulai proses'; returns the new instance's id."""
    page.get_by_role("link", name="Mulai proses").click()
    card = page.locator("li.sop").filter(has=page.locator(".sop-code", has_text="C.1"))
    card.get_by_label("Judul").fill(title)
    card.get_by_role("button", name="Mulai", exact=True).click()
    expect(page.locator(".flash-success")).to_have_text(f"Dimulai: {title}.")
    href = page.locator(".task-summary").get_by_role("link", name=title).get_attribute("href")
    return int(re.fullmatch(r"/instances/(\d+)", href or "")[1])


def entry(page: Page, entry_id: str, control: str = "input"):
    return page.locator(f'.alur-studio-panel [data-entry-id="{entry_id}"] {control}').first


def select(page: Page, element_id: str) -> None:
    """Click a step on the canvas at 100 %, scrolled into view, as an analyst does."""
    canvas = page.locator(".alur-studio-canvas").bounding_box()
    page.mouse.click(canvas["x"] + canvas["width"] - 60, canvas["y"] + 40)  # empty corner
    page.evaluate(
        """id => { const canvas = alurStudioPage.studio.modeler.get("canvas");
                   canvas.zoom(1); canvas.scrollToElement(id); }""",
        element_id,
    )
    page.locator(f'.djs-element[data-element-id="{element_id}"]').first.click()
    expect(entry(page, "alur-no")).to_be_visible()


def checked(page: Page) -> None:
    """Wait until the live check of the latest edit has answered."""
    expect(page.locator("#studio-page")).to_have_attribute("data-checked", "true")


def version_of(page: Page, instance_id: int) -> str:
    page.goto(f"/instances/{instance_id}")
    return page.locator(".eyebrow").first.inner_text()


def test_model_check_compare_publish_and_run_sop_c1(page: Page, server: Server):
    log_in(page, "kabid")
    old_id = start_c1(page, "Dokumen lama: RKPD 2027")
    log_out(page)

    # -- the SOP panel: step 7's Waktu 90 menit -> 2 hari kerja, Pelaksana changed
    log_in(page, "analis", lands="Semua proses")
    page.goto("/processes/sop_c_1")
    page.get_by_role("button", name="Sunting versi 1 di studio").click()
    expect(page).to_have_url(re.compile(r"/studio/drafts/\d+$"))
    draft_url = page.url
    expect(page.locator("#studio-page")).to_have_attribute("data-ready", "true")
    checked(page)
    status = page.locator("#studio-status")
    select(page, "Langkah_7")
    expect(entry(page, "alur-waktu-amount")).to_have_value("90")
    entry(page, "alur-waktu-amount").fill("2")
    entry(page, "alur-waktu-unit", "select").select_option("hari kerja")
    actor = entry(page, "alur-actor", "select")
    expect(actor.locator("option:checked")).to_have_text(OLD_ACTOR)
    actor.select_option(label=NEW_ACTOR)
    expect(actor.locator("option:checked")).to_have_text(NEW_ACTOR)
    expect(status).to_have_text("Ada perubahan yang belum disimpan")
    checked(page)
    shot(page, "analyst-modeler")

    # -- the table editor: a step added at the end, performed by the Kabid
    page.get_by_role("tab", name="Tabel").click()
    expect(page.locator("#studio-table")).to_have_attribute("data-ready", "true")
    expect(page.get_by_label("Waktu langkah 7: jumlah")).to_have_value("2")
    expect(page.get_by_label("Waktu langkah 7: satuan")).to_have_value("hari kerja")
    expect(page.get_by_label(f"{NEW_ACTOR}, langkah 7")).to_have_value("P")
    page.get_by_role("button", name="Tambah langkah").click()
    page.get_by_label("Kegiatan langkah 11").fill(ADDED)
    page.get_by_label("Kabid Pemerintahan dan Sosial Budaya, langkah 11").select_option("P")
    page.get_by_label("Waktu langkah 11: jumlah").fill("1")
    page.get_by_label("Waktu langkah 11: satuan").select_option("jam")
    shot(page, "analyst-table-editor")
    page.get_by_role("tab", name="Diagram").click()
    expect(page.locator('.djs-element[data-element-id="Langkah_11"]')).to_have_count(1)
    checked(page)
    expect(page.locator("#checks-summary")).to_have_text(
        "Tidak ada masalah: draf dapat diterbitkan."
    )

    # -- a problem: the Tidak flow of step 7's decision gets a condition the evaluator refuses,
    #    flagged in the list and on the flow; then fixed
    tidak = page.evaluate(
        """() => alurStudioPage.studio.modeler.get("elementRegistry").filter(e =>
                 e.type === "bpmn:SequenceFlow" && e.businessObject.name === "Tidak"
                 && e.source.id === "Keputusan_7").map(e => e.id)"""
    )
    assert len(tidak) == 1
    page.evaluate(
        """id => { const m = alurStudioPage.studio.modeler;
                   m.get("selection").select(m.get("elementRegistry").get(id)); }""",
        tidak[0],
    )
    condition = entry(page, "alur-condition")
    expect(condition).to_have_value('keputusan_7 == "Tidak"')
    condition.fill('keputusan_7 = "Tidak"')
    checked(page)
    expect(page.locator("#checks-summary")).to_contain_text("Masalah: 1.")
    expect(page.locator("#checks-list li")).to_contain_text(tidak[0])
    flagged = page.locator(f'.djs-element.alur-problem[data-element-id="{tidak[0]}"]')
    expect(flagged).to_have_count(1)
    shot(page, "analyst-problem")
    condition.fill('keputusan_7 == "Tidak"')
    checked(page)
    expect(page.locator("#checks-summary")).to_have_text(
        "Tidak ada masalah: draf dapat diterbitkan."
    )
    expect(page.locator(".djs-element.alur-problem")).to_have_count(0)
    page.locator(".alur-studio-canvas").click(position={"x": 30, "y": 30})
    page.keyboard.press("Control+s")
    expect(status).to_have_text("Semua perubahan tersimpan")
    saved = read_bpmn(page.request.get(draft_url + "/diagram.bpmn").body())
    assert (saved.step(7).actor, saved.step(7).waktu.text) == (NEW_ACTOR, "2 hari kerja")
    assert (saved.step(11).activity, saved.step(11).actor) == (
        ADDED,
        "Kabid Pemerintahan dan Sosial Budaya",
    )

    # -- compare with version 1: exactly the three changes
    page.get_by_role("link", name="Bandingkan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        re.compile(r"^Bandingkan versi 1 dengan draf \d+$")
    )
    rows = page.locator(".diff-table tbody tr")
    expect(rows).to_have_count(3)
    found = sorted(
        (row.get_attribute("data-change"), row.locator(".step-no").inner_text())
        for row in rows.all()
    )
    assert found == [("actor", "7"), ("added", "11"), ("waktu", "7")]
    waktu = page.locator('.diff-table tr[data-change="waktu"]')
    expect(waktu.locator(".diff-old")).to_have_text("90 menit")
    expect(waktu.locator(".diff-new")).to_have_text("2 hari kerja")
    performer = page.locator('.diff-table tr[data-change="actor"]')
    expect(performer.locator(".diff-old")).to_have_text(OLD_ACTOR)
    expect(performer.locator(".diff-new")).to_have_text(NEW_ACTOR)
    expect(page.locator('.diff-table tr[data-change="added"]')).to_contain_text(ADDED)
    for side in ("old", "new"):
        expect(page.locator(f"#bpmn-{side}")).to_have_attribute("data-ready", "true")
    new = page.locator("#bpmn-new")
    expect(new.locator('.alur-diff-added[data-element-id="Langkah_11"]')).to_have_count(1)
    expect(new.locator('.alur-diff-changed[data-element-id="Langkah_7"]')).to_have_count(1)
    shot(page, "analyst-diff")

    # -- publish with a note: the performer change waits for a second person
    page.goto(draft_url)
    expect(page.locator("#studio-page")).to_have_attribute("data-ready", "true")
    changes = page.locator(".studio-changes li")
    expect(changes).to_have_count(1)
    expect(changes).to_contain_text(f"{OLD_ACTOR} → {NEW_ACTOR}")
    page.get_by_label("Catatan perubahan (wajib)").fill(NOTE)
    page.get_by_role("button", name="Terbitkan", exact=True).click()
    expect(page.locator(".flash-success")).to_contain_text(
        "analis atau administrator lain harus menyetujuinya"
    )
    expect(page.locator(".studio-readonly")).to_contain_text("menunggu persetujuan analis kedua")
    expect(page.get_by_role("button", name="Setujui dan terbitkan")).to_have_count(0)  # not mine
    log_out(page)

    log_in(page, "kabid")
    meanwhile = start_c1(page, "Dokumen selama menunggu: RPJMD")
    assert "versi 1" in version_of(page, meanwhile)  # still the deployed version
    log_out(page)

    log_in(page, "admin")
    page.goto(draft_url)
    expect(page.locator("#approve")).to_contain_text(NOTE)
    page.get_by_role("button", name="Setujui dan terbitkan").click()
    approved = "Disetujui dan diterbitkan sebagai versi 2."
    expect(page.locator(".flash-success")).to_have_text(approved)
    versions = page.locator("section[aria-labelledby='versions-title']")
    expect(versions.locator(".version-note").first).to_have_text(NOTE)
    log_out(page)

    # -- a process started now runs version 2; the one started before stays on version 1
    log_in(page, "kabid")
    new_id = start_c1(page, "Dokumen baru: RKPD 2028")
    assert "versi 2" in version_of(page, new_id)
    assert "versi 1" in version_of(page, old_id)
    assert normalise(walk_to_step_7(server, new_id)) == normalise(NEW_ACTOR)
    assert normalise(walk_to_step_7(server, old_id)) == normalise(OLD_ACTOR)
    log_out(page)
    log_in(page, "fungsional.umum")
    page.goto(f"/instances/{new_id}")
    expect(page.locator("main")).to_contain_text("Langkah 7")
    shot(page, "analyst-new-version-running")
