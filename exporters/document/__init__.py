"""The SOP AP document: the identity page, then the flowchart pages, as HTML or PDF.

The HTML is self-contained (inline CSS, inline SVG) and prints on A4 landscape sheets, one page
for the identity and one per flowchart page; the PDF is that HTML printed by headless Chromium.
"""

from __future__ import annotations

import logging
import math
import re
import time
from datetime import UTC, tzinfo
from html import escape

from engine.sop import Identity, Sop
from exporters.document.chromium import html_to_pdf
from exporters.document.style import PAGE_CSS
from exporters.flowchart import render_pages
from exporters.progress import InstanceOverlay, TimingLine

log = logging.getLogger(__name__)

FORMATS = ("html", "pdf")
# the identity grid: (left heading, field), (right heading, field) per row pair
GRID = (
    (("Dasar Hukum", "dasar_hukum"), ("Kualifikasi Pelaksana", "kualifikasi_pelaksana")),
    (("Keterkaitan", "keterkaitan"), ("Peralatan/Perlengkapan", "peralatan_perlengkapan")),
    (("Peringatan", "peringatan"), ("Pencatatan dan Pendataan", "pencatatan_pendataan")),
)
GRID_SPACE_MM = 121.0  # of the 188 mm sheet, what the header block leaves to the grid
GRID_SIZES = (8.5, 8.0, 7.5, 7.0, 6.5, 6.0)  # pt; the largest whose estimate fits is used
COLUMN_MM = 129.0  # text width of one grid column
PT_MM = 25.4 / 72
_SVG_START = re.compile(r"<svg\b")
_SVG_SIZE = re.compile(r'<svg width="[^"]*" height="[^"]*"')
_GRAPHVIZ_ID = re.compile(r'\bid="((?:graph|node|edge|clust)\d+)"')


def render_document(
    sop: Sop,
    fmt: str = "html",
    overlay: InstanceOverlay | None = None,
    timings: list[TimingLine] | None = None,
    zone: tzinfo = UTC,
) -> bytes:
    """The whole document as UTF-8 HTML or as PDF (RuntimeError when Chromium is missing);
    with an instance's timings, its working-time table as the last page."""
    if fmt not in FORMATS:
        raise ValueError(f"format {fmt!r} tidak didukung; pilih {', '.join(FORMATS)}")
    started = time.perf_counter()
    html = document_html(sop, overlay, timings, zone)
    data = html_to_pdf(html) if fmt == "pdf" else html.encode("utf-8")
    log.info("document %s as %s in %.2f s", sop.code, fmt, time.perf_counter() - started)
    return data


def document_html(
    sop: Sop,
    overlay: InstanceOverlay | None = None,
    timings: list[TimingLine] | None = None,
    zone: tzinfo = UTC,
) -> str:
    """The HTML text: one <section class="page"> for the identity, one per flowchart page, and
    with timings one for the instance's working-time table."""
    pages = [
        f'<section class="page flowchart" id="halaman-{n}">\n{inline_svg(svg, n)}\n</section>'
        for n, svg in enumerate(render_pages(sop, "svg", overlay), start=1)
    ]
    if timings is not None:
        pages.append(working_time_page(timings, overlay.title if overlay else "", zone))
    title = escape(f"SOP {sop.code} - {sop.identity.nama_sop or sop.name}")
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="id">',
            "<head>",
            '<meta charset="utf-8">',
            f"<title>{title}</title>",
            f"<style>{PAGE_CSS}</style>",
            "</head>",
            "<body>",
            identity_page(sop),
            *pages,
            "</body>",
            "</html>",
            "",
        ]
    )


def inline_svg(svg: bytes, page: int) -> str:
    """A Graphviz SVG file as an element to put in HTML: no prolog, sized by CSS, and
    Graphviz's own ids (graph0, node1 ...) made unique per page."""
    text = svg.decode("utf-8")
    text = text[_SVG_START.search(text).start() :]
    text = _SVG_SIZE.sub('<svg width="100%" height="100%"', text, count=1)
    return _GRAPHVIZ_ID.sub(lambda m: f'id="hal{page}-{m[1]}"', text)


def identity_page(sop: Sop) -> str:
    """The SOP AP identity page: the header block, then the two-column grid of lists."""
    ident = sop.identity
    return "\n".join(
        [
            '<section class="page identitas" id="identitas">',
            _header(sop, ident),
            f'<table class="kisi" style="font-size: {grid_font_size(ident):g}pt">',
            *(_grid_rows(ident, left, right) for left, right in GRID),
            "</table>",
            "</section>",
        ]
    )


def grid_font_size(ident: Identity) -> float:
    """The largest font size at which the grid is estimated to fit under the header block, so
    the identity stays on one sheet (a longer one flows on to a second sheet, nothing is cut)."""
    for size in GRID_SIZES:
        if _grid_height(ident, size) <= GRID_SPACE_MM:
            return size
    return GRID_SIZES[-1]


def _grid_height(ident: Identity, size: float) -> float:
    """Estimated grid height in mm (DejaVu Sans: about 0.6 em a character, with word wrap)."""
    line = size * 1.3 * PT_MM
    per_line = int(COLUMN_MM / (0.6 * size * PT_MM))
    height = 0.0
    for pair in GRID:
        lines = [
            sum(math.ceil(max(len(item), 1) / per_line) for item in getattr(ident, field)) or 1
            for _, field in pair
        ]
        height += (1 + max(lines)) * line + 4 * 0.9 + 2  # heading and list rows, their padding
    return height


