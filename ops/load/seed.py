"""A fresh PostgreSQL database for a load or fault run: migrated, bpmn/ deployed, staff + tokens."""

from __future__ import annotations

import os
import uuid
from collections import Counter
from pathlib import Path

import psycopg
from psycopg import sql
from sqlalchemy.engine import make_url

from engine import users
from engine.alur import Alur
from engine.config import Settings
from ops.load.staff import Staff

ROOT = Path(__file__).resolve().parents[2]
BPMN_DIR = ROOT / "bpmn"
# The maintenance database of the server the runs create their databases on.
ADMIN_URL = (
    os.environ.get("ALUR_LOAD_PG")
    or os.environ.get("ALUR_TEST_POSTGRES")
    or "postgresql://postgres@127.0.0.1:5432/postgres"
)


def admin_connection(admin_url: str = ADMIN_URL) -> psycopg.Connection:
    """The maintenance database; a clear error when PostgreSQL does not answer."""
    try:
        return psycopg.connect(admin_url, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as error:
        raise SystemExit(
            f"PostgreSQL is unreachable at {admin_url}: {str(error).strip()}\n"
            "Start it (trust auth, user postgres) or point ALUR_LOAD_PG at its admin URL."
        ) from None


def create_database(prefix: str, admin_url: str = ADMIN_URL) -> str:
    """CREATE DATABASE <prefix>_<random>; its URL."""
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    with admin_connection(admin_url) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return make_url(admin_url).set(database=name).render_as_string(hide_password=False)


def drop_database(url: str, admin_url: str = ADMIN_URL) -> None:
    name = make_url(url).database
    with admin_connection(admin_url) as admin:
        drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)")
        admin.execute(drop.format(sql.Identifier(name)))


def seed(url: str, upload_dir: Path, staff: int = 50, password: str | None = None) -> list[Staff]:
    """Migrate, deploy bpmn/, add `staff` users over the roles that have steps, one token each.

    Roles get users in proportion to their steps across the SOPs (at least two each), so the
    Kabid, who starts every SOP and decides most of them, and the Fungsional get the most.
    """
    alur = Alur(Settings(database_url=url, upload_dir=upload_dir))
    try:
        alur.upgrade()
        alur.deploy([BPMN_DIR], "load")
        steps, starters = Counter(), set()
        for definition in alur.processes():
            starters |= set(definition.starter_roles)
            for step in definition.model.steps:
                steps[alur.roles.role(definition.key, step.actor)] += 1
        made = []
        with alur.session() as s:
            for i, role in enumerate(_spread(steps, staff)):
                username = f"staf{i + 1:03d}"
                user = users.add(s, username, [role], password=password, now=alur.clock())
                token = users.create_token(s, user, "load", alur.clock())
                made.append(Staff(username, role, token, role in starters))
        return made
    finally:
        alur.db.dispose()


def _spread(weights: Counter, total: int) -> list[str]:
    """total role names, each role at least twice, the rest by weight (largest remainder)."""
    roles = sorted(weights)
    if total < 2 * len(roles):
        raise ValueError(f"{total} users cannot cover {len(roles)} roles twice")
    spare, weight = total - 2 * len(roles), sum(weights.values())
    shares = {r: spare * weights[r] / weight for r in roles}
    counts = {r: 2 + int(shares[r]) for r in roles}
    by_remainder = sorted(roles, key=lambda r: shares[r] - int(shares[r]), reverse=True)
    for role in by_remainder[: total - sum(counts.values())]:
        counts[role] += 1
    # interleaved, so any prefix of the list still covers the busy roles
    out: list[str] = []
    while len(out) < total:
        for role in roles:
            if counts[role]:
                out.append(role)
                counts[role] -= 1
    return out
