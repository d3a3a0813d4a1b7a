"""Flowchart pages, connectors, PDF/PNG output, the instance overlay and `alur chart`; and the
checks that span all pages of one chart."""

from __future__ import annotations

import math
import re
import struct
from datetime import date

import pytest
from click.testing import CliRunner

from engine.sop import Sop, Step
from exporters.cli.chart import chart as chart_command
from exporters.flowchart import render_flowchart, render_pages
from exporters.progress import InstanceOverlay, StepMark, StepState
from tests.conftest import sop_path
from tests.exporters.flowchart.test_flowchart import CASES, fixture_sop, load
from tests.exporters.flowchart.test_rules import (
    check_apart,
    check_decisions,
    check_lines,
    check_symbols,
    check_table,
    check_text,
)
from tests.exporters.flowchart.test_svg import TOL, Chart, inside


def paged(case: str) -> tuple:
    sop = load(case)
    per_page = 2 if case == "fixture" else 4
    charts = [Chart(svg) for svg in render_pages(sop, "svg", rows_per_page=per_page)]
    return sop, per_page, charts


def page_steps(chart: Chart, sop: Sop) -> list[Step]:
    """The steps whose symbols are on this page, in order."""
    ids = {n.id for n in chart.symbols() if n.id}
    return [s for s in sop.steps if f"step-{s.no}" in ids]


def check_connectors(charts: list[Chart], sop: Sop) -> None:
    """Off-page connectors come in lettered pairs A, B, C ..., and every Tidak that crosses pages
    leaves through one and arrives at its target through the other of the same letter."""

    def letters(chart: Chart, direction: str) -> list[str]:
        found = chart.with_class("connector", f"connector-{direction}")
        return [c.texts[0].content for c in found]

    outs = {x for ch in charts for x in letters(ch, "out")}
    ins = {x for ch in charts for x in letters(ch, "in")}
    assert outs == ins, "an off-page connector without its partner"
    assert sorted(outs, key=lambda x: (len(x), x)) == [_letter(k) for k in range(len(outs))]
    page_of = {s.no: k for k, ch in enumerate(charts) for s in page_steps(ch, sop)}
    for step in sop.steps:
        if step.decision is None or step.decision.no is None:
            continue
        if page_of[step.no] == page_of[step.decision.no]:
            continue
        here, there = charts[page_of[step.no]], charts[page_of[step.decision.no]]
        tidak = [
            e for e in here.edges if "tidak" in e.classes and e.source.endswith(f"_step{step.no}")
        ]
        assert len(tidak) == 1 and "connector-out" in here.nodes[tidak[0].target].classes
        letter = here.nodes[tidak[0].target].texts[0].content
        arriving = [
            e
            for e in there.edges
            if "tidak" in e.classes
            and e.target.endswith(f"_step{step.decision.no}")
            and "connector-in" in there.nodes[e.source].classes
            and there.nodes[e.source].texts[0].content == letter
        ]
        assert len(arriving) == 1, f"step {step.no}: Tidak does not arrive at {step.decision.no}"


