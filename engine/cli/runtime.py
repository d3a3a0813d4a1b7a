"""Engine commands: db upgrade, deploy, start, tasks, claim, complete, cancel, history, ..."""

from __future__ import annotations

import getpass
from pathlib import Path

import click
from sqlalchemy.engine import make_url

from engine.alur import Alur
from engine.cli.common import (
    DETAIL_KEYS,
    EVENTS,
    STATES,
    EngineCommand,
    acting_user,
    definition_json,
    echo_json,
    echo_next,
    echo_table,
    echo_tasks,
    event_json,
    instance_json,
    json_object,
    local,
    open_alur,
    short,
    task_json,
)
from engine.files import Upload
from engine.inbox import InboxFilter
from engine.runtime.lifecycle import Completion

task_argument = click.argument("task_id", metavar="TASK", type=int)
instance_argument = click.argument("instance_id", metavar="INSTANCE", type=int)


@click.group("db")
def db() -> None:
    """The database schema."""


@db.command("upgrade", cls=EngineCommand)
def upgrade() -> None:
    """Create or migrate the tables ($ALUR_DATABASE_URL, default a SQLite file)."""
    alur = open_alur()
    alur.upgrade()
    url = make_url(alur.settings.database_url).render_as_string(hide_password=True)
    click.echo(f"basis data mutakhir: {url}")


@db.command("rebuild-analytics", cls=EngineCommand)
def rebuild_analytics() -> None:
    """Sum the analytics anew from every instance and task (after a restore, rows written
    around the engine, or a change of the office calendar's time zone)."""
    count = open_alur().rebuild_analytics()
    click.echo(f"analitik dihitung ulang: {count} instans")


@click.command("deploy", cls=EngineCommand)
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--user", "-u", "username", envvar="ALUR_USER", help="Recorded as the deployer.")
@click.option("--note", default="", help="The change note (kept with a version that waits).")
def deploy(paths: tuple[Path, ...], username: str | None, note: str) -> None:
    """Validate BPMN and DMN files (or every *.bpmn and *.dmn in a folder) and store new
    versions, all or nothing; a version keeps the DMN files its business rule tasks use.

    A process whose new version changes who performs a step, puts a step in a role you hold,
    or changes an approval or signing step waits for a second person (another analyst or an
    admin): new instances start on the current version until `alur approve KEY --version N`."""
    deployer = username or _login()
    for item in open_alur().deploy(list(paths), deployer, note):
        d = item.definition
        if item.awaiting:
            waiting = d.version + 1
            click.echo(
                f"{d.key}: versi {waiting} menunggu persetujuan (draf {item.draft.id});"
                f" instans baru tetap memakai versi {d.version}"
            )
            for change in item.changes:
                click.echo(f"  {change}")
            click.echo(
                f"  setujui (analis atau admin lain, bukan {deployer}):"
                f" alur approve {d.key} --version {waiting} --user NAMA"
            )
            continue
        click.echo(f"{d.key}: versi {d.version} ({'baru' if item.created else 'tidak berubah'})")


def _login() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "cli"


@click.command("processes", cls=EngineCommand)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def processes(as_json: bool) -> None:
    """Every deployed version of every process, newest first."""
    alur = open_alur()
    found = alur.processes()
    if as_json:
        echo_json([definition_json(d) for d in found])
        return
    rows = [
        [d.key, d.version, d.code, short(d.name), d.filename, local(alur, d.deployed_at)]
        for d in found
    ]
    echo_table(["SOP", "versi", "kode", "nama", "berkas", "dideploy"], rows, "belum ada proses")


@click.command("start", cls=EngineCommand)
@click.argument("key")
@click.option("--title", default="", help="Title of the case (default: the SOP name).")
@acting_user
@click.option("--version", type=int, help="Definition version (default: the newest).")
@click.option("--data", callback=json_object, help="Process variables as a JSON object.")
@click.option("--json", "as_json", is_flag=True, help="Print the instance as JSON.")
def start(key: str, title: str, username: str, version, data: dict, as_json: bool) -> None:
    """Start an instance of process KEY; print it and its first tasks."""
    alur = open_alur()
    instance = alur.start(key, username, title=title, data=data, version=version)
    open_tasks = alur.tasks(flt=InboxFilter(instance_id=instance.id))
    if as_json:
        tasks = [task_json(t, alur.clock()) for t in open_tasks]
        echo_json({**instance_json(instance), "tasks": tasks})
        return
    v = instance.definition.version
    click.echo(f"instans {instance.id} dimulai: {instance.title} ({key} versi {v})")
    echo_tasks(alur, open_tasks)


