"""In the English UI the SOP's own words (Bahasa Indonesia) are marked lang="id" for screen
readers: step names, Kelengkapan, Output, the SOP's name and table, the flowchart's text."""

from __future__ import annotations

from tests.webui.conftest import open_task, post


def test_english_pages_mark_the_sop_content_indonesian(login_as, started, alur):
    instance = started("sop_c_1", "Koordinasi RKPD 2027")
    task = open_task(alur, instance.id)
    kabid = login_as("kabid")
    post(kabid, "/language", {"lang": "en"})

    page = kabid.get(f"/tasks/{task.id}").text
    assert '<html lang="en">' in page
    assert f'</span> <span lang="id">{task.name}</span></h1>' in page
    assert '<label for="check-0" lang="id">Kebijakan Kepala Daerah</label>' in page
    assert '<ul class="plain" lang="id"><li>Agenda koordinasi internal</li></ul>' in page

    page = kabid.get(f"/instances/{instance.id}").text
    assert f'<span lang="id">{task.name}</span></a>' in page  # "Now at"
    assert '<span lang="id">Mengidentifikasi Isu Strategis Daerah' in page  # the step list

    page = kabid.get("/processes/sop_c_1").text
    assert '<h1 lang="id">Koordinasi Penyusunan Dokumen' in page
    assert page.count('lang="id"') >= 6 * 10  # six columns of the SOP table, ten steps

    svg = kabid.get(f"/instances/{instance.id}/flowchart.svg").data
    root = svg[svg.index(b"<svg") : svg.index(b">", svg.index(b"<svg"))]
    assert b'xml:lang="id" lang="id"' in root
