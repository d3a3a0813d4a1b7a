"""Deploy BPMN files (and the DMN files beside them) as process definition versions, all or
nothing; list and fetch them.

A version keeps the DMN files its business rule tasks name (`decision_files`); a process is a
new version when its BPMN or any of those DMN files changed.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from lxml import etree
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine.bpmn import names as n
from engine.bpmn.calls import calls_of, check_calls
from engine.bpmn.dmn import Decision, check_business_rule_tasks, read_dmn, task_decision
from engine.bpmn.forms import check_forms
from engine.bpmn.loops import check_crossing_flows, check_loops
from engine.bpmn.pools import check_lanes_present
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
    sources: list[tuple[str, bytes]],
    require_executable: bool = True,
    deployed: Mapping[str, set[int]] | None = None,
    called_xml: Callable[[str, int | None], bytes | None] | None = None,
) -> tuple[list[Problem], dict[str, tuple[Decision, _Dmn]]]:
    """Every problem of the .bpmn and .dmn files deployed together (business rule tasks checked
    against the decisions of the .dmn files), and those decisions by id with their file.

    deployed: the versions of every deployed process by key, which call activities may name
    besides the processes of these files; None (a check without the engine) leaves that out.
    called_xml(key, version): the BPMN of a deployed version (None: the newest) that a call
    binds to, whose form fields and results the caller's conditions may read.
    """
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
        documents.append((filename, root))
    here = {key for _, root in documents for key in executable_keys(root)}
    for filename, root in documents:
        problems += check_business_rule_tasks(root, tables, filename)
        problems += check_forms(root, filename)
        problems += check_lanes_present(root, filename)
        problems += check_loops(root, filename) + check_crossing_flows(root, filename)
        problems += check_calls(root, filename, deployed, here)
    problems += call_cycles(documents)
    called = []
    for call in {c for _, root in documents for c in calls_of(root)}:
        xml = called_xml(call.key, call.version) if called_xml and call.key not in here else None
        if xml is not None:
            called.append(parse_xml(xml).getroot())
    if deployed is None:  # without the engine the names a deployed called process sets are
        documents = [  # unknown: the files calling one are not checked for unset names
            (f, root) for f, root in documents if all(c.key in here for c in calls_of(root))
        ]
    problems += unset_names(documents, called)
    problems += _lone_dmn_files(sources)
    return problems, decisions


def executable_keys(root: etree._Element) -> list[str]:
    """The ids of a file's processes marked executable, in file order: one version each."""
    return [
        p.get("id")
        for p in root.iter(f"{{{n.BPMN}}}process")
        if p.get("isExecutable") == "true" and p.get("id")
    ]


def call_cycles(documents: list[tuple[str, etree._Element]]) -> list[Problem]:
    """Processes deployed together that call each other round in a circle cannot bind: each
    binds to the version of the other deployed before it."""
    _, cycle = _call_order(documents)
    return [
        Problem.found(
            filename,
            call.line,
            call.element,
            "call_cycle",
            process=call.key,
            keys=" -> ".join(keys),
        )
        for filename, call, keys in cycle
    ]


def _call_order(documents) -> tuple[list[tuple[str, etree._Element, str]], list]:
    """The executable processes of the files, each after the processes it calls in the same
    deploy; and the first circle of calls found (filename, call, keys), if any."""
    units = {key: (f, root) for f, root in documents for key in executable_keys(root)}
    ordered: list[tuple[str, etree._Element, str]] = []
    state: dict[str, str] = {}
    cycle: list = []

    def visit(key: str, path: list[str]) -> None:
        if state.get(key) == "done" or cycle:
            return
        filename, root = units[key]
        state[key] = "open"
        for call in calls_of(root, key):
            if call.key in units and call.version is None and call.key != key:
                if state.get(call.key) == "open":
                    loop = [*path[path.index(call.key) :], key, call.key]
                    cycle.append((filename, call, loop))
                    return
                visit(call.key, [*path, key])
        state[key] = "done"
        ordered.append((filename, root, key))

    for key in units:
        visit(key, [])
    return ordered, cycle[:1]


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
    return {task_decision(t)[0] for t in root.iter(f"{{{n.BPMN}}}businessRuleTask")}


def deployed_versions(session: Session) -> dict[str, set[int]]:
    """Every deployed process's versions by key (what call activities may bind to)."""
    found: dict[str, set[int]] = {}
    for key, version in session.execute(select(Definition.key, Definition.version)):
        found.setdefault(key, set()).add(version)
    return found