def _header(sop: Sop, ident: Identity) -> str:
    signer = ident.disahkan_oleh
    kop = [
        _div("organisasi", ident.organisasi.upper()),
        _div("instansi", ident.instansi.upper()),
        _div("unit", ident.unit.upper()),
    ]
    ttd = [
        _div("jabatan", signer.jabatan),
        _div("nama", signer.nama),
        _div("pangkat", signer.pangkat),
        _div("nip", f"NIP. {signer.nip}" if signer.nip else ""),
    ]
    rows = [
        ("Nomor SOP", "nomor", escape(ident.nomor), "nilai"),
        ("Tanggal Pembuatan", "tanggal_pembuatan", escape(ident.tanggal_pembuatan), "nilai"),
        ("Tanggal Revisi", "tanggal_revisi", escape(ident.tanggal_revisi), "nilai"),
        ("Tanggal Efektif", "tanggal_efektif", escape(ident.tanggal_efektif), "nilai"),
        ("Disahkan oleh", "disahkan_oleh", "".join(ttd), "ttd"),
        ("Nama SOP", "nama_sop", escape(ident.nama_sop or sop.name), "nilai"),
    ]
    lines = ['<table class="kepala">']
    for index, (label, field, value, kind) in enumerate(rows):
        first = (
            f'<td class="kop" rowspan="{len(rows)}" data-field="kop">{"".join(kop)}</td>'
            if index == 0
            else ""
        )
        cell = f'<td class="{kind}" data-field="{field}">{value}</td>'
        lines.append(f"<tr>{first}<th>{label}</th>{cell}</tr>")
    lines.append("</table>")
    return "\n".join(lines)


def _div(kind: str, text: str) -> str:
    return f'<div class="{kind}">{escape(text)}</div>' if text.strip() else ""


def _grid_rows(ident: Identity, left: tuple[str, str], right: tuple[str, str]) -> str:
    """A heading row and a row of numbered lists, for two identity fields side by side."""
    heads = "".join(f"<th>{escape(label)}</th>" for label, _ in (left, right))
    cells = "".join(
        f'<td data-field="{field}">{_numbered(getattr(ident, field))}</td>'
        for _, field in (left, right)
    )
    return f"<tr>{heads}</tr>\n<tr>{cells}</tr>"


def _numbered(items: list[str]) -> str:
    if not items:
        return '<span class="kosong">-</span>'
    return "<ol>" + "".join(f"<li>{escape(item)}</li>" for item in items) + "</ol>"


def working_time_page(lines: list[TimingLine], title: str, zone: tzinfo) -> str:
    """The instance's working-time table: per completed task its office time beside its
    calendar time and the Mutu Baku, marked when over it or sent back; totals at the foot."""
    head = (
        "No", "Kegiatan", "Dikerjakan oleh", "Selesai", "Waktu kerja kantor",
        "Waktu kalender", "Mutu Baku Waktu", "Lebih dari baku", "Tanda",
    )  # fmt: skip
    body = []
    for line in lines:
        over = line.minutes_over
        marks = [
            text
            for text, on in (
                (f"melebihi baku {_minutes(over)}", over is not None),
                ("dikembalikan (Tidak)", line.sent_back),
                ("diulang setelah dikembalikan", line.redone),
            )
            if on
        ]
        done = line.done_at.astimezone(zone).strftime("%d-%m-%Y %H:%M") if line.done_at else ""
        cells = (
            "" if line.step_no is None else str(line.step_no), line.activity, line.done_by, done,
            _minutes(line.office_minutes), _minutes(line.calendar_minutes),
            line.standard or "tanpa Waktu", _minutes(over) if over is not None else "",
            "; ".join(marks),
        )  # fmt: skip
        row_class = ' class="lebih"' if over is not None else ""
        body.append(f"<tr{row_class}>" + "".join(f"<td>{escape(c)}</td>" for c in cells) + "</tr>")
    over_count = sum(line.minutes_over is not None for line in lines)
    sent_back = sum(line.sent_back for line in lines)
    total = (
        "Jumlah", f"{len(lines)} langkah, {over_count} melebihi baku", "", "",
        _minutes(sum(line.office_minutes or 0 for line in lines)),
        _minutes(sum(line.calendar_minutes or 0 for line in lines)),
        _minutes(sum(line.standard_minutes or 0 for line in lines)),
        _minutes(sum(line.minutes_over or 0 for line in lines)),
        f"{sent_back} kali dikembalikan",
    )  # fmt: skip
    if not lines:
        body.append('<tr><td colspan="9" class="kosong">Belum ada langkah yang selesai.</td></tr>')
    return "\n".join(
        [
            '<section class="page waktu-kerja" id="waktu-kerja">',
            f"<h2>Waktu kerja per langkah{': ' + escape(title) if title else ''}</h2>",
            "<p>Waktu kerja kantor menghitung jam kantor saja (tanpa malam, akhir pekan dan hari "
            "libur) dan dibandingkan dengan Mutu Baku Waktu; waktu kalender menghitung setiap "
            "jam sejak langkah dibuka sampai selesai.</p>",
            "<table>",
            "<thead><tr>" + "".join(f"<th>{h}</th>" for h in head) + "</tr></thead>",
            "<tbody>",
            *body,
            "</tbody>",
            "<tfoot><tr>" + "".join(f"<th>{escape(c)}</th>" for c in total) + "</tr></tfoot>",
            "</table>",
            "</section>",
        ]
    )


def _minutes(total: int | None) -> str:
    """Minutes as '45 mnt' or '3 j 05 mnt'; '-' when not known."""
    if total is None:
        return "-"
    if total < 60:
        return f"{total} mnt"
    return f"{total // 60} j {total % 60:02d} mnt"
