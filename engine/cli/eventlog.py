"""`alur export-log`: one process's event log as XES or CSV for process-mining tools."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path

import click

from engine import eventlog
from engine.cli.common import EngineCommand, open_alur


@click.command("export-log", cls=EngineCommand)
@click.argument("process")
@click.option("--from", "since", type=click.DateTime(["%Y-%m-%d"]), help="Started on or after.")
@click.option("--to", "until", type=click.DateTime(["%Y-%m-%d"]), help="Started on or before.")
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="log.xes (IEEE 1849 XES) or log.csv (case, activity, time, resource, ...).",
)
def export_log(process: str, since: datetime | None, until: datetime | None, output: Path):
    """Write PROCESS's instances (started in the period, office days) as an event log."""
    fmt = output.suffix.lower().lstrip(".")
    if fmt not in eventlog.FORMATS:
        raise click.BadParameter("akhiran .xes atau .csv", param_hint="-o")
    alur = open_alur()
    zone = alur.calendar.timezone
    start = _midnight(since.date(), zone) if since else None
    end = _midnight(until.date() + timedelta(days=1), zone) if until else None
    alur.event_log_page(process, start, end, 0, limit=1)  # refuses an unknown process first
    traces = eventlog.all_traces(lambda after: alur.event_log_page(process, start, end, after))
    count = 0

    def counted():
        nonlocal count
        for trace in traces:
            count += 1
            yield trace

    with output.open("w", encoding="utf-8", newline="") as out:
        for chunk in eventlog.chunks(fmt, counted(), process):
            out.write(chunk)
    click.echo(f"{output}: {count} instans")


def _midnight(day: date, zone) -> datetime:
    return datetime.combine(day, time(), zone)
