"""`alur worker` and `alur users add --email` from the command line."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest
from click.testing import CliRunner

from engine.cli import main
from tests.engine.worker.helpers import TIMER, wait_until

ALUR = [sys.executable, "-c", "from engine.cli import main; main()"]  # `alur`, wherever it is


@pytest.fixture
def cli(database_url, tmp_path, monkeypatch):
    """run(*args, code=0): invoke `alur` on the test's database; exceptions are not swallowed."""
    monkeypatch.setenv("ALUR_DATABASE_URL", database_url)
    monkeypatch.setenv("ALUR_UPLOAD_DIR", str(tmp_path / "files"))
    for name in ("ALUR_SMTP_HOST", "ALUR_ESCALATE_AFTER", "ALUR_WORKER_INTERVAL"):
        monkeypatch.delenv(name, raising=False)
    runner = CliRunner()

    def run(*args, code: int = 0):
        result = runner.invoke(main, [str(a) for a in args])
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception
        assert result.exit_code == code, result.output
        return result

    return run


def test_worker_once_runs_one_round_and_says_what_it_did(cli, alur):
    instance = alur.start(TIMER, "ana")
    wait_until(alur.instance(instance.id).next_wakeup_at)
    result = cli("worker", "--once")
    assert "1 timers fired, 0 tasks overdue" in result.output
    assert len(alur.tasks()) == 1
    assert "0 timers fired" in cli("worker", "--once").output


def test_bad_worker_settings_are_refused(cli, monkeypatch):
    monkeypatch.setenv("ALUR_ESCALATE_AFTER", "sebentar")
    result = cli("worker", "--once", code=1)
    assert "konfigurasi" in result.output and "sebentar" in result.output
    assert "Invalid value" in cli("worker", "--interval", "0", code=2).output


def test_users_add_email(cli, alur):
    cli("users", "add", "gita", "--role", "Sub Koordinator", "--email", "gita@bappeda.test")
    assert alur.user("gita").email == "gita@bappeda.test"
    cli("users", "add", "gita", "--email", "")
    assert alur.user("gita").email == ""
    result = cli("users", "add", "hadi", "--email", "hadi at bappeda", code=1)
    assert "alamat e-mail tidak sah" in result.output
    assert "hadi" not in cli("users", "list").output  # refused before the user was made


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_the_worker_loop_stops_cleanly_on_a_signal(database_url, tmp_path, signum):
    env = {**os.environ, "ALUR_DATABASE_URL": database_url, "ALUR_UPLOAD_DIR": str(tmp_path)}
    env.pop("ALUR_SMTP_HOST", None)
    log = tmp_path / "worker.log"
    with log.open("w") as stderr:
        proc = subprocess.Popen(
            [*ALUR, "worker", "--interval", "0.2"], env=env, stderr=stderr, text=True
        )
        try:
            deadline = time.monotonic() + 60
            while log.read_text().count("round:") < 2:  # at least two rounds in the loop
                assert proc.poll() is None, log.read_text()
                assert time.monotonic() < deadline, log.read_text()
                time.sleep(0.05)
            proc.send_signal(signum)
            assert proc.wait(timeout=30) == 0, log.read_text()
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    text = log.read_text()
    assert f"{signal.Signals(signum).name}: stopping after this round" in text
    assert "worker stopped after" in text and "Traceback" not in text
