"""The fault runs as tests: each makes its own PostgreSQL database and app servers."""

from __future__ import annotations

import psycopg
import pytest

from ops.load.seed import ADMIN_URL


@pytest.fixture(autouse=True)
def postgres() -> str:
    """The PostgreSQL admin URL; the test fails (never skips) when the server does not answer."""
    try:
        psycopg.connect(ADMIN_URL, autocommit=True, connect_timeout=5).close()
    except psycopg.OperationalError as error:
        pytest.fail(
            f"PostgreSQL is unreachable at {ADMIN_URL}: {str(error).strip()}\n"
            "The fault tests run app servers on PostgreSQL; start it (trust auth, user "
            "postgres) or point ALUR_TEST_POSTGRES (or ALUR_LOAD_PG) at an admin URL.",
            pytrace=False,
        )
    return ADMIN_URL