def check_deployable(
    session: Session, sources: list[tuple[str, bytes]]
) -> tuple[list[Problem], dict[str, tuple[Decision, _Dmn]]]:
    """check_sources against what is deployed: call activities may name deployed processes,
    and the names those set count for the callers' conditions."""
    versions = deployed_versions(session)

    def called_xml(key: str, version: int | None) -> bytes | None:
        if version not in versions.get(key, ()) and (version is not None or key not in versions):
            return None
        return bytes(get(session, key, version).xml)

    return check_sources(sources, deployed=versions, called_xml=called_xml)


def deploy(
    session: Session,
    sources: list[tuple[str, bytes]],
    user: str,
    roles: RoleMap,
    store: WorkflowStore,
    now: datetime,
) -> list[Deployed]:
    """Validate every (filename, bytes); on any problem store nothing, else add new versions:
    one per executable process of each file, a called process before its callers."""
    problems, decisions = check_deployable(session, sources)
    if problems:
        raise DeployError(problems)
    documents = {f: d for f, d in sources if not is_dmn(f)}
    ordered, _ = _call_order([(f, parse_xml(d, f).getroot()) for f, d in documents.items()])
    results = []
    for filename, root, key in ordered:
        data = documents[filename]
        sop = read_bpmn(data, key)
        digest = hashlib.sha256(data).hexdigest()
        called = {c.key: get(session, c.key, c.version) for c in calls_of(root, key)}
        used = {decisions[ref][1] for ref in decision_refs(data)} | {
            _Dmn(f.filename, f.sha256, bytes(f.xml))  # what the called processes decide with
            for d in called.values()
            for f in d.decision_files
        }
        used = sorted(used, key=lambda f: (f.filename, f.sha256))
        latest = _latest(session, key)
        if (
            latest is not None
            and latest.sha256 == digest
            and sorted(f.sha256 for f in latest.decision_files) == sorted(f.sha256 for f in used)
            and all(latest.spec.get("calls", {}).get(k) == d.id for k, d in called.items())
        ):
            results.append(Deployed(latest, False))
            continue
        process = root.find(f".//*[@id='{key}']")
        starters = [v for k, v in properties(process) if k == STARTER_PROPERTY]
        first_lane = sop.steps[0].actor if sop.steps else ""
        definition = Definition(
            key=key,
            version=(latest.version + 1) if latest else 1,
            name=sop.name,
            code=sop.code,
            filename=Path(filename).name,
            sha256=digest,
            xml=data,
            sop=sop_to_dict(sop),
            task_steps={s.element_id: s.no for s in sop.steps},
            starter_roles=[roles.role(key, r) for r in starters or [first_lane]],
            spec=store.spec_dict(data, key, Path(filename).name, called),
            deployed_by=user,
            deployed_at=now,
            decision_files=[
                DecisionFile(filename=f.filename, sha256=f.sha256, xml=f.xml) for f in used
            ],
        )
        session.add(definition)
        session.flush()
        log.info("deployed %s version %s from %s", key, definition.version, filename)
        results.append(Deployed(definition, True))
    return results


def latest(session: Session, key: str) -> Definition | None:
    """The newest version of a process, or None when it was never deployed."""
    return _latest(session, key)


def _latest(session: Session, key: str) -> Definition | None:
    return session.scalar(_newest(Definition, key))


def get(session: Session, key: str, version: int | None = None) -> Definition:
    """A version of a process (default: the newest)."""
    return _or_missing(session.scalar(_newest(Definition, key, version)), key, version)


def version_id(session: Session, key: str, version: int | None = None) -> int:
    """The id of a version of a process (default: the newest): get without the row."""
    return _or_missing(session.scalar(_newest(Definition.id, key, version)), key, version)


def _newest(column, key: str, version: int | None = None):
    """What of the newest version of a process (or of the given version) to select."""
    query = select(column).where(Definition.key == key)
    query = query.where(Definition.version == version) if version else query
    return query.order_by(Definition.version.desc()).limit(1)


def _or_missing(found, key: str, version: int | None):
    if found is None:
        if version:
            raise NotFound("process_version_missing", key=key, version=version)
        raise NotFound("process_missing", key=key)
    return found


def listing_ids(session: Session) -> list[int]:
    """The ids of every version of every process, newest first within a key: the rows
    themselves (BPMN, spec and SOP, tens of KB each) come from the process's copy."""
    return list(
        session.scalars(select(Definition.id).order_by(Definition.key, Definition.version.desc()))
    )


def keys(session: Session) -> list[str]:
    return list(
        session.scalars(
            select(Definition.key).group_by(Definition.key).order_by(func.min(Definition.id))
        )
    )
