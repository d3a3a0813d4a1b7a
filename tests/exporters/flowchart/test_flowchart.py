"""The SOP AP flowchart of a fixture and of the six transcribed SOPs, read back from its SVG."""

from __future__ import annotations

import math
import shutil
import subprocess

import pytest

from engine.sop import Decision, Sop, Step, Waktu, sop_from_dict
from exporters.flowchart import flowchart_source, render_flowchart
from tests.conftest import SOP_CODES, transcription
from tests.exporters.flowchart.test_rules import check_lines, check_symbols, check_table, check_text
from tests.exporters.flowchart.test_svg import Chart, inside

ACTORS = [
    "Kabid Pemerintahan dan Sosial Budaya",
    "Sub. Koordinator Pemerintahan",
    "Fungsional Tertentu",
    "Fungsional Umum",
    "Sekretaris Badan",  # no step of its own: the column must stay
    "Kepala Badan",
    "OPD",  # only ever a participant
]
LONG_ACTIVITY = (
    "Mengolah data dan menyusun laporan hasil monitoring dan evaluasi, termasuk kompilasi "
    "kuesioner/instrumen dari seluruh responden Perangkat Daerah, verifikasi silang dengan "
    "dokumen DPA dan Renja, analisis capaian kinerja per program/kegiatan, serta penyusunan "
    "rekomendasi tindak lanjut bagi Kepala Bidang dan Sekretaris Badan sebelum diparaf berjenjang"
)


def fixture_sop() -> Sop:
    """Six steps: a participant, an empty column, a 350-character activity, a Tidak loop."""
    w = Waktu.parse
    steps = [
        Step(
            1,
            "Menyusun draf dokumen perencanaan",
            ACTORS[1],
            kelengkapan=["Data usulan OPD"],
            waktu=w("300 Menit"),
            output=["Draf dokumen"],
        ),
        Step(
            2,
            "Melaksanakan rapat bersama OPD",
            ACTORS[1],
            participants=["OPD"],
            kelengkapan=["Undangan"],
            waktu=w("240 menit"),
            output=["Notulen"],
            keterangan="Terkait SOP Rapat",
        ),
        Step(
            3,
            LONG_ACTIVITY,
            ACTORS[2],
            kelengkapan=["Kuesioner/instrumen yang sudah diisi"],
            waktu=w("2.550 menit"),
            output=["Laporan"],
        ),
        Step(4, "Memeriksa draf laporan", ACTORS[0], waktu=w("60 menit"), output=["Draf"]),
        Step(
            5,
            "Menyetujui draf laporan",
            ACTORS[5],
            waktu=w("30 menit"),
            output=["Disetujui"],
            decision=Decision("Disetujui?", yes=6, no=3),
        ),
        Step(6, "Mengarsipkan dan mendistribusikan dokumen", ACTORS[3], waktu=w("-")),
    ]
    return Sop("X.1", "Contoh Prosedur Uji", "BAPPEDA", actors=ACTORS, steps=steps)


def load(case: str) -> Sop:
    return fixture_sop() if case == "fixture" else sop_from_dict(transcription(case))


CASES = ["fixture", *SOP_CODES]


# --- tests ---------------------------------------------------------------------------------


def test_graphviz_dot_is_installed():
    assert shutil.which("dot"), "Graphviz 'dot' is required: apt-get install graphviz"


@pytest.fixture(scope="module", params=CASES)
def single(request) -> tuple[Sop, Chart]:
    sop = load(request.param)
    return sop, Chart(render_flowchart(sop, "svg", rows_per_page=len(sop.steps)))


def test_table_header_rows_and_cells(single):
    sop, chart = single
    check_table(chart, sop, sop.steps)


def test_symbols_sit_in_their_cells(single):
    sop, chart = single
    check_symbols(chart, sop, sop.steps)


def test_lines_join_symbols_without_crossing_them(single):
    check_lines(single[1])


def test_text_never_overlaps(single):
    check_text(single[1])


def test_decisions_send_tidak_back_to_their_target(single):
    sop, chart = single
    decisions = [s for s in sop.steps if s.decision is not None]
    assert decisions, "every case has a decision"
    for step in decisions:
        target = f"step{step.decision.no}" if step.decision.no is not None else "end"
        tidak = [
            e for e in chart.edges if "tidak" in e.classes and e.source.endswith(f"_step{step.no}")
        ]
        assert [e.target.split("_", 1)[1] for e in tidak] == [target]
        diamond = chart.by_id(f"step-{step.no}")
        near = [t.content for t in chart.texts if math.dist(t.box[:2], diamond.box[:2]) < 40]
        assert "Ya" in near and "Tidak" in near


def test_fixture_shows_its_long_activity_and_empty_columns():
    sop = fixture_sop()
    assert len(LONG_ACTIVITY) >= 350
    chart = Chart(render_flowchart(sop, "svg"))
    cell = chart.cell(3, "Kegiatan")
    assert len(cell.texts) >= 5 and all(inside(t.box, cell.box) for t in cell.texts)
    assert chart.cell(3, "Waktu").text == "2.550 menit"
    for empty in ("Sekretaris Badan", "OPD"):
        column = chart.header(empty).box
        mains = [n for n in chart.symbols() if n.id and n.id.startswith("step-")]
        assert not any(column[0] <= n.centre[0] <= column[2] for n in mains)


@pytest.mark.parametrize("case", CASES)
def test_graphviz_renders_without_warnings(case):
    result = subprocess.run(
        ["dot", "-Tsvg"],
        input=flowchart_source(load(case)),
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stderr == ""
