"""The `alur` command: engine commands here, exporter and web commands plugged in by entry point."""

from __future__ import annotations

import logging
from importlib.metadata import entry_points

import click

from engine.cli_model import build, inspect
from engine.cli_validate import validate


class AlurGroup(click.Group):
    """A click group that adds the commands other packages declare under `alur.commands`."""

    def _plugins(self) -> dict:
        return {ep.name: ep for ep in entry_points(group="alur.commands")}

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(super().list_commands(ctx)) | set(self._plugins()))

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        command = super().get_command(ctx, name)
        if command is None and name in self._plugins():
            command = self._plugins()[name].load()
        return command


@click.group(cls=AlurGroup)
@click.option("-v", "--verbose", is_flag=True, help="Log what happens.")
def main(verbose: bool) -> None:
    """Alur: SOP AP procedures as executable BPMN processes."""
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING)


main.add_command(inspect)
main.add_command(build)
main.add_command(validate)
