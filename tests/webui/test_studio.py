"""The analyst studio's pages: drafts listed and opened, saved and checked by the page's script,
published with a note; a change of performer approved by a second person; others get 403."""

from __future__ import annotations

import re

import pytest

from tests.engine import migration_edits
from tests.webui.conftest import csrf_token, post

KEY = "sop_c_1"


def _xml_post(client, url: str, xml: bytes):
    """As the page's script sends it: the XML as the body, the CSRF token in a header."""
    token = csrf_token(client)
    return client.post(
        url, data=xml, headers={"X-CSRFToken": token, "Content-Type": "application/xml"}
    )


@pytest.fixture
def analis(login_as):
    return login_as("analis")


def _new_draft(client) -> int:
    response = post(client, "/studio/drafts", {"key": KEY, "version": "1"})
    assert response.status_code == 302, response.text
    return int(re.search(r"/studio/drafts/(\d+)$", response.headers["Location"]).group(1))


@pytest.mark.parametrize("who", ["kabid", "auditor", "fungsional tertentu"])
def test_only_analysts_and_admins_reach_the_studio(login_as, alur, who):
    client = login_as(who)
    draft = alur.draft_from_version(KEY, 1, "analis")
    assert client.get("/studio/").status_code == 403
    assert client.get(f"/studio/drafts/{draft.id}").status_code == 403
    assert client.get(f"/studio/drafts/{draft.id}/diagram.bpmn").status_code == 403
    assert post(client, "/studio/drafts", {"key": KEY}).status_code == 403
    response = _xml_post(client, "/studio/check?key=sop_c_1", draft.xml)
    assert response.status_code == 403 and response.json["error"]["key"] == "drafts_forbidden"
    response = _xml_post(client, f"/studio/drafts/{draft.id}/save", draft.xml)
    assert response.status_code == 403
    assert "Edit version" not in client.get(f"/processes/{KEY}").text
    assert alur.draft(draft.id, "analis").xml == draft.xml


def test_the_process_page_opens_a_version_in_the_studio(analis, alur):
    page = analis.get(f"/processes/{KEY}").text
    assert "Sunting versi 1 di studio" in page and "Draf terbuka: 0" in page
    draft_id = _new_draft(analis)
    page = analis.get(f"/studio/drafts/{draft_id}")
    assert page.status_code == 200
    html = page.text
    # the modeler bundle and the page's script, as files (CSP: no inline script)
    assert "/static/build/studio.js" in html and "/static/build/studio-page.js" in html
    assert "<script>" not in html and "style=" not in html
    assert f'data-xml-url="/studio/drafts/{draft_id}/diagram.bpmn"' in html
    assert f'data-save-url="/studio/drafts/{draft_id}/save"' in html
    assert 'role="tab"' in html and 'data-tab-panel="diagram"' in html
    assert "Catatan perubahan (wajib)" in html
    diagram = analis.get(f"/studio/drafts/{draft_id}/diagram.bpmn")
    assert diagram.data == alur.definition(KEY, 1).xml
    assert diagram.headers["Content-Disposition"].startswith("attachment")
    listing = analis.get(f"/studio/?process={KEY}").text
    assert f"/studio/drafts/{draft_id}" in listing and "draf" in listing
    assert "Draf terbuka: 1" in analis.get(f"/processes/{KEY}").text


def test_save_check_and_publish_from_the_page(analis, alur):
    draft_id = _new_draft(analis)
    xml = alur.draft(draft_id, "analis").xml
    broken = xml.replace(b'targetRef="Langkah_2"', b'targetRef="Langkah_99"', 1)
    saved = _xml_post(analis, f"/studio/drafts/{draft_id}/save", broken)
    assert saved.status_code == 200 and saved.json["size"] == len(broken)
    checked = _xml_post(analis, f"/studio/check?key={KEY}", broken)
    assert checked.status_code == 200
    problems = checked.json["problems"]
    assert problems and {"element", "line", "message"} == set(problems[0])
    assert any(p["element"] for p in problems)

    refused = post(analis, f"/studio/drafts/{draft_id}/publish", {"note": "rusak"})
    assert refused.status_code == 422
    assert "tidak ada yang diterbitkan" in refused.text and "Langkah_99" in refused.text
    assert [d.version for d in alur.processes() if d.key == KEY] == [1]

    fixed = migration_edits.set_waktu(xml, "Langkah_7", "2 hari kerja")
    assert _xml_post(analis, f"/studio/drafts/{draft_id}/save", fixed).status_code == 200
    assert _xml_post(analis, f"/studio/check?key={KEY}", fixed).json == {"problems": []}
    no_note = post(analis, f"/studio/drafts/{draft_id}/publish", {"note": " "})
    assert no_note.status_code == 422 and "Catatan perubahan wajib diisi" in no_note.text
    done = post(analis, f"/studio/drafts/{draft_id}/publish", {"note": "Waktu langkah 7"})
    assert done.status_code == 302 and done.headers["Location"].endswith(f"/{KEY}?version=2")
    page = analis.get(f"/processes/{KEY}?version=2").text
    assert "Waktu langkah 7" in page and "Catatan perubahan" in page


