"""The SOP AP flowchart of an SOP (optionally with an instance's state) as SVG, PNG or PDF.

`render_flowchart` gives one file with every page: SVG and PNG stack the pages top to bottom,
PDF has one A4 landscape page each. `render_pages` gives each page as its own file.
"""

from __future__ import annotations

import logging
import time

import graphviz

from engine.sop import Sop
from exporters.flowchart.dot import flowchart_graph
from exporters.flowchart.drawing import Page
from exporters.flowchart.layout import layout_pages
from exporters.flowchart.pdf import merge_pdfs
from exporters.marks import StepMarks
from exporters.progress import InstanceOverlay

log = logging.getLogger(__name__)

FORMATS = ("svg", "png", "pdf")
PNG_DPI = "144"
A4_LANDSCAPE = "11.69,8.27!"  # inches; "!" scales the drawing up or down to fit


def render_flowchart(
    sop: Sop,
    fmt: str = "svg",
    overlay: InstanceOverlay | None = None,
    rows_per_page: int | None = None,
    marks: StepMarks | None = None,
) -> bytes:
    """All pages in one file; rows_per_page None fills pages to A4 landscape proportions;
    marks: the steps a comparison marks (exporters/marks.py)."""
    started = time.perf_counter()
    pages = layout_pages(sop, overlay, rows_per_page, marks)
    if _check(fmt) == "pdf":
        data = merge_pdfs([_render([page], fmt) for page in pages])
    else:
        data = _render(pages, fmt)
    log.info(
        "flowchart %s: %d pages as %s in %.2f s",
        sop.code,
        len(pages),
        fmt,
        time.perf_counter() - started,
    )
    return data


def render_pages(
    sop: Sop,
    fmt: str = "svg",
    overlay: InstanceOverlay | None = None,
    rows_per_page: int | None = None,
    marks: StepMarks | None = None,
) -> list[bytes]:
    """Each page as its own file, in order."""
    _check(fmt)
    return [_render([page], fmt) for page in layout_pages(sop, overlay, rows_per_page, marks)]


def flowchart_source(
    sop: Sop,
    overlay: InstanceOverlay | None = None,
    rows_per_page: int | None = None,
    marks: StepMarks | None = None,
) -> str:
    """The DOT text of all pages stacked; `dot -Tsvg` renders it as it is."""
    return flowchart_graph(layout_pages(sop, overlay, rows_per_page, marks)).source


def _check(fmt: str) -> str:
    if fmt not in FORMATS:
        raise ValueError(f"format {fmt!r} tidak didukung; pilih {', '.join(FORMATS)}")
    return fmt


def _render(pages: list[Page], fmt: str) -> bytes:
    attrs = {"png": {"dpi": PNG_DPI}, "pdf": {"size": A4_LANDSCAPE, "margin": "0"}}.get(fmt, {})
    graph = flowchart_graph(pages, attrs)
    try:
        data = graph.pipe(format=fmt, engine="dot")
    except graphviz.ExecutableNotFound as error:
        raise RuntimeError(
            "Graphviz 'dot' tidak ditemukan; pasang paket Debian: apt-get install graphviz"
        ) from error
    if fmt == "svg":  # the SOP's words are Bahasa Indonesia, whatever the reader's language
        # after width and height, which the SOP document's inline pages rewrite
        data = data.replace(b" viewBox=", b' xml:lang="id" lang="id" viewBox=', 1)
    return data
