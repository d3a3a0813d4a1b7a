"""The drawing rules every flowchart page must keep, checked on its SVG.

Shared by the flowchart tests; the tests here feed the checks hand-drawn charts that break one
rule each, so a check that stops biting fails too.
"""

from __future__ import annotations

import itertools
import math
import re

import graphviz
import pytest

from engine.sop import Sop, Step
from tests.exporters.flowchart.test_svg import (
    TOL,
    Chart,
    crosses,
    enters,
    inside,
    overlaps,
    touches_outline,
)


def check_table(chart: Chart, sop: Sop, steps: list[Step]) -> None:
    """Column titles in order, the two-row header, one row per step in order, text in cells."""
    tops = [chart.header(t) for t in ("Pelaksana", "Mutu Baku")]
    titles = ["No", "Kegiatan", *sop.actors, "Kelengkapan", "Waktu", "Output", "Keterangan"]
    cells = [chart.header(t) for t in titles]
    assert [c.box[0] for c in cells] == sorted(c.box[0] for c in cells), "columns out of order"
    for a, b in itertools.pairwise(cells):
        assert abs(a.box[2] - b.box[0]) < TOL, f"gap between {a.text!r} and {b.text!r}"
    actors, mutu = cells[2:-4], cells[-4:-1]
    for top, group in zip(tops, (actors, mutu), strict=True):
        assert abs(top.box[0] - group[0].box[0]) < TOL and abs(top.box[2] - group[-1].box[2]) < TOL
        assert all(abs(top.box[3] - c.box[1]) < TOL for c in group), "spanning header not on top"
    for spanning in (cells[0], cells[1], cells[-1]):
        assert (
            abs(spanning.box[1] - tops[0].box[1]) < TOL
            and abs(spanning.box[3] - actors[0].box[3]) < TOL
        )
    rows = [chart.row(s.no) for s in steps]
    assert [r[1] for r in rows] == sorted(r[1] for r in rows)
    assert abs(rows[0][1] - actors[0].box[3]) < TOL
    for a, b in itertools.pairwise(rows):
        assert abs(a[3] - b[1]) < TOL, "rows do not follow each other"
    for step in steps:
        assert chart.cell(step.no, "Waktu").text == step.waktu.text
        squash = lambda s: re.sub(r"\s+", "", s)  # noqa: E731
        assert squash(chart.cell(step.no, "Kegiatan").text) == squash(step.activity)
    check_cell_text(chart)


def check_cell_text(chart: Chart) -> None:
    """Every line of text lies within its table cell."""
    for node in chart.with_class("cell"):
        for text in node.texts:
            assert inside(text.box, node.box), f"{text.content!r} leaves its cell"


def check_symbols(chart: Chart, sop: Sop, steps: list[Step]) -> None:
    """Each step's symbol centred in its actor's column and its row, in the right shape."""
    for step in steps:
        symbol = chart.by_id(f"step-{step.no}")
        cell = chart.cell_box(step.no, step.actor)
        cx, cy = symbol.centre
        assert abs(cx - (cell[0] + cell[2]) / 2) <= TOL, f"step {step.no} off its column centre"
        assert abs(cy - (cell[1] + cell[3]) / 2) <= TOL, f"step {step.no} off its row centre"
        assert inside(symbol.box, cell, 0)
        corners = set(symbol.points)
        left, top, right, bottom = symbol.box
        if step.decision is not None:
            expected = {(cx, top), (right, cy), (cx, bottom), (left, cy)}
            assert symbol.tag == "polygon" and len(corners) == 4
        else:
            expected = {(left, top), (right, top), (right, bottom), (left, bottom)}
            assert symbol.tag == "polygon" and len(corners) == 4
        assert all(min(math.dist(c, e) for e in expected) < 0.2 for c in corners), (
            f"step {step.no} shape"
        )
        for other in step.participants:
            cell = chart.cell_box(step.no, other)
            boxes = chart.with_class("participant", f"participant-of-{step.no}")
            box = next(n for n in boxes if inside(n.box, cell))
            assert abs(box.centre[0] - (cell[0] + cell[2]) / 2) <= TOL
            assert abs(box.centre[1] - (cell[1] + cell[3]) / 2) <= TOL
            assert box.dashed, f"participant {other!r} of step {step.no} not dashed"
            assert any(e.dashed and box.name in (e.source, e.target) for e in chart.edges)
    if steps[0].no == sop.steps[0].no:
        start, first = chart.with_class("start")[0], chart.by_id(f"step-{steps[0].no}")
        assert start.tag == "path" and len(start.points) > 8, "start is not a rounded capsule"
        assert inside(start.box, chart.cell_box(steps[0].no, steps[0].actor), 0)
        assert start.box[3] < first.box[1], "start is not above the first step"
        assert any((e.source, e.target) == (start.name, first.name) for e in chart.edges)
    if steps[-1].no == sop.steps[-1].no:
        end, last = chart.with_class("end")[0], chart.by_id(f"step-{steps[-1].no}")
        assert (
            end.tag == "path"
            and abs(end.centre[0] - last.centre[0]) < TOL
            and end.box[1] > last.box[3]
        )
    for a, b in itertools.combinations(chart.symbols(), 2):
        assert not overlaps(a.box, b.box, 0), f"{a.name} overlaps {b.name}"


