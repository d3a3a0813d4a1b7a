"""Drafts: SOPs edited in the analyst studio, checked as a deploy checks them, and published as a
new version with a change note (mixed into Alur).

A draft starts from a deployed version (its base), from a new empty SOP, or from an SOP table the
web layer read (an `Sop`, written here as BPMN with the automatic layout). Its author saves it
as often as they like; only the author changes, publishes or deletes it.

Publishing checks the draft as deploy does (a draft with problems is refused, nothing stored),
then deploys it as the process's next version, all or nothing. Four eyes: when the draft
changes who performs a step compared with its base (a step moved to another Pelaksana, or a
Pelaksana column renamed, which changes the role of all its steps; engine/sop_diff.py), it
waits "awaiting_approval" instead, new instances keep starting on the current version, and a
second person (another analyst or an administrator, never the author) approves it; only then is
it deployed. The version records both: `deployed_by` the author, `approved_by` the approver.

What needs the second person (`approval_changes`, against the newest version): a change of who
performs a step, a step put in a role its author holds (moved or added there), and an approval
or signing step (a Ya/Tidak decision, or a step whose Kegiatan or Output speaks of signing,
initialling, ratifying or approving) added, removed, moved, or its branches or participants
changed. A file deploy (`alur deploy`, the web deploy page)
goes the same way: such a process is stored as a draft awaiting approval (source "deploy", with
its file name and DMN files) instead of a new version, in the same transaction that deploys the
folder's other processes; `approve_version` approves it by key and version.
"""

from __future__ import annotations

import base64
import logging
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine import access, definitions, users
from engine.bpmn.reader import read_bpmn
from engine.bpmn.validate import Problem
from engine.bpmn.writer import write_bpmn
from engine.bpmn.xmlsafe import XmlError
from engine.errors import Conflict, DeployError, InvalidInput, NotFound, PermissionDenied
from engine.roles import RoleMap
from engine.sop import Identity, Sop, Step
from engine.sop_diff import Change, ChangeKind, diff, match_steps, with_task_ids
from engine.storage.tables import Definition, Draft, User

log = logging.getLogger(__name__)

