"""Camunda forms: a user task's camunda:formField values are typed, checked, and read by
conditions; what the task page cannot show is refused at deploy."""

from __future__ import annotations

from datetime import date

import pytest

from engine.errors import DeployError, FormInvalid
from engine.inbox import InboxFilter
from engine.runtime.lifecycle import Completion
from tests.engine.helpers import ADMIN, ROOT

FORMS = ROOT / "tests" / "data" / "forms"
BPMN = (FORMS / "pengadaan.bpmn").read_bytes()
KEY = "pengadaan"
GOOD = {"nama_barang": "Laptop", "amount": "2500", "tanggal_butuh": "2026-03-01", "jenis": "jasa"}


@pytest.fixture
def office(alur):
    alur.deploy_sources([("pengadaan.bpmn", BPMN)], ADMIN)
    alur.add_user("staf", [alur.roles.role(KEY, "Staf Umum")])
    alur.add_user("kadis", [alur.roles.role(KEY, "Kepala Dinas")])
    return alur


def open_tasks(alur, instance_id):
    return alur.tasks(flt=InboxFilter(instance_id=instance_id))


def test_values_are_typed_land_in_the_task_data_and_conditions_read_them(office):
    instance = office.start(KEY, "staf")
    (task,) = open_tasks(office, instance.id)
    office.complete(task.id, "staf", Completion(data=dict(GOOD)))
    (approve,) = open_tasks(office, instance.id)  # ${amount > 1000}: the approval step
    assert approve.lane == "Kepala Dinas"
    history = office.history(instance.id)
    completed = next(e for e in history if e.kind == "completed")
    assert completed.data["data"] == {
        "nama_barang": "Laptop",
        "amount": 2500,
        "mendesak": False,
        "tanggal_butuh": "2026-03-01",
        "jenis": "jasa",
        "unit": "Sekretariat",
    }


def test_a_small_amount_takes_the_default_flow_and_api_types_are_accepted(office):
    instance = office.start(KEY, "staf")
    (task,) = open_tasks(office, instance.id)
    values = {**GOOD, "amount": 999, "mendesak": True, "tanggal_butuh": date(2026, 5, 1)}
    office.complete(task.id, "staf", Completion(data=values))
    assert open_tasks(office, instance.id) == []
    assert office.instance(instance.id).state == "completed"


@pytest.mark.parametrize(
    ("given", "field", "said"),
    [
        ({"nama_barang": ""}, "nama_barang", "Nama barang wajib diisi"),
        ({"nama_barang": "TV"}, "nama_barang", "Nama barang paling sedikit 3 karakter"),
        ({"nama_barang": "x" * 51}, "nama_barang", "Nama barang paling banyak 50 karakter"),
        ({"amount": "dua"}, "amount", "Jumlah (Rp) harus bilangan bulat"),
        ({"amount": True}, "amount", "Jumlah (Rp) harus bilangan bulat"),
        ({"amount": "0"}, "amount", "Jumlah (Rp) paling kecil 1"),
        ({"amount": 10**12}, "amount", "Jumlah (Rp) paling besar 1000000000"),
        ({"mendesak": "mungkin"}, "mendesak", "Mendesak harus Ya atau Tidak"),
        ({"tanggal_butuh": "01/03/2026"}, "tanggal_butuh", "harus tanggal (TTTT-BB-HH)"),
        ({"tanggal_butuh": "2025-12-31"}, "tanggal_butuh", "paling kecil 2026-01-01"),
        ({"jenis": "tanah"}, "jenis", "pilih salah satu pilihannya (Barang, Jasa)"),
        ({"unit": "Bidang Lain"}, "unit", "Unit pemohon hanya dapat dibaca"),
    ],
)
def test_a_refused_value_names_its_field_and_completes_nothing(office, given, field, said):
    instance = office.start(KEY, "staf")
    (task,) = open_tasks(office, instance.id)
    with pytest.raises(FormInvalid) as refused:
        office.complete(task.id, "staf", Completion(data={**GOOD, **given}))
    assert list(refused.value.fields) == [field]
    assert said in refused.value.fields[field].message
    assert refused.value.status == 422
    (still,) = open_tasks(office, instance.id)
    assert still.id == task.id and still.state == "open"


def test_every_refused_field_is_reported_at_once(office):
    instance = office.start(KEY, "staf")
    (task,) = open_tasks(office, instance.id)
    with pytest.raises(FormInvalid) as refused:
        office.complete(task.id, "staf", Completion(data={"amount": "x"}))
    assert list(refused.value.fields) == ["nama_barang", "amount"]


def _with_field(xml: str) -> bytes:
    anchor = b'<camunda:formField id="mendesak"'
    return BPMN.replace(anchor, xml.encode() + b"\n" + anchor)


@pytest.mark.parametrize(
    ("field", "said"),
    [
        ('<camunda:formField id="f" type="file" />', "type 'file' is not supported"),
        ('<camunda:formField id="a b" type="string" />', "the id must be a variable name"),
        ('<camunda:formField id="amount" type="string" />', "used by another field"),
        ('<camunda:formField id="keputusan_3" type="string" />', "a name the engine writes"),
        (f'<camunda:formField id="f" label="{"x" * 201}" type="string" />', "longer than 200"),
        ('<camunda:formField id="f" type="enum" />', "an enum field needs its values"),
        ('<camunda:formField id="f" type="long" defaultValue="${x}" />', "is an expression"),
        ('<camunda:formField id="f" type="long" defaultValue="satu" />', "a whole number"),
        (
            '<camunda:formField id="f" type="string"><camunda:validation>'
            '<camunda:constraint name="validator" config="x" /></camunda:validation>'
            "</camunda:formField>",
            "constraint 'validator' is not supported",
        ),
        (
            '<camunda:formField id="f" type="string"><camunda:validation>'
            '<camunda:constraint name="maxlength" config="5000" /></camunda:validation>'
            "</camunda:formField>",
            "maxlength needs a whole number from 0 to 4000",
        ),
        (
            '<camunda:formField id="f" type="boolean"><camunda:validation>'
            '<camunda:constraint name="min" config="1" /></camunda:validation>'
            "</camunda:formField>",
            "min applies to long and date fields only",
        ),
    ],
)
def test_a_form_the_task_page_cannot_show_is_refused_at_deploy(alur, field, said):
    with pytest.raises(DeployError) as refused:
        alur.deploy_sources([("pengadaan.bpmn", _with_field(field))], ADMIN)
    (problem,) = refused.value.problems
    assert problem.element == "Activity_isi" and problem.line and said in problem.message


def test_an_external_form_and_a_camunda_8_form_are_refused_at_deploy(alur):
    external = BPMN.replace(
        b'name="Mengisi permohonan pengadaan"',
        b'name="Mengisi permohonan pengadaan" camunda:formKey="embedded:app:forms/isi.html"',
    )
    zeebe = BPMN.replace(
        b"<camunda:formData>",
        b'<zeebe:formDefinition xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" '
        b'formId="permohonan" /><camunda:formData>',
    )
    for data, said in (
        (external, "names an external form"),
        (zeebe, "a Camunda 8 form (zeebe:formDefinition) cannot be shown"),
    ):
        with pytest.raises(DeployError) as refused:
            alur.deploy_sources([("pengadaan.bpmn", data)], ADMIN)
        messages = [p.message for p in refused.value.problems]
        assert any(said in m for m in messages), messages
