"""Compare and the SOP table editor in Chromium, on the real app: SOP C.1 version 2 (a step
inserted, a Waktu and a performer changed) compared with version 1, then version 2 edited as the
SOP table: a step added, two rows pasted from a tab-separated clipboard text, a refused cell
shown on its cell, and the BPMN the table writes read back.

This module runs its own `alur serve --demo` (a fresh ALUR_HOME), so the version it deploys does
not reach the other browser tests' server.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from engine.bpmn.reader import read_bpmn
from tests.browser.conftest import ALUR, Server, alur_env, demo_server, log_in, shot
from tests.engine.table_edits import NEW_STEP, c1_version_2

pytestmark = pytest.mark.slow  # a real browser: make test runs it

ADDED = "Menyusun daftar hadir rapat koordinasi"
PASTED = [
    "Mengirim undangan rapat kepada OPD",
    "Merekap hasil rapat koordinasi",
]


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[Server]:
    """This module's own `alur serve --demo`, with SOP C.1 version 2 deployed beside it."""
    home = tmp_path_factory.mktemp("alur-compare-home")
    with demo_server(home) as running:
        version_2 = home / "sop_c_1.bpmn"
        version_2.write_bytes(c1_version_2())
        deploy = [str(ALUR), "deploy", str(version_2), "--user", "analis"]
        subprocess.run(deploy, cwd=home, env=alur_env(home), check=True, capture_output=True)
        # step 4 changes performer: version 2 waits for a second person, the admin approves it
        approve = [str(ALUR), "approve", "sop_c_1", "--version", "2", "--user", "admin"]
        subprocess.run(approve, cwd=home, env=alur_env(home), check=True, capture_output=True)
        yield running


def tsv_row(activity: str, marks: dict[int, str], actors: int, rest: list[str]) -> str:
    """A row as Excel copies it from Kegiatan on: actor columns, then the Mutu Baku columns."""
    cells = [activity] + [marks.get(i, "") for i in range(actors)] + rest
    return "\t".join(cells)


def paste(page: Page, text: str) -> None:
    """Paste text into the focused cell as the clipboard would (a paste event with its data)."""
    page.evaluate(
        """text => { const data = new DataTransfer(); data.setData("text/plain", text);
                     document.activeElement.dispatchEvent(new ClipboardEvent("paste",
                       { clipboardData: data, bubbles: true, cancelable: true })); }""",
        text,
    )


