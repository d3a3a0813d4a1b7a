"""The open model of `make load`: turns at a fixed rate, their figures and where the CPU went."""

from __future__ import annotations

import pytest

from ops.load import open_model
from ops.load.crew import site
from ops.load.run import meter

pytestmark = pytest.mark.slow  # a whole system or a real browser: make test runs it

PASSWORD = "sandi-uji-beban"


def test_a_fixed_rate_completes_tasks_and_says_which_part_used_the_cpu(tmp_path):
    # the open model's clerks sign in to the HTML pages too; plain http: no Secure cookie
    env = {"ALUR_COOKIE_SECURE": "0"}
    with site(tmp_path / "run", 16, 2, 1, worker=True, env=env, password=PASSWORD) as where:
        clerks = open_model.Clerks(where.cluster.urls, where.staff, PASSWORD, where.keys)
        clerks.meter = meter(where.cluster)
        try:
            warm = open_model.at_rate(clerks, rate=4, seconds=4)  # instances started, signed in
            step = open_model.at_rate(clerks, rate=6, seconds=6, seed=2)
        finally:
            clerks.close()
    assert warm.turns > 0
    figures = step.summary()
    assert figures["failures"] == {}
    assert figures["turns"] == step.turns >= 30  # 6 turns/s for 6 s, every one started
    assert figures["completions"] > 0
    assert "POST /api/v1/tasks/[id]/complete" in figures["by_request_ms"]
    cpu = figures["cpu"]
    parts = cpu["ms_per_completion"]
    assert set(parts) == {"app_servers", "alur_worker", "postgresql", "load_generator"} | {
        "other",
        "all",
    }
    # the servers answered every request, PostgreSQL ran their statements, this process sent them
    assert parts["app_servers"] > 0 and parts["postgresql"] > 0 and parts["load_generator"] > 0
    assert parts["app_servers"] > parts["alur_worker"]
    assert 0 < cpu["busy_share"] <= 1
    spent = sum(cpu["seconds"][p] for p in ("app_servers", "postgresql", "load_generator"))
    assert spent <= cpu["cpus"] * figures["seconds"] * 1.05  # no part counted twice
