"""The analyst studio's modeler (webui/frontend, bundled to webui/static/build) in Chromium.

A test-only harness page (tests/browser/studio_harness/) hosts the bundle the way the Flask page
will: a local HTTP server serves webui/static under /static, bpmn/ under /bpmn and the harness,
with the app's Content-Security-Policy, and the harness calls window.AlurStudio.open. The XML the
modeler exports is read back with engine.bpmn.reader, so what the SOP panel writes is what the
engine reads. The bundle is built first when it is missing or older than its sources (a missing
or failing build fails the tests; it never skips them).
"""

from __future__ import annotations

import fcntl
import gzip
import http.server
import re
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from engine.bpmn.reader import properties, read_bpmn
from engine.bpmn.xmlsafe import parse_xml
from engine.sop import Decision, Waktu
from tests.browser.conftest import WAIT_MS, Console, shot
from tests.conftest import BPMN_DIR, ROOT
from webui.security import CSP

pytestmark = pytest.mark.slow  # a real browser: make test runs it

FRONTEND = ROOT / "webui" / "frontend"
STATIC = ROOT / "webui" / "static"
BUILD = STATIC / "build"
BUNDLE = BUILD / "studio.js"
HARNESS = Path(__file__).resolve().parent / "studio_harness"
BUILD_INPUTS = [ROOT / "package.json", ROOT / "package-lock.json"]
SOP_C1 = BPMN_DIR / "sop_c_1.bpmn"
ARTIFACTS_FILE = ROOT / "test-artifacts" / "browser" / "studio-performance.txt"


# --- the bundle ------------------------------------------------------------------------------


def _stale() -> bool:
    outputs = [BUNDLE, BUILD / "studio.css"]
    if not all(p.exists() for p in outputs):
        return True
    sources = [p for p in FRONTEND.rglob("*") if p.is_file()] + BUILD_INPUTS
    return max(p.stat().st_mtime for p in sources) > min(p.stat().st_mtime for p in outputs)


@pytest.fixture(scope="session")
def studio_bundle() -> Path:
    """webui/static/build/studio.js, built with `npm run build` when missing or stale."""
    if not (ROOT / "node_modules" / ".bin" / "esbuild").exists():
        pytest.fail("node_modules has no esbuild: run `make setup` (npm ci, then the build)")
    lock_path = ROOT / "node_modules" / ".studio-build.lock"
    with open(lock_path, "w") as lock:  # pytest-xdist workers build one at a time
        fcntl.flock(lock, fcntl.LOCK_EX)
        if _stale():
            done = subprocess.run(
                ["npm", "run", "build"], cwd=ROOT, capture_output=True, text=True, timeout=300
            )
            if done.returncode != 0:
                pytest.fail(f"`npm run build` failed:\n{done.stdout}\n{done.stderr}")
    if not BUNDLE.exists():
        pytest.fail(f"{BUNDLE} is missing after the build")
    return BUNDLE


# --- the harness server ----------------------------------------------------------------------

ROUTES = {"/static/": STATIC, "/bpmn/": BPMN_DIR, "/harness/": HARNESS}


class HarnessHandler(http.server.SimpleHTTPRequestHandler):
    """Files of ROUTES, the harness page at /, every answer with the app's CSP."""

    def translate_path(self, path: str) -> str:
        path = path.split("?", 1)[0].split("#", 1)[0]
        if path == "/":
            return str(HARNESS / "index.html")
        for prefix, folder in ROUTES.items():
            if path.startswith(prefix):
                target = (folder / path.removeprefix(prefix)).resolve()
                if target.is_relative_to(folder.resolve()):
                    return str(target)
        return str(HARNESS / "missing")

    def end_headers(self) -> None:
        self.send_header("Content-Security-Policy", CSP)
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the base class's name
        pass


@pytest.fixture(scope="session")
def harness_url(studio_bundle) -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), HarnessHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def studio_page(browser: Browser, harness_url: str, console: Console) -> Iterator[Page]:
    context = browser.new_context(
        base_url=harness_url, locale="id-ID", viewport={"width": 1440, "height": 900}
    )
    context.set_default_timeout(WAIT_MS)
    console.watch(context)
    try:
        yield context.new_page()
    finally:
        context.close()


