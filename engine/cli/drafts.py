"""`alur drafts` and `alur approve`: the studio's drafts from the command line; a draft that
changes who performs a step is published only when a second analyst or an admin approves it."""

from __future__ import annotations

import click

from engine.cli.common import EngineCommand, acting_user, echo_json, echo_table, local, open_alur
from engine.drafts import STATES

STATE_WORDS = {"draft": "draf", "awaiting_approval": "menunggu persetujuan", "published": "terbit"}


@click.command("drafts", cls=EngineCommand)
@click.option("--process", "key", help="Only the drafts of this process key.")
@click.option("--state", type=click.Choice(STATES), help="Only drafts in this state.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@acting_user
def drafts(key: str | None, state: str | None, as_json: bool, username: str) -> None:
    """The SOP drafts of the studio, newest first (analysts and admins)."""
    alur = open_alur()
    found = alur.drafts(username, key=key, state=state)
    if as_json:
        echo_json([d.as_json() for d in found])
        return
    rows = [
        [
            d.id,
            d.process_key,
            f"v{d.base_version}" if d.base_version else "baru",
            d.author,
            local(alur, d.updated_at),
            STATE_WORDS[d.state]
            + (f" v{d.published_version}" if d.published_version else "")
            + (f" (disetujui {d.approver})" if d.approver else ""),
            d.note,
        ]
        for d in found
    ]
    headers = ["draf", "proses", "dasar", "penyusun", "disimpan", "status", "catatan"]
    echo_table(headers, rows, "tidak ada draf")


@click.command("approve", cls=EngineCommand)
@click.argument("target", metavar="DRAFT_ID|KEY")
@click.option("--version", "version", type=int, help="With KEY: the version waiting.")
@click.option("--note", default="", help="The approver's note.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@acting_user
def approve(target: str, version: int | None, note: str, as_json: bool, username: str) -> None:
    """Approve a draft or a deployed version awaiting approval (not your own): it is published
    as the next version. `alur approve 12` (a draft), `alur approve KEY --version N`."""
    alur = open_alur()
    if target.isdigit() and version is None:
        done = alur.approve_draft(int(target), username, note)
    else:
        done = alur.approve_version(target, version, username, note)
    if as_json:
        echo_json(done.as_json())
        return
    draft = done.draft
    click.echo(
        f"draf {draft.id} disetujui oleh {username}: {draft.process_key} versi {done.version}"
        f" terbit (penyusun {draft.author})"
    )
    for change in done.changes:
        click.echo(f"  {change}")
