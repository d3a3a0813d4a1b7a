"""Shared plumbing of the engine commands: opening the engine, errors, tables and JSON."""

from __future__ import annotations

import json
from datetime import datetime

import click
from sqlalchemy import inspect as inspect_db
from sqlalchemy.exc import DBAPIError

from engine import rows
from engine.alur import Alur
from engine.config import Settings
from engine.errors import DeployError, EngineError
from engine.inbox import InboxFilter
from engine.storage.tables import HumanTask

ALUR = "alur.engine"
STATES = {
    "running": "berjalan",
    "suspended": "ditangguhkan",
    "completed": "selesai",
    "cancelled": "dibatalkan",
}
EVENTS = {
    "started": "dimulai",
    "task_created": "tugas dibuat",
    "claimed": "diambil",
    "unclaimed": "dilepas",
    "reassigned": "dialihkan",
    "completed": "diselesaikan",
    "sent_back": "dikembalikan",
    "file_attached": "berkas dilampirkan",
    "file_removed": "berkas dihapus",
    "file_kept": "berkas disimpan (langkah sudah diselesaikan orang lain)",
    "cancelled": "dibatalkan",
    "finished": "selesai",
    "suspended": "ditangguhkan",
    "resumed": "dilanjutkan",
    "migrated": "dipindahkan ke versi lain",
}
DETAIL_KEYS = ("title", "role", "decision", "note", "reason", "name", "to", "was")


class EngineCommand(click.Command):
    """A command that reports an EngineError as `Error: message` with exit code 1."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except DeployError as error:
            for problem in error.problems:
                click.echo(str(problem), err=True)
            raise click.ClickException(error.message) from error
        except EngineError as error:
            raise click.ClickException(error.message) from error
        except DBAPIError as error:
            alur = ctx.meta.get(ALUR)
            if alur is None or inspect_db(alur.db).has_table("alembic_version"):
                raise
            message = "basis data belum disiapkan: jalankan `alur db upgrade`"
            raise click.ClickException(message) from error


def open_alur() -> Alur:
    """The engine for this command, from the environment; its connections close with the command."""
    ctx = click.get_current_context()
    try:
        alur = Alur(Settings.from_env())
    except (ValueError, OSError) as error:
        raise click.ClickException(f"konfigurasi: {error}") from error
    ctx.meta[ALUR] = alur
    ctx.call_on_close(alur.db.dispose)
    return alur


acting_user = click.option(
    "--user", "-u", "username", envvar="ALUR_USER", required=True,
    help="The acting user (default: $ALUR_USER).",
)  # fmt: skip


def json_object(_ctx, _param, value: str | None) -> dict:
    try:
        data = json.loads(value) if value else {}
    except json.JSONDecodeError as error:
        raise click.BadParameter(f"bukan JSON: {error}") from error
    if not isinstance(data, dict):
        raise click.BadParameter('harus objek JSON, mis. {"nomor": "12"}')
    return data


def echo_json(value) -> None:
    click.echo(json.dumps(value, ensure_ascii=False, indent=2, default=_iso))


def _iso(value):
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def echo_table(headers: list[str], rows: list[list], empty: str) -> None:
    """Left-aligned columns two spaces apart; `empty` when there is no row."""
    if not rows:
        click.echo(empty)
        return
    cells = [headers, *[[str(c) if c not in (None, "") else "-" for c in r] for r in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    for row in cells:
        click.echo("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())


def short(text: str, width: int = 40) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def local(alur: Alur, moment: datetime | None) -> str:
    """A moment in the office's time zone, as Indonesian offices write it."""
    return moment.astimezone(alur.calendar.timezone).strftime("%d-%m-%Y %H:%M") if moment else ""


def is_overdue(task: HumanTask, now: datetime) -> bool:
    return rows.overdue(task.state, task.due_at, now)


def task_json(t: HumanTask, now: datetime) -> dict:
    return rows.task_json(t, now, data=True)


# One shape of each row for the CLI's --json and the JSON API.
instance_json = rows.instance_json
definition_json = rows.definition_json
event_json = rows.event_json


def echo_tasks(alur: Alur, tasks: list[HumanTask], empty: str = "tidak ada tugas") -> None:
    rows = [
        [
            t.id,
            t.process_key,
            t.instance_id,
            t.step_no,
            short(t.name),
            t.assignee or t.role,
            local(alur, t.due_at) + (" terlambat" if is_overdue(t, alur.clock()) else ""),
            t.claimed_by,
        ]
        for t in tasks
    ]
    headers = ["id", "SOP", "instans", "langkah", "kegiatan", "peran", "tenggat", "diambil oleh"]
    echo_table(headers, rows, empty)


def echo_next(alur: Alur, instance_id: int) -> None:
    """What the instance waits for now, or that it has ended."""
    instance = alur.instance(instance_id)
    if instance.state != "running":
        click.echo(f"instans {instance.id} {STATES.get(instance.state, instance.state)}")
        return
    echo_tasks(alur, alur.tasks(flt=InboxFilter(instance_id=instance_id)), "tidak ada tugas")
