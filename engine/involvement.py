"""Which instances a person took part in: started them, or acted on one of their tasks."""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from engine.storage.tables import Event, Instance


def instances_of(session: Session, username: str, limit: int = 100) -> list[Instance]:
    """Instances started by username or with an audit event by them, newest first."""
    acted = select(Event.instance_id).where(Event.actor == username)
    query = (
        select(Instance)
        .where(or_(Instance.started_by == username, Instance.id.in_(acted)))
        .order_by(Instance.id.desc())
        .limit(limit)
    )
    return list(session.scalars(query))
