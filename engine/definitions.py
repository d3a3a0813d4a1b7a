"""Deploy BPMN files as process definition versions, all or nothing; list and fetch them."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine.bpmn.reader import properties, read_bpmn
from engine.bpmn.validate import Problem, validate_bytes
from engine.bpmn.xmlsafe import parse_xml
from engine.errors import DeployError, NotFound
from engine.roles import RoleMap
from engine.runtime.store import WorkflowStore
from engine.sop import sop_to_dict
from engine.storage.tables import Definition

log = logging.getLogger(__name__)
STARTER_PROPERTY = "pemula"


@dataclass(frozen=True)
class Deployed:
    definition: Definition
    created: bool  # False: same content as the latest version, nothing new stored


def collect(paths: list[Path]) -> list[Path]:
    """Files named directly, and every *.bpmn inside the folders named."""
    files: list[Path] = []
    for path in map(Path, paths):
        files += sorted(path.glob("*.bpmn")) if path.is_dir() else [path]
    return files


def deploy(
    session: Session,
    sources: list[tuple[str, bytes]],
    user: str,
    roles: RoleMap,
    store: WorkflowStore,
    now: datetime,
) -> list[Deployed]:
    """Validate every (filename, bytes); on any problem store nothing, else add new versions."""
    problems: list[Problem] = []
    for filename, data in sources:
        problems += validate_bytes(data, filename, require_executable=True)
    if not sources:
        problems.append(Problem.found("-", None, None, "no_bpmn_files"))
    if problems:
        raise DeployError(problems)
    results = []
    for filename, data in sources:
        sop = read_bpmn(data)
        digest = hashlib.sha256(data).hexdigest()
        latest = _latest(session, sop.key)
        if latest is not None and latest.sha256 == digest:
            results.append(Deployed(latest, False))
            continue
        process = parse_xml(data).getroot().find(f".//*[@id='{sop.key}']")
        starters = [v for k, v in properties(process) if k == STARTER_PROPERTY]
        first_lane = sop.steps[0].actor if sop.steps else ""
        definition = Definition(
            key=sop.key,
            version=(latest.version + 1) if latest else 1,
            name=sop.name,
            code=sop.code,
            filename=Path(filename).name,
            sha256=digest,
            xml=data,
            sop=sop_to_dict(sop),
            task_steps={s.element_id: s.no for s in sop.steps},
            starter_roles=[roles.role(sop.key, r) for r in starters or [first_lane]],
            spec=store.spec_dict(data, sop.key, Path(filename).name),
            deployed_by=user,
            deployed_at=now,
        )
        session.add(definition)
        session.flush()
        log.info("deployed %s version %s from %s", sop.key, definition.version, filename)
        results.append(Deployed(definition, True))
    return results


def _latest(session: Session, key: str) -> Definition | None:
    return session.scalar(
        select(Definition).where(Definition.key == key).order_by(Definition.version.desc()).limit(1)
    )


def get(session: Session, key: str, version: int | None = None) -> Definition:
    """A version of a process (default: the newest)."""
    query = select(Definition).where(Definition.key == key)
    query = query.where(Definition.version == version) if version else query
    found = session.scalar(query.order_by(Definition.version.desc()).limit(1))
    if found is None:
        if version:
            raise NotFound("process_version_missing", key=key, version=version)
        raise NotFound("process_missing", key=key)
    return found


def listing(session: Session) -> list[Definition]:
    """Every version of every process, newest first within a key."""
    return list(
        session.scalars(select(Definition).order_by(Definition.key, Definition.version.desc()))
    )


def keys(session: Session) -> list[str]:
    return list(
        session.scalars(
            select(Definition.key).group_by(Definition.key).order_by(func.min(Definition.id))
        )
    )
