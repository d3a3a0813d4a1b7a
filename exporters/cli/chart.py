"""`alur chart`: draw a BPMN file, or an instance of a deployed one, as the SOP AP flowchart."""

from __future__ import annotations

from pathlib import Path

import click

from engine.cli.common import EngineCommand
from exporters.cli import output_option
from exporters.cli.source import draw, file_argument, instance_option
from exporters.flowchart import FORMATS, render_flowchart


@click.command("chart", cls=EngineCommand)
@file_argument
@output_option("OUT.svg, OUT.png or OUT.pdf; the suffix picks the format.")
@click.option(
    "--rows-per-page",
    type=click.IntRange(min=1),
    default=None,
    help="Steps per page (default: as many as fit an A4 landscape page).",
)
@instance_option(
    "Draw this instance's deployed diagram, its steps coloured done, current or overdue "
    "($ALUR_DATABASE_URL); FILE may then be left out."
)
def chart(
    file: Path | None, output: Path, rows_per_page: int | None, instance_id: int | None
) -> None:
    """Draw FILE.bpmn (or --instance ID) as the SOP AP flowchart, every page in one file."""
    sop = draw(
        file,
        instance_id,
        output,
        FORMATS,
        lambda sop, fmt, overlay: render_flowchart(
            sop, fmt, overlay=overlay, rows_per_page=rows_per_page
        ),
    )
    click.echo(f"{output} ({sop.code}, {len(sop.steps)} langkah)")