def test_a_performer_change_waits_for_a_second_person(analis, login_as, alur):
    draft_id = _new_draft(analis)
    xml = alur.draft(draft_id, "analis").xml
    moved = migration_edits.move_to_lane(xml, "Langkah_6", "Fungsional Umum")
    assert _xml_post(analis, f"/studio/drafts/{draft_id}/save", moved).status_code == 200
    page = analis.get(f"/studio/drafts/{draft_id}").text
    assert "Fungsional Tertentu → Fungsional Umum" in page
    waiting = post(analis, f"/studio/drafts/{draft_id}/publish", {"note": "pindah lajur"})
    assert waiting.status_code == 302
    page = analis.get(f"/studio/drafts/{draft_id}").text
    assert "menunggu persetujuan" in page and "Setujui dan terbitkan" not in page
    own = post(analis, f"/studio/drafts/{draft_id}/approve", {"note": ""})
    assert own.status_code == 403 and "persetujuannya harus dari analis atau admin lain" in own.text
    assert [d.version for d in alur.processes() if d.key == KEY] == [1]

    admin = login_as("admin")
    assert "Setujui dan terbitkan" in admin.get(f"/studio/drafts/{draft_id}").text
    done = post(admin, f"/studio/drafts/{draft_id}/approve", {"note": "ok"})
    assert done.status_code == 302
    assert alur.definition(KEY).approved_by == "admin"
    assert "disetujui oleh" in admin.get(f"/processes/{KEY}").text


def test_a_new_sop_and_an_imported_table_become_drafts(analis, alur, tmp_path):
    form = {
        "code": "E.1",
        "name": "Penyusunan Laporan",
        "owner": "BAPPEDA",
        "actor": "Kabid Ekonomi",
        "activity": "Menyusun laporan",
    }
    made = post(analis, "/studio/new", form)
    assert made.status_code == 302
    (draft,) = alur.drafts("analis", key="sop_e_1")
    assert draft.base_version is None
    incomplete = post(analis, "/studio/new", form | {"actor": ""})
    assert incomplete.status_code == 422 and "SOP baru tidak lengkap" in incomplete.text

    from engine.bpmn.reader import read_bpmn
    from exporters.table.writer import write_csv

    table = write_csv(read_bpmn(alur.definition("sop_b").xml), ",")
    response = analis.post(
        "/studio/import",
        data={"csrf_token": csrf_token(analis), "table": (_file(table), "sop_b.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302, response.text
    (imported,) = alur.drafts("analis", key="sop_b")
    assert imported.base_version == 1  # a revision of the deployed SOP B
    bad = analis.post(
        "/studio/import",
        data={"csrf_token": csrf_token(analis), "table": (_file(b"a,b\n1,2\n"), "x.csv")},
        content_type="multipart/form-data",
    )
    assert bad.status_code == 422 and "x.csv" in bad.text


def _file(data: bytes):
    from io import BytesIO

    return BytesIO(data)


def test_only_the_author_saves(analis, login_as, alur):
    draft_id = _new_draft(analis)
    admin = login_as("admin")
    xml = alur.draft(draft_id, "analis").xml
    response = _xml_post(admin, f"/studio/drafts/{draft_id}/save", xml + b" ")
    assert response.status_code == 403 and response.json["error"]["key"] == "draft_not_author"
    page = admin.get(f"/studio/drafts/{draft_id}").text
    assert 'data-editable="false"' in page and 'data-save-url=""' in page
    huge = _xml_post(analis, f"/studio/drafts/{draft_id}/save", b"x" * (2 * 1024 * 1024 + 1))
    assert huge.status_code in (413, 422)  # the request limit, or the BPMN limit below it
    assert alur.draft(draft_id, "analis").xml == xml


def test_the_inbox_names_the_version_when_several_run(analis, login_as, alur):
    kabid = login_as("kabid")
    alur.start(KEY, "kabid", "Rapat versi satu")
    page = kabid.get("/").text
    assert "Rapat versi satu" in page and "sop-version" not in page  # one version runs
    draft_id = _new_draft(analis)
    xml = alur.draft(draft_id, "analis").xml
    fixed = migration_edits.set_waktu(xml, "Langkah_1", "1 hari kerja")
    assert _xml_post(analis, f"/studio/drafts/{draft_id}/save", fixed).status_code == 200
    assert post(analis, f"/studio/drafts/{draft_id}/publish", {"note": "v2"}).status_code == 302
    alur.start(KEY, "kabid", "Rapat versi dua")
    page = kabid.get("/").text
    found = re.findall(r"(Rapat versi \w+)</a>.*?versi (\d)</span>", page, re.S)
    rows = dict(found)
    assert rows == {"Rapat versi satu": "1", "Rapat versi dua": "2"}