@click.command("tasks", cls=EngineCommand)
@click.option("--user", "-u", "username", help="The inbox of a user: their roles' open tasks.")
@click.option("--role", "-r", help="Open tasks of one role (a lane name is fine).")
@click.option("--instance", "instance_id", type=int, help="Only tasks of one instance.")
@click.option("--process", help="Only tasks of one process key.")
@click.option("--overdue", is_flag=True, help="Only tasks past their due time.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def tasks(username, role, instance_id, process, overdue: bool, as_json: bool) -> None:
    """Open tasks: a user's inbox, a role's queue, or all of them."""
    if username and role:
        raise click.UsageError("pilih salah satu: --user atau --role")
    alur = open_alur()
    flt = InboxFilter(process=process, overdue=overdue or None, instance_id=instance_id)
    found = alur.inbox(username, flt) if username else alur.tasks(role, flt)
    if as_json:
        echo_json([task_json(t, alur.clock()) for t in found])
    else:
        echo_tasks(alur, found)


@click.command("claim", cls=EngineCommand)
@task_argument
@acting_user
def claim(task_id: int, username: str) -> None:
    """Take TASK so that no one else of its role works on it."""
    task = open_alur().claim(task_id, username)
    click.echo(f"tugas {task.id} diambil oleh {task.claimed_by}")


@click.command("unclaim", cls=EngineCommand)
@task_argument
@acting_user
def unclaim(task_id: int, username: str) -> None:
    """Give TASK back to its role's queue."""
    task = open_alur().unclaim(task_id, username)
    click.echo(f"tugas {task.id} dikembalikan ke antrean peran {task.role}")


@click.command("reassign", cls=EngineCommand)
@task_argument
@click.option("--to", "to", required=True, help="The user who takes the task over.")
@acting_user
def reassign(task_id: int, to: str, username: str) -> None:
    """Hand TASK to another holder of its role (a Kabid or an admin only)."""
    task = open_alur().reassign(task_id, to, username)
    click.echo(f"tugas {task.id} dialihkan kepada {task.claimed_by}")


@click.command("complete", cls=EngineCommand)
@task_argument
@acting_user
@click.option(
    "--decision", type=click.Choice(["ya", "tidak"], case_sensitive=False),
    help="The answer on a decision step.",
)  # fmt: skip
@click.option("--note", default="", help="Note; the reason, required with --decision tidak.")
@click.option("--data", callback=json_object, help="Process variables as a JSON object.")
@click.option(
    "--check", "checks", multiple=True, metavar='ITEM=ok|"reason"',
    help="A Kelengkapan item (its text or its number) found ok, or what is missing; repeat.",
)  # fmt: skip
@click.option(
    "--file", "files", multiple=True, help="An output document to attach; repeat.",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
)  # fmt: skip
def complete(task_id, username, decision, note, data, checks, files) -> None:
    """Complete TASK: decide Ya/Tidak on a decision step, tick the Kelengkapan, attach files."""
    alur = open_alur()
    form = Completion(
        decision=decision,
        note=note,
        checklist=checklist(alur, task_id, checks) if checks else {},
        data=data,
    )
    task = alur.complete(task_id, username, form, [Upload.from_path(p) for p in files])
    click.echo(f"tugas {task.id} selesai" + (f": {task.decision}" if task.decision else ""))
    echo_next(alur, task.instance_id)


def checklist(alur: Alur, task_id: int, checks: tuple[str, ...]) -> dict[str, bool | str]:
    """ITEM=ok -> True, ITEM=reason -> reason; an ITEM number stands for that Kelengkapan text."""
    task = alur.task(task_id)
    step = alur.task_step(task.id)
    items = step.kelengkapan if step else []
    result: dict[str, bool | str] = {}
    for check in checks:
        item, _, value = (part.strip() for part in check.partition("="))
        if not item or not value:
            raise click.BadParameter(
                f"{check!r}: tulis ITEM=ok atau ITEM=alasan", param_hint="--check"
            )
        if item.isdigit() and 1 <= int(item) <= len(items):
            item = items[int(item) - 1]
        result[item] = True if value.casefold() == "ok" else value
    return result


@click.command("cancel", cls=EngineCommand)
@instance_argument
@acting_user
@click.option("--reason", required=True, help="Why the case stops (recorded in the history).")
def cancel(instance_id: int, username: str, reason: str) -> None:
    """Cancel a running instance and its open tasks."""
    instance = open_alur().cancel(instance_id, username, reason)
    click.echo(f"instans {instance.id} dibatalkan")


@click.command("instances", cls=EngineCommand)
@click.option("--state", type=click.Choice(list(STATES)), help="Only instances in this state.")
@click.option("--process", help="Only instances of one process key.")
@click.option("--user", "-u", "username", help="Only instances this user started.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def instances(state, process, username, as_json: bool) -> None:
    """Instances, newest first."""
    alur = open_alur()
    found = alur.instances(state=state, process=process, started_by=username)
    if as_json:
        echo_json([instance_json(i) for i in found])
        return
    rows = [
        [
            i.id,
            i.process_key,
            i.definition.version,
            short(i.title, 30),
            STATES.get(i.state, i.state),
            i.started_by,
            local(alur, i.started_at),
            local(alur, i.ended_at),
        ]
        for i in found
    ]
    headers = ["id", "SOP", "versi", "judul", "status", "dimulai oleh", "mulai", "selesai"]
    echo_table(headers, rows, "belum ada instans")


@click.command("history", cls=EngineCommand)
@instance_argument
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def history(instance_id: int, as_json: bool) -> None:
    """The audit trail of an instance, oldest first."""
    alur = open_alur()
    events = alur.history(instance_id)
    if as_json:
        echo_json([event_json(e) for e in events])
        return
    rows = [
        [
            local(alur, e.at),
            EVENTS.get(e.kind, e.kind),
            e.actor,
            e.step_no,
            e.human_task_id,
            short("; ".join(str(e.data[k]) for k in DETAIL_KEYS if e.data.get(k)), 60),
        ]
        for e in events
    ]
    headers = ["waktu", "kejadian", "oleh", "langkah", "tugas", "keterangan"]
    echo_table(headers, rows, "belum ada kejadian")