def open_studio(page: Page, bpmn: str = "sop_c_1.bpmn", lang: str = "id") -> dict:
    """Open the harness on a diagram; returns the harness's timings once the modeler is ready."""
    page.goto(f"/?bpmn={bpmn}&lang={lang}")
    expect(page.locator("#status")).to_have_attribute("data-ready", "true")
    return page.evaluate(
        "() => ({scriptMs: harness.scriptMs, fetchedMs: harness.fetchedMs,"
        " openMs: harness.openMs, readyMs: harness.readyMs, errors: harness.errors})"
    )


def select(page: Page, element_id: str, at: dict | None = None) -> None:
    """Click an element on the canvas, as an analyst does: at 100 % zoom, scrolled into view,
    after a click on the empty canvas (so no context pad of the last selection is in the way).
    `at` is where to click inside the element (a pool: its name band on the left)."""
    click_empty_canvas(page)
    page.evaluate(
        """id => { const canvas = harness.studio.modeler.get("canvas");
                   canvas.zoom(1); canvas.scrollToElement(id); }""",
        element_id,
    )
    page.locator(f'.djs-element[data-element-id="{element_id}"]').first.click(position=at)
    expect(page.locator(".bio-properties-panel-header-label")).to_be_visible()
    selected = "() => harness.studio.modeler.get('selection').get().map(e => e.id)"
    assert page.evaluate(selected) == [element_id]


def click_empty_canvas(page: Page) -> None:
    box = page.locator(".alur-studio-canvas").bounding_box()
    page.mouse.click(box["x"] + box["width"] - 60, box["y"] + 40)  # a corner no shape reaches


def exported(page: Page) -> str:
    return page.evaluate("() => harness.studio.getXml()")


def entry(page: Page, entry_id: str, control: str = "input"):
    return page.locator(f'.alur-studio-panel [data-entry-id="{entry_id}"] {control}').first


def edit(page: Page, action) -> None:
    """Do one edit in the panel and wait until the command stack has it (inputs debounce)."""
    before = page.evaluate("() => harness.changes")
    action()
    page.wait_for_function("n => harness.changes > n", arg=before)


def undo_with_keyboard(page: Page) -> None:
    """Ctrl+Z on the canvas, as an analyst undoes the last edit."""
    before = page.evaluate("() => harness.changes")
    click_empty_canvas(page)
    page.keyboard.press("Control+z")
    page.wait_for_function("n => harness.changes > n", arg=before)


def read(xml: str):
    return read_bpmn(xml.encode("utf-8"))


