"""Facade methods of the analyst's studio: compare two versions (or a version and a draft's XML)
step by step, and turn BPMN into the SOP table and back (mixed into Alur; analysts and admins).

A side of a comparison is a deployed version (its number) or a BPMN document (bytes: a draft
that is not deployed). `compare` answers both SOPs, the changes (`engine.sop_diff`) and, per
side, which steps changed: on the new side added or changed, on the old side removed or changed,
by step number (for the SOP AP flowchart) and by BPMN element id (for the diagram).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from engine import access, definitions, sop_table, users
from engine.errors import InvalidInput, NotFound, PermissionDenied
from engine.sop import Sop
from engine.sop_diff import Change, ChangeKind, diff, match_steps, with_task_ids
from engine.storage.tables import Definition

MAX_XML_BYTES = 4 * 1024 * 1024  # one BPMN document given to compare or convert
ADDED, CHANGED, REMOVED = "added", "changed", "removed"
_NOT_STEP = {ChangeKind.IDENTITY, ChangeKind.PELAKSANA, ChangeKind.ADDED, ChangeKind.REMOVED}

Source = int | bytes | None  # a version number, a BPMN document, or None: the default


@dataclass(frozen=True)
class Side:
    """One side of a comparison: a version (version set) or a draft's XML (version None)."""

    version: int | None
    sop: Sop
    xml: bytes
    marks: dict[int, str] = field(default_factory=dict)  # step number -> added/changed/removed
    elements: dict[str, str] = field(default_factory=dict)  # BPMN element id -> the same

    @property
    def is_draft(self) -> bool:
        return self.version is None


@dataclass(frozen=True)
class Comparison:
    key: str
    old: Side
    new: Side
    changes: tuple[Change, ...]
    versions: tuple[int, ...]  # every deployed version of the process, newest first


class Compare:
    """Comparing versions and converting SOP tables (mixed into Alur)."""

    def compare(self, key: str, old: Source, new: Source, username: str) -> Comparison:
        """The step-level changes from old to new; defaults: the newest version against the
        one before it (one version only: against itself)."""
        with self.session(read_only=True) as s:
            self._modeler(s, username)
            versions = tuple(
                s.scalars(
                    select(Definition.version)
                    .where(Definition.key == key)
                    .order_by(Definition.version.desc())
                )
            )
            if not versions:
                raise NotFound("process_missing", key=key)
            if new is None:
                new = versions[0]
            if old is None:
                newer = new if isinstance(new, int) else versions[0] + 1
                old = next((v for v in versions if v < newer), versions[-1])
            old_side, new_side = self._side(s, key, old), self._side(s, key, new)
        changes = diff(old_side.sop, new_side.sop)
        old_marks, new_marks = _marks(old_side.sop, new_side.sop, changes)
        return Comparison(
            key,
            _marked(old_side, old_marks),
            _marked(new_side, new_marks),
            tuple(changes),
            versions,
        )

    def diff_answer(self, key: str, old: Source, new: Source, username: str) -> list[dict]:
        """The changes as `alur diff --json` prints them (the API's answer)."""
        return [change.to_dict() for change in self.compare(key, old, new, username).changes]

    def sop_table(self, xml: bytes, username: str) -> dict:
        """The SOP table of a BPMN document (stateless: nothing is stored)."""
        self._check_modeler(username)
        return sop_table.bpmn_to_table(_bounded(xml))

    def version_table(self, key: str, version: int | None, username: str) -> tuple[dict, Side]:
        """The SOP table of a deployed version, and that version (its XML to write back to)."""
        with self.session(read_only=True) as s:
            self._modeler(s, username)
            side = self._side(s, key, version)
        return sop_table.bpmn_to_table(side.xml), side

    def table_bpmn(self, table: dict, xml: bytes | None, username: str) -> bytes:
        """BPMN XML of a table, laid out anew; xml: the document the table was read from, whose
        identity, process id and kept step ids survive. TableError lists each bad cell."""
        self._check_modeler(username)
        return sop_table.table_to_bpmn(table, _bounded(xml) if xml else None)

    # -- helpers ----------------------------------------------------------------------------
    def _check_modeler(self, username: str) -> None:
        with self.session(read_only=True) as s:
            self._modeler(s, username)

    @staticmethod
    def _modeler(s, username: str):
        user = users.get(s, username)
        if not access.may_model(user):
            raise PermissionDenied("model_forbidden")
        return user

    @staticmethod
    def _side(s, key: str, source: Source) -> Side:
        """A draft's XML, or a version (None: the newest)."""
        if isinstance(source, bytes):
            sop = read_sop(source)
            if sop.key != key:
                raise InvalidInput("compare_other_process", key=key, other=sop.key)
            return Side(None, sop, source)
        if source is not None and source < 1:
            raise InvalidInput("version_invalid")
        definition = definitions.get(s, key, source)
        sop = with_task_ids(definition.model, definition.task_steps)
        return Side(definition.version, sop, definition.xml)


def read_sop(xml: bytes) -> Sop:
    """The SOP of a BPMN document given by a caller (InvalidInput when it holds none)."""
    return sop_table.read_sop(_bounded(xml))


def _bounded(xml: bytes) -> bytes:
    if len(xml) > MAX_XML_BYTES:
        raise InvalidInput("xml_too_big", size=len(xml) // 1024, limit=MAX_XML_BYTES // 1024)
    return xml


def _marks(old: Sop, new: Sop, changes: list[Change]) -> tuple[dict[int, str], dict[int, str]]:
    """Per side, step number -> how it changed."""
    new_marks = {c.step_no: ADDED for c in changes if c.change == ChangeKind.ADDED}
    old_marks = {c.step_no: REMOVED for c in changes if c.change == ChangeKind.REMOVED}
    changed = {c.step_no for c in changes if c.change not in _NOT_STEP}
    for o, n in match_steps(old, new):
        if o is not None and n is not None and n.no in changed:
            old_marks[o.no] = new_marks[n.no] = CHANGED
    return old_marks, new_marks


def _marked(side: Side, marks: dict[int, str]) -> Side:
    ids = {step.no: step.element_id or step.task_id for step in side.sop.steps}
    elements = {ids[no]: kind for no, kind in marks.items() if no in ids}
    return Side(side.version, side.sop, side.xml, marks, elements)
