"""A Plh. completes the Kepala Badan's step of SOP B; the instance page names both people.

The steps before it are completed through the engine on the server's own database (the walk
through every step is test_walkthrough's); the delegation and the Plh.'s completion go through
the browser: the Kepala Badan delegates from the profile, the Sekretaris Badan completes.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from engine.alur import Alur
from engine.config import Settings
from engine.inbox import InboxFilter
from engine.roles import normalise
from engine.runtime.lifecycle import Completion
from engine.storage.tables import utcnow
from tests.browser.conftest import log_in, log_out, shot
from webui import demo

pytestmark = pytest.mark.slow

TITLE = "Uji Plh: Monev 2027"


def _to_kepala_badan_step(server) -> tuple[int, int]:
    alur = Alur(Settings(database_url=f"sqlite:///{server.home / 'alur.sqlite3'}",
                         upload_dir=server.home / "files"))  # fmt: skip
    try:
        instance = alur.start("sop_b", "kabid", TITLE)
        while True:
            [task] = alur.tasks(flt=InboxFilter(instance_id=instance.id))
            if task.step_no == 11:
                return instance.id, task.id
            step = alur.instance(instance.id).definition.model.find(task.step_no)
            who = demo.USERNAMES[normalise(task.role)]
            alur.complete(task.id, who, Completion(decision="Ya" if step.decision else None))
    finally:
        alur.db.dispose()


def test_a_plh_completes_the_kepala_badan_step(page: Page, server):
    instance_id, task_id = _to_kepala_badan_step(server)
    log_in(page, "kaban")
    page.goto("/profile/")
    page.get_by_label("Rekan yang bertindak untuk saya").select_option("sekban")
    page.locator("#delegate-until").fill((utcnow() + timedelta(days=3)).date().isoformat())
    page.get_by_role("button", name="Limpahkan", exact=True).click()
    expect(page.locator(".flash-success")).to_contain_text("Pelimpahan berakhir sendiri")
    expect(page.locator("tr.delegation-row")).to_contain_text("Plh.")
    log_out(page)

    log_in(page, "sekban")
    row = page.locator("table.tasks tbody tr").filter(has_text=TITLE)
    badge = row.locator(".badge-acting")
    expect(badge).to_have_text("Plh. Kepala Badan")  # seen through the delegation
    expect(badge).to_have_attribute(
        "title", "Anda bertindak untuk Demo Kaban (kaban) dalam peran ini."
    )
    shot(page, "plh-inbox")
    shot(page.locator("main"), "panduan-plh")  # docs/panduan/gambar/plh.png
    page.goto(f"/tasks/{task_id}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Langkah 11:")
    for box in page.locator("fieldset.checklist input[type=checkbox]").all():
        box.check()
    page.locator("#decision-yes").check()
    page.get_by_role("button", name="Selesaikan langkah 11").click()
    expect(page.locator(".flash-success")).to_be_visible()

    page.goto(f"/instances/{instance_id}")
    timeline = page.locator("ol.timeline")
    expect(timeline).to_contain_text("Plh. Kepala Badan, a.n. Demo Kaban")
    expect(timeline).to_contain_text("Demo Sekban")
    # the row of step 11 (its first cell); a time such as "11.05" in any row must not match
    rows = page.locator("section[aria-labelledby='timing-title'] tbody tr")
    timing = rows.filter(has_text=re.compile(r"^\s*11\.\s"))
    expect(timing).to_contain_text("Demo Sekban")
    expect(timing.locator(".acting")).to_have_text("Plh. Kepala Badan, a.n. Demo Kaban")
    shot(page, "plh-instance-page")