def test_sop_panel_edits_a_step_and_nothing_else(studio_page: Page):
    page = studio_page
    original = read_bpmn(SOP_C1)
    open_studio(page)

    # step 7: Waktu "90 menit" -> "2 hari kerja", Kelengkapan: first item reworded, one added
    select(page, "Langkah_7")
    expect(page.locator('[data-group-id="group-alur-step"]')).to_contain_text("Langkah SOP")
    expect(entry(page, "alur-actor", "select option:checked")).to_have_text(
        "Sub. Koordinator Sosial Budaya"
    )
    expect(entry(page, "alur-no")).to_have_value("7")
    expect(entry(page, "alur-waktu-amount")).to_have_value("90")
    expect(entry(page, "alur-waktu-unit", "select")).to_have_value("menit")
    edit(page, lambda: entry(page, "alur-waktu-amount").fill("2"))
    edit(page, lambda: entry(page, "alur-waktu-unit", "select").select_option("hari kerja"))
    kelengkapan = page.locator('[data-entry-id="alur-kelengkapan"]')
    expect(kelengkapan.locator("textarea")).to_have_count(1)
    edit(page, lambda: kelengkapan.locator("textarea").first.fill("Draft Rumusan (versi 2)"))
    edit(page, lambda: kelengkapan.get_by_title("Tambah butir").click())
    edit(page, lambda: kelengkapan.locator("textarea").nth(1).fill("Lembar koreksi"))
    shot(page, "studio-step-7-edited")

    # its decision: the gateway after step 7 asks the question, Ya -> 8, Tidak -> 6
    select(page, "Keputusan_7")
    expect(entry(page, "alur-decision-question")).to_have_value("Draft Rumusan sudah benar?")
    ya = entry(page, "alur-decision-ya", "select")
    tidak = entry(page, "alur-decision-tidak", "select")
    expect(ya).to_have_value("Langkah_8")
    expect(tidak).to_have_value("Langkah_6")
    expect(ya.locator("option:checked")).to_have_text(
        "8. Mengoreksi dan memaraf hasil rapat koordinasi"
    )
    expect(entry(page, "alur-decision-step", ".alur-display-text")).to_contain_text("7. Mengoreksi")
    shot(page, "studio-decision-7")

    # one more edit (Tidak -> step 5), then one undo reverts exactly that edit
    edit(page, lambda: tidak.select_option("Langkah_5"))
    expect(tidak).to_have_value("Langkah_5")
    undo_with_keyboard(page)
    select(page, "Keputusan_7")
    expect(entry(page, "alur-decision-tidak", "select")).to_have_value("Langkah_6")
    select(page, "Langkah_7")
    expect(entry(page, "alur-waktu-amount")).to_have_value("2")
    expect(page.locator('[data-entry-id="alur-kelengkapan"] textarea')).to_have_count(2)

    # what the engine reads back: step 7's Waktu and Kelengkapan changed, nothing else
    saved = read(exported(page))
    step = saved.step(7)
    assert step.waktu == Waktu.parse("2 hari kerja") and step.waktu.text == "2 hari kerja"
    assert step.kelengkapan == ["Draft Rumusan (versi 2)", "Lembar koreksi"]
    assert step.decision == Decision("Draft Rumusan sudah benar?", 8, 6)
    expected = replace(
        original,
        steps=[
            replace(s, waktu=step.waktu, kelengkapan=step.kelengkapan) if s.no == 7 else s
            for s in original.steps
        ],
    )
    assert saved == expected


def test_the_performer_is_chosen_in_the_panel_and_moves_the_step(studio_page: Page):
    page = studio_page
    original = read_bpmn(SOP_C1)
    open_studio(page)
    select(page, "Langkah_7")
    actor = entry(page, "alur-actor", "select")
    lanes = actor.locator("option").all_inner_texts()
    assert lanes == original.actors  # every Pelaksana column, in the SOP's order
    edit(page, lambda: actor.select_option(label="Fungsional Umum"))
    expect(actor.locator("option:checked")).to_have_text("Fungsional Umum")
    saved = read(exported(page))
    assert saved.step(7).actor == "Fungsional Umum"
    assert saved.step(7).decision == original.step(7).decision  # its gateway came along
    assert saved == replace(
        original,
        steps=[replace(s, actor="Fungsional Umum") if s.no == 7 else s for s in original.steps],
    )
    box = page.locator('.djs-element[data-element-id="Langkah_7"]').bounding_box()
    lane = page.locator('.djs-element[data-element-id="Lane_4"]').bounding_box()
    assert lane["y"] < box["y"] and box["y"] + box["height"] < lane["y"] + lane["height"]
    shot(page, "studio-actor-changed")
    undo_with_keyboard(page)  # one command: one undo puts it back
    assert read(exported(page)) == original


