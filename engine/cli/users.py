"""`alur users add|list|token`: people, their roles (lane names allowed) and API tokens."""

from __future__ import annotations

import sys

import click
from sqlalchemy import select

from engine import users as user_store
from engine.cli.runtime import EngineCommand, echo_json, echo_table, local, open_alur
from engine.notifications import check_address
from engine.storage.tables import User


def user_json(u: User) -> dict:
    return {
        "username": u.username,
        "full_name": u.full_name,
        "roles": sorted(u.role_names),
        "is_admin": u.is_admin,
        "active": u.active,
        "created_at": u.created_at,
    }


@click.group("users")
def users() -> None:
    """Users and their roles."""


@users.command("add", cls=EngineCommand)
@click.argument("username", metavar="NAME")
@click.option(
    "--role", "roles", multiple=True, metavar="ROLE",
    help="A role, or a lane name as the SOP writes it; repeat for several.",
)  # fmt: skip
@click.option("--full-name", default="", help="Full name (default: NAME).")
@click.option("--password", "ask_password", is_flag=True, help="Ask for a password.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@click.option("--admin", is_flag=True, help="May do everything (reassign, cancel, start).")
@click.option("--email", default=None, help="Where notifications are e-mailed ('' removes it).")
def add(
    username: str,
    roles: tuple[str, ...],
    full_name: str,
    ask_password: bool,
    password_stdin: bool,
    admin: bool,
    email: str | None,
) -> None:
    """Create user NAME, or give an existing one more roles (and a new password)."""
    if ask_password and password_stdin:
        raise click.UsageError("pilih salah satu: --password atau --password-stdin")
    password = None
    if ask_password:
        password = click.prompt("Kata sandi", hide_input=True, confirmation_prompt=True)
    elif password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            raise click.ClickException("kata sandi kosong")
    alur = open_alur()
    if email is not None:
        email = check_address(email)  # refused before the user is created
    user = alur.add_user(
        username, list(roles), full_name=full_name, password=password, is_admin=admin
    )
    if email is not None:
        user = alur.set_email(username, email)
    admin_note = " (admin)" if user.is_admin else ""
    click.echo(f"{user.username}{admin_note}: {', '.join(sorted(user.role_names)) or '-'}")
    lane_roles = {
        alur.roles.role(d.key, actor) for d in alur.processes() for actor in d.model.actors
    }
    for role in sorted(user.role_names - lane_roles) if lane_roles else ():
        click.echo(f"Peringatan: peran '{role}' tidak dipakai lajur SOP mana pun", err=True)


@users.command("list", cls=EngineCommand)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def list_users(as_json: bool) -> None:
    """Every user with their roles."""
    alur = open_alur()
    with alur.session() as s:
        found = list(s.scalars(select(User).order_by(User.username)))
    if as_json:
        echo_json([user_json(u) for u in found])
        return
    rows = [
        [
            u.username,
            u.full_name,
            ", ".join(sorted(u.role_names)),
            "ya" if u.is_admin else "",
            "ya" if u.active else "tidak",
            local(alur, u.created_at),
        ]
        for u in found
    ]
    headers = ["pengguna", "nama", "peran", "admin", "aktif", "dibuat"]
    echo_table(headers, rows, "belum ada pengguna")


@users.command("token", cls=EngineCommand)
@click.argument("username", metavar="NAME")
@click.option("--label", default="", help="What the token is for, e.g. the script's name.")
def token(username: str, label: str) -> None:
    """Create a personal API token for NAME and print it (once: only its hash is stored)."""
    alur = open_alur()
    with alur.session() as s:
        value = user_store.create_token(s, user_store.get(s, username), label, alur.clock())
    click.echo(value)
    click.echo("Simpan token ini sekarang: token tidak akan ditampilkan lagi.", err=True)
