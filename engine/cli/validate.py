"""`alur validate FILE...`: check BPMN (and DMN) files before deploying them, one line per
problem. Business rule tasks are checked against the decisions of the .dmn files named with
them, as deploy does."""

from __future__ import annotations

import logging
from pathlib import Path

import click

from engine.bpmn.validate import Problem
from engine.definitions import check_sources, collect, is_dmn

logger = logging.getLogger(__name__)


@click.command("validate")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--require-executable",
    is_flag=True,
    help='Also fail files with no process marked isExecutable="true".',
)
@click.pass_context
def validate(ctx: click.Context, paths: tuple[Path, ...], require_executable: bool) -> None:
    """Check BPMN and DMN files (or every *.bpmn and *.dmn in a directory): XML safety, XSD,
    lanes, expressions, decision tables and the business rule tasks that name them."""
    files = collect(list(paths))
    if all(is_dmn(str(f)) for f in files):
        click.echo("no .bpmn files to validate", err=True)
        ctx.exit(1)
    sources, problems = [], []
    for path in files:
        try:
            sources.append((str(path), path.read_bytes()))
        except OSError as err:
            problems.append(
                Problem.found(str(path), None, None, "file_unreadable", reason=err.strerror)
            )
    problems += check_sources(sources, require_executable)[0]
    bad = 0
    for path in files:
        mine = [p for p in problems if p.file == str(path)]
        bad += bool(mine)
        for problem in mine:
            click.echo(str(problem))
    if bad:
        click.echo(f"{bad} of {len(files)} file(s) have problems", err=True)
        ctx.exit(1)
    click.echo(f"OK: {len(files)} file(s) valid")