def check_lines(chart: Chart) -> None:
    """Lines start and end on the outlines they join, turn at right angles, miss other symbols."""
    symbols = chart.symbols()
    for edge in chart.edges:
        source, target = chart.nodes[edge.source], chart.nodes[edge.target]
        assert source.distance(edge.points[0]) <= TOL, f"{edge.source}->{edge.target} starts off"
        assert target.distance(edge.end) <= TOL, f"{edge.source}->{edge.target} ends off"
        for a, b in itertools.pairwise(edge.polyline):
            assert abs(a[0] - b[0]) < 0.05 or abs(a[1] - b[1]) < 0.05, f"slanted {edge.source}"
            for symbol in symbols:
                assert not enters(a, b, symbol), (
                    f"{edge.source}->{edge.target} crosses {symbol.name}"
                )


def _runs(edge) -> list[tuple[str, float, float, float]]:
    """The edge's straight pieces as (axis, position across, start, end along)."""
    runs = []
    for a, b in itertools.pairwise(edge.polyline):
        if abs(a[0] - b[0]) < 0.05:
            runs.append(("v", a[0], min(a[1], b[1]), max(a[1], b[1])))
        elif abs(a[1] - b[1]) < 0.05:
            runs.append(("h", a[1], min(a[0], b[0]), max(a[0], b[0])))
    return runs


def check_apart(chart: Chart) -> None:
    """No two lines run along each other, unless they go into the same symbol (they merge)."""
    for e, f in itertools.combinations(chart.edges, 2):
        if e.target == f.target:
            continue
        for (axis, at, start, end), (axis2, at2, start2, end2) in itertools.product(
            _runs(e), _runs(f)
        ):
            assert not (
                axis == axis2 and abs(at - at2) < 1 and min(end, end2) - max(start, start2) > 1
            ), f"{e.source}->{e.target} runs along {f.source}->{f.target}"


def check_decisions(chart: Chart, sop: Sop, steps: list[Step]) -> None:
    """Each diamond on the page sends one Tidak arrow (to its target or an off-page connector)
    and has its Ya and Tidak labels close by."""
    on_page = {s.no for s in steps}
    for step in (s for s in steps if s.decision is not None):
        diamond = chart.by_id(f"step-{step.no}")
        tidak = [e for e in chart.edges if "tidak" in e.classes and e.source == diamond.name]
        assert len(tidak) == 1, f"step {step.no}: {len(tidak)} Tidak arrows"
        target = chart.nodes[tidak[0].target]
        no = step.decision.no
        if no in on_page or (no is None and sop.steps[-1].no in on_page):
            wanted = "end" if no is None else f"step-{no}"
            assert wanted in (target.id, target.name.split("_", 1)[1]), f"step {step.no} Tidak"
        else:
            assert "connector-out" in target.classes, f"step {step.no}: Tidak not off the page"
        labels = {t.content for t in chart.texts if _gap(t.box, diamond.box) < 16}
        assert {"Ya", "Tidak"} <= labels, f"step {step.no}: labels {labels}"


