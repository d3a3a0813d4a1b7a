"""Deploy BPMN files (and the DMN files beside them) as process definition versions, all or
nothing; list and fetch them.

A version keeps the DMN files its business rule tasks name (`decision_files`); a process is a
new version when its BPMN or any of those DMN files changed.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine.bpmn import names as n
from engine.bpmn.dmn import Decision, check_business_rule_tasks, read_dmn
from engine.bpmn.forms import check_forms
from engine.bpmn.loops import check_crossing_flows, check_loops
from engine.bpmn.pools import check_lanes_present, check_pools
from engine.bpmn.reader import properties, read_bpmn
from engine.bpmn.validate import Problem, validate_bytes
from engine.bpmn.variables import unset_names
from engine.bpmn.xmlsafe import XmlError, parse_xml
from engine.errors import DeployError, NotFound
from engine.roles import RoleMap
from engine.runtime.store import WorkflowStore
from engine.sop import sop_to_dict
from engine.storage.tables import DecisionFile, Definition

log = logging.getLogger(__name__)
STARTER_PROPERTY = "pemula"


@dataclass(frozen=True)
class Deployed:
    definition: Definition  # the new version; held or unchanged: the version instances start on
    created: bool  # False: same content as the latest version, nothing new stored, or held
    draft: Any = None  # held: the engine.drafts.DraftRow awaiting a second person's approval
    changes: Any = ()  # held: the engine.sop_diff.Change list that needs the approval

    @property
    def awaiting(self) -> bool:
        return self.draft is not None


def collect(paths: list[Path]) -> list[Path]:
    """Files named directly, and every *.bpmn and *.dmn inside the folders named."""
    files: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            files += sorted([*path.glob("*.bpmn"), *path.glob("*.dmn")])
        else:
            files.append(path)
    return files


def is_dmn(filename: str) -> bool:
    return Path(filename).suffix.lower() == ".dmn"


@dataclass(frozen=True)
class _Dmn:
    filename: str
    sha256: str
    xml: bytes


def _decisions(dmn_sources, problems: list[Problem]) -> dict[str, tuple[Decision, _Dmn]]:
    """Every decision of the DMN files by id, with its file; their problems added to problems."""
    found: dict[str, tuple[Decision, _Dmn]] = {}
    for filename, data in dmn_sources:
        read = read_dmn(data, filename)
        problems += read.problems
        stored = _Dmn(Path(filename).name, hashlib.sha256(data).hexdigest(), data)
        for decision in read.decisions:
            if decision.id in found:
                other = found[decision.id][1].filename
                where = (filename, decision.line, decision.id)
                problems.append(
                    Problem.found(*where, "decision_id_twice", id=decision.id, other=other)
                )
            else:
                found[decision.id] = (decision, stored)
    return found


def check_sources(
    sources: list[tuple[str, bytes]], require_executable: bool = True
) -> tuple[list[Problem], dict[str, tuple[Decision, _Dmn]]]:
    """Every problem of the .bpmn and .dmn files deployed together (business rule tasks checked
    against the decisions of the .dmn files), and those decisions by id with their file."""
    problems: list[Problem] = []
    bpmn_sources = [(f, d) for f, d in sources if not is_dmn(f)]
    decisions = _decisions([(f, d) for f, d in sources if is_dmn(f)], problems)
    tables = {key: decision for key, (decision, _) in decisions.items()}
    documents = []
    for filename, data in bpmn_sources:
        problems += validate_bytes(data, filename, require_executable=require_executable)
        try:
            root = parse_xml(data, filename).getroot()
        except XmlError:
            continue  # reported by validate_bytes
        problems += check_business_rule_tasks(root, tables, filename)
        problems += check_forms(root, filename)
        problems += check_pools(root, filename) + check_lanes_present(root, filename)
        problems += check_loops(root, filename) + check_crossing_flows(root, filename)
        documents.append((filename, root))
    problems += unset_names(documents)
    problems += _lone_dmn_files(sources)
    return problems, decisions


def _lone_dmn_files(sources: list[tuple[str, bytes]]) -> list[Problem]:
    """A .dmn file makes no version by itself: it is deployed with the process that names it."""
    if any(not is_dmn(f) for f, _ in sources):
        return []
    if not sources:
        return [Problem.found("-", None, None, "no_bpmn_files")]
    return [Problem.found(f, None, None, "dmn_without_process") for f, _ in sources]


def decision_refs(data: bytes) -> set[str]:
    """The decisions the business rule tasks of a BPMN file name."""
    root = parse_xml(data).getroot()
    attribute = f"{{{n.CAMUNDA}}}decisionRef"
    return {(t.get(attribute) or "").strip() for t in root.iter(f"{{{n.BPMN}}}businessRuleTask")}


def deploy(
    session: Session,
    sources: list[tuple[str, bytes]],
    user: str,
    roles: RoleMap,
    store: WorkflowStore,
    now: datetime,
) -> list[Deployed]:
    """Validate every (filename, bytes); on any problem store nothing, else add new versions."""
    problems, decisions = check_sources(sources)
    if problems:
        raise DeployError(problems)
    bpmn_sources = [(f, d) for f, d in sources if not is_dmn(f)]
    results = []
    for filename, data in bpmn_sources:
        sop = read_bpmn(data)
        digest = hashlib.sha256(data).hexdigest()
        used = sorted({decisions[ref][1] for ref in decision_refs(data)}, key=lambda f: f.filename)
        latest = _latest(session, sop.key)
        if (
            latest is not None
            and latest.sha256 == digest
            and sorted(f.sha256 for f in latest.decision_files) == sorted(f.sha256 for f in used)
        ):
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
            decision_files=[
                DecisionFile(filename=f.filename, sha256=f.sha256, xml=f.xml) for f in used
            ],
        )
        session.add(definition)
        session.flush()
        log.info("deployed %s version %s from %s", sop.key, definition.version, filename)
        results.append(Deployed(definition, True))
    return results


def latest(session: Session, key: str) -> Definition | None:
    """The newest version of a process, or None when it was never deployed."""
    return _latest(session, key)


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
