"""The engine facade: every caller (web UI, CLI, tests) goes through these methods."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime
from pathlib import Path

from SpiffWorkflow.exceptions import SpiffWorkflowException
from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from engine import (
    access,
    analytics,
    analytics_totals,
    audit,
    definitions,
    delegations,
    inbox,
    incidents,
    migration,
    users,
)
from engine.admin import UserAdmin
from engine.answers import Answers
from engine.clock import Clock, system_clock
from engine.compare import Compare
from engine.config import Settings
from engine.drafts import Drafts
from engine.errors import (
    Conflict,
    EngineError,
    InvalidInput,
    NotFound,
    PermissionDenied,
    ProcessError,
)
from engine.files import FileStore, Upload
from engine.inbox import InboxFilter
from engine.insights import Insights
from engine.pages import DATABASE_ERRORS, Pages
from engine.roles import RoleMap, normalise
from engine.runtime import failures, lifecycle
from engine.runtime.lifecycle import Completion, Context
from engine.runtime.store import WorkflowStore
from engine.sop import Step
from engine.storage import migrate
from engine.storage.db import make_engine, session_factory
from engine.storage.tables import (
    Definition,
    HumanTask,
    Instance,
    StoredFile,
    User,
)
from engine.views import EventRow, FileRow, TaskRow, event_row, file_row, task_row
from engine.workcalendar import OfficeCalendar

log = logging.getLogger(__name__)
__all__ = ["DATABASE_ERRORS", "Alur"]

# The read session a caller shares across many reads (Alur.one_read), None outside one.
_shared_read: ContextVar[Session | None] = ContextVar("alur_shared_read", default=None)
_PERSONS = "alur_persons"  # the shared read's info: username -> the person as _person read them


def _end(shared: Session, failed: bool = False) -> None:
    """End the shared read's transaction; what it read is forgotten (the next read reads anew).

    A read that went through ends with COMMIT, not the ROLLBACK of close(): psycopg discards
    every statement it prepared on the connection at each ROLLBACK, and the next requests on
    that connection would then have each statement parsed and planned again. A failed read is
    rolled back."""
    if not failed:
        shared.commit()
    shared.close()
    shared.info.pop(_PERSONS, None)


class Alur(Pages, Answers, UserAdmin, Drafts, Compare, Insights):
    """The engine for one database: every caller's door into it."""

    def __init__(self, settings: Settings | None = None, clock: Clock | None = None):
        self.settings = settings or Settings.from_env()
        self.clock: Clock = clock or system_clock  # the engine's one "now"
        self.db = make_engine(self.settings.database_url)
        self.sessions = session_factory(self.db)
        self.read_sessions = session_factory(self.db, read_only=True)
        self.store = WorkflowStore()
        self.roles = RoleMap.from_config(self.settings.role_map)
        self.calendar = OfficeCalendar.from_config(self.settings.calendar)
        self.files = FileStore(self.settings.upload_dir, self.settings.max_upload_bytes)
        self.ctx = Context(self.store, self.roles, self.calendar, self.clock, self.settings.email)
        analytics_totals.keep(self.sessions, self.calendar.timezone)

    def upgrade(self) -> None:
        """The schema to the newest revision, then the analytics' minutes of older rows and,
        on a database from before them, the analytics' sums."""
        migrate.upgrade(self.db)
        with self.session() as s:
            missing = analytics_totals.empty(s)
            analytics.backfill(s, self.calendar)
            if missing:
                analytics_totals.rebuild(s, self.calendar.timezone)

    @contextmanager
    def session(self, read_only: bool = False):
        """A unit of work: commit at the end, roll back and re-raise on any error.

        Inside one_read, a read-only unit is a part of the shared read transaction; a write
        unit ends that transaction first, so the reads after it see what it wrote. Closing a
        session detaches what it loaded, loaded as it was: as after any unit of work."""
        shared = _shared_read.get()
        if shared is not None and read_only:
            try:
                yield shared
            except BaseException:
                _end(shared, failed=True)  # a failed statement must not spoil the reads after it
                raise
            return
        if shared is not None:
            _end(shared)  # ends the read: the reads after the write see what it wrote
        with (self.read_sessions if read_only else self.sessions)() as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    @contextmanager
    def one_read(self) -> Iterator[None]:
        """Within: every read-only unit of this thread is one read transaction, begun at the
        first read and ended on leaving. For a page that reads the person, the navigation and
        its own rows: one BEGIN and one COMMIT instead of one pair per read (see _end)."""
        if _shared_read.get() is not None:
            yield  # already inside one
            return
        with self.read_sessions() as shared:
            token = _shared_read.set(shared)
            try:
                yield
                _end(shared)
            finally:
                _shared_read.reset(token)

    def may_read(self, instance_id: int, username: str) -> bool:
        """Whether the user may read the instance, its diagram and its history."""
        with self.session(read_only=True) as s:
            instance = self._instance(s, instance_id)
            return access.may_read_instance(s, instance, self._person(s, username))

    def lane_roles(self, definition: Definition) -> frozenset[str]:
        """The roles of a process's lanes (its Pelaksana), through the role map."""
        return frozenset(self.roles.role(definition.key, a) for a in definition.model.actors)

    # -- definitions ------------------------------------------------------------------------
    def deploy(self, paths: list[Path], user: str, note: str = "") -> list[definitions.Deployed]:
        files = definitions.collect(paths)
        sources = [(str(p), p.read_bytes()) for p in files]
        return self.deploy_sources(sources, user, note)

    def deploy_sources(self, sources: list[tuple[str, bytes]], user: str, note: str = ""):
        """Deploy the files all or nothing; a process whose change needs a second person waits
        as a draft awaiting approval (engine/drafts.py: deploy_held), its result `awaiting`."""
        with self.session() as s:
            return self.deploy_held(s, sources, user, note)

    def processes(self) -> list[Definition]:
        """Every version of every process, newest first within a key."""
        with self.session(read_only=True) as s:
            return [lifecycle.known_definition(s, i) for i in definitions.listing_ids(s)]

    def definition(self, key: str, version: int | None = None) -> Definition:
        with self.session(read_only=True) as s:
            return lifecycle.known_definition(s, definitions.version_id(s, key, version))

    # -- instances --------------------------------------------------------------------------
    def start(
        self,
        key: str,
        username: str,
        title: str = "",
        data: dict | None = None,
        version: int | None = None,
    ) -> Instance:
        def work(s: Session):
            definition, user = definitions.get(s, key, version), users.get(s, username)
            instance, handle = lifecycle.start(s, self.ctx, definition, user, title, data or {})
            return instance, instance, handle

        return self.write_workflow(work)

    def check_cancel(self, instance_id: int, username: str) -> None:
        """Raise the refusal if the person may not cancel the instance (its state aside)."""
        with self.session(read_only=True) as s:
            instance, user = self._instance(s, instance_id), users.get(s, username)
            refusal = access.cancel_refusal(instance, user, self.lane_roles(instance.definition))
            if isinstance(refusal, PermissionDenied):
                raise refusal

    def cancel(self, instance_id: int, username: str, reason: str) -> Instance:
        with self.session() as s:
            instance = self._instance(s, instance_id, lock=True)
            user = users.get(s, username)
            refusal = access.cancel_refusal(instance, user, self.lane_roles(instance.definition))
            if isinstance(refusal, PermissionDenied):  # the state is lifecycle.cancel's to check
                raise refusal
            lifecycle.cancel(s, self.ctx, instance, user, reason)
            self.store.discard(instance_id)
            return instance

    def instance(self, instance_id: int) -> Instance:
        with self.session(read_only=True) as s:
            return self._instance(s, instance_id)

    def instances(
        self,
        state: str | None = None,
        process: str | None = None,
        started_by: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int = 500,
    ) -> list[Instance]:
        query = select(Instance)
        for column, value in (
            (Instance.state, state),
            (Instance.process_key, process),
            (Instance.started_by, started_by),
        ):
            if value:
                query = query.where(column == value)
        if since:
            query = query.where(Instance.started_at >= since)
        if until:
            query = query.where(Instance.started_at < until)
        with self.session(read_only=True) as s:
            return list(s.scalars(query.order_by(Instance.id.desc()).limit(limit)))

    def history(self, instance_id: int) -> list[EventRow]:
        with self.session(read_only=True) as s:
            self._instance(s, instance_id)
            return [event_row(e) for e in audit.history(s, instance_id)]

    def task_history(self, instance_id: int) -> list[HumanTask]:
        """Every human task of an instance (open, completed, cancelled), oldest first."""
        with self.session(read_only=True) as s:
            self._instance(s, instance_id)
            query = select(HumanTask).where(HumanTask.instance_id == instance_id)
            return list(s.scalars(query.order_by(HumanTask.id)))

    def task_rows(self, instance_id: int) -> list[TaskRow]:
        """Every human task of an instance, oldest first, as rows that say which are late."""
        now = self.clock()
        return [task_row(t, now) for t in self.task_history(instance_id)]

    # -- tasks ------------------------------------------------------------------------------
    def inbox(self, username: str, flt: InboxFilter | None = None) -> list[Row]:
        """The person's open tasks, soonest due first: read-only rows with HumanTask's columns
        as attributes (engine.inbox.inbox)."""
        with self.session(read_only=True) as s:
            return inbox.inbox(s, self._person(s, username), flt or InboxFilter(), self.clock())

    def tasks(self, role: str | None = None, flt: InboxFilter | None = None) -> list[HumanTask]:
        with self.session(read_only=True) as s:
            role = normalise(role) if role else None
            return inbox.tasks(s, role, flt or InboxFilter(), self.clock())

    def task(self, task_id: int) -> HumanTask:
        with self.session(read_only=True) as s:
            return inbox.get(s, task_id)

    def task_step(self, task_id: int) -> Step | None:
        """The SOP step a task performs (of the called process, for a task a call activity's
        process runs); None when the task is no numbered step."""
        with self.session(read_only=True) as s:
            task = inbox.get(s, task_id)
            version, step_no = lifecycle.step_of(s, s.get(Instance, task.instance_id), task)
            return version.model.find(step_no)

    def claim(self, task_id: int, username: str, must_see: bool = False) -> HumanTask:
        """Take a task (one write); must_see: first refuse (hidden=True) a task hidden from them."""
        return self._task_action(task_id, username, inbox.claim, must_see)

    def unclaim(
        self, task_id: int, username: str, must_see: bool = False, reason: str = ""
    ) -> HumanTask:
        """Hand a task back to its role (one write); must_see as for claim. Releasing someone
        else's claim needs a reason, which the history shows."""

        def action(s: Session, task: HumanTask, user: User, now: datetime) -> None:
            inbox.unclaim(s, task, user, now, reason)

        return self._task_action(task_id, username, action, must_see)

    def reassign(self, task_id: int, to: str, by: str) -> HumanTask:
        with self.session() as s:
            task = inbox.get(s, task_id, lock=True)
            inbox.reassign(
                s, task, users.get(s, to), users.get(s, by), self.clock(), self.ctx.email
            )
            return task

    def attach(self, task_id: int, username: str, upload: Upload) -> StoredFile:
        """Store an output document for an open task (bytes on disk first, then the row)."""
        with self.files.staging() as stage, self.session() as s:
            digest = stage.put(upload)
            row = self._file_row(
                s, inbox.get(s, task_id), self._person(s, username), upload, digest
            )
            stage.publish()  # in place before the row commits; a refusal above leaves no blob
            return row

    def complete(
        self,
        task_id: int,
        username: str,
        form: Completion | None = None,
        uploads: list[Upload] = (),
    ) -> HumanTask:
        """Complete a task with its form and files, all in one transaction.

        The files' bytes are written aside (content-addressed, fsynced) and put in place just
        before the transaction commits, so no committed row misses its bytes; their rows and
        audit events commit together with the completion, so a refused completion leaves no
        trace of them, on disk either.
        """
        form = form or Completion()
        for upload in uploads:
            self.files.check(upload)  # refuse an oversized file before writing any

        def work(s: Session):
            task = lifecycle.lock_task(s, task_id)
            user = self._person(s, username)
            digests = [stage.put(u) for u in uploads]
            rows = [
                self._file_row(s, task, user, u, d) for u, d in zip(uploads, digests, strict=True)
            ]
            form.file_ids = [*form.file_ids, *(row.id for row in rows)]
            instance, handle = lifecycle.complete(s, self.ctx, task, user, form)
            stage.publish()
            return task, instance, handle

        with self.files.staging() as stage:
            return self.write_workflow(work)

    def _file_row(self, s: Session, task: HumanTask, user: User, upload: Upload, digest: str):
        if task.state != "open":
            raise Conflict("task_not_open_files", id=task.id, state=task.state)
        access.check(access.completion_refusal(task, user))
        row = StoredFile(
            sha256=digest,
            name=upload.name,  # cleaned when the Upload was made
            size=len(upload.data),
            content_type=upload.content_type or "application/octet-stream",
            uploaded_by=user.username,
            uploaded_at=self.clock(),
            instance_id=task.instance_id,
            human_task_id=task.id,
        )
        s.add(row)
        s.flush()
        audit.record(
            s, task.instance_id, "file_attached", user.username, task, at=row.uploaded_at,
            file=row.id, name=row.name, sha256=digest, size=row.size,
        )  # fmt: skip
        return row

    def files_of(self, instance_id: int) -> list[FileRow]:
        with self.session(read_only=True) as s:
            query = select(StoredFile).where(StoredFile.instance_id == instance_id)
            return [file_row(f) for f in s.scalars(query.order_by(StoredFile.id))]

    # -- helpers ----------------------------------------------------------------------------
    def write_workflow(self, work: Callable):
        """Run an engine step in one transaction; work returns (result, instance, handle).

        The store hands a workflow out of its cache when loading, so after a failure nothing of
        the half-run step survives in memory: the next load reads the database again. A handle
        of None means work found nothing to do.
        """
        try:
            with self.session() as s:
                try:
                    result, instance, handle = work(s)
                except SpiffWorkflowException as err:  # the model failed: nothing is stored
                    raise failures.as_engine_error(err) from err
        except ProcessError as error:
            if error.incident:  # a step of a stored instance: seen by admins and analysts
                self.note_incident(error)
            raise
        if handle is not None:
            self.store.committed(handle, instance.revision)
        return result

    # -- incidents: steps the model could not run (engine/incidents.py) ----------------------
    def note_incident(self, error: EngineError, where: tuple | None = None) -> None:
        """Record the model's failure of a step (after its transaction rolled back); where:
        (instance id, source, task id), default the error's own. Never raises: the failure
        itself is what the caller reports."""
        instance_id, source, task_id = where or error.incident
        try:
            with self.session() as s:
                instance = self._instance(s, instance_id, lock=True)
                incidents.record(s, instance, error, source, self.clock(), task_id)
        except Exception:
            log.exception("instance %s: recording its incident failed", instance_id)

    def incidents(
        self, username: str, open_only: bool = True, instance_id: int | None = None
    ) -> list[incidents.IncidentRow]:
        """The incidents (admins and analysts), the most recently seen first."""
        with self.session(read_only=True) as s:
            self._incident_handler(s, username)
            return incidents.listing(s, open_only, instance_id)

    def instance_incidents(self, instance_id: int) -> list[incidents.IncidentRow]:
        """The open incidents of one instance (its page's banner; the page checks who reads)."""
        with self.session(read_only=True) as s:
            return incidents.listing(s, True, instance_id)

    def retry_incident(self, incident_id: int, username: str) -> incidents.IncidentRow:
        """Run the failed worker step again now (its timers and what follows them); resolved
        when it runs through, else the ProcessError is raised and the incident seen once more."""
        with self.session(read_only=True) as s:
            self._incident_handler(s, username)
            found = incidents.get(s, incident_id)
        if found is None:
            raise NotFound("incident_missing", id=incident_id)
        if not found.retryable:
            raise Conflict("incident_not_retryable", id=incident_id)

        def work(s: Session):
            instance = self._instance(s, found.instance_id, lock=True)
            if instance.state != "running":
                raise Conflict("instance_not_running", id=instance.id, state=instance.state)
            handle = lifecycle.wake(s, self.ctx, instance, username, resolution="retried")
            return None, instance, handle

        self.write_workflow(work)
        with self.session(read_only=True) as s:
            return incidents.get(s, incident_id)

    def _incident_handler(self, s: Session, username: str) -> User:
        user = users.get(s, username)
        if not access.may_handle_incidents(user):
            raise PermissionDenied("incidents_forbidden")
        return user

    def _task_action(self, task_id: int, username: str, action, must_see: bool) -> HumanTask:
        with self.session() as s:
            task, user = inbox.get(s, task_id, lock=True), self._person(s, username)
            if must_see and not access.may_view_task(task, user):
                raise PermissionDenied("task_hidden", id=task.id, role=task.role, hidden=True)
            action(s, task, user, self.clock())
            return task

    def person(self, username: str) -> User:
        """The user with the roles they act in now (Plh./Plt.) attached; NotFound if unknown."""
        with self.session(read_only=True) as s:
            return self._person(s, username)

    def _person(self, s: Session, username: str) -> User:
        """The user with the roles they act in now (Plh./Plt.) attached, for the access rules.
        Inside one_read, read once: a page's sign-in check, its navigation and its rows ask
        for the same person in the same read transaction."""
        if s is not _shared_read.get():
            return delegations.get_user(s, username, self.clock())
        known = s.info.setdefault(_PERSONS, {})
        if username not in known:
            known[username] = delegations.get_user(s, username, self.clock())
        return known[username]

    @staticmethod
    def _instance(s: Session, instance_id: int, lock: bool = False) -> Instance:
        instance = lifecycle.lock_instance(s, instance_id) if lock else s.get(Instance, instance_id)
        if instance is None:
            raise NotFound("instance_missing", id=instance_id)
        return instance

    # -- moving instances between versions; suspend and resume (engine/migration.py) --------
    # Kept together at the end of the class: admins and analysts only.
    def plan_migration(
        self,
        key: str,
        from_version: int,
        to_version: int,
        username: str,
        instance_ids: list[int] | None = None,
        mapping: dict[str, str] | None = None,
    ) -> list[migration.Outcome]:
        """Per instance (the ids given, else every running one of from_version): would it move
        to to_version, and why not. Nothing is stored."""
        mapping = dict(mapping or {})
        with self.session(read_only=True) as s:
            old, new = self._migration_versions(s, key, from_version, to_version, username, mapping)
            ids = migration.instances_of(s, old, instance_ids)
        outcomes = []
        for instance_id in ids:
            with self.session(read_only=True) as s:
                instance = self._instance(s, instance_id)
                outcomes.append(migration.plan(s, self.ctx, instance, old, new, mapping))
        return outcomes

    def migrate(
        self,
        key: str,
        from_version: int,
        to_version: int,
        username: str,
        instance_ids: list[int] | None = None,
        mapping: dict[str, str] | None = None,
        note: str = "",
    ) -> list[migration.Outcome]:
        """Move instances to to_version, each on its own: suspend it (a transaction), then
        migrate it under its row lock and resume it (one more, all or nothing); an instance
        refused or failing is resumed on its old version and stops no other."""
        mapping = dict(mapping or {})
        with self.session(read_only=True) as s:
            old, new = self._migration_versions(s, key, from_version, to_version, username, mapping)
            ids = migration.instances_of(s, old, instance_ids)
        versions = (old.id, new.id, old.version, new.version)
        return [self._migrate_one(i, versions, mapping, username, note) for i in ids]

    def suspend(self, instance_id: int, username: str, note: str = "") -> Instance:
        """No task of the instance can be claimed or completed, the worker skips it."""
        return self._suspension(instance_id, username, note, migration.suspend)

    def resume(self, instance_id: int, username: str, note: str = "") -> Instance:
        return self._suspension(instance_id, username, note, migration.resume)

    def _suspension(self, instance_id: int, username: str, note: str, action) -> Instance:
        with self.session() as s:
            user = self._migrator(s, username)
            instance = self._instance(s, instance_id, lock=True)
            action(s, self.ctx, instance, user, note)
            return instance

    def _migrator(self, s: Session, username: str) -> User:
        user = users.get(s, username)
        if not access.may_migrate(user):
            raise PermissionDenied("migrate_forbidden")
        return user

    def _migration_versions(self, s, key, from_version, to_version, username, mapping):
        self._migrator(s, username)
        if from_version == to_version:
            raise InvalidInput("migration_same_version", version=from_version)
        old, new = definitions.get(s, key, from_version), definitions.get(s, key, to_version)
        migration.check_mapping(old, new, mapping)
        return old, new

    def _migrate_one(self, instance_id, versions, mapping, username, note) -> migration.Outcome:
        """One instance of a batch: suspend it, then migrate and resume it in one transaction."""
        old_id, new_id, old_version, new_version = versions
        suspended_here = False
        try:
            with self.session() as s:
                user = self._migrator(s, username)
                instance = self._instance(s, instance_id, lock=True)
                if instance.state == "running" and instance.definition_id == old_id:
                    migration.suspend(s, self.ctx, instance, user, note="migrasi")
                    suspended_here = True
            with self.session() as s:
                user = users.get(s, username)
                instance = self._instance(s, instance_id, lock=True)
                old, new = s.get(Definition, old_id), s.get(Definition, new_id)
                outcome, _ = migration.execute(s, self.ctx, instance, old, new, mapping, user, note)
                resumed = suspended_here and instance.state == "suspended"
                if resumed:
                    migration.resume(s, self.ctx, instance, user, note="migrasi")
            suspended_here = suspended_here and not resumed  # committed: it runs again
            self.store.discard(instance_id)  # the next step reads the migrated workflow back
        except Exception as error:  # reported for this instance; the batch goes on
            if isinstance(error, SpiffWorkflowException):
                error = failures.as_engine_error(error)
            self.store.discard(instance_id)
            log.exception("instance %s: migration failed", instance_id)
            outcome = migration.Outcome(instance_id, old_version, new_version, "failed")
            if isinstance(error, EngineError) and error.key:
                outcome.reasons.append(migration.Reason(error.key, error.params))
            else:
                reason = error.message if isinstance(error, EngineError) else repr(error)
                outcome.reasons.append(migration.Reason("migration_failed", {"reason": reason}))
        if suspended_here:  # refused or failed: the instance runs on, on its old version
            try:
                with self.session() as s:
                    instance = self._instance(s, instance_id, lock=True)
                    if instance.state == "suspended":
                        user = users.get(s, username)
                        migration.resume(s, self.ctx, instance, user, note="migrasi")
            except Exception:
                log.exception("instance %s: resuming after the migration failed", instance_id)
        return outcome
