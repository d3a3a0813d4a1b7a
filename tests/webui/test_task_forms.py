"""Camunda form fields on the task page and in the API: shown, checked per field, and read by
the process's conditions."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.inbox import InboxFilter
from tests.webui.conftest import post
from webui import demo

BPMN = (Path(__file__).resolve().parents[1] / "data" / "forms" / "pengadaan.bpmn").read_bytes()
KEY = "pengadaan"
GOOD = {
    "field-nama_barang": "Laptop",
    "field-amount": "2500",
    "field-mendesak": "true",
    "field-tanggal_butuh": "2026-03-01",
    "field-jenis": "jasa",
}


@pytest.fixture
def first_task(alur):
    alur.deploy_sources([("pengadaan.bpmn", BPMN)], "analis")
    alur.add_user("staf", [alur.roles.role(KEY, "Staf Umum")], password=demo.PASSWORD)
    alur.add_user("kadis", [alur.roles.role(KEY, "Kepala Dinas")], password=demo.PASSWORD)
    instance = alur.start(KEY, "staf")
    (task,) = alur.tasks(flt=InboxFilter(instance_id=instance.id))
    return task


def test_the_task_page_shows_the_fields_by_type(login_as, first_task):
    page = login_as("staf").get(f"/tasks/{first_task.id}").text
    assert "Isian yang diminta langkah ini" in page
    assert '<label for="field-nama_barang">Nama barang' in page and "(wajib)" in page
    assert 'id="field-nama_barang" name="field-nama_barang" value=""' in page
    assert 'maxlength="50"' in page and 'minlength="3"' in page
    assert 'type="number" step="1" id="field-amount"' in page
    assert 'min="1"' in page and 'max="1000000000"' in page
    assert '<option value="false" selected>Tidak</option>' in page  # the boolean's default
    assert 'type="date" id="field-tanggal_butuh"' in page and 'min="2026-01-01"' in page
    assert '<option value="barang" selected>Barang</option>' in page
    assert '<option value="jasa" >Jasa</option>' in page
    assert 'id="field-unit" value="Sekretariat" readonly disabled' in page


@pytest.mark.parametrize("lang", ["id", "en"])
def test_refused_values_come_back_per_field_and_nothing_is_completed(
    login_as, first_task, alur, lang
):
    staf = login_as("staf")
    post(staf, "/language", {"lang": lang})
    sent = {**GOOD, "field-nama_barang": "TV", "field-amount": "dua", "field-jenis": "tanah"}
    response = post(staf, f"/tasks/{first_task.id}/complete", sent)
    assert response.status_code == 422
    said = {
        "id": (
            "Nama barang paling sedikit 3 karakter",
            "Jumlah (Rp) harus bilangan bulat",
            "Jenis pengadaan: pilih salah satu pilihannya (Barang, Jasa)",
        ),
        "en": (
            "Nama barang needs at least 3 characters.",
            "Jumlah (Rp) must be a whole number.",
            "Jenis pengadaan: choose one of its options (Barang, Jasa).",
        ),
    }[lang]
    for message in said:
        assert message in response.text
    assert 'id="field-nama_barang-error"' in response.text
    assert 'name="field-amount" value="dua"' in response.text  # what was typed comes back
    assert alur.task(first_task.id).state == "open"


def test_values_from_the_page_route_the_process(login_as, first_task, alur):
    response = post(login_as("staf"), f"/tasks/{first_task.id}/complete", dict(GOOD))
    assert response.status_code == 302, response.text
    (approve,) = alur.tasks(flt=InboxFilter(instance_id=first_task.instance_id))
    assert approve.lane == "Kepala Dinas"  # ${amount > 1000}
    completed = [e for e in alur.history(first_task.instance_id) if e.kind == "completed"]
    assert completed[0].data["data"]["amount"] == 2500
    assert completed[0].data["data"]["mendesak"] is True
    assert completed[0].data["data"]["unit"] == "Sekretariat"


def test_a_field_the_page_does_not_have_is_not_taken(login_as, first_task, alur):
    sent = {**GOOD, "field-amount": "10", "field-dikembalikan": "x", "field-lain": "y"}
    response = post(login_as("staf"), f"/tasks/{first_task.id}/complete", sent)
    assert response.status_code == 302
    completed = [e for e in alur.history(first_task.instance_id) if e.kind == "completed"]
    assert "lain" not in completed[0].data["data"]
    assert alur.instance(first_task.instance_id).state == "completed"  # 10: no approval


def test_the_api_checks_the_same_fields(first_task, alur, app):
    client = app.test_client()
    token = alur.create_token("staf", "uji")
    headers = {"Authorization": f"Bearer {token}"}
    url = f"/api/v1/tasks/{first_task.id}/complete"
    bad = {"data": {"nama_barang": "Laptop", "amount": "banyak", "mendesak": "mungkin"}}
    response = client.post(url, json=bad, headers=headers)
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["key"] == "form_invalid" and error["code"] == "invalid"
    assert error["fields"] == {
        "amount": {"key": "form_field_number", "message": "Jumlah (Rp) harus bilangan bulat"},
        "mendesak": {
            "key": "form_field_boolean",
            "message": "Mendesak harus Ya atau Tidak (true/false)",
        },
    }
    assert alur.task(first_task.id).state == "open"
    good = {"data": {"nama_barang": "Laptop", "amount": 5000, "tanggal_butuh": "2026-02-02"}}
    response = client.post(url, json=good, headers=headers)
    assert response.status_code == 200, response.text
    (approve,) = response.get_json()["next"]
    assert approve["lane"] == "Kepala Dinas"