def _gap(a, b) -> float:
    return math.hypot(max(0, a[0] - b[2], b[0] - a[2]), max(0, a[1] - b[3], b[1] - a[3]))


def check_text(chart: Chart) -> None:
    """No two texts overlap, and no free label sits on a symbol or a line."""
    for a, b in itertools.combinations(chart.texts, 2):
        assert not overlaps(a.box, b.box), f"{a.content!r} overlaps {b.content!r}"
    for label in chart.with_class("flow-label"):
        for text in label.texts:
            assert not any(touches_outline(text.box, s) for s in chart.symbols()), text.content
            for edge in chart.edges:
                assert not any(
                    crosses(a, b, text.box, 0) for a, b in itertools.pairwise(edge.polyline)
                )


# --- the checks themselves: hand-drawn charts that break one rule each --------------------


def draw(body: str) -> Chart:
    """A 300 x 200 pt drawing with nodes pinned where `body` says (y upwards, as in DOT)."""
    source = (
        "digraph { layout=nop2; pad=0; edge [arrowsize=0.5]; "
        'node [fixedsize=true, fontname="DejaVu Sans", label=""]; '
        'c0 [shape=point, width=0, height=0, pos="0,0!"]; '
        'c1 [shape=point, width=0, height=0, pos="300,200!"]; ' + body + " }"
    )
    return Chart(graphviz.Source(source).pipe(format="svg", engine="dot"))


_BOXES = (
    'a [class="symbol", shape=box, width=0.5, height=0.3, pos="50,100!"]; '
    'b [class="symbol", shape=box, width=0.5, height=0.3, pos="150,100!"]; '
    'c [class="symbol", shape=box, width=0.5, height=0.3, pos="250,100!"]; '
)


def test_chart_reads_positions_in_points_with_y_down():
    chart = draw(_BOXES)
    assert chart.nodes["a"].box == pytest.approx((32, 89, 68, 111))  # Graphviz: whole points
    assert (chart.width, chart.height) == (300, 200)


def test_clean_line_passes_the_line_check():
    check_lines(draw(_BOXES + 'a -> b [pos="e,132,100 68,100 90,100 110,100 127,100"];'))


@pytest.mark.parametrize(
    "edge",
    [
        'a -> c [pos="e,232,100 68,100 120,100 180,100 227,100"]',  # through b
        'a -> b [pos="e,129,100 68,100 90,100 110,100 124,100"]',  # stops 3 pt short of b
        'a -> b [pos="e,132,95 68,100 90,100 110,96 127,95"]',  # slanted
    ],
)
def test_line_check_catches_bad_lines(edge):
    with pytest.raises(AssertionError):
        check_lines(draw(_BOXES + edge + ";"))


def test_apart_check_catches_lines_along_each_other():
    merging = (
        'a -> c [pos="e,232,100 68,100 120,100 180,100 227,100"]; '
        'b -> c [pos="e,232,100 150,129 150,100 200,100 227,100"];'
    )
    check_apart(draw(_BOXES.replace('pos="150,100!"', 'pos="150,140!"') + merging))
    along = (
        'a -> b [pos="e,132,100 68,100 90,100 110,100 127,100"]; '
        'a -> c [pos="e,232,100 68,100 120,100 180,100 227,100"];'
    )
    with pytest.raises(AssertionError):
        check_apart(draw(_BOXES + along))


def test_text_checks_catch_overlap_and_overflow():
    overlap = (
        't1 [shape=plaintext, fontsize=8, width=1, height=0.2, pos="100,100!", label="Tidak"]; '
        't2 [shape=plaintext, fontsize=8, width=1, height=0.2, pos="110,102!", label="Ya"];'
    )
    with pytest.raises(AssertionError):
        check_text(draw(overlap))
    overflow = (
        'k [class="cell", shape=box, width=0.5, height=0.3, pos="100,100!", fontsize=8, '
        'label="Melaksanakan rapat koordinasi"];'
    )
    with pytest.raises(AssertionError):
        check_cell_text(draw(overflow))
