"""The language switch (ID -> EN -> ID) and signing in with the keyboard alone."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import PASSWORD, log_in, shot

pytestmark = pytest.mark.slow  # a whole system or a real browser: make test runs it


def test_switch_to_english_and_back(page: Page):
    page.goto("/login")
    expect(page.get_by_role("heading", name="Masuk", level=1)).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "id")

    page.get_by_role("button", name="EN", exact=True).click()
    expect(page.get_by_role("heading", name="Sign in", level=1)).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_label("Username")).to_be_visible()
    expect(page.get_by_role("button", name="EN", exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )

    # The choice outlives signing in (login keeps the session's language).
    page.get_by_label("Username").fill("kabid")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_role("heading", name="Inbox", level=1)).to_be_visible()
    menu = page.get_by_role("navigation", name="Main menu")
    expect(menu.get_by_role("link", name="Start a process")).to_be_visible()
    expect(menu.get_by_role("link", name="SOP catalog")).to_be_visible()
    expect(page.get_by_role("button", name="Sign out", exact=True)).to_be_visible()
    shot(page, "08-inbox-english")

    # Another page, then back to Bahasa Indonesia on it: the switch returns to the same page.
    menu.get_by_role("link", name="Start a process").click()
    expect(page.get_by_role("heading", name="Start a process", level=1)).to_be_visible()
    page.get_by_role("button", name="ID", exact=True).click()
    expect(page.get_by_role("heading", name="Mulai proses", level=1)).to_be_visible()
    expect(page).to_have_url(f"{page.url.split('/start')[0]}/start/")
    expect(page.locator("html")).to_have_attribute("lang", "id")
    expect(page.get_by_role("button", name="Keluar", exact=True)).to_be_visible()


def test_sign_in_with_tab_and_enter(page: Page):
    page.goto("/login")
    # The first Tab reaches the skip link, which shows itself when focused.
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Langsung ke isi")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    # Tab on through the header (brand, language buttons) to the username field.
    username = page.get_by_label("Nama pengguna")
    for _ in range(8):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.id") == "username":
            break
    expect(username).to_be_focused()
    page.keyboard.type("auditor")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Kata sandi")).to_be_focused()
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Semua proses", level=1)).to_be_visible()
    expect(page.locator(".who-name")).to_have_text("Demo Auditor")


def test_wrong_password_is_refused(page: Page):
    """A wrong password answers with the form again and a message (200, not signed in)."""
    page.goto("/login")
    page.get_by_label("Nama pengguna").fill("kabid")
    page.get_by_label("Kata sandi").fill("salah")
    page.get_by_role("button", name="Masuk", exact=True).click()
    expect(page.locator(".flash-error")).to_have_text("Nama pengguna atau kata sandi salah.")
    expect(page.locator(".who")).to_have_count(0)
    log_in(page, "kabid")
