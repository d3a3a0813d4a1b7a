"""`alur worker`: the background rounds (timers, overdue tasks, reminders, escalations, e-mail)."""

from __future__ import annotations

import logging
import signal
import threading
from dataclasses import replace

import click

from engine.cli.common import EngineCommand, open_alur
from engine.errors import InvalidInput
from engine.worker import Worker, WorkerSettings

log = logging.getLogger(__name__)


@click.command("worker", cls=EngineCommand)
@click.option("--once", is_flag=True, help="Run one round and exit (for cron and tests).")
@click.option(
    "--interval", type=click.FloatRange(min=0, min_open=True), default=None, metavar="SECONDS",
    help="Seconds between rounds (default: $ALUR_WORKER_INTERVAL or 60).",
)  # fmt: skip
def worker(once: bool, interval: float | None) -> None:
    """Fire due timers, mark overdue tasks, send reminders, escalations and e-mail.

    Several workers may run against one PostgreSQL database: each job is claimed with row
    locks, so none is done twice. SMTP: ALUR_SMTP_HOST/PORT/USER/PASSWORD/FROM/STARTTLS;
    escalation after ALUR_ESCALATE_AFTER of working time (default '1 hari kerja').
    """
    for name in ("engine.worker", __name__):  # a round always says what it did
        logging.getLogger(name).setLevel(logging.INFO)
    try:
        settings = WorkerSettings.from_env()
    except (ValueError, InvalidInput) as error:
        raise click.ClickException(f"konfigurasi: {error}") from error
    if interval is not None:
        settings = replace(settings, interval=interval)
    runner = Worker(open_alur(), settings)
    if once:
        report = runner.run_round()
        click.echo(report.summary())
        if report.errors:
            raise click.ClickException(f"{report.errors} pekerjaan gagal; lihat log")
        return
    stop = threading.Event()

    def on_signal(signum, _frame) -> None:
        log.info("%s: stopping after this round", signal.Signals(signum).name)
        stop.set()

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        runner.run(stop)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
