"""Random request bodies against the API: a 4xx or a success, never a 500."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.slow

TEXT = st.text(max_size=40)  # any code point: NUL, lone surrogates, bidi controls
SCALARS = st.none() | st.booleans() | st.integers() | st.floats() | TEXT
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
    max_leaves=12,
)
FIELDS = ["title", "data", "version", "decision", "note", "checklist", "from", "to", "instances"]
BODIES = st.dictionaries(st.sampled_from(FIELDS) | TEXT, VALUES, max_size=5) | VALUES
RAW = st.binary(max_size=200)
FUZZ = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _send(client, path: str, token: str, payload: bytes):
    return client.post(
        "/api/v1" + path,
        data=payload,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )


def _encode(body) -> bytes:
    return json.dumps(body, allow_nan=True).encode("utf-8", "surrogatepass")


@FUZZ
@given(body=BODIES, raw=RAW)
def test_start_answers_4xx_or_201(app, tokens, body, raw):
    client = app.test_client()
    for payload in (_encode(body), raw):
        response = _send(client, "/processes/sop_b/instances", tokens["kabid"], payload)
        assert response.status_code in (201, 400, 404, 409, 413, 415, 422), response.data[:300]
        assert response.is_json


@FUZZ
@given(body=BODIES, raw=RAW, task=st.integers(min_value=-(2**70), max_value=2**70))
def test_complete_migrate_and_claim_answer_4xx_or_200(app, tokens, body, raw, task):
    client = app.test_client()
    for path in (f"/tasks/{task}/complete", "/processes/sop_b/migrations", f"/tasks/{task}/claim"):
        for payload in (_encode(body), raw):
            response = _send(client, path, tokens["kabid"], payload)
            assert response.status_code < 500, (path, response.data[:300])
