"""`alur report`: the compliance report of an SOP over a period as JSON, CSV, XLSX and PDF."""

from __future__ import annotations

import io
import json

import openpyxl
import pytest
from pypdf import PdfReader

from engine.alur import Alur
from engine.config import Settings
from tests import analytics_data as data
from tests.analytics_data import KEY
from tests.clock import Clock


@pytest.fixture
def report(engine_cli):
    """run(*args): `alur report sop_u -u <auditor> --period 2026-Q2 ...` on the played data."""
    alur = Alur(Settings.from_env(), clock=Clock())
    try:
        data.play(alur, alur.clock)
    finally:
        alur.db.dispose()

    def run(*args, code=0):
        return engine_cli(
            "report", KEY, "-u", data.AUDITOR, "--period", "2026-Q2", *args, code=code
        )

    return run


def test_json_prints_one_object_per_step(report):
    steps = json.loads(report("--json").output)
    assert [s["step_no"] for s in steps] == [1, 2, 3]
    assert {k: steps[0][k] for k in (
        "actor", "instances", "completions", "median_work_min", "p90_work_min", "standard_min",
        "over_standard_share", "sendbacks",
    )} == {
        "actor": "Pelaksana", "instances": 3, "completions": 5, "median_work_min": 50.0,
        "p90_work_min": 96.0, "standard_min": 60, "over_standard_share": 0.2, "sendbacks": None,
    }  # fmt: skip
    assert steps[1]["sendbacks"] == 2


def test_csv_standard_and_for_indonesian_excel(report, tmp_path):
    report("-o", tmp_path / "r.csv")
    plain = (tmp_path / "r.csv").read_bytes()
    assert plain.startswith(b"step_no,activity,actor,")
    assert b"\n1,Menyusun draft,Pelaksana,3,5,5,50.0,96.0," in plain
    report("-o", tmp_path / "x.csv", "--excel")
    excel = (tmp_path / "x.csv").read_bytes()
    assert excel.startswith(b"\xef\xbb\xbfNo;Kegiatan;Pelaksana;")
    assert b"1;Menyusun draft;Pelaksana;3;5;5;50;96;" in excel
    assert ";0,2;60;" in excel.decode("utf-8-sig")  # a decimal comma, as Excel in id-ID reads


def test_xlsx_has_the_steps_and_the_late_instances(report, tmp_path):
    report("-o", tmp_path / "r.xlsx")
    book = openpyxl.load_workbook(io.BytesIO((tmp_path / "r.xlsx").read_bytes()))
    assert book.sheetnames == ["Langkah", "Pelaksana", "Bulanan", "Melebihi baku"]
    rows = list(book["Langkah"].iter_rows(values_only=True))
    assert rows[1][:3] == ("No", "Kegiatan", "Pelaksana")
    assert rows[2][:8] == (1, "Menyusun draft", "Pelaksana", 3, 5, 5, 50, 96)
    late = list(book["Melebihi baku"].iter_rows(values_only=True))
    assert [(r[1], r[7], r[9]) for r in late[1:]] == [("B", 1, 60), ("C", 2, 30)]


def test_pdf_carries_identity_period_figures_and_late_instances(report, tmp_path):
    report("-o", tmp_path / "r.pdf")
    text = "".join(p.extract_text() for p in PdfReader(tmp_path / "r.pdf").pages)
    for expected in ("Uji Analitik", "2026-Q2", "2026-04-01", "Menyusun draft", "20% (1)",
                     "Instans dengan langkah melebihi baku (2)", "Memeriksa draft",
                     "Bagan alir SOP AP menurut porsi melebihi baku",
                     "20% lebih baku"):  # fmt: skip
        assert expected in text, expected


def test_a_user_who_may_not_read_figures_is_refused(engine_cli, report):
    result = engine_cli("report", KEY, "-u", "ana", "--json", code=1)
    assert "tidak berhak membaca analitik" in result.output


def _contrast(a: str, b: str) -> float:
    def luminance(colour: str) -> float:
        rgb = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.mark.parametrize("share", [None, *(i / 20 for i in range(21))])
def test_heat_cell_text_reads_at_wcag_aa_on_every_heat_colour(share):
    from exporters.report.charts import heat_colour, heat_text_colour

    assert _contrast(heat_colour(share), heat_text_colour(share)) >= 4.5
