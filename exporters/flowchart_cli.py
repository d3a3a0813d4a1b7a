"""`alur chart`: draw a BPMN file as the SOP AP flowchart (SVG, PNG or PDF)."""

from __future__ import annotations

import logging
import time
from pathlib import Path

import click

from exporters.flowchart import FORMATS, render_flowchart

log = logging.getLogger(__name__)


@click.command("chart")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
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
@click.option("--instance", "instance_id", default=None, help="Colour the steps of this instance.")
def chart(file: Path, output: Path, rows_per_page: int | None, instance_id: str | None) -> None:
    """Draw FILE.bpmn as the SOP AP flowchart, every page in one file."""
    fmt = output.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise click.BadParameter(
            f"{output.name}: use a .svg, .png or .pdf file name", param_hint="'-o' / '--output'"
        )
    if instance_id is not None:
        raise click.ClickException("instance overlay needs the engine database")
    from engine.bpmn_reader import read_bpmn

    started = time.perf_counter()
    sop = read_bpmn(file)
    try:
        data = render_flowchart(sop, fmt, rows_per_page=rows_per_page)
    except (ValueError, RuntimeError) as error:
        raise click.ClickException(str(error)) from error
    output.write_bytes(data)
    log.info("%s -> %s in %.2f s", file, output, time.perf_counter() - started)
    click.echo(f"{output} ({sop.code}, {len(sop.steps)} langkah)")
