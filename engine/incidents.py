"""Incidents: a step of an instance that the deployed model could not run.

A condition, script or timer of the model failing (`ProcessError`, `ExpressionLimit`) is no
fault of the person completing a task, and trying again does not help until someone fixes the
model. So each such failure is recorded once per (instance, element, reason) with how often and
when it was seen, for admins and analysts to see (the incidents page, the instance's banner,
`GET /api/v1/incidents`):

- the worker's timer step failing: the instance's wake-up is pushed back (BACKOFF_FIRST,
  doubled per failure up to BACKOFF_MAX), so a failing job is never repeated in a hot loop;
  "retry" runs the step again now;
- a completion failing: the task stays open; the incident names it, and is resolved when a
  completion of it succeeds.

Every incident of an instance is resolved when it is migrated (to a fixed version) or
cancelled, and a worker's one when its instance's timers run through.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from engine.errors import EngineError
from engine.messages import text
from engine.storage.tables import Definition, Incident, Instance

log = logging.getLogger(__name__)

WORKER, COMPLETION = "worker", "completion"
BACKOFF_FIRST = timedelta(minutes=5)
BACKOFF_MAX = timedelta(hours=6)
PARAM_CHARS = 1000  # a reason's text is cut to this in the stored parameters


@dataclass(frozen=True)
class IncidentRow:
    """An incident as the pages, the API and the CLI see it."""

    id: int
    instance_id: int
    instance_title: str
    process_key: str
    version: int
    task_id: int | None
    source: str
    element: str
    reason_key: str
    params: dict
    first_seen_at: datetime
    last_seen_at: datetime
    count: int
    retry_at: datetime | None
    resolved_at: datetime | None
    resolved_by: str | None
    resolution: str
    newer_version: int | None  # the process's newest version, when newer than the instance's

    @property
    def message(self) -> str:
        """The reason in Indonesian (the web UI translates reason_key itself)."""
        return text(self.reason_key, self.params)

    @property
    def open(self) -> bool:
        return self.resolved_at is None

    @property
    def retryable(self) -> bool:
        """A worker's step can be run again by hand; a completion is the performer's to redo."""
        return self.open and self.source == WORKER

    def as_json(self) -> dict:
        data = {
            name: getattr(self, name)
            for name in (
                "id instance_id process_key version task_id source element reason_key params"
                " count resolved_by resolution newer_version"
            ).split()
        }
        data["title"] = self.instance_title
        data["message"] = self.message
        for name in ("first_seen_at", "last_seen_at", "retry_at", "resolved_at"):
            value = getattr(self, name)
            data[name] = value.isoformat() if value else None
        return data


def backoff(count: int) -> timedelta:
    """How long the worker waits before trying a step that failed `count` times."""
    return min(BACKOFF_FIRST * 2 ** min(count - 1, 20), BACKOFF_MAX)


def _params(error: EngineError) -> dict:
    return {k: str(v)[:PARAM_CHARS] for k, v in error.params.items()}


def record(
    session: Session,
    instance: Instance,
    error: EngineError,
    source: str,
    now: datetime,
    task_id: int | None = None,
) -> Incident:
    """Record the failure (a new incident, or one more sighting of the same open one); a
    worker's failure pushes the instance's next wake-up back by the back-off."""
    key = error.key or "process_error"
    params = _params(error) if error.key else {"name": "?", "element": "?", "reason": str(error)}
    element = str(params.get("element", ""))[:200]
    incident = session.scalar(
        select(Incident)
        .where(
            Incident.instance_id == instance.id,
            Incident.resolved_at.is_(None),
            Incident.source == source,
            Incident.element == element,
            Incident.reason_key == key,
        )
        .order_by(Incident.id)
        .limit(1)
        .with_for_update()
    )
    if incident is None:
        incident = Incident(
            instance_id=instance.id,
            human_task_id=task_id,
            source=source,
            element=element,
            reason_key=key,
            params=params,
            first_seen_at=now,
            last_seen_at=now,
            count=1,
            resolution="",
        )
        session.add(incident)
    else:
        incident.count += 1
        incident.last_seen_at, incident.params = now, params
        incident.human_task_id = task_id or incident.human_task_id
    if source == WORKER:
        incident.retry_at = now + backoff(incident.count)
        instance.next_wakeup_at = incident.retry_at
    session.flush()
    log.warning(
        "instance %s: incident %s (%s at %s, seen %d times)",
        instance.id,
        incident.id,
        key,
        element,
        incident.count,
    )
    return incident


def resolve(
    session: Session,
    instance_id: int,
    now: datetime,
    by: str,
    resolution: str,
    source: str | None = None,
    task_id: int | None = None,
) -> int:
    """Resolve the open incidents of an instance (of one source, or one task); how many."""
    query = update(Incident).where(
        Incident.instance_id == instance_id, Incident.resolved_at.is_(None)
    )
    if source:
        query = query.where(Incident.source == source)
    if task_id is not None:
        query = query.where(Incident.human_task_id == task_id)
    values = {"resolved_at": now, "resolved_by": by, "resolution": resolution, "retry_at": None}
    done = session.execute(query.values(**values).execution_options(synchronize_session=False))
    return done.rowcount or 0


def open_count(session: Session) -> int:
    return session.scalar(select(func.count(Incident.id)).where(Incident.resolved_at.is_(None)))


def listing(
    session: Session, open_only: bool = True, instance_id: int | None = None, limit: int = 500
) -> list[IncidentRow]:
    """Incidents, the most recently seen first; open ones only unless open_only is False."""
    query = select(Incident, Instance).join(Instance, Instance.id == Incident.instance_id)
    if open_only:
        query = query.where(Incident.resolved_at.is_(None))
    if instance_id is not None:
        query = query.where(Incident.instance_id == instance_id)
    found = session.execute(
        query.order_by(Incident.last_seen_at.desc(), Incident.id.desc()).limit(limit)
    ).all()
    newest = _newest_versions(session, {instance.process_key for _, instance in found})
    return [_row(incident, instance, newest) for incident, instance in found]


def get(session: Session, incident_id: int) -> IncidentRow | None:
    found = session.execute(
        select(Incident, Instance)
        .join(Instance, Instance.id == Incident.instance_id)
        .where(Incident.id == incident_id)
    ).first()
    if found is None:
        return None
    incident, instance = found
    return _row(incident, instance, _newest_versions(session, {instance.process_key}))


def _newest_versions(session: Session, keys: set[str]) -> dict[str, int]:
    if not keys:
        return {}
    query = select(Definition.key, func.max(Definition.version)).where(Definition.key.in_(keys))
    return dict(session.execute(query.group_by(Definition.key)).all())


def _row(incident: Incident, instance: Instance, newest: dict[str, int]) -> IncidentRow:
    version = instance.definition.version
    latest = newest.get(instance.process_key, version)
    return IncidentRow(
        id=incident.id,
        instance_id=instance.id,
        instance_title=instance.title,
        process_key=instance.process_key,
        version=version,
        task_id=incident.human_task_id,
        source=incident.source,
        element=incident.element,
        reason_key=incident.reason_key,
        params=dict(incident.params or {}),
        first_seen_at=incident.first_seen_at,
        last_seen_at=incident.last_seen_at,
        count=incident.count,
        retry_at=incident.retry_at,
        resolved_at=incident.resolved_at,
        resolved_by=incident.resolved_by,
        resolution=incident.resolution,
        newer_version=latest if latest > version else None,
    )
