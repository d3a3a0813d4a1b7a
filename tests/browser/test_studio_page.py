"""The analyst studio in Chromium, on the real app: SOP C.1 opened from the catalog, a step's Waktu
edited in the SOP panel, the draft saved with Ctrl+S, a problem made, flagged on its element and
fixed, then published with a change note as version 2.

This module runs its own `alur serve --demo` (a fresh ALUR_HOME), so the version it publishes
does not reach the other browser tests' server.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from engine.bpmn.reader import read_bpmn
from tests.browser.conftest import Server, demo_server, log_in, shot

pytestmark = pytest.mark.slow  # a real browser: make test runs it

NOTE = "Waktu langkah 7 menjadi 2 hari kerja"


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[Server]:
    """This module's own `alur serve --demo` (the conftest's, for one module)."""
    with demo_server(tmp_path_factory.mktemp("alur-studio-home")) as running:
        yield running


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


def select_flow(page: Page, flow_id: str) -> None:
    """Select a sequence flow (a thin line: the problem list's button does it as the analyst
    would, so here the modeler's selection is used directly)."""
    page.evaluate(
        """id => { const m = alurStudioPage.studio.modeler;
                   m.get("selection").select(m.get("elementRegistry").get(id)); }""",
        flow_id,
    )
    expect(entry(page, "alur-condition")).to_be_visible()


def leaving_is_held(page: Page) -> bool:
    """Whether leaving the page now would ask first (its beforeunload handler objects)."""
    return page.evaluate(
        """() => { const e = new Event("beforeunload", { cancelable: true });
                   window.dispatchEvent(e); return e.defaultPrevented; }"""
    )


def checked(page: Page) -> None:
    """Wait until the live check of the latest edit has answered."""
    expect(page.locator("#studio-page")).to_have_attribute("data-checked", "true")


def saved_xml(page: Page, draft_url: str) -> bytes:
    response = page.request.get(draft_url + "/diagram.bpmn")
    assert response.ok
    return response.body()


def test_edit_check_save_and_publish_sop_c1(page: Page):
    log_in(page, "analis", lands="Semua proses")
    page.goto("/processes/sop_c_1")
    page.get_by_role("button", name="Sunting versi 1 di studio").click()
    expect(page).to_have_url(re.compile(r"/studio/drafts/\d+$"))
    draft_url = page.url
    studio = page.locator("#studio-page")
    expect(studio).to_have_attribute("data-ready", "true")
    checked(page)
    expect(page.locator("#checks-summary")).to_have_text(
        "Tidak ada masalah: draf dapat diterbitkan."
    )
    expect(page.locator(".bjs-powered-by")).to_be_visible()  # the bpmn.io watermark stays
    status = page.locator("#studio-status")
    expect(status).to_have_text("Semua perubahan tersimpan")

    # step 7's Waktu, "90 menit" -> "2 hari kerja", in the SOP panel
    select(page, "Langkah_7")
    expect(entry(page, "alur-waktu-amount")).to_have_value("90")
    entry(page, "alur-waktu-amount").fill("2")
    expect(status).to_have_text("Ada perubahan yang belum disimpan")
    assert leaving_is_held(page)  # the unsaved-changes guard
    entry(page, "alur-waktu-unit", "select").select_option("hari kerja")
    page.locator(".alur-studio-canvas").click(position={"x": 30, "y": 30})
    page.keyboard.press("Control+s")
    expect(status).to_have_text("Semua perubahan tersimpan")
    assert read_bpmn(saved_xml(page, draft_url)).step(7).waktu.text == "2 hari kerja"
    assert not leaving_is_held(page)
    shot(page, "studio-page-saved")

    # a problem: the Tidak flow of step 7's decision gets a condition the evaluator refuses;
    # flagged in the list and on the flow
    select_flow(page, "Flow_10")
    expect(entry(page, "alur-condition")).to_have_value('keputusan_7 == "Tidak"')
    entry(page, "alur-condition").fill('keputusan_7 = "Tidak"')
    checked(page)
    expect(page.locator("#checks-summary")).to_contain_text("Masalah: 1.")
    problem = page.locator("#checks-list li")
    expect(problem).to_have_count(1)
    expect(problem).to_contain_text("Flow_10")
    expect(problem).to_contain_text("baris ")
    marked = page.locator('.djs-element.alur-problem[data-element-id="Flow_10"]')
    expect(marked).to_have_count(1)
    expect(page.locator(".alur-problem-badge")).to_have_count(1)
    shot(page, "studio-page-problem")

    # fixed: the condition back, the mark and the list clear
    entry(page, "alur-condition").fill('keputusan_7 == "Tidak"')
    checked(page)
    expect(page.locator("#checks-summary")).to_have_text(
        "Tidak ada masalah: draf dapat diterbitkan."
    )
    expect(page.locator(".djs-element.alur-problem")).to_have_count(0)
    expect(page.locator("#checks-list li")).to_have_count(0)

    # publish with a note: the unsaved fix is saved first, then version 2 is deployed
    page.get_by_label("Catatan perubahan (wajib)").fill(NOTE)
    page.get_by_role("button", name="Terbitkan", exact=True).click()
    expect(page.get_by_text("Diterbitkan sebagai versi 2.")).to_be_visible()
    assert "/processes/sop_c_1" in page.url and "version=2" in page.url
    versions = page.locator("section[aria-labelledby='versions-title']")
    expect(versions.locator(".version-note").first).to_have_text(NOTE)
    expect(versions).to_contain_text("Demo Analis")
    shot(page, "studio-page-published")

    page.goto(draft_url)
    expect(page.locator(".studio-readonly")).to_contain_text("diterbitkan sebagai versi 2")
    expect(page.locator("#studio-page")).to_have_attribute("data-ready", "true")
    expect(page.locator("#studio-save")).to_have_count(0)  # history: no saving

    page.goto("/studio/?process=sop_c_1")
    row = page.locator("table.drafts tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("diterbitkan sebagai versi 2")
    shot(page, "studio-page-drafts")
