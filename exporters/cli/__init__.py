"""Exporter commands plugged into `alur`: lanes, import-table, export-table."""

from __future__ import annotations

import logging
from pathlib import Path

import click
import graphviz

logger = logging.getLogger(__name__)

LANE_FORMATS = ("svg", "png", "pdf", "dot")
TABLE_FORMATS = (".csv", ".xlsx")


def output_option(help: str):
    """-o/--output OUT (required), the file a command writes; help names its formats."""
    return click.option(
        "-o",
        "--output",
        required=True,
        type=click.Path(dir_okay=False, writable=True, path_type=Path),
        help=help,
    )


def _suffix(path: Path, allowed: tuple[str, ...], hint: str = "-o") -> str:
    suffix = path.suffix.lower().lstrip(".")
    if suffix not in {a.lstrip(".") for a in allowed}:
        raise click.BadParameter(
            f"{path.name}: akhiran harus salah satu dari {', '.join(allowed)}", param_hint=hint
        )
    return suffix


@click.command("lanes")
@click.argument("bpmn", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@output_option("SVG, PNG, PDF or DOT file to write.")
def lanes(bpmn: Path, output: Path) -> None:
    """Draw a BPMN file's pools and lanes (any editor's file) with Graphviz dot."""
    from engine.bpmn.xmlsafe import XmlError
    from exporters.lanes import extract, render

    fmt = _suffix(output, LANE_FORMATS)
    try:
        data = render(extract(bpmn), fmt)
    except XmlError as err:
        raise click.ClickException(str(err)) from err
    except graphviz.ExecutableNotFound as err:
        raise click.ClickException("Graphviz `dot` tidak ditemukan: pasang paket graphviz") from err
    output.write_bytes(data)
    click.echo(f"{output}")


@click.command("import-table")
@click.argument("table", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@output_option("BPMN file to write.")
@click.option("--code", help="SOP code (Kode), e.g. C.2; overrides the table's identity.")
@click.option("--name", help="SOP name (Nama); overrides the table's identity.")
@click.option("--owner", help="Owner unit (Unit Pemilik): the BPMN participant.")
def import_table(
    table: Path, output: Path, code: str | None, name: str | None, owner: str | None
) -> None:
    """Read an SOP table (CSV or XLSX, SOP AP columns) and write it as executable BPMN."""
    from engine.bpmn.writer import write_bpmn
    from exporters.table.reader import read_table

    _suffix(table, TABLE_FORMATS, "TABLE")
    _suffix(output, (".bpmn",))
    try:
        sop = read_table(table, code=code, name=name, owner=owner)
        data = write_bpmn(sop)
    except ValueError as err:  # TableError, or a model the writer refuses
        raise click.ClickException(str(err)) from err
    output.write_bytes(data)
    click.echo(f"{output}: SOP {sop.code}, {len(sop.steps)} langkah, {len(sop.actors)} pelaksana")


@click.command("export-table")
@click.argument("bpmn", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@output_option("CSV or XLSX file to write.")
@click.option(
    "--delimiter",
    default=",",
    show_default=True,
    type=click.Choice([",", ";", "tab"]),
    help="CSV separator.",
)
def export_table(bpmn: Path, output: Path, delimiter: str) -> None:
    """Write a BPMN process as an SOP table (CSV, or XLSX with Identitas and Prosedur sheets)."""
    from engine.bpmn.reader import read_bpmn
    from exporters.table.writer import write_csv, write_xlsx

    fmt = _suffix(output, TABLE_FORMATS)
    try:
        sop = read_bpmn(bpmn)
    except ValueError as err:  # XmlError, BpmnReadError
        raise click.ClickException(str(err)) from err
    if fmt == "xlsx":
        output.write_bytes(write_xlsx(sop))
    else:
        output.write_bytes(write_csv(sop, "\t" if delimiter == "tab" else delimiter))
    click.echo(f"{output}: SOP {sop.code}, {len(sop.steps)} langkah")
