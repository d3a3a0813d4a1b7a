"""The instance's diagrams without colour, with the keyboard and on a phone.

Every state has a sign in the step's badge and its own outline besides its colour, and a legend;
the steps and their states are listed as text; the BPMN diagram is named, focusable with a ring
inside its frame, opens at a readable scale and zooms with + and -; the flowchart's frame is
reachable by Tab. On a 390 px phone the diagram fits the width and its step numbers and lane
names keep a readable size, and the hint speaks of fingers.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import log_in, no_horizontal_overflow, shot
from tests.browser.test_accessibility import cli, make_overdue, open_task, start
from tests.browser.test_phone import PHONE

pytestmark = pytest.mark.slow  # a real browser: make test runs it

READABLE_PX = 9.0  # the smallest BPMN text at the initial zoom, on a desktop


@pytest.fixture(scope="module")
def instance(server) -> int:
    """C.1 with step 1 done (by the CLI) and step 2 open and overdue."""
    number = start(server, "Uji diagram: tanda tanpa warna")
    first = open_task(server, number)
    cli(server, "complete", str(first), "--user", "kabid", *[f"--check={i}=ok" for i in (1, 2, 3)])
    make_overdue(server, open_task(server, number))
    return number


def scale(page: Page) -> float:
    """The viewer's zoom: screen pixels per diagram unit (the viewport group's matrix)."""
    return page.evaluate(
        """() => document.querySelector('#bpmn-canvas .viewport').transform.baseVal
                   .consolidate().matrix.a"""
    )


def test_states_have_signs_outlines_legend_and_text(page: Page, instance: int):
    log_in(page, "kabid")
    page.goto(f"/instances/{instance}")
    canvas = page.locator("#bpmn-canvas")
    expect(canvas).to_have_attribute("data-ready", "true")

    # Badges: the step number and the state's sign (done a tick, overdue "!").
    expect(page.locator(".step-badge-done")).to_have_text("1 \u2713")
    expect(page.locator(".step-badge-overdue")).to_have_text("2 !")
    plain = page.locator(".step-badge:not([class*=step-badge-])")
    expect(plain).to_have_count(8)  # steps 3 to 10: numbered, no sign
    # The outline differs, not only the colour.
    dash = page.evaluate(
        """() => ['alur-done', 'alur-overdue'].map(c => getComputedStyle(
             document.querySelector('.' + c + ' .djs-visual > :first-child')).strokeDasharray)"""
    )
    assert dash[0] == "none" and dash[1] != "none"
    legend = page.get_by_role("list", name="Keterangan tanda")
    for text in ("garis penuh", "garis tebal", "garis titik-titik", "garis putus"):
        expect(legend).to_contain_text(text)

    # The text alternative: every step with its state.
    steps = page.locator("#diagram-steps li")
    expect(steps).to_have_count(10)
    expect(steps.nth(0)).to_contain_text("Selesai")
    expect(steps.nth(1)).to_contain_text("Terlambat")
    expect(steps.nth(2)).to_contain_text("Belum dicapai")

    # The SVG: named, focusable by Tab, its ring inside the frame; readable at first; + zooms.
    svg = canvas.locator(".djs-container > svg")
    expect(svg).to_have_attribute("aria-label", "Diagram BPMN Uji diagram: tanda tanpa warna")
    expect(svg).to_have_attribute("aria-describedby", "diagram-keys")
    expect(page.locator("#diagram-keys")).to_contain_text("Ctrl")
    assert scale(page) * 12 >= READABLE_PX
    shot(page.locator("#diagram"), "32-diagram-states")
    page.locator(".diagram-tools button").last.focus()
    page.keyboard.press("Tab")
    expect(svg).to_be_focused()
    ring = svg.evaluate(
        "e => [getComputedStyle(e).outlineStyle, getComputedStyle(e).outlineOffset]"
    )
    assert ring == ["solid", "-3px"]
    before = scale(page)
    page.keyboard.press("+")
    assert scale(page) > before * 1.2

    # The flowchart: its frame is a named region that Tab reaches; the same text list below.
    page.goto(f"/instances/{instance}?view=sop")
    frame = page.get_by_role("region", name="Bagan alir SOP AP Uji diagram: tanda tanpa warna")
    expect(frame).to_have_attribute("tabindex", "0")
    frame.focus()
    expect(frame).to_be_focused()
    expect(page.locator("#diagram-steps li").nth(1)).to_contain_text("Terlambat")


def test_phone_diagram_fits_the_width_and_stays_readable(new_context, instance: int):
    page = new_context(**PHONE).new_page()
    log_in(page, "kabid")
    page.goto(f"/instances/{instance}")
    canvas = page.locator("#bpmn-canvas")
    expect(canvas).to_have_attribute("data-ready", "true")
    no_horizontal_overflow(page)
    # The whole width of the drawing in the frame.
    inner = page.evaluate("() => document.querySelector('#bpmn-canvas .viewport').getBBox().width")
    width = canvas.evaluate("e => e.clientWidth")
    assert inner * scale(page) <= width
    # Step numbers and lane names keep 12 px text.
    for badge in (page.locator(".step-badge").first, page.locator(".lane-badge").first):
        expect(badge).to_be_visible()
        assert badge.evaluate("e => parseFloat(getComputedStyle(e).fontSize)") >= 12
        assert badge.bounding_box()["height"] >= 14
    expect(page.locator(".hint-touch")).to_be_visible()
    expect(page.locator(".hint-mouse")).to_be_hidden()
    shot(page.locator("#diagram"), "33-phone-diagram")
