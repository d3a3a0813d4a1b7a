"""The auditor lands on 'Semua proses' (no inbox, nothing to start), at desktop and phone width."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in, no_horizontal_overflow, shot
from tests.browser.test_phone import PHONE

pytestmark = pytest.mark.slow  # a real browser: make test runs it


def _landing(page, name: str) -> None:
    log_in(page, "auditor", lands="Semua proses")
    menu = page.get_by_role("navigation", name="Menu utama")
    expect(menu.get_by_role("link", name="Semua proses")).to_have_attribute("aria-current", "page")
    expect(menu.get_by_role("link", name="Mulai proses")).to_have_count(0)
    expect(menu.get_by_role("link", name="Kotak masuk")).to_have_count(0)
    expect(page.locator("table.instance-list tbody tr").first).to_be_visible()
    expect(page.get_by_role("link", name="Unduh CSV")).to_be_visible()
    no_horizontal_overflow(page)
    shot(page, name)


def test_auditor_landing_desktop(new_context):
    _landing(new_context(viewport={"width": 1280, "height": 900}).new_page(), "20-auditor-landing")


def test_auditor_landing_phone(new_context):
    _landing(new_context(**PHONE).new_page(), "21-auditor-landing-phone")
