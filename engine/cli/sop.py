"""`alur inspect` and `alur build`: the SOP model of a BPMN file as JSON or text, and back."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from engine.bpmn.reader import read_bpmn
from engine.bpmn.writer import write_bpmn
from engine.bpmn.xmlsafe import XmlError
from engine.sop import WaktuError, sop_from_dict, sop_to_dict


@click.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the SOP model as JSON.")
@click.option("--process", "process_id", help="Process id, when the file holds several.")
def inspect(file: Path, as_json: bool, process_id: str | None) -> None:
    """Show the SOP model (identity, actors, steps, Mutu Baku) that FILE describes."""
    try:
        sop = read_bpmn(file, process_id=process_id)
    except (XmlError, ValueError) as error:
        raise click.ClickException(f"{file}: {error}") from error
    if as_json:
        json.dump(sop_to_dict(sop), sys.stdout, ensure_ascii=False, indent=2)
        click.echo()
        return
    click.echo(f"{sop.code}  {sop.name}")
    click.echo(f"Pemilik: {sop.owner}")
    click.echo("Pelaksana: " + " | ".join(sop.actors))
    for step in sop.steps:
        waktu = step.waktu.text or "-"
        click.echo(f"{step.no:>3}. [{step.actor}] {step.activity} ({waktu})")
        if step.decision:
            d = step.decision
            yes = d.yes if d.yes is not None else "selesai"
            click.echo(f"     ◇ {d.question}  Ya -> {yes}, Tidak -> {d.no}")


@click.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
def build(file: Path, output: Path) -> None:
    """Write the BPMN diagram (lanes, layout) for an SOP model given as JSON (inspect's format)."""
    try:
        sop = sop_from_dict(json.loads(file.read_text(encoding="utf-8")))
        data = write_bpmn(sop)
    except (KeyError, TypeError, ValueError, WaktuError) as error:
        raise click.ClickException(f"{file}: {error}") from error
    output.write_bytes(data)
    click.echo(f"{output}: {len(sop.steps)} langkah, {len(sop.actors)} lajur")
