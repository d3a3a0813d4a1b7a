"""The analytics page of a process: period picker, figures, charts, downloads; who may see it."""

from __future__ import annotations

import io
import json

import openpyxl

from tests import analytics_data as data
from tests.analytics_data import KEY

URL = f"/processes/{KEY}/analytics"


def test_an_auditor_sees_the_figures_charts_and_people(alur, clock, login_as):
    data.play(alur, clock)
    page = login_as("auditor").get(URL, query_string={"period": "2026-Q2"})
    assert page.status_code == 200, page.text
    html = page.text
    assert "Uji Analitik" in html and "2026-Q2" in html
    # bars, trend, histogram, the heat legend under the flowchart and under the BPMN diagram
    assert html.count('class="chart"') == 5
    # the flowchart coloured by the share over standard, each step labelled with it
    assert html.count('class="heat-page"') == 1 and "20% lebih baku" in html
    assert "20% (1/5)" in html  # share over standard printed, not colour alone
    assert "Menyusun draft" in html and "96.0" in html  # step 1's p90 office minutes
    assert "#2 B" in html and "#3 C" in html  # late instances with their worst step
    assert 'id="people-title"' in html


def test_the_bpmn_diagram_by_share_over_standard(alur, clock, login_as):
    """The diagram's marks name each task element with its share, fill and label; the page
    lists the steps with their shares as the diagram's text alternative."""
    data.play(alur, clock)
    page = login_as("auditor").get(URL, query_string={"period": "2026-Q2"})
    html = page.text
    assert f'data-heat-url="/processes/{KEY}/1/diagram.bpmn"' in html
    assert "heat-diagram.js" in html and "bpmn-navigated-viewer" in html
    marks = json.loads(html.split("data-heat='")[1].split("'")[0].replace("&#34;", '"'))
    assert [(m["id"], m["label"], m["share"]) for m in marks] == [
        ("Langkah_1", "20%", 0.2),
        ("Langkah_2", "20%", 0.2),
        ("Langkah_3", "tanpa data", None),
    ]
    assert marks[0]["fill"] != marks[2]["fill"]
    listed = html.split('id="heat-bpmn-list"')[1].split("</ul>")[0]
    assert "1. Menyusun draft (Pelaksana): 20% melebihi baku, 1 dari 5 penyelesaian" in listed
    assert "3. Mengarsipkan (Pelaksana): belum ada penyelesaian dengan baku" in listed
    assert listed.count("<li>") == 3
    # the table's cells carry their colours for the script (the CSP refuses inline styles)
    assert 'style="' not in html.split('id="steps-title"')[1].split("</table>")[0]
    assert 'data-heat-fill="#' in html
    assert login_as("auditor").get(f"/processes/{KEY}/1/diagram.bpmn").status_code == 200


def test_an_analyst_sees_no_people_and_staff_none_of_it(alur, clock, login_as):
    data.play(alur, clock)
    page = login_as("analis").get(URL)
    assert page.status_code == 200 and 'id="people-title"' not in page.text
    assert login_as("kabid").get(URL).status_code == 200
    assert login_as("fungsional umum").get(URL).status_code == 403


def test_a_bad_period_is_a_clear_422(alur, clock, login_as):
    data.play(alur, clock)
    page = login_as("auditor").get(URL, query_string={"period": "2026-Q7"})
    assert page.status_code == 422 and "2026-Q7" in page.text


def test_downloads(alur, clock, login_as):
    data.play(alur, clock)
    client = login_as("auditor")
    csv = client.get(f"{URL}.csv", query_string={"period": "2026-Q2", "excel": "1"})
    assert csv.data.startswith(b"\xef\xbb\xbfNo;Kegiatan;")
    xlsx = client.get(f"{URL}.xlsx", query_string={"period": "2026-Q2"})
    book = openpyxl.load_workbook(io.BytesIO(xlsx.data))
    assert book["Langkah"]["B3"].value == "Menyusun draft"
    assert client.get(f"{URL}.json").get_json()["instances"]["started"] == 4
    assert client.get(f"{URL}.doc").status_code == 404


def test_reachable_from_the_catalog_and_the_process_page(alur, clock, login_as):
    data.deploy(alur)
    client = login_as("auditor")
    assert URL in client.get("/processes/").text
    assert URL in client.get(f"/processes/{KEY}").text
    assert URL not in login_as("fungsional umum").get(f"/processes/{KEY}").text
