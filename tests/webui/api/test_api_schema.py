"""Schemathesis: generated calls against the app (WSGI, no network) conform to openapi.json."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from webui.api.openapi import PATHS

OPERATIONS = [(method, path) for path, ops in PATHS.items() for method in ops]


@pytest.mark.parametrize(("method", "path"), OPERATIONS)
def test_generated_calls_conform_to_the_document(app, alur, tokens, method, path):
    """A bounded run per operation: statuses, content types and bodies as documented.

    Three SOP B instances exist (ids 1-3, their first tasks 1-3 with the Kabid), and half the
    cases aim their path parameters at them, so success answers are checked as well as refusals.
    """
    for n in range(3):
        alur.start("sop_b", "kabid", f"Monev {n}")
    operation = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)[path][method.upper()]

    @given(
        case=operation.as_strategy(),
        known=st.booleans(),
        number=st.integers(1, 4),
        user=st.sampled_from(["kabid", "admin", "tamu"]),
    )
    @settings(
        max_examples=40, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )
    def check(case, known, number, user):
        if known and case.path_parameters:
            case.path_parameters = {
                name: "sop_b" if name == "key" else number for name in case.path_parameters
            }
        case.call_and_validate(
            # the WSGI transport sends requests' default Accept-Encoding but does not decode
            headers={"Authorization": f"Bearer {tokens[user]}", "Accept-Encoding": "identity"},
            # schema-valid bodies can still break a step's rule (Tidak without a reason): 422
            excluded_checks=[schemathesis.checks.positive_data_acceptance],
        )

    check()
