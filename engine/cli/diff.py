"""`alur diff`: what changed, step by step, between two versions of an SOP."""

from __future__ import annotations

import re
from pathlib import Path

import click

from engine.bpmn.reader import read_bpmn
from engine.bpmn.xmlsafe import XmlError
from engine.cli.common import ALUR, EngineCommand, echo_json, open_alur
from engine.errors import NotFound
from engine.sop import Sop
from engine.sop_diff import diff as sop_diff
from engine.sop_diff import with_task_ids

_DEPLOYED = re.compile(r"^(?P<key>[A-Za-z_][\w.-]*?)(?:@(?P<version>\d+))?$")


@click.command(cls=EngineCommand)
@click.argument("old")
@click.argument("new")
@click.option("--json", "as_json", is_flag=True, help="Print the changes as a JSON list.")
def diff(old: str, new: str, as_json: bool) -> None:
    """What changed from OLD to NEW: each a BPMN file or a deployed KEY[@VERSION].

    KEY alone is its newest version. One change per line (in Bahasa Indonesia), or with --json
    a list of {step_no, change, name, field, old, new}. Exit 0 with or without differences.
    """
    changes = sop_diff(_side(old, "OLD"), _side(new, "NEW"))
    if as_json:
        echo_json([change.to_dict() for change in changes])
    elif not changes:
        click.echo("tidak ada perbedaan")
    else:
        for change in changes:
            click.echo(str(change))


def _side(value: str, label: str) -> Sop:
    """The SOP a command-line argument names: a BPMN file, or KEY / KEY@VERSION deployed."""
    path = Path(value)
    match = _DEPLOYED.match(value)
    if path.is_file() or match is None or value.lower().endswith(".bpmn"):
        if not path.is_file():
            raise click.BadParameter(f"berkas {value} tidak ada", param_hint=label)
        try:
            return read_bpmn(path)
        except XmlError as error:  # names the file and line itself
            raise click.BadParameter(str(error), param_hint=label) from error
        except (OSError, ValueError) as error:  # no process in it, a Waktu it cannot read
            raise click.BadParameter(f"{value}: {error}", param_hint=label) from error
    key, version = match["key"], match["version"]
    if version is not None and int(version) < 1:
        raise click.BadParameter(f"versi {version}: versi mulai dari 1", param_hint=label)
    alur = click.get_current_context().meta.get(ALUR) or open_alur()
    try:
        definition = alur.definition(key, int(version) if version else None)
    except NotFound as error:
        raise click.BadParameter(error.message, param_hint=label) from error
    return with_task_ids(definition.model, definition.task_steps)
