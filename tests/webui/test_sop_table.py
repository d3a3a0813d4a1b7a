"""The table editor's conversions (analysts, admins; size-bounded) and its page."""

from __future__ import annotations

import json

from engine.bpmn.reader import read_bpmn
from tests.conftest import sop_path
from tests.engine.table_edits import NEW_STEP, c1_table, insert_row
from tests.webui.conftest import csrf_token

C1 = sop_path("C.1").read_bytes()


def post(client, url, headers=None, **kwargs):
    headers = {"X-CSRFToken": csrf_token(client), **(headers or {})}
    return client.post(url, headers=headers, **kwargs)


def test_xml_to_table_and_back(login_as):
    client = login_as("analis")
    response = post(client, "/studio/table/from-xml", data=C1, content_type="application/xml")
    assert response.status_code == 200 and response.json == c1_table()
    table = insert_row(response.json, 2, {"activity": NEW_STEP, "actor": "Fungsional Umum"})
    response = post(client, "/studio/table/to-xml", json={"table": table, "xml": C1.decode()})
    assert response.status_code == 200 and response.mimetype == "application/xml"
    sop = read_bpmn(response.data)
    assert sop.step(2).activity == NEW_STEP and sop.step(3).element_id == "Langkah_2"
    assert sop.identity == read_bpmn(C1).identity


def test_bad_cells_come_back_by_row_and_column_in_the_ui_language(login_as):
    client = login_as("analis")
    table = c1_table()
    table["rows"][2]["waktu"] = {"amount": "lama", "unit": "menit"}
    table["rows"][6]["decision"]["yes"] = 40
    response = post(client, "/studio/table/to-xml", json={"table": table, "xml": C1.decode()})
    assert response.status_code == 422
    assert response.json["problems"] == [
        {"row": 3, "field": "waktu", "column": "Waktu",
         "message": "Baris 3, kolom Waktu: tulis angka 0 atau lebih."},
        {"row": 7, "field": "yes", "column": "Ya",
         "message": "Baris 7, kolom Ya: langkah 40 tidak ada (tabel punya 10 langkah)."},
    ]  # fmt: skip
    with client.session_transaction() as session:
        session["lang"] = "en"
    response = post(client, "/studio/table/to-xml", json={"table": table, "xml": C1.decode()})
    assert response.json["problems"][0]["message"] == (
        "Row 3, column Waktu: enter a number, 0 or more."
    )
    assert response.json["error"]["message"] == (
        "2 problems in the table; the diagram was not changed."
    )


def test_refusals(login_as, app):
    for who in ("kabid", "auditor"):
        client = login_as(who)
        assert post(client, "/studio/table/from-xml", data=C1).status_code == 403
        assert post(client, "/studio/table/to-xml", json={"table": c1_table()}).status_code == 403
        assert client.get("/processes/sop_c_1/table").status_code == 403
    client = login_as("analis")
    assert client.post("/studio/table/from-xml", data=C1).status_code == 400  # no CSRF token
    response = post(client, "/studio/table/from-xml", data=b"<nope/>")
    assert response.status_code == 422 and response.json["error"]["key"] == "xml_not_sop"
    big = b" " * (app.config["ALUR_MAX_BPMN_BYTES"] * 2 + 1)
    response = post(client, "/studio/table/from-xml", data=big)
    assert response.status_code in (413, 422)
    assert post(client, "/studio/table/to-xml", data=b"{").status_code == 422


def test_the_table_page_holds_the_version_table(login_as):
    page = login_as("analis").get("/processes/sop_c_1/table?version=1")
    assert page.status_code == 200
    text = page.text
    start = text.index('id="sop-table-data">') + len('id="sop-table-data">')
    data = json.loads(text[start : text.index("</script>", start)])
    assert data == c1_table()
    assert "/static/build/table.js" in text and "/processes/sop_c_1/1/diagram.bpmn" in text
    assert login_as("analis").get("/processes/sop_c_1/table?version=9").status_code == 404
