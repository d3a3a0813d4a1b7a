"""`make load LOAD_ARGS=--profile`: each gunicorn worker profiles the requests it serves."""

from __future__ import annotations

import time

import pytest
import requests

from ops.load.crew import site
from ops.load.run import profile_summary

pytestmark = pytest.mark.slow  # a whole system or a real browser: make test runs it


def test_workers_profile_their_requests_and_not_their_idle_wait(tmp_path):
    folder = tmp_path / "profiles"
    idle = 3.0
    env = {"ALUR_PROFILE_DIR": str(folder)}
    with site(tmp_path / "run", staff=16, servers=1, workers=1, worker=False, env=env) as where:
        url, token = where.cluster.urls[0], where.staff[0].token
        headers = {"Authorization": f"Bearer {token}"}
        for _ in range(5):
            answer = requests.get(f"{url}/api/v1/tasks", headers=headers, timeout=30)
            assert answer.status_code == 200, answer.text
        time.sleep(idle)  # the worker waits for a connection: no request, nothing to profile
        answer = requests.get(f"{url}/api/v1/tasks", headers=headers, timeout=30)
        assert answer.status_code == 200, answer.text
    # the worker wrote its stats when the cluster stopped it
    assert [p.name.startswith("worker-") for p in folder.iterdir()] == [True]
    summary = profile_summary(folder)
    assert summary["workers"] == 1
    # six inbox reads, the site's health checks and its process list; not the idle wait
    assert 0 < summary["profiled_s"] < idle / 2
    layers = summary["layers_pct"]
    assert layers["Alur web UI and its templates"] > 0  # the API views ran under the profiler
    assert layers["Alur engine"] > 0


def test_profile_summary_says_when_no_worker_wrote_a_profile(tmp_path):
    with pytest.raises(RuntimeError, match="no worker wrote its profile"):
        profile_summary(tmp_path)