def test_decision_targets_rewire_the_flow_in_one_undo(studio_page: Page):
    page = studio_page
    open_studio(page)
    select(page, "Keputusan_8")
    tidak = entry(page, "alur-decision-tidak", "select")
    edit(page, lambda: tidak.select_option("Langkah_7"))
    saved = read(exported(page))
    assert saved.step(8).decision == Decision("Draft Rumusan disetujui dan diparaf?", 9, 7)
    flow = page.evaluate(
        """() => { const flow = harness.studio.modeler.get("elementRegistry").get("Flow_13");
                   const bo = flow.businessObject;
                   return [bo.name, bo.targetRef.id, bo.conditionExpression.body]; }"""
    )
    assert flow == ["Tidak", "Langkah_7", 'keputusan_8 == "Tidak"']

    # the question, then one undo: only the question reverts; a second: the flow goes back
    edit(page, lambda: entry(page, "alur-decision-question").fill("Draft disetujui?"))
    undo_with_keyboard(page)
    assert read(exported(page)).step(8).decision == saved.step(8).decision
    undo_with_keyboard(page)
    assert read(exported(page)) == read_bpmn(SOP_C1)

    # renumbering a decision step renames its answer variable in both conditions, in one edit
    select(page, "Langkah_8")
    edit(page, lambda: entry(page, "alur-no").fill("12"))
    saved = read(exported(page))
    assert saved.step(12).decision == Decision("Draft Rumusan disetujui dan diparaf?", 9, 6)
    assert saved.step(7).decision.yes == 12
    conditions = page.evaluate(
        """() => ["Flow_12", "Flow_13"].map(id => harness.studio.modeler.get("elementRegistry")
                 .get(id).businessObject.conditionExpression.body)"""
    )
    assert conditions == ['keputusan_12 == "Ya"', 'keputusan_12 == "Tidak"']
    undo_with_keyboard(page)
    assert read(exported(page)) == read_bpmn(SOP_C1)
    assert 'keputusan_8 == "Tidak"' in exported(page)


def test_decision_flows_are_drawn_from_the_panel(studio_page: Page):
    """A gateway without Ya/Tidak flows gets them, named and conditioned, from the two selects."""
    page = studio_page
    original = read_bpmn(SOP_C1)
    open_studio(page)
    page.evaluate(
        """() => { const m = harness.studio.modeler, r = m.get("elementRegistry");
                   m.get("modeling").removeElements([r.get("Flow_15"), r.get("Flow_16")]); }"""
    )
    assert read(exported(page)).step(9).decision is None
    select(page, "Keputusan_9")
    expect(entry(page, "alur-decision-ya", "select")).to_have_value("")
    edit(page, lambda: entry(page, "alur-decision-ya", "select").select_option("Langkah_10"))
    edit(page, lambda: entry(page, "alur-decision-tidak", "select").select_option("Langkah_6"))
    shot(page, "studio-decision-drawn")
    saved = read(exported(page))
    assert saved.step(9).decision == original.step(9).decision
    assert saved == original
    xml = exported(page)
    assert 'keputusan_9 == "Ya"' in xml and 'keputusan_9 == "Tidak"' in xml


@pytest.mark.parametrize("bpmn", sorted(p.name for p in BPMN_DIR.glob("sop_*.bpmn")))
def test_every_sop_round_trips_unchanged(studio_page: Page, bpmn: str):
    """Opened and saved without an edit, each SOP reads back exactly as the file does."""
    timings = open_studio(studio_page, bpmn)
    assert timings["errors"] == []  # no import warnings
    assert studio_page.evaluate("() => harness.changes") == 0  # opening is no edit
    assert read(exported(studio_page)) == read_bpmn(BPMN_DIR / bpmn)