def _letter(k: int) -> str:
    upper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    return upper[k] if k < 26 else upper[k // 26 - 1] + upper[k % 26]


def check_pages(charts: list[Chart], sop: Sop) -> None:
    """Every rule on every page, each step on exactly one page, connectors paired across."""
    seen = []
    for chart in charts:
        steps = page_steps(chart, sop)
        assert steps, "a page without steps"
        check_table(chart, sop, steps)
        check_symbols(chart, sop, steps)
        check_lines(chart)
        check_apart(chart)
        check_text(chart)
        check_decisions(chart, sop, steps)
        seen += steps
    assert [s.no for s in seen] == [s.no for s in sop.steps]
    check_connectors(charts, sop)


@pytest.fixture(scope="module", params=CASES)
def pages(request):
    return paged(request.param)


def test_every_page_repeats_the_header_and_keeps_the_rules(pages):
    sop, per_page, charts = pages
    assert len(charts) == math.ceil(len(sop.steps) / per_page)
    assert all(0 < len(page_steps(chart, sop)) <= per_page for chart in charts)
    check_pages(charts, sop)  # the whole two-row header on each page, then its rows; connectors


def test_flow_leaves_and_enters_pages_through_lettered_pairs(pages):
    sop, _, charts = pages
    for before, after in zip(charts, charts[1:], strict=False):
        last, first = page_steps(before, sop)[-1], page_steps(after, sop)[0]
        out = _joined(before, before.by_id(f"step-{last.no}"), "connector-out", downwards=True)
        into = _joined(after, after.by_id(f"step-{first.no}"), "connector-in", downwards=False)
        assert out.texts[0].content == into.texts[0].content
        assert re.fullmatch(r"[A-Z]{1,2}", out.texts[0].content)
        for node, page in ((out, before), (into, after)):
            left, top, right, bottom = page.row(last.no if page is before else first.no)
            assert inside(node.box, (left - 1000, top, right + 1000, bottom), 0)


def _joined(chart: Chart, symbol, kind: str, downwards: bool):
    """The connector straight below (or above) the symbol, joined to it by an arrow."""
    found = [
        c
        for c in chart.with_class("connector", kind)
        if abs(c.centre[0] - symbol.centre[0]) < TOL
        and (c.centre[1] > symbol.centre[1]) == downwards
    ]
    assert len(found) == 1, f"no {kind} next to {symbol.name}"
    ends = {found[0].name, symbol.name}
    assert any({e.source, e.target} == ends and e.tip for e in chart.edges)
    return found[0]


def test_every_connector_letter_has_its_partner(pages):
    sop, _, charts = pages
    check_connectors(charts, sop)


def test_default_pages_have_a4_landscape_proportions():
    sop = load("C.3")
    charts = [Chart(svg) for svg in render_pages(sop, "svg")]
    assert len(charts) >= 2
    for chart in charts:
        assert abs(chart.width / chart.height - math.sqrt(2)) < 0.01
        check_lines(chart)
    combined = Chart(render_flowchart(sop, "svg"))
    assert len([n for n in combined.with_class("header") if n.text == "Pelaksana"]) == len(charts)


def test_pdf_has_one_a4_page_per_flowchart_page():
    sop = load("C.3")
    pdf = render_flowchart(sop, "pdf", rows_per_page=8)
    assert pdf.startswith(b"%PDF-")
    pages = re.findall(rb"/Type /Page\b(?!s)", pdf)
    assert len(pages) == 3
    root = re.search(rb"/Root (\d+) 0 R", pdf)[1]
    assert re.search(rb"\n" + root + rb" 0 obj\n<< /Type /Catalog /Pages (\d+) 0 R", pdf)
    assert re.search(rb"/Count 3\b", pdf)
    for box in re.findall(rb"/MediaBox \[ ?([\d. ]+)\]", pdf):
        width, height = map(float, box.split()[2:4])
        assert abs(width - 842) < 1.5 and abs(height - 595) < 1.5
    xref = int(re.findall(rb"startxref\s+(\d+)", pdf)[-1])
    table = pdf[xref:].split(b"trailer")[0].split(b"\n")[2:]
    for number, line in enumerate(table):
        if line.endswith((b" n ", b" n")):
            offset = int(line.split()[0])
            assert pdf[offset:].startswith(b"%d 0 obj" % number), f"xref entry {number} is wrong"


def test_png_stacks_the_pages():
    sop = fixture_sop()
    png = render_flowchart(sop, "png", rows_per_page=2)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = struct.unpack(">II", png[16:24])
    assert height > 2 * width  # three landscape pages one above the other


def test_overlay_colours_states_and_prints_who_and_when():
    sop = fixture_sop()
    overlay = InstanceOverlay(
        {
            1: StepMark(StepState.DONE, "Rina Marlina", date(2024, 3, 12)),
            2: StepMark(StepState.DONE, "Budi", date(2024, 3, 13)),
            3: StepMark(StepState.OVERDUE),
            4: StepMark(StepState.CURRENT),
        },
        title="Instans #42",
    )
    chart = Chart(render_flowchart(sop, "svg", overlay=overlay))
    fills = {no: chart.by_id(f"step-{no}").fill for no in range(1, 7)}
    assert fills[1] == fills[2] != "white"
    assert len({fills[1], fills[3], fills[4], fills[5]}) == 4 and fills[5] == fills[6] == "white"
    legend = {t.content for n in chart.with_class("legend") for t in n.texts}
    assert {
        "Selesai (garis penuh, \u2713)",
        "Sedang berjalan (garis tebal, \u25b6)",
        "Terlambat (garis titik-titik, !)",
        "Instans #42",
    } <= legend
    # never colour alone: current and overdue differ in outline and sign too
    current, overdue = chart.by_id("step-4"), chart.by_id("step-3")
    assert (current.text, current.dashed) == ("\u25b6", False)
    assert (overdue.text, overdue.dashed) == ("!", True)
    assert chart.by_id("step-1").text == "\u2713" and chart.by_id("step-5").text == ""
    for no, who, when in ((1, "Rina Marlina", "12-03-2024"), (2, "Budi", "13-03-2024")):
        symbol, cell = chart.by_id(f"step-{no}"), chart.cell_box(no, sop.step(no).actor)
        note = [n for n in chart.with_class("note") if symbol.box[3] < n.centre[1] < cell[3]]
        assert len(note) == 1 and " ".join(t.content for t in note[0].texts) == f"{who} {when}"
        assert inside(note[0].box, cell)
    check_symbols(chart, sop, sop.steps)
    check_lines(chart)
    check_text(chart)


def test_cli_draws_a_bpmn_file(tmp_path):
    runner = CliRunner()
    for suffix in ("svg", "png", "pdf"):
        out = tmp_path / f"c3.{suffix}"
        result = runner.invoke(chart_command, [str(sop_path("C.3")), "-o", str(out)])
        assert result.exit_code == 0, result.output
        assert out.stat().st_size > 1000
    out = tmp_path / "paged.svg"
    result = runner.invoke(
        chart_command, [str(sop_path("A")), "-o", str(out), "--rows-per-page", "5"]
    )
    assert result.exit_code == 0, result.output
    assert (
        len([n for n in Chart(out.read_bytes()).with_class("header") if n.text == "Pelaksana"]) == 3
    )


def test_cli_refuses_unknown_formats_and_instances_without_engine(tmp_path, monkeypatch):
    runner = CliRunner()
    bad = runner.invoke(chart_command, [str(sop_path("A")), "-o", str(tmp_path / "a.txt")])
    assert bad.exit_code != 0 and ".svg, .png or .pdf" in bad.output
    monkeypatch.setenv("ALUR_DATABASE_URL", f"sqlite:///{tmp_path / 'kosong.sqlite3'}")
    overlay = runner.invoke(
        chart_command, [str(sop_path("A")), "-o", str(tmp_path / "a.svg"), "--instance", "7"]
    )
    assert overlay.exit_code != 0 and "alur db upgrade" in overlay.output  # see test_progress.py
    assert not (tmp_path / "a.svg").exists()
