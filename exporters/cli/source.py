"""What the `chart` and `document` commands draw: a BPMN file, or an instance and its state.

The one place in exporters/ that opens the engine: it reads an instance's deployed diagram and
its human tasks, and hands plain rows to exporters.progress.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable
from pathlib import Path

import click

from engine.sop import Sop
from exporters.progress import InstanceOverlay, overlay_from_rows, standards_of, timing_lines

log = logging.getLogger(__name__)

TITLE_CHARS = 60

# The two ways to name what is drawn (read_source): FILE.bpmn, or --instance ID.
file_argument = click.argument(
    "file", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)


def instance_option(help: str):
    return click.option("--instance", "instance_id", type=int, default=None, help=help)


def draw(
    file: Path | None,
    instance_id: int | None,
    output: Path,
    formats: tuple[str, ...],
    render: Callable[[Sop, str, InstanceOverlay | None], bytes],
) -> Sop:
    """Render the source (read_source) in the format output's suffix names, write it; the SOP."""
    fmt = output.suffix.lower().lstrip(".")
    if fmt not in formats:
        names = ", ".join(f".{f}" for f in formats[:-1]) + f" or .{formats[-1]}"
        raise click.BadParameter(
            f"{output.name}: use a {names} file name", param_hint="'-o' / '--output'"
        )
    started = time.perf_counter()
    sop, overlay = read_source(file, instance_id)
    try:
        data = render(sop, fmt, overlay)
    except (ValueError, RuntimeError) as error:
        raise click.ClickException(str(error)) from error
    output.write_bytes(data)
    log.info("%s -> %s in %.2f s", file or instance_id, output, time.perf_counter() - started)
    return sop


def read_source(file: Path | None, instance_id: int | None) -> tuple[Sop, InstanceOverlay | None]:
    """FILE as it is, or the instance's own deployed diagram with its steps coloured.

    With both, the instance's diagram is drawn; FILE must be the same process, and a FILE that
    differs from the deployed version is named on stderr.
    """
    from engine.bpmn.reader import read_bpmn

    if instance_id is None:
        if file is None:
            raise click.UsageError("give FILE.bpmn, or --instance ID for an instance's diagram")
        try:
            return read_bpmn(file), None
        except ValueError as error:  # XmlError, BpmnReadError
            raise click.ClickException(str(error)) from error
    definition, overlay = instance_overlay(instance_id)
    sop = definition.model  # the deployed version's SOP, as the web UI draws it
    if file is not None:
        _compare(file, definition)
    return sop, overlay


def instance_overlay(instance_id: int):
    """The instance's Definition row and its overlay, read through the engine facade."""
    from engine.cli.common import open_alur
    from engine.errors import NotFound

    alur = open_alur()
    instance = alur.instance(instance_id)
    rows = alur.task_rows(instance_id)
    names: dict[str, str] = {}
    for username in sorted({row.completed_by for row in rows if row.completed_by}):
        try:
            names[username] = alur.user(username).full_name or username
        except NotFound:  # a user removed since: print the recorded username
            names[username] = username
    title = f"Instans #{instance.id}"
    if instance.title:
        short = instance.title if len(instance.title) <= TITLE_CHARS else instance.title[:59] + "…"
        title += f": {short}"
    standards = standards_of(instance.definition.model.steps, alur.calendar.average_day_minutes)
    overlay = overlay_from_rows(rows, names, alur.calendar.timezone, title, standards)
    return instance.definition, overlay


def instance_timings(instance_id: int):
    """The instance's working-time lines and the office's time zone, through the facade."""
    from engine.cli.common import open_alur
    from engine.errors import NotFound

    alur = open_alur()
    instance = alur.instance(instance_id)
    rows = alur.task_rows(instance_id)
    names: dict[str, str] = {}
    for username in sorted({row.completed_by for row in rows if row.completed_by}):
        try:
            names[username] = alur.user(username).full_name or username
        except NotFound:
            names[username] = username
    steps = instance.definition.model.steps
    lines = timing_lines(rows, steps, names, alur.calendar.average_day_minutes)
    return lines, alur.calendar.timezone


def _compare(file: Path, definition) -> None:
    from engine.bpmn.reader import read_bpmn

    data = file.read_bytes()
    try:
        key = read_bpmn(data).key
    except ValueError as error:
        raise click.ClickException(f"{file}: {error}") from error
    if key != definition.key:
        raise click.ClickException(
            f"{file.name} berisi proses {key}, tetapi instans ini menjalankan {definition.key}"
        )
    if hashlib.sha256(data).hexdigest() != definition.sha256:
        click.echo(
            f"{file.name} berbeda dari {definition.key} versi {definition.version} yang "
            "dijalankan instans ini; yang digambar adalah versi yang dideploy",
            err=True,
        )
