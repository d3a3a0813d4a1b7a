"""The compare page: two versions' changes as a table, both diagrams and flowcharts marked."""

from __future__ import annotations

import json
import re

import pytest

from tests.engine.helpers import deploy_approved
from tests.engine.table_edits import NEW_STEP, c1_version_2


@pytest.fixture
def two_versions(alur):
    """sop_c_1 version 2: a step inserted as step 3, old step 3's Waktu and step 4's actor."""
    deploy_approved(alur, [("sop_c_1.bpmn", c1_version_2())], "analis", approver="admin")


def marks(page: str, side: str) -> dict:
    match = re.search(rf'id="bpmn-{side}"[^>]*data-marks=\'([^\']*)\'', page, re.S)
    return json.loads(match.group(1).replace("&#34;", '"'))


def test_compare_page_shows_every_change_with_old_and_new(login_as, two_versions):
    page = login_as("analis").get("/processes/sop_c_1/compare").text
    assert 'id="compare-old"' in page and '<option value="1" selected>' in page
    rows = re.findall(r'<tr class="diff-(\w+)"', page)
    assert rows == ["added", "waktu", "actor"]
    assert NEW_STEP in page
    assert "180 Menit" in page and "4 jam" in page  # Waktu: old and new
    assert "Fungsional Umum" in page and "Sub. Koordinator Sosial Budaya" in page
    # the new step and the two edited ones are marked on the new side, the edited on the old
    assert marks(page, "new") == {
        "Langkah_3_2": "added",
        "Langkah_3": "changed",
        "Langkah_4": "changed",
    }
    assert marks(page, "old") == {"Langkah_3": "changed", "Langkah_4": "changed"}
    assert "/processes/sop_c_1/compare/old.svg?old=1&amp;new=2" in page


def test_versions_can_be_chosen_and_the_same_version_has_no_changes(login_as, two_versions):
    page = login_as("analis").get("/processes/sop_c_1/compare?old=2&new=2").text
    assert 'class="diff-' not in page
    assert login_as("analis").get("/processes/sop_c_1/compare?old=3").status_code == 404
    assert login_as("analis").get("/processes/sop_c_1/compare?old=x").status_code == 422


def test_flowchart_of_each_side_marks_the_changed_steps(login_as, two_versions):
    client = login_as("analis")
    new = client.get("/processes/sop_c_1/compare/new.svg?old=1&new=2")
    assert new.mimetype == "image/svg+xml"
    svg = new.text.replace("&#45;", "-")
    assert re.search(r'id="step-3" class="[^"]*marked mark-added', svg)
    assert re.search(r'id="step-4" class="[^"]*marked mark-changed', svg)
    assert not re.search(r'id="step-6" class="[^"]*marked', svg)
    assert "Step added" in svg or "Langkah ditambahkan" in svg
    old = client.get("/processes/sop_c_1/compare/old.svg?old=1&new=2").text.replace("&#45;", "-")
    assert re.search(r'id="step-3" class="[^"]*mark-changed', old)
    assert "mark-added" not in old.split("legend")[0]


@pytest.mark.parametrize("who", ["kabid", "auditor"])
def test_only_analysts_and_admins_compare(login_as, two_versions, who):
    client = login_as(who)
    assert client.get("/processes/sop_c_1/compare").status_code == 403
    assert client.get("/processes/sop_c_1/compare/new.svg").status_code == 403
    assert login_as("admin").get("/processes/sop_c_1/compare").status_code == 200


def test_the_process_page_links_to_compare(login_as):
    assert "/processes/sop_c_1/compare" in login_as("analis").get("/processes/sop_c_1").text
    assert "/processes/sop_c_1/compare" not in login_as("kabid").get("/processes/sop_c_1").text


def test_a_draft_compares_with_its_base_and_the_studio_links_to_it(login_as, alur):
    draft = alur.draft_from_version("sop_c_1", 1, "analis")
    alur.save_draft(draft.id, c1_version_2(), "analis")
    client = login_as("analis")
    studio = client.get(f"/studio/drafts/{draft.id}").text
    assert f"/processes/sop_c_1/compare?draft={draft.id}" in studio
    assert 'id="studio-tab-table"' in studio and "/static/build/table.js" in studio
    page = client.get(f"/processes/sop_c_1/compare?draft={draft.id}").text
    assert re.findall(r'<tr class="diff-(\w+)"', page) == ["added", "waktu", "actor"]
    assert f"/studio/drafts/{draft.id}/diagram.bpmn" in page  # the draft's diagram, new side
    assert marks(page, "new")["Langkah_3_2"] == "added"
    svg = client.get(f"/processes/sop_c_1/compare/new.svg?old=1&draft={draft.id}").text
    assert re.search(r'id="step&#45;3" class="[^"]*mark&#45;added', svg)