def test_compare_two_versions(page: Page):
    log_in(page, "analis", lands="Semua proses")
    page.goto("/processes/sop_c_1?version=2")
    page.get_by_role("link", name="Bandingkan versi").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bandingkan versi 1 dengan versi 2")
    rows = page.locator(".diff-table tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.nth(0)).to_contain_text("Langkah ditambahkan")
    expect(rows.nth(0)).to_contain_text(NEW_STEP)
    expect(rows.nth(1)).to_contain_text("Waktu diubah")
    expect(rows.nth(1).locator(".diff-old")).to_have_text("180 Menit")
    expect(rows.nth(1).locator(".diff-new")).to_have_text("4 jam")
    expect(rows.nth(2)).to_contain_text("Pelaksana diganti")
    expect(rows.nth(2).locator(".diff-new")).to_have_text("Sub. Koordinator Sosial Budaya")
    for side in ("old", "new"):
        expect(page.locator(f"#bpmn-{side}")).to_have_attribute("data-ready", "true")
    new = page.locator("#bpmn-new")
    added = new.locator('.djs-element.alur-diff-added[data-element-id="Langkah_3_2"]')
    expect(added).to_have_count(1)
    expect(new.locator(".djs-element.alur-diff-changed")).to_have_count(2)
    expect(new.locator(".diff-badge")).to_have_count(3)
    expect(new.locator(".diff-badge.mark-added")).to_have_attribute("title", "Langkah ditambahkan")
    expect(page.locator("#bpmn-old .diff-badge")).to_have_count(2)
    # zoom: the new side's buttons, and the old side follows (both show the same part)
    zoom = "id => window.zoomOf(id)"
    page.evaluate(
        """() => { window.zoomOf = id => document.querySelector("#bpmn-" + id + " svg")
                     .querySelector(".viewport").transform.baseVal.consolidate().matrix.a; }"""
    )
    fitted = page.evaluate(zoom, "new")
    tools = page.get_by_role("toolbar", name="Perbesaran versi 2")
    tools.get_by_role("button", name="Perbesar", exact=True).click()
    assert page.evaluate(zoom, "new") == pytest.approx(fitted * 1.25, rel=0.01)
    assert page.evaluate(zoom, "old") == pytest.approx(page.evaluate(zoom, "new"), rel=0.01)
    tools.get_by_role("button", name="Perbesar ke perubahan").click()
    changed = page.evaluate(zoom, "new")
    assert changed > fitted * 1.25  # the three changed steps fill the frame
    frame = new.bounding_box()
    for element in ("Langkah_3_2", "Langkah_3", "Langkah_4"):
        box = new.locator(f'.djs-element[data-element-id="{element}"]').bounding_box()
        assert frame["x"] <= box["x"] and box["x"] + box["width"] <= frame["x"] + frame["width"]
        assert frame["y"] <= box["y"] and box["y"] + box["height"] <= frame["y"] + frame["height"]
    page.locator("#diagrams-title").scroll_into_view_if_needed()
    shot(page, "compare-zoomed")
    page.get_by_label("Geser dan perbesar kedua diagram bersamaan").uncheck()
    tools.get_by_role("button", name="Sesuaikan layar").click()
    assert page.evaluate(zoom, "new") == pytest.approx(fitted, rel=0.01)
    assert page.evaluate(zoom, "old") == pytest.approx(changed, rel=0.01)  # left alone
    images = page.locator("img.flowchart")
    expect(images).to_have_count(2)
    for i in range(2):
        images.nth(i).scroll_into_view_if_needed()
        expect(images.nth(i)).to_have_js_property("complete", True)
        assert images.nth(i).evaluate("img => img.naturalWidth") > 500
    page.locator("#diagrams-title").scroll_into_view_if_needed()
    shot(page, "compare-page")


def test_table_editor_adds_a_step_pastes_rows_and_writes_bpmn(page: Page, console):
    console.allow(r"status of 422")  # the refused table, on purpose
    log_in(page, "analis", lands="Semua proses")
    page.goto("/processes/sop_c_1?version=2")
    page.get_by_role("link", name="Sunting sebagai tabel").click()
    grid = page.locator(".alur-table-grid")
    expect(grid.locator("tbody tr")).to_have_count(11)
    expect(page.get_by_label("Kegiatan langkah 3")).to_have_value(NEW_STEP)
    actors = grid.locator("thead .alur-table-actor-name").count()
    assert actors == 9

    # a step added at the end, left without its Kegiatan: refused on that cell
    page.get_by_role("button", name="Tambah langkah").click()
    expect(grid.locator("tbody tr")).to_have_count(12)
    expect(page.get_by_label("Kegiatan langkah 12")).to_be_focused()
    page.get_by_label("Kabid Pemerintahan dan Sosial Budaya, langkah 12").select_option("P")
    with page.expect_response("**/studio/table/to-xml") as refused:
        page.get_by_role("button", name="Tulis BPMN").click()
    assert refused.value.status == 422
    cell = page.get_by_label("Kegiatan langkah 12")
    expect(cell).to_have_attribute("aria-invalid", "true")
    expect(grid.locator(".alur-table-error")).to_have_text(
        "Baris 12, kolom Kegiatan: kegiatan kosong."
    )
    cell.fill(ADDED)

    # two rows pasted from Excel into the Kegiatan cell of a new last row
    page.get_by_role("button", name="Tambah langkah").click()
    expect(page.get_by_label("Kegiatan langkah 13")).to_be_focused()
    first = ["Daftar OPD", "2 jam", "Undangan", "", "", ""]
    second = ['"Notulen\nDaftar hadir"', "1 hari kerja", "Rekap", "Lengkap", "", ""]
    block = "\n".join(
        [
            tsv_row(PASTED[0], {3: "x", 8: "o"}, actors, first),
            tsv_row(PASTED[1], {2: "x"}, actors, second),
        ]
    )
    paste(page, block + "\n")
    expect(grid.locator("tbody tr")).to_have_count(14)
    expect(page.get_by_label("Kegiatan langkah 14")).to_have_value(PASTED[1])
    expect(page.get_by_label("Kelengkapan langkah 14 (satu butir per baris)")).to_have_value(
        "Notulen\nDaftar hadir"
    )
    expect(page.get_by_label("Waktu langkah 13: jumlah")).to_have_value("2")
    expect(page.get_by_label("Waktu langkah 13: satuan")).to_have_value("jam")
    expect(page.get_by_label("OPD, langkah 13")).to_have_value("S")

    # the keyboard moves a row: Alt+Up on step 14 makes it 13, and back
    page.get_by_label("Kegiatan langkah 14").focus()
    page.keyboard.press("Alt+ArrowUp")
    expect(page.get_by_label("Kegiatan langkah 13")).to_have_value(PASTED[1])
    expect(page.get_by_label("Kegiatan langkah 13")).to_be_focused()
    page.keyboard.press("Alt+ArrowDown")
    expect(page.get_by_label("Kegiatan langkah 14")).to_have_value(PASTED[1])

    with page.expect_response("**/studio/table/to-xml") as written:
        page.get_by_role("button", name="Tulis BPMN").click()
    assert written.value.status == 200
    sop = read_bpmn(written.value.body())
    assert len(sop.steps) == 14
    assert [s.element_id for s in sop.steps[:11]] == [
        f"Langkah_{n}" for n in (1, 2, "3_2", 3, 4, 5, 6, 7, 8, 9, 10)
    ]  # kept steps keep their ids
    added, first, second = sop.step(12), sop.step(13), sop.step(14)
    assert (added.activity, added.actor) == (ADDED, "Kabid Pemerintahan dan Sosial Budaya")
    assert (first.activity, first.actor, first.participants) == (
        PASTED[0],
        "Fungsional Umum",
        ["OPD"],
    )
    assert (first.waktu.text, first.kelengkapan, first.output) == (
        "2 jam",
        ["Daftar OPD"],
        ["Undangan"],
    )
    assert (second.actor, second.waktu.working_days) == ("Fungsional Tertentu", 1)
    assert (second.kelengkapan, second.keterangan) == (["Notulen", "Daftar hadir"], "Lengkap")
    assert sop.step(10).decision.yes == 11  # decisions untouched
    expect(page.get_by_role("link", name="Unduh berkas .bpmn")).to_be_visible()
    expect(page.locator("#sop-table-result")).to_contain_text("14 langkah")
    expect(grid.locator(".alur-table-error")).to_have_count(0)
    shot(page, "table-editor")


def test_studio_table_tab_keeps_edits_both_ways(page: Page):
    log_in(page, "analis", lands="Semua proses")
    page.goto("/processes/sop_c_1?version=2")
    page.get_by_role("button", name="Sunting versi 2 di studio").click()
    studio = page.locator("#studio-page")
    expect(studio).to_have_attribute("data-ready", "true")
    page.get_by_role("tab", name="Tabel").click()
    table = page.locator("#studio-table")
    expect(table).to_have_attribute("data-ready", "true")
    expect(page.get_by_label("Kegiatan langkah 3")).to_have_value(NEW_STEP)
    page.get_by_label("Waktu langkah 3: jumlah").fill("45")
    page.get_by_role("button", name="Tambah langkah").click()
    page.get_by_label("Kegiatan langkah 12").fill(ADDED)
    page.get_by_label("OPD, langkah 12").select_option("P")
    shot(page, "studio-table-tab")
    page.get_by_role("tab", name="Diagram").click()
    expect(page.locator("#studio-status")).to_have_text("Ada perubahan yang belum disimpan")
    expect(page.locator('.djs-element[data-element-id="Langkah_12"]')).to_have_count(1)
    sop = read_bpmn(page.evaluate("alurStudioPage.studio.getXml()").encode())
    assert sop.step(3).waktu.text == "45 menit" and sop.step(3).element_id == "Langkah_3_2"
    assert (sop.step(12).activity, sop.step(12).actor) == (ADDED, "OPD")
    # and back: the table shows the diagram as it now is
    page.get_by_role("tab", name="Tabel").click()
    expect(table).to_have_attribute("data-ready", "true")
    expect(page.get_by_label("Kegiatan langkah 12")).to_have_value(ADDED)
    page.keyboard.press("Control+s")
    expect(page.locator("#studio-status")).to_have_text("Semua perubahan tersimpan")
    page.get_by_role("link", name="Bandingkan").click()
    rows = page.locator(".diff-table tbody tr")
    expect(rows).to_have_count(2)  # against version 2: Waktu of step 3, step 12 added
    expect(page.locator("#bpmn-new")).to_have_attribute("data-ready", "true")
    shot(page, "compare-draft")