def test_a_new_step_gets_its_sop_fields(studio_page: Page):
    """A user task drawn in a lane has no extension elements: the first edit creates them."""
    page = studio_page
    open_studio(page)
    page.evaluate(
        """() => { const m = harness.studio.modeler;
                   const lane = m.get("elementRegistry").get("Lane_9");
                   const shape = m.get("elementFactory").createShape(
                     { type: "bpmn:UserTask", id: "Langkah_baru" });
                   m.get("modeling").createShape(shape,
                     { x: lane.x + 500, y: lane.y + lane.height / 2 }, lane);
                   m.get("modeling").updateLabel(shape, "Mengarsipkan rumusan"); }"""
    )
    select(page, "Langkah_baru")
    expect(entry(page, "alur-actor", "select option:checked")).to_have_text("OPD")
    expect(entry(page, "alur-waktu-unit", "select")).to_have_value("")
    edit(page, lambda: entry(page, "alur-no").fill("11"))
    assert page.evaluate(
        """() => harness.studio.modeler.get("elementRegistry").get("Langkah_baru")
                 .businessObject.extensionElements.values.map(v => v.$type)"""
    ) == ["camunda:Properties"]
    # a unit without an amount is no Waktu yet: nothing is written, the amount asks for one
    entry(page, "alur-waktu-unit", "select").select_option("jam")
    expect(page.locator('[data-entry-id="alur-waktu-amount"]')).to_contain_text("(jam) dipakai")
    expect(entry(page, "alur-waktu-unit", "select")).to_have_value("jam")
    expect(entry(page, "alur-waktu-amount")).to_have_value("")
    edit(page, lambda: entry(page, "alur-waktu-amount").fill("1.5"))
    kelengkapan = page.locator('[data-entry-id="alur-kelengkapan"]')
    edit(page, lambda: kelengkapan.get_by_title("Tambah butir").click())
    edit(page, lambda: kelengkapan.locator("textarea").first.fill("Dokumen Rumusan"))
    page.locator(
        '[data-group-id="group-alur-participants"] .bio-properties-panel-group-header'
    ).click()
    kabid = page.get_by_label("Kabid Pemerintahan dan Sosial Budaya", exact=True)
    edit(page, lambda: kabid.check())
    edit(page, lambda: page.get_by_label("Fungsional Umum", exact=True).check())
    edit(page, lambda: entry(page, "alur-keterangan", "textarea").fill("Arsip digital"))
    shot(page, "studio-new-step")

    step = read(exported(page)).step(11)
    assert step.activity == "Mengarsipkan rumusan"
    assert step.actor == "OPD"
    assert step.waktu.text == "1,5 jam" and step.waktu.minutes == 90
    assert step.kelengkapan == ["Dokumen Rumusan"]
    assert step.participants == ["Kabid Pemerintahan dan Sosial Budaya", "Fungsional Umum"]
    assert step.keterangan == "Arsip digital"
    assert step.output == []
    props = page.evaluate(
        """() => harness.studio.modeler.get("elementRegistry").get("Langkah_baru")
                 .businessObject.extensionElements.values[0].values.map(p => p.name)"""
    )
    assert props == ["no", "waktu", "peserta", "peserta", "kelengkapan", "keterangan"]


def test_sop_identity_on_the_process(studio_page: Page):
    page = studio_page
    open_studio(page)
    select(page, "Pool_sop_c_1", at={"x": 12, "y": 80})
    expect(page.locator('[data-group-id="group-alur-identity"]')).to_contain_text("Identitas SOP")
    expect(entry(page, "alur-kode")).to_have_value("C.1")
    edit(page, lambda: entry(page, "alur-nomor").fill("050/123/BAPPEDA-C/2026"))
    dasar = page.locator('[data-entry-id="alur-dasar_hukum"]')
    expect(dasar.locator("textarea")).to_have_count(6)
    edit(page, lambda: dasar.get_by_title("Tambah butir").click())
    edit(page, lambda: dasar.locator("textarea").nth(6).fill("Perda Ketapang No 1 Tahun 2026"))
    page.locator(
        '[data-group-id="group-alur-signatory"] .bio-properties-panel-group-header'
    ).click()
    edit(page, lambda: entry(page, "alur-disahkan_nama").fill("NAMA BARU, S.T."))
    first = dasar.locator(".bio-properties-panel-list-entry-item").first
    first.hover()  # the delete button shows on hover
    edit(page, lambda: first.get_by_title("Hapus butir").click())  # the first Dasar Hukum goes
    starters = page.locator('[data-group-id="group-alur-starters"]')
    starters.locator(".bio-properties-panel-group-header").click()
    edit(page, lambda: starters.get_by_label("Kepala Badan", exact=True).check())
    shot(page, "studio-identity")

    original = read_bpmn(SOP_C1).identity
    xml = exported(page)
    identity = read(xml).identity
    process = parse_xml(xml.encode("utf-8")).getroot().find(".//{*}process")
    assert [v for k, v in properties(process) if k == "pemula"] == ["Kepala Badan"]
    assert [k for k, _ in properties(process)][-2:] == ["pencatatan_pendataan", "pemula"]
    assert identity.nomor == "050/123/BAPPEDA-C/2026"
    assert identity.disahkan_oleh.nama == "NAMA BARU, S.T."
    assert identity.dasar_hukum == [*original.dasar_hukum[1:], "Perda Ketapang No 1 Tahun 2026"]
    assert (
        replace(
            identity,
            nomor="",
            dasar_hukum=original.dasar_hukum,
            disahkan_oleh=original.disahkan_oleh,
        )
        == original
    )


