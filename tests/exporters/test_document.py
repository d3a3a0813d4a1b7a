"""The SOP AP document: the identity page as in the original, then the flowchart; HTML and PDF."""

from __future__ import annotations

import io
import re
import shutil
from dataclasses import replace

import pytest
from click.testing import CliRunner
from lxml import etree, html
from pypdf import PdfReader

from engine.bpmn.reader import read_bpmn
from engine.sop import Identity, Signatory, Sop, Step
from exporters.cli.document import document as document_command
from exporters.document import GRID, document_html, grid_font_size, render_document
from exporters.document.chromium import html_to_pdf
from exporters.flowchart import render_pages
from tests.conftest import SOP_CODES, sop_path

SVG = "{http://www.w3.org/2000/svg}"
A4_LANDSCAPE = (842, 595)  # points
HEADER_ROWS = [
    ("Nomor SOP", "nomor"),
    ("Tanggal Pembuatan", "tanggal_pembuatan"),
    ("Tanggal Revisi", "tanggal_revisi"),
    ("Tanggal Efektif", "tanggal_efektif"),
    ("Disahkan oleh", "disahkan_oleh"),
    ("Nama SOP", "nama_sop"),
]


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def words(element) -> str:
    return " ".join(element.text_content().split())


@pytest.fixture(scope="module", params=SOP_CODES)
def sop(request) -> Sop:
    return read_bpmn(sop_path(request.param))


def test_chromium_is_installed():
    assert shutil.which("chromium"), "Chromium is missing: apt-get install chromium"


# --- HTML ---------------------------------------------------------------------------------
def test_identity_header_is_two_columns_like_the_original(sop: Sop):
    page = html.fromstring(document_html(sop))
    ident = page.get_element_by_id("identitas")
    rows = ident.find_class("kepala")[0].findall(".//tr")
    kop = rows[0].find("td")
    assert kop.get("data-field") == "kop" and kop.get("rowspan") == str(len(HEADER_ROWS))
    lines = [words(div) for div in kop]
    assert lines[:2] == ["PEMERINTAH KABUPATEN KETAPANG", "BADAN PERENCANAAN PEMBANGUNAN DAERAH"]
    assert lines[2] == " ".join(sop.identity.unit.upper().split())
    assert [(words(r.find("th")), r.findall("td")[-1].get("data-field")) for r in rows] == (
        HEADER_ROWS
    )
    values = {r.findall("td")[-1].get("data-field"): r.findall("td")[-1] for r in rows}
    for field in ("nomor", "tanggal_pembuatan", "tanggal_revisi", "tanggal_efektif", "nama_sop"):
        assert words(values[field]) == " ".join(getattr(sop.identity, field).split())
    signer = sop.identity.disahkan_oleh
    assert [words(div) for div in values["disahkan_oleh"]] == [
        signer.jabatan,
        signer.nama,
        signer.pangkat,
        f"NIP. {signer.nip}",
    ]


def test_identity_grid_holds_the_six_lists_as_numbered_lists(sop: Sop):
    page = html.fromstring(document_html(sop))
    grid = page.get_element_by_id("identitas").find_class("kisi")[0]
    rows = grid.findall(".//tr")
    assert len(rows) == 2 * len(GRID)
    for (head, body), pair in zip(zip(rows[::2], rows[1::2], strict=True), GRID, strict=True):
        assert [words(th) for th in head.findall("th")] == [label for label, _ in pair]
        for cell, (_, field) in zip(body.findall("td"), pair, strict=True):
            assert cell.get("data-field") == field
            items = [words(li) for li in cell.findall("ol/li")]
            assert items == [" ".join(item.split()) for item in getattr(sop.identity, field)]
            assert items, f"{sop.code}: {field} is empty"


def test_flowchart_pages_hold_every_step_and_every_actor(sop: Sop):
    text = document_html(sop)
    page = html.fromstring(text)
    sections = page.find_class("flowchart")
    assert len(sections) == len(render_pages(sop, "svg"))
    assert [s.get("id") for s in sections] == [f"halaman-{n}" for n in range(1, len(sections) + 1)]
    steps_seen = []
    for section in sections:
        svg = etree.fromstring(etree.tostring(section.find("svg")))  # inline SVG, namespaced
        assert svg.tag == f"{SVG}svg"
        assert (svg.get("width"), svg.get("height")) == ("100%", "100%")
        assert svg.get("viewbox")  # the HTML parser lowers attribute names
        shown = squash(" ".join(t.text or "" for t in svg.iter(f"{SVG}text")))
        for actor in sop.actors:  # the header repeats every actor column on every page
            assert squash(actor) in shown, f"{actor} missing on {section.get('id')}"
        on_page = [s for s in sop.steps if svg.xpath(f"//*[@id='step-{s.no}']")]
        for step in on_page:
            assert squash(step.activity) in shown, f"step {step.no} text missing"
        steps_seen += [s.no for s in on_page]
    assert steps_seen == [s.no for s in sop.steps]
    ids = re.findall(r'\bid="([^"]+)"', text)
    assert len(ids) == len(set(ids)), "ids repeat across the inline SVG pages"


