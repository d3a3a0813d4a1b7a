"""`alur document`: the full SOP AP document (identity page and flowchart) as HTML or PDF."""

from __future__ import annotations

import logging
import time
from pathlib import Path

import click

from engine.cli_output import EngineCommand
from exporters.cli_source import read_source
from exporters.document import FORMATS, render_document

log = logging.getLogger(__name__)


@click.command("document", cls=EngineCommand)
@click.argument(
    "file", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="OUT.html or OUT.pdf (printed by headless Chromium); the suffix picks the format.",
)
@click.option(
    "--instance",
    "instance_id",
    type=int,
    default=None,
    help="Use this instance's deployed diagram and colour its steps; FILE may then be left out.",
)
def document(file: Path | None, output: Path, instance_id: int | None) -> None:
    """Write FILE.bpmn (or --instance ID) as the SOP AP document, on A4 landscape pages."""
    fmt = output.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise click.BadParameter(
            f"{output.name}: use a .html or .pdf file name", param_hint="'-o' / '--output'"
        )
    started = time.perf_counter()
    sop, overlay = read_source(file, instance_id)
    try:
        data = render_document(sop, fmt, overlay=overlay)
    except (ValueError, RuntimeError) as error:
        raise click.ClickException(str(error)) from error
    output.write_bytes(data)
    log.info("%s -> %s in %.2f s", file or instance_id, output, time.perf_counter() - started)
    click.echo(f"{output} (SOP {sop.code}, {len(sop.steps)} langkah)")
