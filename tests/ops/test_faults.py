"""Faults under use: clients get prompt errors, and every instance stays consistent afterwards.

The PostgreSQL restart is not here: it cuts every connection on the machine's server, other test
runs' included; it runs as `python -m ops.faults postgres` (docs/production.md).
"""

from __future__ import annotations

import json

import pytest

from ops.disk_full import fill_upload_disk
from ops.faults import kill_workers

pytestmark = pytest.mark.slow  # a whole system or a real browser: make test runs it


def test_kill_9_of_app_workers_inside_completions_loses_and_doubles_nothing(tmp_path):
    result = kill_workers(tmp_path / "kill", seconds=14, kills=3)
    assert not result["problems"], json.dumps(result, indent=1)
    assert result["completed_after_last_kill"] > 0
    assert any(kill["caught"] for kill in result["kills"])  # one at least inside a transaction
    cut = sum(result["failed_requests"].values())
    assert cut <= len(result["kills"])  # a sync worker dies with the one request it serves


def test_a_full_upload_disk_refuses_the_upload_and_keeps_the_task(tmp_path):
    result = fill_upload_disk(tmp_path / "disk")
    assert not result["problems"], json.dumps(result, indent=1)
    full = result["upload_into_full_disk"]
    assert full["status"] == 507 and full["seconds"] < 10  # "penyimpanan berkas penuh"
    assert result["after_with_small_file"]["status"] == 302
    assert result["consistency"]["problems"] == 0
