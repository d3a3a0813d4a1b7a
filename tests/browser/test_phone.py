"""A phone (390 x 844): start, inbox, task page and instance page fit without sideways scrolling."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in, no_horizontal_overflow, shot

pytestmark = pytest.mark.slow  # a whole system or a real browser: make test runs it

PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}
SOP_C1 = re.compile(r"^C\.1$")
TITLE = "Uji ponsel: Koordinasi RPJMD 2027"


def test_phone_pages_fit_the_screen(new_context):
    page = new_context(**PHONE).new_page()
    log_in(page, "kabid")
    expect(page.get_by_role("heading", name="Kotak masuk", level=1)).to_be_visible()
    no_horizontal_overflow(page)

    page.get_by_role("link", name="Mulai proses").click()
    card = page.locator("li.sop").filter(has=page.locator(".sop-code", has_text=SOP_C1))
    card.get_by_label("Judul").fill(TITLE)
    card.get_by_role("button", name="Mulai", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Langkah 1:")

    page.get_by_role("link", name="Kotak masuk").first.click()
    row = page.locator("table.tasks tbody tr").filter(
        has=page.get_by_role("link", name=TITLE, exact=True)
    )
    expect(row).to_be_visible()
    no_horizontal_overflow(page)
    shot(page, "09-phone-inbox")

    row.locator("a.task-link").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Langkah 1:")
    expect(page.get_by_role("button", name="Selesaikan langkah 1")).to_be_visible()
    no_horizontal_overflow(page)
    shot(page, "10-phone-task")

    page.locator(".task-summary").get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", name=TITLE, level=1)).to_be_visible()
    expect(page.locator("#bpmn-canvas")).to_have_attribute("data-ready", "true")
    expect(page.locator('g.djs-element[data-element-id="Langkah_1"]')).to_have_class(
        re.compile(r"\balur-current\b")
    )
    no_horizontal_overflow(page)
    shot(page, "11-phone-instance")
