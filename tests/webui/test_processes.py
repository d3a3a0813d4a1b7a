"""The SOP catalog, its downloads, and deploying BPMN files from the browser."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from tests.conftest import sop_path
from tests.webui.conftest import post
from tests.webui.test_instances import svg_text


def _files(*named: tuple[str, bytes]) -> dict:
    return {"files": [(io.BytesIO(data), name) for name, data in named]}


def _deploy(client, *named: tuple[str, bytes]):
    return post(client, "/processes/deploy", _files(*named), content_type="multipart/form-data")


def test_catalog_lists_every_sop(login_as):
    page = login_as("fungsional.tertentu").get("/processes/").text
    for key in ("sop_a", "sop_b", "sop_c_1", "sop_c_2", "sop_c_3", "sop_d"):
        assert f'href="/processes/{key}"' in page
    assert "Katalog SOP" in page and "versi 1" in page
    assert 'oleh <span class="person" title="admin">Demo Admin</span>' in page
    assert "/processes/deploy" not in page  # staff do not deploy


def test_process_page_has_table_actors_versions_and_diagram(login_as):
    page = login_as("auditor").get("/processes/sop_a").text
    for header in ("Kegiatan", "Pelaksana", "Kelengkapan", "Waktu", "Output", "Keterangan"):
        assert f">{header}</th>" in page
    assert "Mengidentifikasi Isu Strategis Daerah" in page and "300 Menit" in page
    assert "Draft Rumusan sudah benar?" in page and "Tidak: langkah 10" in page  # a decision
    assert "Sub. Koordinator Pemerintahan" in page and "<code>opd</code>" in page  # actors
    assert 'data-bpmn-url="/processes/sop_a/1/diagram.bpmn"' in page
    assert 'href="/processes/sop_a/1/diagram.bpmn?download=1"' in page
    for fmt in ("svg", "png", "pdf"):
        assert f'href="/processes/sop_a/1/flowchart.{fmt}?download=1"' in page
    page = login_as("auditor").get("/processes/sop_a?view=sop").text
    assert 'src="/processes/sop_a/1/flowchart.svg"' in page and "data-bpmn-url" not in page


def test_unknown_process_and_format(login_as):
    auditor = login_as("auditor")
    assert auditor.get("/processes/sop_x").status_code == 404
    assert auditor.get("/processes/sop_a/9/diagram.bpmn").status_code == 404
    assert auditor.get("/processes/sop_a/1/flowchart.jpg").status_code == 404


@pytest.mark.parametrize("who", ["auditor", "fungsional.tertentu"])
def test_flowchart_downloads(login_as, who):
    client = login_as(who)
    svg = client.get("/processes/sop_b/1/flowchart.svg?download=1")
    assert svg.status_code == 200 and "attachment" in svg.headers["Content-Disposition"]
    text = svg_text(svg.data)
    assert "Pelaksana" in text and "Kabid Pemerintahan dan Sosial Budaya" in text
    assert client.get("/processes/sop_b/1/flowchart.png").data[:8] == b"\x89PNG\r\n\x1a\n"
    assert client.get("/processes/sop_b/1/flowchart.pdf").data[:5] == b"%PDF-"


def test_bpmn_download_of_any_version(login_as, alur):
    data = login_as("auditor").get("/processes/sop_c_1/1/diagram.bpmn?download=1")
    assert data.data == sop_path("C.1").read_bytes()
    assert "attachment; filename=sop_c_1-v1.bpmn" == data.headers["Content-Disposition"]


def test_pages_need_sign_in(client):
    for url in ("/processes/", "/processes/sop_a", "/processes/deploy"):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_deploy_refused_to_staff_and_auditors(login_as, alur):
    for who in ("kabid", "auditor"):
        client = login_as(who)
        assert client.get("/processes/deploy").status_code == 403
        response = _deploy(client, ("sop_a.bpmn", sop_path("A").read_bytes()))
        assert response.status_code == 403
    assert [d.version for d in alur.processes() if d.key == "sop_a"] == [1]


def test_deploy_of_an_invalid_file_shows_line_and_element(login_as, alur):
    bad = sop_path("B").read_bytes().replace(b'id="Langkah_1"', b'id="Langkah_1" salah="x"', 1)
    response = _deploy(login_as("analis"), ("rusak.bpmn", bad), ("sop_a.bpmn", b"<changed/>"))
    assert response.status_code == 422
    page = response.text
    assert "Tidak ada yang diterbitkan" in page and "rusak.bpmn" in page
    line = bad[: bad.index(b'salah="x"')].count(b"\n") + 1
    assert f'<td data-label="Baris">{line}</td>' in page
    assert "<code>Langkah_1</code>" in page and "salah" in page
    assert [d.version for d in alur.processes() if d.key in ("sop_a", "sop_b")] == [1, 1]


def test_deploy_of_a_changed_file_makes_version_2(login_as, alur):
    changed = sop_path("A").read_bytes().replace(b"300 Menit", b"360 Menit", 1)
    analis = login_as("analis")
    response = _deploy(analis, ("sop_a.bpmn", changed), ("sop_b.bpmn", sop_path("B").read_bytes()))
    assert response.status_code == 200, response.text
    assert "versi baru 2" in response.text and "tidak berubah" in response.text
    assert alur.definition("sop_a").version == 2 and alur.definition("sop_b").version == 1
    assert alur.definition("sop_a").deployed_by == "analis"
    page = analis.get("/processes/sop_a").text
    assert "versi 2" in page and "360 Menit" in page
    assert 'href="/processes/sop_a?version=1&amp;view=bpmn"' in page
    old = analis.get("/processes/sop_a?version=1").text
    assert "300 Menit" in old and 'data-bpmn-url="/processes/sop_a/1/diagram.bpmn"' in old
    assert analis.get("/processes/sop_a/1/diagram.bpmn").data == sop_path("A").read_bytes()
    assert analis.get("/processes/sop_a/2/diagram.bpmn").data == changed


def test_a_deploy_moving_the_signing_step_waits_and_says_which_steps_change(login_as, alur):
    """The issue's case: the Kepala Badan lane renamed to the analyst's own role. Nothing is
    deployed; the page names the change and the draft another person approves."""
    renamed = sop_path("C.1").read_bytes().replace(b'name="Kepala Badan"', b'name="Analis"', 1)
    analis = login_as("analis")
    response = _deploy(analis, ("sop_c_1.bpmn", renamed))
    assert response.status_code == 200, response.text
    page = response.text
    assert "versi 2 menunggu persetujuan" in page and "tetap dimulai pada versi 1" in page
    assert "Kepala Badan → Analis" in page  # the column renamed, and the step put in her role
    assert "peran yang dipegang penyusunnya" in page
    (draft,) = alur.drafts("admin", key="sop_c_1", state="awaiting_approval")
    assert f'href="/studio/drafts/{draft.id}"' in page
    assert alur.definition("sop_c_1").version == 1
    assert alur.start("sop_c_1", "kabid").definition.version == 1

    own = post(analis, f"/studio/drafts/{draft.id}/approve")
    assert own.status_code == 403 and alur.definition("sop_c_1").version == 1
    done = post(login_as("admin"), f"/studio/drafts/{draft.id}/approve")
    assert done.status_code == 302
    new = alur.definition("sop_c_1")
    assert (new.version, new.deployed_by, new.approved_by) == (2, "analis", "admin")
    assert alur.start("sop_c_1", "kabid").definition.version == 2


def test_deploy_refuses_other_files_and_an_empty_form(login_as, app):
    analis = login_as("analis")
    response = _deploy(analis, ("catatan.txt", b"hello"))
    refused = "Hanya berkas .bpmn dan .dmn yang dapat diterbitkan."
    assert response.status_code == 422 and refused in response.text
    response = post(analis, "/processes/deploy", {}, content_type="multipart/form-data")
    assert (
        response.status_code == 422 and "Pilih paling sedikit satu berkas .bpmn." in response.text
    )
    app.config["ALUR_MAX_BPMN_BYTES"] = 100
    response = _deploy(analis, ("sop_a.bpmn", sop_path("A").read_bytes()))
    assert response.status_code == 422 and "Berkas lebih besar dari" in response.text


def test_admin_may_deploy(login_as):
    response = _deploy(login_as("admin"), ("sop_d.bpmn", sop_path("D").read_bytes()))
    assert response.status_code == 200 and "tidak berubah" in response.text


def test_a_bpmn_with_its_dmn_deploys_and_the_history_shows_the_decision(login_as, alur):
    data = Path(__file__).resolve().parents[1] / "data" / "dmn"
    response = _deploy(
        login_as("analis"),
        ("surat_ttd.bpmn", (data / "surat_ttd.bpmn").read_bytes()),
        ("penandatangan.dmn", (data / "penandatangan.dmn").read_bytes()),
    )
    assert response.status_code == 200, response.text
    assert "versi baru 1" in response.text
    alur.add_user("staf_umum", [alur.roles.role("surat_ttd", "Staf Umum")])
    instance = alur.start("surat_ttd", "staf_umum", data={"jenis_dokumen": "SPJ", "jumlah": 9e8})
    (task,) = alur.task_history(instance.id)
    alur.complete(task.id, "staf_umum")
    page = login_as("auditor").get(f"/instances/{instance.id}").text
    assert "Diputuskan tabel keputusan" in page and "penandatangan, aturan 4" in page


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("en", "a .dmn file is deployed together with the process that uses it"),
        ("id", "Berkas .dmn diterbitkan bersama proses yang memakainya"),
    ],
)
def test_a_dmn_deployed_alone_is_refused_on_the_deploy_page(login_as, alur, lang, said):
    data = Path(__file__).resolve().parents[1] / "data" / "dmn" / "penandatangan.dmn"
    analis = login_as("analis")
    post(analis, "/language", {"lang": lang})
    before = len(alur.processes())
    response = _deploy(analis, ("penandatangan.dmn", data.read_bytes()))
    assert response.status_code == 422
    assert "penandatangan.dmn" in response.text and said in response.text
    assert len(alur.processes()) == before


EDITORS = Path(__file__).resolve().parents[1] / "data" / "editors"


def test_the_process_page_links_its_decisions_and_the_dmn_file_is_an_attachment(login_as, alur):
    alur.deploy([EDITORS], "admin")
    auditor = login_as("auditor")
    page = auditor.get("/processes/pengajuan_cuti").text
    assert 'href="/processes/pengajuan_cuti/1/decisions/cuti_penyetuju"' in page
    assert "Penyetuju cuti" in page and "cuti_penyetuju.dmn" in page
    decision = auditor.get("/processes/pengajuan_cuti/1/decisions/cuti_penyetuju")
    assert decision.status_code == 200
    assert 'data-dmn-url="/processes/pengajuan_cuti/1/dmn/cuti_penyetuju.dmn"' in decision.text
    assert 'data-decision="cuti_penyetuju"' in decision.text and ">FIRST<" in decision.text
    policy = decision.headers["Content-Security-Policy"]
    assert "style-src 'self'" in policy and "style-src-attr 'unsafe-hashes' 'sha256-" in policy
    dmn = auditor.get("/processes/pengajuan_cuti/1/dmn/cuti_penyetuju.dmn")
    assert dmn.status_code == 200 and "attachment" in dmn.headers["Content-Disposition"]
    assert dmn.mimetype == "application/octet-stream"
    assert dmn.data == (EDITORS / "cuti_penyetuju.dmn").read_bytes()
    assert 'id="decisions-title"' not in auditor.get("/processes/sop_a").text  # none deployed


def test_an_unknown_decision_or_dmn_file_is_404(login_as, alur):
    alur.deploy([EDITORS], "admin")
    auditor = login_as("auditor")
    missing = auditor.get("/processes/pengajuan_cuti/1/decisions/sifat_surat")
    assert missing.status_code == 404 and "sifat_surat" in missing.text
    assert auditor.get("/processes/pengajuan_cuti/1/dmn/sifat_surat.dmn").status_code == 404
    assert auditor.get("/processes/pengajuan_cuti/9/decisions/cuti_penyetuju").status_code == 404
