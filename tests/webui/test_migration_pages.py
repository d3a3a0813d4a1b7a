"""Moving instances from the process page, suspending and resuming from the instance page."""

from __future__ import annotations

from tests.conftest import sop_path
from tests.engine import migration_edits
from tests.webui.conftest import post


def _version_2(alur) -> int:
    changed = migration_edits.set_waktu(sop_path("A").read_bytes(), "Langkah_1", "2 Hari Kerja")
    (deployed,) = alur.deploy_sources([("sop_a.bpmn", changed)], "analis")
    return deployed.definition.version


def test_an_analyst_sees_the_counts_checks_then_moves_the_instances(login_as, started, alur):
    instance = started()
    v2 = _version_2(alur)
    analyst = login_as("analis")
    page = analyst.get("/processes/sop_a").text
    assert "Pindahkan instans" in page and "1 berjalan, 0 ditangguhkan" in page

    form = {"from": "1", "to": str(v2), "note": "Waktu langkah 1 direvisi"}
    checked = post(analyst, "/processes/sop_a/migrations", form)
    assert checked.status_code == 200, checked.text
    assert "Dapat dipindahkan" in checked.text and "Langkah 1 tetap terbuka" in checked.text
    assert 'name="confirm" value="1"' in checked.text
    assert alur.instance(instance.id).definition.version == 1  # a check changes nothing

    moved = post(analyst, "/processes/sop_a/migrations", form | {"confirm": "1"})
    assert moved.status_code == 200, moved.text
    assert "Dipindahkan" in moved.text and 'name="confirm"' not in moved.text
    assert alur.instance(instance.id).definition.version == v2
    page = login_as("admin").get(f"/instances/{instance.id}").text
    assert f"versi {v2}" in page


def test_a_wrong_mapping_is_said_on_the_form(login_as, started, alur):
    started()
    v2 = _version_2(alur)
    form = {"from": "1", "to": str(v2), "mapping": "Langkah_1=Tidak_Ada"}
    response = post(login_as("analis"), "/processes/sop_a/migrations", form)
    assert response.status_code == 422
    assert "Tidak_Ada" in response.text and "field-error" in response.text


def test_others_do_not_see_the_form_and_get_403(login_as, started, alur):
    instance = started()
    v2 = _version_2(alur)
    kabid = login_as("kabid")
    assert "Pindahkan instans" not in kabid.get("/processes/sop_a").text
    response = post(kabid, "/processes/sop_a/migrations", {"from": "1", "to": str(v2)})
    assert response.status_code == 403
    page = kabid.get(f"/instances/{instance.id}").text
    assert f'action="/instances/{instance.id}/suspend"' not in page
    assert post(kabid, f"/instances/{instance.id}/suspend").status_code == 403
    assert post(kabid, f"/instances/{instance.id}/resume").status_code == 403
    assert alur.instance(instance.id).state == "running"


def test_suspend_and_resume_from_the_instance_page(login_as, started, alur):
    instance = started()
    admin = login_as("admin")
    url = f"/instances/{instance.id}"
    assert f'action="{url}/suspend"' in admin.get(url).text
    response = post(admin, url + "/suspend", {"note": "Menunggu SOP baru"}, follow_redirects=True)
    assert "Proses ditangguhkan." in response.text
    assert alur.instance(instance.id).state == "suspended"
    assert f'action="{url}/resume"' in response.text
    response = post(admin, url + "/resume", {"note": ""}, follow_redirects=True)
    assert "Proses berjalan lagi." in response.text
    assert alur.instance(instance.id).state == "running"


def test_the_english_page_says_it_in_english(login_as, started, alur):
    started()
    v2 = _version_2(alur)
    analyst = login_as("analis")
    post(analyst, "/language", {"lang": "en"})
    page = analyst.get("/processes/sop_a").text
    assert "Move instances" in page and "1 running, 0 suspended" in page
    checked = post(analyst, "/processes/sop_a/migrations", {"from": "1", "to": str(v2)}).text
    assert "Can be moved" in checked and "Step 1 stays open as step 1" in checked
