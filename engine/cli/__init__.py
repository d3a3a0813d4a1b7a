"""The `alur` command: engine commands here, exporter and web commands plugged in by entry point."""

from __future__ import annotations

import logging
from importlib.metadata import entry_points

import click

from engine.cli.delegations import away, delegate, delegations
from engine.cli.diff import diff
from engine.cli.drafts import approve, drafts
from engine.cli.eventlog import export_log
from engine.cli.migration import migrate, resume, suspend
from engine.cli.runtime import (
    cancel,
    claim,
    complete,
    db,
    deploy,
    history,
    instances,
    processes,
    reassign,
    start,
    tasks,
    unclaim,
)
from engine.cli.sop import build, inspect
from engine.cli.users import users
from engine.cli.validate import validate
from engine.cli.worker import worker

log = logging.getLogger(__name__)


class AlurGroup(click.Group):
    """A click group that adds the commands other packages declare under `alur.commands`."""

    def _plugins(self) -> dict:
        return {ep.name: ep for ep in entry_points(group="alur.commands")}

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(super().list_commands(ctx)) | set(self._plugins()))

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        command = super().get_command(ctx, name)
        if command is None and name in self._plugins():
            try:
                command = self._plugins()[name].load()
            except (ImportError, AttributeError) as error:
                if ctx.resilient_parsing or ctx.invoked_subcommand != name:
                    log.warning("command %s unavailable: %s", name, error)
                    return None
                raise
        return command


@click.group(cls=AlurGroup)
@click.option("-v", "--verbose", is_flag=True, help="Log what happens.")
def main(verbose: bool) -> None:
    """Alur: SOP AP procedures as executable BPMN processes."""
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING)


main.add_command(inspect)
main.add_command(build)
main.add_command(diff)
main.add_command(export_log)
main.add_command(validate)
main.add_command(db)
main.add_command(deploy)
main.add_command(processes)
main.add_command(start)
main.add_command(tasks)
main.add_command(claim)
main.add_command(unclaim)
main.add_command(reassign)
main.add_command(complete)
main.add_command(cancel)
main.add_command(instances)
main.add_command(history)
main.add_command(users)
main.add_command(worker)
main.add_command(drafts)
main.add_command(approve)
main.add_command(migrate)
main.add_command(suspend)
main.add_command(resume)
main.add_command(delegate)
main.add_command(away)
main.add_command(delegations)
