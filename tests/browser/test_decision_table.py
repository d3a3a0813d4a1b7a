"""The decision table of a deployed business rule task, drawn read-only by dmn-js in Chromium:
the process page links its decisions, and the decision page shows the table's rules.

This module runs its own `alur serve --demo` with the Camunda Modeler files of
tests/data/editors deployed beside the six SOPs.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import ALUR, Server, alur_env, demo_server, log_in, shot
from tests.conftest import ROOT

pytestmark = pytest.mark.slow  # a real browser: make test runs it

EDITORS = ROOT / "tests" / "data" / "editors"


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[Server]:
    home = tmp_path_factory.mktemp("alur-dmn-home")
    with demo_server(home) as running:
        deploy = [str(ALUR), "deploy", str(EDITORS), "--user", "analis"]
        subprocess.run(deploy, cwd=home, env=alur_env(home), check=True, capture_output=True)
        yield running


def test_the_decision_table_of_a_process_renders_its_rules(page: Page):
    log_in(page, "analis", lands="Semua proses")
    page.goto("/processes/pengajuan_cuti")
    decisions = page.get_by_role("region", name="Tabel keputusan (DMN)").or_(
        page.locator("section[aria-labelledby=decisions-title]")
    )
    expect(decisions).to_contain_text("cuti_penyetuju")
    page.get_by_role("link", name="Penyetuju cuti").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Penyetuju cuti")

    table = page.locator(".dmn-canvas .tjs-table")
    expect(table).to_be_visible()
    rules = table.locator("tbody tr")
    expect(rules).to_have_count(3)
    expect(rules.nth(0)).to_contain_text('"besar"')
    expect(rules.nth(0)).to_contain_text('"kaban"')
    expect(rules.nth(0)).to_contain_text("Cuti besar selalu ke Kepala Badan")  # its annotation
    expect(rules.nth(1)).to_contain_text("> 3")
    expect(rules.nth(2)).to_contain_text("[1..3]")
    expect(rules.nth(2)).to_contain_text('"kabid"')
    head = table.locator("thead")
    expect(head).to_contain_text("Lama cuti (hari)")
    expect(head).to_contain_text("Penyetuju")
    expect(page.locator(".dmn-canvas")).to_have_attribute("data-shown", "decisionTable")
    expect(page.locator(".dmn-canvas [contenteditable=true]")).to_have_count(0)  # read-only
    expect(page.locator(".dmn-canvas .bjs-powered-by")).to_be_visible()  # as its license asks
    shot(page, "decision-table")


def test_a_camunda_8_decision_renders_beside_its_collaboration(page: Page):
    log_in(page, "analis", lands="Semua proses")
    page.goto("/processes/surat_masuk")
    page.get_by_role("link", name="Sifat surat").click()
    rules = page.locator(".dmn-canvas .tjs-table tbody tr")
    expect(rules).to_have_count(2)
    expect(rules.nth(0)).to_contain_text('"Bupati","DPRD"')
    expect(rules.nth(1)).to_contain_text('"biasa"')
