"""Moving running instances to another version of their SOP; suspending and resuming one."""

from __future__ import annotations

import click

from engine.cli.common import EngineCommand, acting_user, echo_json, open_alur
from engine.errors import InvalidInput

instance_argument = click.argument("instance_id", metavar="INSTANCE", type=int)
VERDICTS = {  # status -> how a line says it
    "migratable": "dapat dipindahkan",
    "migrated": "dipindahkan",
    "refused": "ditolak",
    "failed": "gagal",
}


def _mapping(_ctx, _param, items: tuple[str, ...]) -> dict[str, str]:
    mapping = {}
    for item in items:
        old, sep, new = item.partition("=")
        if not sep or not old.strip() or not new.strip():
            raise click.BadParameter(InvalidInput("migration_map_invalid", item=item).message)
        mapping[old.strip()] = new.strip()
    return mapping


@click.command("migrate", cls=EngineCommand)
@click.option("--process", "key", required=True, help="The process key, e.g. sop_b.")
@click.option("--from", "from_version", required=True, type=int, help="The version they run.")
@click.option("--to", "to_version", required=True, type=int, help="The version to move to.")
@click.option(
    "--instance", "instance_ids", multiple=True, type=int,
    help="Only these instances (default: every running one of --from).",
)  # fmt: skip
@click.option(
    "--map", "mapping", multiple=True, callback=_mapping, metavar="OLD=NEW",
    help="A step whose BPMN id changed: its old id and its id in the new version.",
)  # fmt: skip
@click.option("--dry-run", is_flag=True, help="Only say what would happen; change nothing.")
@click.option("--note", default="", help="Why (recorded in each instance's history).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@acting_user
def migrate(
    key, from_version, to_version, instance_ids, mapping, dry_run, note, as_json, username
) -> None:
    """Move running instances of one version to another: one line per instance.

    Exits with 1 when any instance was refused or failed (the others are moved all the same).
    """
    alur, ids = open_alur(), list(instance_ids) or None
    if dry_run:
        outcomes = alur.plan_migration(key, from_version, to_version, username, ids, mapping)
    else:
        outcomes = alur.migrate(key, from_version, to_version, username, ids, mapping, note)
    if as_json:
        echo_json([o.as_json() for o in outcomes])
    else:
        for o in outcomes:
            line = f"instans {o.instance_id}: {VERDICTS[o.status]}"
            line += f" (versi {o.from_version} -> {o.to_version})"
            if o.reasons:
                line += ": " + "; ".join(r.message for r in o.reasons)
            click.echo(line)
        if not outcomes:
            click.echo(f"tidak ada instans {key} versi {from_version} yang berjalan")
    if any(not o.ok for o in outcomes):
        raise click.exceptions.Exit(1)


@click.command("suspend", cls=EngineCommand)
@instance_argument
@acting_user
@click.option("--note", default="", help="Why (recorded in the history).")
def suspend(instance_id: int, username: str, note: str) -> None:
    """Suspend an instance: its tasks cannot be claimed or completed until it is resumed."""
    instance = open_alur().suspend(instance_id, username, note)
    click.echo(f"instans {instance.id} ditangguhkan")


@click.command("resume", cls=EngineCommand)
@instance_argument
@acting_user
@click.option("--note", default="", help="Why (recorded in the history).")
def resume(instance_id: int, username: str, note: str) -> None:
    """Resume a suspended instance."""
    instance = open_alur().resume(instance_id, username, note)
    click.echo(f"instans {instance.id} berjalan lagi")