MAX_XML_BYTES = 2 * 1024 * 1024  # as a .bpmn file on the deploy page
NOTE_MAX = 2000
DRAFT, AWAITING, PUBLISHED = "draft", "awaiting_approval", "published"
STATES = (DRAFT, AWAITING, PUBLISHED)
STUDIO, DEPLOY = "studio", "deploy"  # where a draft came from
OWN_ROLE = "own_role"  # Change.field of a step put in a role its author holds
# an approval or signing step: its Kegiatan or Output speaks of signing, initialling, ratifying
# or approving (besides every Ya/Tidak decision step)
SIGNING = re.compile(
    r"tanda\s*tangan|menandatangan|\bttd\b|\bparaf|\bsah\b|mengesahkan|pengesahan|"
    r"menyetujui|persetujuan|\bsetuju|\bsign|approv",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class DraftRow:
    """A draft as the pages, the API and the CLI see it; xml only when one draft was asked for."""

    id: int
    process_key: str
    name: str
    base_version: int | None
    author: str
    created_at: datetime
    updated_at: datetime
    state: str
    note: str
    submitted_at: datetime | None
    approver: str | None
    approved_at: datetime | None
    approval_note: str
    published_version: int | None
    size: int
    source: str = STUDIO  # "deploy": a file deploy held for approval
    filename: str = ""
    xml: bytes | None = field(default=None, repr=False)

    def as_json(self) -> dict:
        """The draft as the API answers it (the XML as text when it was read)."""
        data = {
            name: getattr(self, name)
            for name in (
                "id process_key name base_version author state note approver approval_note"
                " published_version size source filename"
            ).split()
        }
        for name in ("created_at", "updated_at", "submitted_at", "approved_at"):
            value = getattr(self, name)
            data[name] = value.isoformat() if value else None
        if self.xml is not None:
            data["xml"] = self.xml.decode("utf-8", errors="replace")
        return data


@dataclass(frozen=True)
class NewSop:
    """What an empty SOP needs: its identity, its one Pelaksana column and its first step."""

    code: str
    name: str
    owner: str
    actor: str
    activity: str
    nomor: str = ""
    unit: str = ""


@dataclass(frozen=True)
class Publication:
    """What publishing did: deployed as `version`, or waiting for a second person's approval
    because of `changes` (the steps whose performer the draft changes)."""

    draft: DraftRow
    version: int | None
    changes: list[Change] = field(default_factory=list)

    @property
    def awaiting(self) -> bool:
        return self.version is None

    def as_json(self) -> dict:
        return {
            "draft": self.draft.as_json(),
            "state": self.draft.state,
            "version": self.version,
            "performer_changes": [c.to_dict() for c in self.changes],
        }


def draft_row(draft: Draft, with_xml: bool = False) -> DraftRow:
    return DraftRow(
        id=draft.id,
        process_key=draft.process_key,
        name=draft.name,
        base_version=draft.base_version,
        author=draft.author,
        created_at=draft.created_at,
        updated_at=draft.updated_at,
        state=draft.state,
        note=draft.note,
        submitted_at=draft.submitted_at,
        approver=draft.approver,
        approved_at=draft.approved_at,
        approval_note=draft.approval_note,
        published_version=draft.published_version,
        size=len(draft.xml),
        source=draft.source or STUDIO,
        filename=draft.filename or "",
        xml=bytes(draft.xml) if with_xml else None,
    )


def performer_changes(base: Definition, sop: Sop) -> list[Change]:
    """The changes from base to sop that change who performs a step: a step's Pelaksana, or a
    Pelaksana column renamed (its steps then belong to another role)."""
    old = with_task_ids(base.model, base.task_steps)
    return [
        c
        for c in diff(old, sop)
        if c.change == ChangeKind.ACTOR
        or (c.change == ChangeKind.PELAKSANA and c.field == "renamed")
    ]


# what of an approval or signing step changes who approves or whether the approval holds: it is
# added, removed, moved, its Ya/Tidak branches or its participants change (its Waktu, Kelengkapan,
# Output and wording may change without a second person)
CONTROL = frozenset(
    {
        ChangeKind.ADDED,
        ChangeKind.REMOVED,
        ChangeKind.MOVED,
        ChangeKind.DECISION,
        ChangeKind.PARTICIPANTS,
    }
)


def is_signing(step: Step) -> bool:
    """An approval or signing step: a Ya/Tidak decision, or signing named in its Kegiatan or
    Output."""
    return step.decision is not None or bool(
        SIGNING.search(" ".join([step.activity, *step.output]))
    )


def approval_changes(
    base: Definition, sop: Sop, author: User | None, roles: RoleMap
) -> list[Change]:
    """The changes from base to sop that need a second person's approval: who performs a step
    (performer_changes), a step put in a role the author holds (an added one: old None), and
    an approval or signing step (in either version) added, removed, moved, or its branches or
    participants changed (CONTROL)."""
    old = with_task_ids(base.model, base.task_steps)
    signing, removed_signing, own = set(), set(), []
    for before, after in match_steps(old, sop):
        if after is None:
            if is_signing(before):
                removed_signing.add(before.no)
            continue
        if is_signing(after) or (before is not None and is_signing(before)):
            signing.add(after.no)
        role = roles.role(sop.key, after.actor)
        moved = before is None or roles.role(sop.key, before.actor) != role
        if author is not None and moved and access.holds(author, role):
            was = before.actor if before else None
            own.append(
                Change(after.no, ChangeKind.ACTOR, after.activity, was, after.actor, OWN_ROLE)
            )
    found: list[Change] = []
    for c in diff(old, sop):
        performer = c.change == ChangeKind.ACTOR or (
            c.change == ChangeKind.PELAKSANA and c.field == "renamed"
        )
        touched = c.change in CONTROL and (
            c.step_no in (removed_signing if c.change == ChangeKind.REMOVED else signing)
        )
        if performer or touched:
            found.append(c)
    actors = {c.step_no for c in found if c.change == ChangeKind.ACTOR}
    return found + [c for c in own if c.step_no not in actors]


def _dmn_json(files: list[tuple[str, bytes]]) -> list[dict]:
    return [{"filename": f, "base64": base64.b64encode(x).decode("ascii")} for f, x in files]


def _dmn_files(stored: list | None) -> list[tuple[str, bytes]]:
    return [(f["filename"], base64.b64decode(f["base64"])) for f in stored or []]


def _check_size(xml: bytes) -> None:
    if len(xml) > MAX_XML_BYTES:
        raise InvalidInput("draft_too_large", size=len(xml), limit=MAX_XML_BYTES)
    if not xml.strip():
        raise InvalidInput("draft_empty")


def _note(note: str, required: bool) -> str:
    note = (note or "").strip()
    if required and not note:
        raise InvalidInput("draft_note_required")
    if len(note) > NOTE_MAX:
        raise InvalidInput("draft_note_too_long", limit=NOTE_MAX)
    return note


def _name(xml: bytes, fallback: str) -> str:
    """The process name in the XML, or fallback when it cannot be read (yet)."""
    try:
        return (read_bpmn(xml).name or fallback)[:300]
    except (XmlError, ValueError):
        return fallback


class Drafts:
    """The studio's drafts: create, save, check, publish, approve; each one transaction."""

    # -- reading ----------------------------------------------------------------------------
    def drafts(
        self, username: str, key: str | None = None, state: str | None = None
    ) -> list[DraftRow]:
        """The drafts (newest first), of one process and in one state when given."""
        query = select(Draft)
        if key:
            query = query.where(Draft.process_key == key)
        if state:
            query = query.where(Draft.state == state)
        with self.session(read_only=True) as s:
            self._analyst(s, username)
            return [draft_row(d) for d in s.scalars(query.order_by(Draft.id.desc()))]

    def draft(self, draft_id: int, username: str) -> DraftRow:
        """One draft with its XML."""
        with self.session(read_only=True) as s:
            self._analyst(s, username)
            return draft_row(self._draft(s, draft_id), with_xml=True)

    def draft_changes(self, draft_id: int, username: str) -> list[Change]:
        """The draft's performer changes against its base (empty: none, or no base, or the
        draft cannot be read yet)."""
        with self.session(read_only=True) as s:
            self._analyst(s, username)
            draft = self._draft(s, draft_id)
            return self._performer_changes(s, draft)

    # -- creating ---------------------------------------------------------------------------
    def draft_from_version(self, key: str, version: int | None, username: str) -> DraftRow:
        """A draft holding a deployed version's BPMN (default: the newest)."""
        with self.session() as s:
            user = self._analyst(s, username)
            base = definitions.get(s, key, version)
            return self._add(s, user, key, base.name, base.version, bytes(base.xml))

    def draft_new(self, new: NewSop, username: str) -> DraftRow:
        """A draft of a new SOP: the identity given, one Pelaksana column, one step."""
        fields = {
            "code": new.code,
            "name": new.name,
            "owner": new.owner,
            "actor": new.actor,
            "activity": new.activity,
        }
        empty = [name for name, value in fields.items() if not (value or "").strip()]
        if empty:
            raise InvalidInput("draft_new_invalid", reason=", ".join(empty))
        actor = new.actor.strip()
        sop = Sop(
            code=new.code.strip(),
            name=new.name.strip(),
            owner=new.owner.strip(),
            identity=Identity(nomor=new.nomor.strip(), unit=new.unit.strip(), nama_sop=new.name),
            actors=[actor],
            steps=[Step(no=1, activity=new.activity.strip(), actor=actor)],
        )
        return self.draft_from_sop(sop, username, new_only=True)

    def draft_from_sop(self, sop: Sop, username: str, new_only: bool = False) -> DraftRow:
        """A draft of an SOP model (an uploaded SOP table, read by the web layer), written as
        BPMN with the automatic layout. Its base is the newest deployed version of its key, if
        any (then it is a revision of that process), unless new_only refuses an existing key."""
        problems = sop.problems()
        if problems:
            raise InvalidInput("draft_new_invalid", reason="; ".join(map(str, problems)))
        try:
            xml = write_bpmn(sop)
        except ValueError as error:
            raise InvalidInput("draft_new_invalid", reason=str(error)) from error
        _check_size(xml)
        with self.session() as s:
            user = self._analyst(s, username)
            latest = definitions.latest(s, sop.key)
            if latest is not None and new_only:
                raise Conflict("draft_process_exists", key=sop.key, version=latest.version)
            base = latest.version if latest else None
            return self._add(s, user, sop.key, sop.name, base, xml)

    def draft_from_xml(self, xml: bytes, username: str) -> DraftRow:
        """A draft of a BPMN document (an API client's file): its process id is the key; its base
        is the newest deployed version of that key, if any."""
        _check_size(xml)
        try:
            sop = read_bpmn(xml)
        except (XmlError, ValueError) as error:
            raise InvalidInput("draft_new_invalid", reason=str(error)) from error
        with self.session() as s:
            user = self._analyst(s, username)
            latest = definitions.latest(s, sop.key)
            base = latest.version if latest else None
            return self._add(s, user, sop.key[:200], sop.name[:300], base, xml)

    def _add(
        self, s: Session, user: User, key: str, name: str, base: int | None, xml: bytes
    ) -> DraftRow:
        now = self.clock()
        draft = Draft(
            process_key=key,
            name=name,
            base_version=base,
            xml=xml,
            author=user.username,
            created_at=now,
            updated_at=now,
            state=DRAFT,
            note="",
            approval_note="",
        )
        s.add(draft)
        s.flush()
        log.info("draft %s of %s (base %s) by %s", draft.id, key, base, user.username)
        return draft_row(draft, with_xml=True)

    # -- editing ----------------------------------------------------------------------------
    def save_draft(self, draft_id: int, xml: bytes, username: str) -> DraftRow:
        """Store the draft's new BPMN (its author, while it is a draft). The XML need not be
        valid yet: an analyst saves work in progress; publishing checks it."""
        _check_size(xml)
        with self.session() as s:
            user = self._analyst(s, username)
            draft = self._own(s, draft_id, user, lock=True)
            draft.xml = xml
            draft.name = _name(xml, draft.name)
            draft.updated_at = self.clock()
            return draft_row(draft, with_xml=True)

    def delete_draft(self, draft_id: int, username: str) -> None:
        """Remove a draft not yet published (its author, or an administrator)."""
        with self.session() as s:
            user = self._analyst(s, username)
            draft = self._draft(s, draft_id, lock=True)
            if draft.author != user.username and not user.is_admin:
                raise PermissionDenied("draft_not_author", id=draft.id, author=draft.author)
            if draft.state == PUBLISHED:
                raise Conflict("draft_state", id=draft.id, state=draft.state)
            s.delete(draft)

    def withdraw_draft(self, draft_id: int, username: str) -> DraftRow:
        """Take a draft awaiting approval back to editing (its author)."""
        with self.session() as s:
            user = self._analyst(s, username)
            draft = self._draft(s, draft_id, lock=True)
            if draft.author != user.username:
                raise PermissionDenied("draft_not_author", id=draft.id, author=draft.author)
            if draft.state != AWAITING:
                raise Conflict("draft_state", id=draft.id, state=draft.state)
            draft.state, draft.submitted_at = DRAFT, None
            draft.updated_at = self.clock()
            return draft_row(draft)

    # -- checking ---------------------------------------------------------------------------
    def check_xml(self, xml: bytes, key: str | None = None, username: str = "") -> list[Problem]:
        """Every problem deploy would find in this BPMN (with the DMN files of the process's
        newest version, which a publish deploys with it); key: the process it must be."""
        _check_size(xml)
        with self.session(read_only=True) as s:
            if username:
                self._analyst(s, username)
            return self._problems(s, xml, key)

    def _problems(
        self, s: Session, xml: bytes, key: str | None, dmn: list | None = None
    ) -> list[Problem]:
        filename = f"{key or 'draft'}.bpmn"
        if dmn is None:
            dmn = _dmn(definitions.latest(s, key) if key else None)
        problems, _decisions = definitions.check_deployable(s, [(filename, xml), *dmn])
        if not problems and key:
            found = read_bpmn(xml).key
            if found != key:
                error = InvalidInput("draft_key_changed", found=found, key=key)
                problems.append(
                    Problem(filename, None, found, error.message, error.key, error.params)
                )
        return problems

    # -- publishing -------------------------------------------------------------------------
    def publish_draft(self, draft_id: int, username: str, note: str) -> Publication:
        """Deploy the draft as the process's next version with the change note, or, when it
        changes who performs a step, put it to a second person (awaiting_approval)."""
        note = _note(note, required=True)
        with self.session() as s:
            user = self._analyst(s, username)
            draft = self._own(s, draft_id, user, lock=True)
            self._ready(s, draft)
            draft.note = note
            changes = self._performer_changes(s, draft, user)
            if changes:
                draft.state, draft.submitted_at = AWAITING, self.clock()
                log.info("draft %s of %s awaits approval", draft.id, draft.process_key)
                return Publication(draft_row(draft), None, changes)
            version = self._deploy(s, draft, approver=None)
            return Publication(draft_row(draft), version, [])

    def approve_draft(self, draft_id: int, username: str, note: str = "") -> Publication:
        """A second person (another analyst or an administrator) approves a draft awaiting
        approval: it is deployed now, all or nothing."""
        note = _note(note, required=False)
        with self.session() as s:
            user = self._analyst(s, username)
            draft = self._draft(s, draft_id, lock=True)
            access.check(access.draft_approval_refusal(draft, user))
            self._ready(s, draft)
            changes = self._performer_changes(s, draft, _author(s, draft))
            draft.approval_note = note
            version = self._deploy(s, draft, approver=user.username)
            return Publication(draft_row(draft), version, changes)

    def _ready(self, s: Session, draft: Draft) -> None:
        """Refuse a draft whose base is no longer the newest version, or that has problems."""
        latest = definitions.latest(s, draft.process_key)
        if draft.base_version is None and latest is not None:
            raise Conflict("draft_process_exists", key=draft.process_key, version=latest.version)
        if draft.base_version is not None and (
            latest is None or latest.version != draft.base_version
        ):
            raise Conflict(
                "draft_base_outdated",
                id=draft.id,
                key=draft.process_key,
                base=draft.base_version,
                latest=latest.version if latest else "-",
            )
        problems = self._problems(s, bytes(draft.xml), draft.process_key, _dmn_of(draft, latest))
        if problems:
            raise DeployError(problems)

    def _deploy(self, s: Session, draft: Draft, approver: str | None) -> int:
        latest = definitions.latest(s, draft.process_key)
        filename = draft.filename or (
            latest.filename if latest and latest.filename else f"{draft.process_key}.bpmn"
        )
        sources = [(filename, bytes(draft.xml)), *_dmn_of(draft, latest)]
        now = self.clock()
        deployed = definitions.deploy(s, sources, draft.author, self.roles, self.store, now)
        (result,) = [d for d in deployed if d.definition.key == draft.process_key]
        if not result.created:
            raise InvalidInput("draft_unchanged", id=draft.id, key=draft.process_key)
        definition = result.definition
        definition.note, definition.approved_by = draft.note, approver
        draft.state, draft.published_version, draft.updated_at = PUBLISHED, definition.version, now
        if approver:
            draft.approver, draft.approved_at = approver, now
        log.info(
            "draft %s published as %s version %s by %s%s",
            draft.id,
            draft.process_key,
            definition.version,
            draft.author,
            f", approved by {approver}" if approver else "",
        )
        return definition.version

    def _performer_changes(
        self, s: Session, draft: Draft, author: User | None = None
    ) -> list[Change]:
        """What of the draft needs a second person (approval_changes against its base)."""
        if draft.base_version is None:
            return []
        base = definitions.get(s, draft.process_key, draft.base_version)
        try:
            sop = read_bpmn(bytes(draft.xml))
        except (XmlError, ValueError):
            return []
        return approval_changes(base, sop, author or _author(s, draft), self.roles)

    # -- a file deploy held for approval ------------------------------------------------------
    def deploy_held(
        self, s: Session, sources: list[tuple[str, bytes]], username: str, note: str = ""
    ) -> list[definitions.Deployed]:
        """Deploy files (alur deploy, the web deploy page) in the caller's transaction, all or
        nothing: a process whose change needs a second person (approval_changes against its
        newest version) is stored as a draft awaiting approval, and new instances keep starting
        on that version; the others become new versions."""
        problems, decisions = definitions.check_sources(sources)
        if problems:
            raise DeployError(problems)
        deployer = s.scalar(select(User).where(User.username == username))
        held, rest = [], []
        for filename, data in sources:
            found = None if definitions.is_dmn(filename) else self._held(s, data, deployer)
            if found:
                held.append((filename, data, *found))
            else:
                rest.append((filename, data))
        results = []
        if any(not definitions.is_dmn(f) for f, _ in rest):
            results = definitions.deploy(s, rest, username, self.roles, self.store, self.clock())
        for filename, data, sop, latest, changes in held:
            files = {decisions[ref][1] for ref in definitions.decision_refs(data)}
            used = sorted((f.filename, f.xml) for f in files)
            draft = self._hold(s, filename, data, sop, latest, username, note, used)
            results.append(definitions.Deployed(latest, False, draft_row(draft), changes))
        return results

    def _held(self, s: Session, data: bytes, deployer: User | None):
        """(sop, latest, changes) when this BPMN file must wait for approval, else None."""
        sop = read_bpmn(data)
        latest = definitions.latest(s, sop.key)
        if latest is None:
            return None
        changes = approval_changes(latest, sop, deployer, self.roles)
        return (sop, latest, changes) if changes else None

    def _hold(self, s, filename, data, sop, latest, username, note, dmn) -> Draft:
        """The draft awaiting approval for a held file (the same one when it is deployed again)."""
        now = self.clock()
        draft = s.scalar(
            select(Draft)
            .where(
                Draft.process_key == sop.key,
                Draft.state == AWAITING,
                Draft.source == DEPLOY,
                Draft.author == username,
                Draft.base_version == latest.version,
            )
            .order_by(Draft.id.desc())
            .limit(1)
        )
        if draft is None or bytes(draft.xml) != data:
            draft = Draft(
                process_key=sop.key,
                name=sop.name[:300],
                base_version=latest.version,
                xml=data,
                author=username,
                created_at=now,
                state=AWAITING,
                source=DEPLOY,
                approval_note="",
            )
            s.add(draft)
        draft.filename = Path(filename).name[:255]
        draft.decisions = _dmn_json(dmn)
        draft.note = _note(note, required=False) or f"deploy {draft.filename}"
        draft.updated_at = draft.submitted_at = now
        s.flush()
        log.info(
            "deploy of %s by %s held as draft %s: awaits approval", sop.key, username, draft.id
        )
        return draft

    def approve_version(
        self, key: str, version: int | None, username: str, note: str = ""
    ) -> Publication:
        """Approve the draft of key awaiting approval as `version` (None: the one awaiting)."""
        with self.session(read_only=True) as s:
            self._analyst(s, username)
            query = select(Draft.id).where(Draft.process_key == key, Draft.state == AWAITING)
            if version is not None:
                query = query.where(Draft.base_version == version - 1)
            ids = list(s.scalars(query.order_by(Draft.id)))
        if not ids:
            raise NotFound("approval_missing", key=key, version=version or "-")
        if len(ids) > 1:
            raise Conflict(
                "approval_ambiguous", key=key, version=version or "-", ids=", ".join(map(str, ids))
            )
        return self.approve_draft(ids[0], username, note)

    # -- helpers ----------------------------------------------------------------------------
    @staticmethod
    def _analyst(s: Session, username: str) -> User:
        user = users.get(s, username)
        if not access.may_edit_drafts(user):
            raise PermissionDenied("drafts_forbidden")
        return user

    @staticmethod
    def _draft(s: Session, draft_id: int, lock: bool = False) -> Draft:
        query = select(Draft).where(Draft.id == draft_id)
        draft = s.scalar(query.with_for_update() if lock else query)
        if draft is None:
            raise NotFound("draft_missing", id=draft_id)
        return draft

    def _own(self, s: Session, draft_id: int, user: User, lock: bool = False) -> Draft:
        """A draft the user wrote and may still change."""
        draft = self._draft(s, draft_id, lock)
        if draft.author != user.username:
            raise PermissionDenied("draft_not_author", id=draft.id, author=draft.author)
        if draft.state != DRAFT:
            raise Conflict("draft_state", id=draft.id, state=draft.state)
        return draft


def _author(s: Session, draft: Draft) -> User | None:
    """The draft's author as a user (None: a deploy by a name that is no user, e.g. from cron)."""
    return s.scalar(select(User).where(User.username == draft.author))


def _dmn_of(draft: Draft, latest: Definition | None) -> list[tuple[str, bytes]]:
    """The DMN files a draft is checked and deployed with: those its file deploy brought, else
    those of the process's newest version."""
    if draft.source == DEPLOY:
        return _dmn_files(draft.decisions)
    return _dmn(latest)


def _dmn(definition: Definition | None) -> list[tuple[str, bytes]]:
    """The DMN files a version deployed with (a draft of it is checked and deployed with them)."""
    if definition is None:
        return []
    return [(f.filename, bytes(f.xml)) for f in definition.decision_files]
