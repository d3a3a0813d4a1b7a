"""Routing on random SOPs (hypothesis) keeps every drawing rule; and the cases that once drew a
line through a symbol or along another line."""

from __future__ import annotations

import string

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.sop import Decision, Sop, Step, Waktu
from exporters.flowchart import render_pages
from tests.exporters.flowchart.test_pages import check_pages, page_steps
from tests.exporters.flowchart.test_svg import Chart

WORDS = (
    "menyusun memeriksa menyetujui laporan dokumen rapat koordinasi verifikasi data usulan "
    "OPD kegiatan anggaran Kepala Bidang Sub. Koordinator kuesioner/instrumen DPA, Renja; "
    "paraf berjenjang monitoring-evaluasi"
).split()


@st.composite
def sops(draw) -> tuple[Sop, int | None]:
    """1-9 Pelaksana, 1-25 steps by any of them with any others taking part, decisions whose
    Tidak goes back to an earlier step and Ya forward; and how many rows a page holds."""
    actors = [f"Pelaksana {k + 1}" for k in range(draw(st.integers(1, 9)))]
    count = draw(st.integers(1, 25))
    steps = []
    for no in range(1, count + 1):
        actor = draw(st.sampled_from(actors))
        others = [a for a in actors if a != actor]
        participants = (
            draw(st.lists(st.sampled_from(others), unique=True, max_size=3)) if others else []
        )
        decision = None
        if no > 1 and draw(st.integers(0, 2)) == 0:
            yes = draw(st.one_of(st.none(), st.integers(no + 1, count))) if no < count else None
            decision = Decision("Disetujui?", yes=yes, no=draw(st.integers(1, no - 1)))
        words = st.one_of(st.sampled_from(WORDS), st.text(string.ascii_letters, max_size=30))
        activity = " ".join(draw(st.lists(words, min_size=1, max_size=70)))
        steps.append(
            Step(
                no,
                activity or "Kegiatan",
                actor,
                participants=participants,
                waktu=Waktu.parse(draw(st.sampled_from(["-", "30 menit", "2.550 menit"]))),
                decision=decision,
            )
        )
    per_page = draw(st.one_of(st.none(), st.integers(1, 12)))
    return Sop("R.1", "Prosedur Acak", "BAPPEDA", actors=actors, steps=steps), per_page


def drawn(sop: Sop, per_page: int | None) -> list[Chart]:
    return [Chart(svg) for svg in render_pages(sop, "svg", rows_per_page=per_page)]


@pytest.mark.slow
@settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(sops())
def test_random_sops_keep_every_drawing_rule(case):
    sop, per_page = case
    check_pages(drawn(sop, per_page), sop)


# --- the cases that used to draw lines through symbols, or along other lines ---------------


def _sop(actors: list[str], steps: list[Step]) -> Sop:
    return Sop("R.2", "Prosedur Uji", "BAPPEDA", actors=actors, steps=steps)


def test_single_column_tidak_across_pages_goes_into_a_connector_below_the_diamond():
    """One Pelaksana: no column beside the diamond for the off-page connector."""
    actor = "Kepala Badan"
    steps = [Step(k, f"Langkah {k}", actor) for k in range(1, 5)]
    steps[3].decision = Decision("Disetujui?", no=1)
    sop = _sop([actor], steps)
    charts = drawn(sop, 2)
    check_pages(charts, sop)
    last = charts[1]
    diamond = last.by_id("step-4")
    out = last.with_class("connector-out")
    tidak = [e for e in last.edges if "tidak" in e.classes]
    assert len(tidak) == 1 and tidak[0].target in {c.name for c in out}
    connector = last.nodes[tidak[0].target]
    assert connector.box[1] > diamond.box[3]  # below the diamond, in its column
    assert last.cell_box(4, actor)[0] < connector.centre[0] < last.cell_box(4, actor)[2]
    first = charts[0]
    arriving = [e for e in first.edges if "tidak" in e.classes]
    assert arriving[0].target.endswith("_step1")
    assert first.nodes[arriving[0].source].box[3] < first.by_id("step-1").box[1]  # from above


def test_decision_with_participants_leaves_its_lower_slope():
    """Participants' dashed links take both side vertices of the diamond."""
    actors = ["Kabid", "Sub. Koordinator", "Fungsional", "OPD"]
    steps = [
        Step(1, "Menyusun draf", actors[2]),
        Step(2, "Memeriksa draf", actors[1]),
        Step(3, "Membahas draf", actors[2], participants=[actors[0], actors[3]]),
        Step(4, "Menyetujui draf bersama", actors[2], participants=[actors[1], actors[3]]),
        Step(5, "Mengarsipkan", actors[3]),
    ]
    steps[2].decision = Decision("Sesuai?", yes=4, no=2)
    steps[3].decision = Decision("Disetujui?", yes=5, no=1)
    sop = _sop(actors, steps)
    for per_page in (None, 3):  # the Tidak on one page, then across pages
        charts = drawn(sop, per_page)
        check_pages(charts, sop)
        for chart in charts:
            for step in (s for s in page_steps(chart, sop) if s.decision):
                diamond = chart.by_id(f"step-{step.no}")
                tidak = next(
                    e for e in chart.edges if "tidak" in e.classes and e.source == diamond.name
                )
                assert tidak.points[0][1] > diamond.centre[1] + 1, "not from the lower slope"


def test_tidak_back_to_a_first_step_with_participants_on_both_sides_comes_in_from_above():
    """Participants take both sides of step 1 and the start capsule its top."""
    actors = ["Kabid", "Sub. Koordinator", "Fungsional"]
    steps = [
        Step(1, "Rapat persiapan", actors[1], participants=[actors[0], actors[2]]),
        Step(2, "Menyusun draf", actors[2]),
        Step(3, "Memeriksa draf", actors[0], decision=Decision("Sesuai?", yes=None, no=1)),
    ]
    sop = _sop(actors, steps)
    (chart,) = drawn(sop, None)
    check_pages([chart], sop)
    first, start = chart.by_id("step-1"), chart.with_class("start")[0]
    tidak = next(e for e in chart.edges if "tidak" in e.classes)
    assert tidak.target == first.name
    assert tidak.polyline[-2][1] < first.box[1]  # comes down into the top ...
    assert abs(tidak.end[0] - start.centre[0]) > 15  # ... beside the start capsule's line


def test_single_column_tidak_to_the_end_on_a_later_page_comes_down_beside_the_flow():
    """No column beside the end capsule for the incoming connector: it sits above the end."""
    actor = "Kepala Badan"
    steps = [Step(k, f"Langkah {k}", actor) for k in range(1, 5)]
    steps[1].decision = Decision("Lanjut?", yes=3, no=None)
    sop = _sop([actor], steps)
    charts = drawn(sop, 2)
    check_pages(charts, sop)
    last = charts[1]
    end, final = last.with_class("end")[0], last.by_id("step-4")
    arriving = [e for e in last.edges if "tidak" in e.classes]
    assert len(arriving) == 1 and arriving[0].target == end.name
    connector = last.nodes[arriving[0].source]
    assert final.box[3] < connector.box[1] and connector.box[3] < end.box[1]
