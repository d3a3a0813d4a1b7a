"""`alur chart`: draw a BPMN file, or an instance of a deployed one, as the SOP AP flowchart."""

from __future__ import annotations

import logging
import time
from pathlib import Path

import click

from engine.cli_output import EngineCommand
from exporters.cli_source import read_source
from exporters.flowchart import FORMATS, render_flowchart

log = logging.getLogger(__name__)


@click.command("chart", cls=EngineCommand)
@click.argument(
    "file", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="OUT.svg, OUT.png or OUT.pdf; the suffix picks the format.",
)
@click.option(
    "--rows-per-page",
    type=click.IntRange(min=1),
    default=None,
    help="Steps per page (default: as many as fit an A4 landscape page).",
)
@click.option(
    "--instance",
    "instance_id",
    type=int,
    default=None,
    help="Draw this instance's deployed diagram, its steps coloured done, current or overdue "
    "($ALUR_DATABASE_URL); FILE may then be left out.",
)
def chart(
    file: Path | None, output: Path, rows_per_page: int | None, instance_id: int | None
) -> None:
    """Draw FILE.bpmn (or --instance ID) as the SOP AP flowchart, every page in one file."""
    fmt = output.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise click.BadParameter(
            f"{output.name}: use a .svg, .png or .pdf file name", param_hint="'-o' / '--output'"
        )
    started = time.perf_counter()
    sop, overlay = read_source(file, instance_id)
    try:
        data = render_flowchart(sop, fmt, overlay=overlay, rows_per_page=rows_per_page)
    except (ValueError, RuntimeError) as error:
        raise click.ClickException(str(error)) from error
    output.write_bytes(data)
    log.info("%s -> %s in %.2f s", file or instance_id, output, time.perf_counter() - started)
    click.echo(f"{output} ({sop.code}, {len(sop.steps)} langkah)")
