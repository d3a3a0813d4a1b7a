"""Every string in an API body is bounded and NUL-free; a body too large is a 413; ids beyond
64 bits are a 404, never a 500."""

from __future__ import annotations

import pytest

from webui.api import FIELD_CAPS, MAX_BODY_BYTES, MAX_STRING


def test_a_body_over_the_limit_is_413_and_starts_nothing(api, alur):
    before = len(alur.instances())
    status, body = api.post(
        "/processes/sop_b/instances", "kabid", json={"title": "x" * (MAX_BODY_BYTES + 1)}
    )
    assert status == 413 and body["error"]["code"] == "request_entity_too_large"
    status, body = api.post(
        "/processes/sop_b/instances", "kabid", json={"title": "t", "data": {"a": "x" * 6_000_000}}
    )
    assert status == 413
    assert len(alur.instances()) == before


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"title": "x" * (FIELD_CAPS["title"] + 1)}, "title"),
        ({"title": "t", "data": {"isi": "x" * (MAX_STRING + 1)}}, "data"),
        ({"title": "t", "data": {"k" * (MAX_STRING + 1): 1}}, "data"),
        ({"title": "t", "data": {"a": [{"b": ["x" * (MAX_STRING + 1)]}]}}, "data"),
    ],
)
def test_every_string_field_has_a_cap(api, alur, body, field):
    before = len(alur.instances())
    status, answer = api.post("/processes/sop_b/instances", "kabid", json=body)
    assert status == 422 and answer["error"]["key"] == "field_too_long"
    assert f"{field}" in answer["error"]["message"]
    assert len(alur.instances()) == before


@pytest.mark.parametrize(
    "body", [{"title": "a\x00b"}, {"title": "t", "data": {"catatan": "a\x00"}}]
)
def test_nul_anywhere_is_422(api, body):
    status, answer = api.post("/processes/sop_b/instances", "kabid", json=body)
    assert status == 422 and answer["error"]["key"] == "field_nul"


def test_task_fields_are_capped_too(api):
    api.start()
    (task,) = api.inbox("kabid")
    note = "x" * (FIELD_CAPS["note"] + 1)
    status, answer = api.post(f"/tasks/{task['id']}/complete", "kabid", json={"note": note})
    assert status == 422 and answer["error"]["key"] == "field_too_long"


@pytest.mark.parametrize(
    "path", [f"/instances/{2**64}", f"/instances/{2**64}/history", f"/tasks/{2**70}/claim"]
)
def test_ids_beyond_64_bits_are_404(api, path):
    method = api.post if path.endswith("claim") else api.get
    status, answer = method(path, "kabid")
    assert status == 404 and answer["error"]["code"] == "not_found"


@pytest.mark.parametrize("number", [2**63, -(2**63) - 1, 10**30])
def test_an_integer_field_beyond_a_database_integer_is_422(api, alur, number):
    """Found by the generated calls: a version number of 2**63 reached SQLite as a 500."""
    alur.user("admin")
    body = {"from": number, "to": 1, "dry_run": True}
    status, answer = api.post("/processes/sop_b/migrations", "admin", json=body)
    assert status == 422 and answer["error"]["key"] == "field_type"


def test_the_openapi_document_states_the_caps():
    from webui.api.openapi import document

    schemas = document()["components"]["schemas"]
    assert schemas["StartRequest"]["properties"]["title"]["maxLength"] == FIELD_CAPS["title"]
    for name in ("CompleteRequest", "NoteRequest"):
        assert schemas[name]["properties"]["note"]["maxLength"] == FIELD_CAPS["note"]
