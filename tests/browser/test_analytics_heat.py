"""The analytics page's BPMN diagram coloured by share over standard, in a real browser: each
task filled and labelled with its share, the legend and the list beside it, no CSP violation."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import (
    all_ok,
    cli,
    log_in,
    no_horizontal_overflow,
    open_task,
    shot,
    start,
)
from tests.browser.test_phone import PHONE

pytestmark = pytest.mark.slow  # a real browser: make test runs it


@pytest.fixture(scope="module")
def completed(server) -> None:
    """A C.1 instance whose first step (it has a Waktu) is completed, so that step has figures."""
    first = open_task(server, start(server, "Analitik: RPJMD 2027"))
    cli(server, "complete", str(first), "--user", "kabid", *all_ok(server, first))


def _heat(page, name: str) -> None:
    log_in(page, "auditor", lands="Semua proses")
    page.goto("/processes/sop_c_1/analytics")
    canvas = page.locator(".heat-bpmn[data-ready=true]")
    expect(canvas).to_be_visible()
    items = page.locator("#heat-bpmn-list li")
    labels = canvas.locator(".heat-label")
    expect(labels).to_have_count(items.count())
    marks = page.evaluate(
        """() => JSON.parse(document.querySelector('[data-heat-url]').dataset.heat)"""
    )
    for mark in marks:
        element = canvas.locator(f'[data-element-id="{mark["id"]}"] .djs-visual > :first-child')
        fill = element.evaluate("e => e.style.fill")
        assert fill.replace(" ", "") == _rgb(mark["fill"]), mark
        label = canvas.locator(f'.djs-overlays[data-container-id="{mark["id"]}"] .heat-label')
        expect(label).to_have_text(mark["label"])
    expect(items.first).to_contain_text("melebihi baku")
    # the table's cells are coloured too (by the script: no inline style under the CSP)
    cell = page.locator("td[data-heat-fill]").first
    colour = cell.evaluate("e => e.style.backgroundColor").replace(" ", "")
    assert colour == _rgb(cell.get_attribute("data-heat-fill"))
    no_horizontal_overflow(page)
    shot(page.locator(".heat-bpmn").locator(".."), name)


def _rgb(hex_colour: str) -> str:
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgb({r},{g},{b})"


def test_heat_diagram_desktop(new_context, completed):
    _heat(new_context(viewport={"width": 1280, "height": 900}).new_page(), "30-analytics-heat-bpmn")


def test_heat_diagram_phone(new_context, completed):
    _heat(new_context(**PHONE).new_page(), "31-analytics-heat-bpmn-phone")