def test_labels_in_english(studio_page: Page):
    page = studio_page
    open_studio(page, lang="en")
    select(page, "Langkah_1")
    expect(page.locator('[data-group-id="group-alur-step"]')).to_contain_text("SOP step")
    expect(page.get_by_label("Step number")).to_have_value("1")
    expect(page.get_by_label("Time unit")).to_have_value("menit")
    expect(page.locator('[data-group-id="group-general"]')).to_contain_text("General")
    select(page, "Keputusan_9")
    expect(page.get_by_label("If Ya (yes), go to")).to_have_value("Langkah_10")
    shot(page, "studio-english")


def test_watermark_and_problem_markers(studio_page: Page):
    page = studio_page
    open_studio(page)
    # bpmn-js's licence: the bpmn.io watermark stays visible and unchanged
    watermark = page.locator(".alur-studio-canvas a.bjs-powered-by")
    expect(watermark).to_be_visible()
    expect(watermark).to_have_attribute("href", "http://bpmn.io")
    expect(watermark).to_have_attribute("title", "Powered by bpmn.io")
    expect(watermark.locator("svg, img")).to_have_count(1)

    missing = page.evaluate(
        """() => harness.studio.markProblems([
             { element: "Langkah_4", message: "Waktu belum diisi" },
             { element: "Keputusan_9", message: "Tidak menunjuk ke langkah yang tidak ada" },
             { element: "Tidak_ada", message: "diabaikan" }])"""
    )
    assert missing == ["Tidak_ada"]
    task = page.locator('.djs-element[data-element-id="Langkah_4"]').first
    expect(task).to_have_class(re.compile(r"\balur-problem\b"))
    badges = page.locator('.djs-overlays[data-container-id="Langkah_4"] .alur-problem-badge')
    expect(badges).to_have_count(1)
    expect(badges).to_be_visible()
    expect(badges).to_have_attribute("title", "Masalah: Waktu belum diisi")
    expect(page.locator(".alur-problem-badge")).to_have_count(2)
    page.evaluate("() => harness.studio.modeler.get('canvas').zoom('fit-viewport')")
    shot(page, "studio-problems")
    page.evaluate("() => harness.studio.markProblems([])")
    expect(page.locator(".alur-problem-badge")).to_have_count(0)
    expect(task).not_to_have_class(re.compile(r"\balur-problem\b"))


def test_bundle_size_and_load_time(studio_page: Page, studio_bundle: Path):
    """Measured and printed for docs/performance.md; not asserted (timings vary by machine)."""
    sizes = {}
    for path in (studio_bundle, BUILD / "studio.css"):
        raw = path.read_bytes()
        sizes[path.name] = (len(raw), len(gzip.compress(raw, compresslevel=9)))
    runs = [open_studio(studio_page) for _ in range(3)]
    report = [
        f"{name}: {raw / 1024:.0f} KiB raw, {gz / 1024:.0f} KiB gzip"
        for name, (raw, gz) in sizes.items()
    ]
    for run in runs:
        report.append(
            f"ready {run['readyMs']:.0f} ms after navigation start "
            f"(scripts {run['scriptMs']:.0f} ms, open+import {run['openMs']:.0f} ms)"
        )
    ARTIFACTS_FILE.parent.mkdir(parents=True, exist_ok=True)
    ARTIFACTS_FILE.write_text("\n".join(report) + "\n")
    print("\nstudio bundle and load time:\n  " + "\n  ".join(report))