def test_html_is_self_contained_and_print_ready(sop: Sop):
    text = render_document(sop, "html").decode("utf-8")
    assert text.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in text
    assert "@page { size: A4 landscape" in text and "break-after: page" in text
    assert not re.search(r"<(link|script|img|iframe)\b", text), "an external resource"
    assert not re.search(r"""(src|href)=["'](https?:|//|file:)""", text)
    assert "<?xml" not in text and "<!DOCTYPE svg" not in text


def test_empty_identity_and_markup_in_text():
    sop = Sop(
        code="X",
        name="Uji <b>nama</b> & co",
        owner="",
        identity=Identity(
            organisasi="Pemerintah Kota Contoh",
            dasar_hukum=['Pasal 1 < Pasal 2 & "kutipan"'],
            disahkan_oleh=Signatory(nama="Ana"),
        ),
        actors=["Staf", "Kepala"],
        steps=[Step(1, "Menulis <surat>", "Staf"), Step(2, "Menandatangani", "Kepala")],
    )
    page = html.fromstring(document_html(sop))
    values = {td.get("data-field"): td for td in page.iter("td")}
    assert words(values["nama_sop"]) == "Uji <b>nama</b> & co"  # no identity name: the SOP's
    assert words(values["kop"]) == "PEMERINTAH KOTA CONTOH"
    assert words(values["disahkan_oleh"]) == "Ana"
    assert [words(li) for li in values["dasar_hukum"].iter("li")] == [
        'Pasal 1 < Pasal 2 & "kutipan"'
    ]
    assert words(values["peringatan"]) == "-"
    assert page.find(".//b") is None


def test_long_lists_get_a_smaller_grid_font():
    sop = read_bpmn(sop_path("B"))
    size = grid_font_size(sop.identity)
    longer = replace(sop.identity, peringatan=sop.identity.peringatan * 3)
    assert grid_font_size(longer) < size
    assert grid_font_size(Identity()) == 8.5


def test_unknown_format_is_refused():
    with pytest.raises(ValueError, match="html, pdf"):
        render_document(read_bpmn(sop_path("A")), "docx")


# --- PDF ----------------------------------------------------------------------------------
def pdf_pages(data: bytes) -> PdfReader:
    assert data.startswith(b"%PDF-")
    return PdfReader(io.BytesIO(data))


def test_pdf_is_a4_landscape_with_one_identity_page_then_the_flowchart(sop: Sop):
    reader = pdf_pages(render_document(sop, "pdf"))
    flowchart_pages = len(render_pages(sop, "svg"))
    assert len(reader.pages) == 1 + flowchart_pages
    for page in reader.pages:
        box = page.mediabox
        assert (round(float(box.width)), round(float(box.height))) == A4_LANDSCAPE
    first = " ".join(reader.pages[0].extract_text().split())
    assert "PEMERINTAH KABUPATEN KETAPANG" in first and "Nomor SOP" in first
    assert "Dasar Hukum" in first and "Pencatatan dan Pendataan" in first
    for number, page in enumerate(reader.pages[1:], start=1):
        assert f"Halaman {number} dari {flowchart_pages}" in " ".join(page.extract_text().split())


def test_pdf_fails_clearly_without_chromium(monkeypatch):
    monkeypatch.setenv("ALUR_CHROMIUM", "/nonexistent/chromium")
    with pytest.raises(RuntimeError, match="Chromium tidak ditemukan.*apt-get install chromium"):
        html_to_pdf("<p>x</p>")


# --- alur document ------------------------------------------------------------------------
def test_cli_writes_html_and_pdf(tmp_path):
    runner = CliRunner()
    for suffix in ("html", "pdf"):
        out = tmp_path / f"sop_c_1.{suffix}"
        result = runner.invoke(document_command, [str(sop_path("C.1")), "-o", str(out)])
        assert result.exit_code == 0, result.output
        assert "SOP C.1" in result.output
    assert (tmp_path / "sop_c_1.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert len(pdf_pages((tmp_path / "sop_c_1.pdf").read_bytes()).pages) == 2


def test_cli_refuses_unknown_suffixes_missing_chromium_and_broken_files(tmp_path, monkeypatch):
    runner = CliRunner()
    bad = runner.invoke(document_command, [str(sop_path("A")), "-o", str(tmp_path / "a.docx")])
    assert bad.exit_code == 2 and ".html or .pdf" in bad.output
    broken = tmp_path / "rusak.bpmn"
    broken.write_text("<definitions")
    result = runner.invoke(document_command, [str(broken), "-o", str(tmp_path / "b.html")])
    assert result.exit_code == 1 and "rusak.bpmn" in result.output
    monkeypatch.setenv("ALUR_CHROMIUM", "/nonexistent/chromium")
    result = runner.invoke(document_command, [str(sop_path("A")), "-o", str(tmp_path / "a.pdf")])
    assert result.exit_code == 1 and "Chromium tidak ditemukan" in result.output
    assert not list(tmp_path.glob("a.*")) and not (tmp_path / "b.html").exists()
