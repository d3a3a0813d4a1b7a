"""Demo data: the SOPs deployed and one user per role (password 'demo'); never outside demo."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from engine.alur import Alur
from engine.errors import NotFound
from engine.views import normalise
from webui import demo_history

log = logging.getLogger(__name__)
PASSWORD = "demo"
# role (normalised lane name) -> short username; other roles get their name with dots.
USERNAMES = {
    "kabid pemerintahan dan sosial budaya": "kabid",
    "sub koordinator pemerintahan": "subkor.pemerintahan",
    "sub koordinator sosial budaya": "subkor.sosbud",
    "sub koordinator pembangunan manusia": "subkor.pm",
    "fungsional tertentu": "fungsional.tertentu",
    "fungsional umum": "fungsional.umum",
    "sekretaris badan": "sekban",
    "kepala badan": "kaban",
    "sekretaris daerah": "sekda",
    "bupati": "bupati",
    "bupati wakil bupati": "bupati",
    "opd": "opd",
}
EXTRA = [  # username, roles, admin
    ("admin", [], True),
    ("analis", ["analis"], False),
    ("auditor", ["auditor"], False),
]


@dataclass(frozen=True)
class DemoUser:
    username: str
    roles: tuple[str, ...]
    is_admin: bool = False


def seed(alur: Alur, bpmn_dir: Path, sample: bool = True) -> list[DemoUser]:
    """Migrate, deploy bpmn_dir, add the demo users; on an empty database also months of past
    work (webui/demo_history.py) and one sample started now."""
    alur.upgrade()
    alur.deploy([bpmn_dir], "admin")
    people = demo_users(alur)
    for person in people:
        try:
            alur.user(person.username)
            password = None  # already there: keep its password (hashing is slow on purpose)
        except NotFound:
            password = PASSWORD
        alur.add_user(
            person.username,
            list(person.roles),
            full_name=_full_name(person),
            password=password,
            is_admin=person.is_admin,
        )
    if sample and not alur.instances(limit=1):
        played = demo_history.play(alur, {role: p.username for p in people for role in p.roles})
        _read_the_past(alur, people)
        log.info("demo: %s instances of history", played)
        sop_a = next((d for d in alur.processes() if d.code == "A"), None)
        if sop_a is not None:
            starter = _user_for(people, sop_a.starter_roles)
            if starter:
                alur.start(sop_a.key, starter, "Asistensi Renja Dinas Pendidikan 2027")
    log.info("demo: %s users", len(people))
    return people


def _read_the_past(alur: Alur, people: list[DemoUser]) -> None:
    """The history's notifications read, but those of work still open: the bell shows what
    waits now, not months of it."""
    running = {i.id for i in alur.instances(state="running")}
    for person in people:
        notes = alur.notifications(person.username, limit=1000, unread_only=True)
        done = [n.id for n in notes if n.instance_id not in running]
        if done:
            alur.mark_read(person.username, done)


def demo_users(alur: Alur) -> list[DemoUser]:
    """One user per role of the deployed SOPs' lanes, then admin, analis and auditor."""
    by_name: dict[str, set[str]] = {}
    for definition in alur.processes():
        for lane in definition.model.actors:
            role = alur.roles.role(definition.key, lane)
            name = USERNAMES.get(role) or USERNAMES.get(normalise(lane)) or role.replace(" ", ".")
            by_name.setdefault(name, set()).add(role)
    people = [DemoUser(name, tuple(sorted(roles))) for name, roles in sorted(by_name.items())]
    people += [DemoUser(name, tuple(roles), admin) for name, roles, admin in EXTRA]
    return people


def _full_name(person: DemoUser) -> str:
    """'Demo Subkor Pemerintahan' for subkor.pemerintahan."""
    return "Demo " + " ".join(part.capitalize() for part in person.username.split("."))


def _user_for(people: list[DemoUser], roles: list[str]) -> str | None:
    return next((p.username for p in people if set(p.roles) & set(roles)), None)


def table(people: list[DemoUser]) -> str:
    """The printed list: username, password, roles."""
    width = max(len(p.username) for p in people)
    lines = [f"{'username':<{width}}  password  roles"]
    for p in people:
        roles = ", ".join(p.roles) or ("(admin)" if p.is_admin else "-")
        lines.append(f"{p.username:<{width}}  {PASSWORD:<8}  {roles}")
    return "\n".join(lines)
