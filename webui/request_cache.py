"""Per-request look-ups over the engine: processes by key, instances by id, role labels."""

from __future__ import annotations

from flask import g

from engine.sop import Step
from engine.views import Definition, Instance, normalise
from webui.facade import alur


def latest_processes() -> dict[str, Definition]:
    """The newest version of every deployed process, by key, in deploy order."""
    if "processes" not in g:
        found: dict[str, Definition] = {}
        for definition in alur().processes():  # newest first within a key
            found.setdefault(definition.key, definition)
        g.processes = dict(sorted(found.items(), key=lambda item: item[1].code or item[0]))
    return g.processes


def instance(instance_id: int) -> Instance:
    cache = g.setdefault("instances", {})
    if instance_id not in cache:
        cache[instance_id] = alur().instance(instance_id)
    return cache[instance_id]


def role_label(role: str) -> str:
    """The lane name a role came from ('Sub. Koordinator Pemerintahan'), else the role."""
    if "role_labels" not in g:
        labels: dict[str, str] = {}
        for definition in latest_processes().values():
            for lane in definition.model.actors:
                labels.setdefault(alur().roles.role(definition.key, lane), lane)
                labels.setdefault(normalise(lane), lane)
        g.role_labels = labels
    return g.role_labels.get(role) or role[:1].upper() + role[1:]


def step(definition: Definition, step_no: int | None) -> Step | None:
    """The SOP step numbered step_no (None when there is none)."""
    return definition.model.find(step_no)


def person(username: str) -> str:
    """A user's full name (their username when they have none or are unknown)."""
    return people().get(username) or username


def people() -> dict[str, str]:
    """Every user's full name by username."""
    if "people" not in g:
        g.people = alur().people()
    return g.people


def lane_roles() -> dict[str, str]:
    """Every role the lanes of the deployed processes map to -> the lane name it comes from."""
    found: dict[str, str] = {}
    for definition in latest_processes().values():
        for lane in definition.model.actors:
            found.setdefault(alur().roles.role(definition.key, lane), lane)
    return dict(sorted(found.items()))
