"""A task completed with the keyboard alone (Tab, Space and Enter), and the forms' error pattern:
after a failed submit the focus is on the error summary, the fields in error say so, each
message is tied to the field it names, and Enter on a checkbox never sends the form."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import log_in, shot
from tests.browser.test_accessibility import open_task, start

pytestmark = pytest.mark.slow  # a real browser: make test runs it

MAX_TABS = 80  # from the top of the task page to its last button


def focused(page: Page) -> dict:
    return page.evaluate(
        """() => { const e = document.activeElement;
             return {id: e.id, tag: e.tagName, type: e.type || "", cls: e.className || "",
                     text: (e.textContent || "").trim().slice(0, 80)}; }"""
    )


def tab_to(page: Page, wanted, what: str) -> dict:
    """Press Tab until wanted(focused element) holds; fail after MAX_TABS presses."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        now = focused(page)
        if wanted(now):
            return now
    pytest.fail(f"Tab never reached {what}")


def test_complete_a_task_with_tab_space_and_enter(page: Page, server):
    task = open_task(server, start(server, "Uji papan ketik: RKPD 2027"))
    log_in(page, "kabid")
    page.goto(f"/tasks/{task}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Langkah 1:")
    boxes = page.locator("#checklist input[type=checkbox]")
    count = boxes.count()
    assert count >= 2

    # Enter on a checkbox neither ticks it nor sends the form.
    tab_to(page, lambda e: e["id"] == "check-0", "the first Kelengkapan checkbox")
    page.keyboard.press("Enter")
    page.wait_for_timeout(300)  # a submit would have navigated by now
    expect(page).to_have_url(re.compile(rf"/tasks/{task}$"))
    expect(boxes.nth(0)).not_to_be_checked()
    expect(page.locator(".error-summary")).to_have_count(0)

    # Space ticks each item; Tab moves on (past each item's "if it is missing" field).
    page.keyboard.press("Space")
    for i in range(1, count):
        tab_to(page, lambda e, i=i: e["id"] == f"check-{i}", f"checkbox {i}")
        page.keyboard.press("Space")
    for i in range(count):
        expect(boxes.nth(i)).to_be_checked()

    # Tab to the complete button and press Enter.
    button = tab_to(page, lambda e: e["id"] == "complete-button", "the complete button")
    assert button["text"] == "Selesaikan langkah 1"
    page.keyboard.press("Enter")
    expect(page.locator(".flash-success")).to_contain_text("Langkah 1")
    shot(page, "30-keyboard-walk-done")
    page.goto(f"/tasks/{task}")
    expect(page.locator(".task-summary")).to_contain_text("Diselesaikan oleh")


def test_a_failed_submit_focuses_the_summary_and_marks_the_fields(page: Page, server, console):
    console.allow(r"status of 422")  # the refused submit, on purpose
    task = open_task(server, start(server, "Uji papan ketik: galat"))
    log_in(page, "kabid")
    page.goto(f"/tasks/{task}")
    tab_to(page, lambda e: e["id"] == "complete-button", "the complete button")
    page.keyboard.press("Enter")  # nothing ticked, nothing explained

    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_be_in_viewport()
    first = page.locator("#check-0")
    expect(first).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#gap-0")).to_have_attribute("aria-invalid", "true")
    message = page.locator("#check-0-error")
    expect(message).to_contain_text(": centang, atau jelaskan")
    # The summary's Kelengkapan links point at the checklist fieldset, which the messages describe.
    link = summary.get_by_role("link", name=message.inner_text())
    expect(link).to_have_attribute("href", "#checklist")
    described = page.locator("#checklist").get_attribute("aria-describedby").split()
    assert "check-0-error" in described
    assert first.get_attribute("aria-describedby") == "check-0-error"
    shot(page, "31-keyboard-walk-error")

    # The summary's next Tab is its first link; Enter on it moves to the checklist.
    page.keyboard.press("Tab")
    expect(summary.get_by_role("link").first).to_be_focused()


def test_the_sign_in_refusal_is_focused_and_tied_to_both_fields(page: Page):
    page.goto("/login")
    page.get_by_label("Nama pengguna").fill("kabid")
    page.get_by_label("Kata sandi").fill("salah")
    page.get_by_label("Kata sandi").press("Enter")
    refusal = page.locator("#login-error")
    expect(refusal).to_be_focused()
    for field in ("#username", "#password"):
        expect(page.locator(field)).to_have_attribute("aria-invalid", "true")
        expect(page.locator(field)).to_have_attribute("aria-describedby", "login-error")
