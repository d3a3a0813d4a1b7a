"""`alur report PROCESS`: the compliance report of an SOP over a period (PDF, XLSX, CSV, JSON)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from engine.analytics import as_json
from engine.cli.common import EngineCommand, acting_user, echo_json, open_alur
from exporters.cli import _suffix
from exporters.report import FORMATS, report_csv, report_html, report_pdf, report_xlsx


@click.command("report", cls=EngineCommand)
@click.argument("process")
@click.option("--period", help="A month 2026-03, a quarter 2026-Q1 or a year 2026.")
@click.option("--from", "start", help="First day, YYYY-MM-DD (instances started from then).")
@click.option("--to", "end", help="Last day, YYYY-MM-DD (inclusive).")
@click.option("--version", type=click.IntRange(1, 2**31), help="One version (default: all).")
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="report.pdf, .xlsx, .csv, .html or .json; the suffix picks the format.",
)  # fmt: skip
@click.option("--excel", is_flag=True, help="CSV for Indonesian Excel: semicolon, UTF-8 BOM.")
@click.option("--json", "as_json_flag", is_flag=True, help="Print one object per step as JSON.")
@acting_user
def report(process, period, start, end, version, output, excel, as_json_flag, username) -> None:
    """The figures of PROCESS against its Mutu Baku: per step, actor, month; late instances."""
    if output is None and not as_json_flag:
        raise click.UsageError("give -o FILE or --json")
    fmt = _suffix(output, FORMATS) if output else None
    alur = open_alur()
    figures = alur.analytics(process, username, alur.period(period, start, end), version)
    data = as_json(figures)
    if as_json_flag:
        echo_json(data["steps"])
    if output is None:
        return
    if fmt == "pdf":
        content = report_pdf(data, figures.sop)
    elif fmt == "html":
        content = report_html(data, figures.sop).encode("utf-8")
    elif fmt == "xlsx":
        content = report_xlsx(data)
    elif fmt == "csv":
        content = report_csv(data, excel=excel)
    else:
        content = json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")
    output.write_bytes(content)
    if not as_json_flag:
        click.echo(f"{output} (SOP {figures.code}, periode {figures.period.label})")
