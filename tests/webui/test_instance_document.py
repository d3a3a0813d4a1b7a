"""The instance's SOP document (PDF): its flowchart with lateness, then its working-time table
with office time beside calendar time, the Mutu Baku, send-back marks and totals."""

from __future__ import annotations

import io
from datetime import UTC

from pypdf import PdfReader

from exporters.document import document_html
from exporters.progress import timing_lines
from tests import analytics_data as data


def test_the_instance_pdf_ends_with_its_working_time_table(alur, clock, login_as):
    ids = data.play(alur, clock)
    client = login_as("auditor")
    page = client.get(f"/instances/{ids['B']}")
    assert f"/instances/{ids['B']}/document.pdf" in page.text
    answer = client.get(f"/instances/{ids['B']}/document.pdf")
    assert answer.status_code == 200 and answer.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(answer.data))
    last = " ".join(reader.pages[-1].extract_text().split())
    assert "Waktu kerja per langkah" in last and f"Instans #{ids['B']}" in last
    # B: step 1 took 2 h office time against 60 menit (1 h over), two send-backs at step 2
    assert "melebihi baku 1 j 00 mnt" in last
    assert last.count("dikembalikan (Tidak)") == 2
    assert "7 langkah, 1 melebihi baku" in last and "2 kali dikembalikan" in last
    assert client.get(f"/instances/{ids['B']}/document.html").status_code == 404


def test_the_table_s_lines_and_totals(alur, clock):
    ids = data.play(alur, clock)
    rows = alur.task_rows(ids["C"])
    sop = alur.instance(ids["C"]).definition.model
    lines = timing_lines(rows, sop.steps, {"ana": "Ana"}, alur.calendar.average_day_minutes)
    first = lines[0]
    # C's step 1: 60 office minutes across the long weekend, 5,280 calendar minutes, on time
    assert (first.step_no, first.done_by, first.office_minutes, first.calendar_minutes) == (
        1, "Ana", 60, 5280
    )  # fmt: skip
    assert (first.standard, first.standard_minutes, first.minutes_over) == ("60 menit", 60, None)
    html = document_html(sop, None, lines, data.WIB)
    table = html.split('id="waktu-kerja"')[1]
    assert "1 j 00 mnt</td><td>88 j 00 mnt</td><td>60 menit" in table
    assert "tanpa Waktu" in table  # step 3 has no Waktu
    assert "<th>Jumlah</th><th>3 langkah, 1 melebihi baku</th>" in table
    assert "0 kali dikembalikan" in table
    empty = document_html(sop, None, [], UTC)
    assert "Belum ada langkah yang selesai." in empty
