"""GET /api/v1/processes/<key>/analytics: the figures as JSON, who may read them, bad periods."""

from __future__ import annotations

import pytest

from tests import analytics_data as data
from tests.analytics_data import KEY


@pytest.fixture
def played(alur, clock):
    return data.play(alur, clock)


def test_an_auditor_reads_a_quarter_s_figures(api, played):
    status, body = api.get(
        f"/processes/{KEY}/analytics", "auditor", query_string={"period": "2026-Q2"}
    )
    assert status == 200, body
    assert body["process"] == {"key": KEY, "code": "U", "name": "Uji Analitik"}
    assert body["period"] == {"label": "2026-Q2", "from": "2026-04-01", "to": "2026-06-30"}
    one, two, three = body["steps"]
    assert (one["median_work_min"], one["p90_work_min"], one["over_standard_share"]) == (
        50.0, 96.0, 0.2
    )  # fmt: skip
    assert (two["sendbacks"], two["sendback_rounds"], three["over_standard_share"]) == (
        2, {"2": 1}, None
    )  # fmt: skip
    assert body["instances"]["median_lead_min"] == 130.0
    assert [(i["title"], i["worst_step"], i["worst_over_min"]) for i in body["late"]] == [
        ("B", 1, 60),
        ("C", 2, 30),
    ]
    assert sorted(p["username"] for p in body["people"]) == ["ana", "budi", "rudi"]


def test_days_and_a_version_narrow_the_figures(api, played):
    query = {"from": "2026-06-01", "to": "2026-06-30", "version": "1"}
    status, body = api.get(f"/processes/{KEY}/analytics", "kabid", query_string=query)
    assert status == 200, body
    assert (body["instances"]["started"], body["version"]) == (2, 1)


@pytest.mark.parametrize(
    ("query", "status", "key"),
    [
        ({"period": "2026-14"}, 422, "period_invalid"),
        ({"from": "2026-06-30", "to": "2026-06-01"}, 422, "period_order"),
        ({"version": "nol"}, 422, "version_invalid"),
        ({"version": "9"}, 404, "process_version_missing"),
    ],
)
def test_bad_queries_are_refused(api, played, query, status, key):
    answer = api.get(f"/processes/{KEY}/analytics", "auditor", query_string=query)
    assert answer[0] == status and answer[1]["error"]["key"] == key


def test_staff_may_not_read_them_and_unknown_processes_are_404(api, played):
    status, body = api.get(f"/processes/{KEY}/analytics", "fu")
    assert (status, body["error"]["key"]) == (403, "analytics_forbidden")
    assert api.get("/processes/sop_x/analytics", "auditor")[0] == 404
