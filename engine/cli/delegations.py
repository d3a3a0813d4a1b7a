"""`alur delegate`, `alur away`, `alur delegations [revoke ID]`: acting officials (Plh./Plt.)."""

from __future__ import annotations

from datetime import datetime

import click

from engine import delegations as delegations_rules
from engine.alur import Alur
from engine.cli.common import EngineCommand, echo_json, echo_table, local, open_alur
from engine.errors import EngineError

by_option = click.option(
    "--by", "by", envvar="ALUR_USER", default=None,
    help="Who does it: the official themselves (default) or an admin ($ALUR_USER).",
)  # fmt: skip


def moment(alur: Alur, text: str, end_of_day: bool) -> datetime:
    """YYYY-MM-DD (a whole day, office time) or YYYY-MM-DDTHH:MM; a usage error otherwise."""
    try:
        return delegations_rules.moment(text, alur.calendar.timezone, end_of_day)
    except EngineError as error:
        raise click.BadParameter(error.message) from error


@click.command("delegate", cls=EngineCommand)
@click.argument("official", metavar="USER")
@click.option("--to", "to", required=True, metavar="USER", help="Who acts for them.")
@click.option(
    "--role", "roles", multiple=True, metavar="ROLE",
    help="A role to hand over (repeat for several; default: every role USER holds).",
)  # fmt: skip
@click.option("--until", "until", required=True, metavar="DATE", help="Last day (YYYY-MM-DD).")
@click.option("--from", "since", default=None, metavar="DATE", help="First day (default: now).")
@click.option("--plt", is_flag=True, help="Pelaksana Tugas (a longer absence) instead of Plh.")
@by_option
def delegate(official, to, roles, until, since, plt, by) -> None:
    """Name USER --to someone who acts for them (Plh./Plt.) for a period; it ends by itself."""
    alur = open_alur()
    made = alur.delegate(
        official, to,
        until=moment(alur, until, end_of_day=True),
        by=by or official,
        roles=list(roles) or None,
        since=moment(alur, since, end_of_day=False) if since else None,
        title="Plt" if plt else "Plh",
    )  # fmt: skip
    for row in made:
        click.echo(
            f"pelimpahan {row.id}: {row.to_user} {row.title}. {row.role} a.n. {row.from_user}, "
            f"{local(alur, row.starts_at)} s.d. {local(alur, row.ends_at)}"
        )


@click.command("away", cls=EngineCommand)
@click.argument("username", metavar="USER")
@click.option("--until", "until", required=True, metavar="DATE", help="Last day (YYYY-MM-DD).")
@click.option("--from", "since", default=None, metavar="DATE", help="First day (default: now).")
@by_option
def away(username, until, since, by) -> None:
    """Mark USER away for a period without anyone acting for them (their tasks are flagged)."""
    alur = open_alur()
    row = alur.mark_away(
        username,
        moment(alur, until, end_of_day=True),
        by=by or username,
        since=moment(alur, since, end_of_day=False) if since else None,
    )
    click.echo(f"{row.id}: {row.from_user} tidak di tempat s.d. {local(alur, row.ends_at)}")


@click.group("delegations", invoke_without_command=True)
@click.option("--user", "username", default=None, help="Only those of this person.")
@click.option("--json", "as_json", is_flag=True, help="JSON instead of a table.")
@click.pass_context
def delegations(ctx: click.Context, username: str | None, as_json: bool) -> None:
    """Delegations and absences in force or still to come."""
    if ctx.invoked_subcommand is not None:
        return
    alur = open_alur()
    found = alur.delegations(username)
    if as_json:
        echo_json([d.as_json() for d in found])
        return
    echo_table(
        ["ID", "PEJABAT", "PELAKSANA", "PERAN", "MULAI", "SAMPAI", "BERLAKU"],
        [
            [
                d.id,
                d.from_user,
                f"{d.title}. {d.to_user}" if d.to_user else "(tidak di tempat)",
                d.role,
                local(alur, d.starts_at),
                local(alur, d.ends_at),
                "ya" if d.in_force else "belum",
            ]
            for d in found
        ],  # fmt: skip
        "tidak ada pelimpahan",
    )


@delegations.command("revoke", cls=EngineCommand)
@click.argument("delegation_id", metavar="ID", type=int)
@click.option(
    "--by", "by", envvar="ALUR_USER", required=True,
    help="Who ends it: the official, their delegate or an admin ($ALUR_USER).",
)  # fmt: skip
def revoke(delegation_id: int, by: str) -> None:
    """End delegation (or absence) ID now."""
    row = open_alur().revoke_delegation(delegation_id, by)
    click.echo(f"pelimpahan {row.id} diakhiri")
