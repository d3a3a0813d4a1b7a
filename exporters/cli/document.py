"""`alur document`: the full SOP AP document (identity page and flowchart) as HTML or PDF."""

from __future__ import annotations

from datetime import UTC
from pathlib import Path

import click

from engine.cli.common import EngineCommand
from exporters.cli import output_option
from exporters.cli.source import draw, file_argument, instance_option, instance_timings
from exporters.document import FORMATS, render_document


@click.command("document", cls=EngineCommand)
@file_argument
@output_option("OUT.html or OUT.pdf (printed by headless Chromium); the suffix picks the format.")
@instance_option(
    "Use this instance's deployed diagram and colour its steps; FILE may then be left out."
)
def document(file: Path | None, output: Path, instance_id: int | None) -> None:
    """Write FILE.bpmn (or --instance ID) as the SOP AP document, on A4 landscape pages; an
    instance's ends with its working-time table."""
    lines, zone = instance_timings(instance_id) if instance_id is not None else (None, None)
    sop = draw(
        file,
        instance_id,
        output,
        FORMATS,
        lambda sop, fmt, overlay: render_document(sop, fmt, overlay, lines, zone or UTC),
    )
    click.echo(f"{output} (SOP {sop.code}, {len(sop.steps)} langkah)")
