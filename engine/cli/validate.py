"""`alur validate FILE...`: check BPMN files before deploying them, one line per problem."""

from __future__ import annotations

import logging
from pathlib import Path

import click

from engine.bpmn.validate import validate_file

logger = logging.getLogger(__name__)


def bpmn_files(paths: tuple[Path, ...]) -> list[Path]:
    """The files named, with each directory replaced by the *.bpmn files directly inside it."""
    files: list[Path] = []
    for path in paths:
        files.extend(sorted(path.glob("*.bpmn")) if path.is_dir() else [path])
    return files


@click.command("validate")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--require-executable",
    is_flag=True,
    help='Also fail files with no process marked isExecutable="true".',
)
@click.pass_context
def validate(ctx: click.Context, paths: tuple[Path, ...], require_executable: bool) -> None:
    """Check BPMN files (or every *.bpmn in a directory): XML safety, XSD, lanes, expressions."""
    files = bpmn_files(paths)
    if not files:
        click.echo("no .bpmn files to validate", err=True)
        ctx.exit(1)
    bad = 0
    for path in files:
        problems = validate_file(path, require_executable=require_executable)
        bad += bool(problems)
        for problem in problems:
            click.echo(str(problem))
    if bad:
        click.echo(f"{bad} of {len(files)} file(s) have problems", err=True)
        ctx.exit(1)
    click.echo(f"OK: {len(files)} file(s) valid")
