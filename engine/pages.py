"""Facade methods that answer a whole page or API call in one transaction (mixed into Alur)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session

from engine import (
    access,
    audit,
    definitions,
    delegations,
    eventlog,
    inbox,
    incidents,
    involvement,
    notifications,
    overview,
    rows,
    task_drafts,
    users,
)
from engine.bpmn import reader
from engine.bpmn.dmn import DecisionTable, LiteralDecision
from engine.bpmn.forms import forms_of
from engine.errors import Conflict, NotFound, PermissionDenied
from engine.files import Upload
from engine.inbox import InboxFilter
from engine.overview import InstanceFilter, InstanceList
from engine.runtime import lifecycle
from engine.runtime.decision_files import read_cached
from engine.runtime.lifecycle import Completion
from engine.storage.tables import Definition, HumanTask, Instance, StoredFile, User
from engine.views import (
    DecisionFileRow,
    DecisionRow,
    FileRow,
    InboxRow,
    InstancePage,
    MineRow,
    MineTask,
    Nav,
    NextStep,
    Outcome,
    TaskPage,
    abilities,
    event_row,
    file_row,
    inbox_row,
    may_cancel,
    task_actions,
    task_row,
)

# The database errors a page answers with "try again" (503) rather than a server error.
DATABASE_ERRORS = (DBAPIError,)


class Pages:
    """Reads and writes shaped for the web pages and the JSON API."""

    # -- health -------------------------------------------------------------------------------
    def ping(self) -> str | None:
        """None when the database answers SELECT 1, else the first line of the reason."""
        try:
            with self.db.connect() as connection:
                connection.execute(text("SELECT 1"))
        except SQLAlchemyError as error:
            reason = str(getattr(error, "orig", None) or error).strip().splitlines()
            return (reason[0] if reason else "") or type(error).__name__
        return None

    @staticmethod
    def unavailable(error: BaseException) -> str | None:
        """The reason when error means the database is unreachable or restarting, else None."""
        if not isinstance(error, DBAPIError):
            return None
        if not error.connection_invalidated and not isinstance(error, OperationalError):
            return None
        return str(error.orig)

    @staticmethod
    def decision_gateways(definition: Definition) -> dict:
        """Decision step element -> its gateway (id and outgoing flow by Ya/Tidak) in the BPMN."""
        return reader.decision_gateways(definition.xml, definition.task_steps)

    # -- the process page ------------------------------------------------------------------------
    def decision_files(self, key: str, version: int) -> tuple[DecisionFileRow, ...]:
        """The DMN files a version was deployed with, and the decisions each holds."""
        with self.session(read_only=True) as s:
            definition = definitions.get(s, key, version)
            found = []
            for stored in definition.decision_files:
                xml = bytes(stored.xml)
                read = read_cached(stored.sha256, xml, stored.filename)
                found.append(
                    DecisionFileRow(
                        stored.filename,
                        stored.sha256,
                        xml,
                        tuple(_decision_row(d) for d in read.decisions),
                    )
                )
            return tuple(found)

    def version_counts(self, key: str) -> dict[int, dict[str, int]]:
        """Per version of the process: how many instances are running and suspended."""
        query = (
            select(Definition.version, Instance.state, func.count(Instance.id))
            .join(Instance.definition)
            .where(Definition.key == key, Instance.state.in_(("running", "suspended")))
            .group_by(Definition.version, Instance.state)
        )
        counts: dict[int, dict[str, int]] = {}
        with self.session(read_only=True) as s:
            for version, state, count in s.execute(query):
                counts.setdefault(version, {"running": 0, "suspended": 0})[state] = count
        return counts

    # -- people and what they may do --------------------------------------------------------
    def people(self) -> dict[str, str]:
        """Every user's full name by username."""
        with self.session(read_only=True) as s:
            return {name: full for name, full in s.execute(select(User.username, User.full_name))}

    def nav(self, username: str) -> Nav:
        """What the navigation of every page shows, from one read."""
        with self.session(read_only=True) as s:
            user = self._person(s, username)
            handles = access.may_handle_incidents(user)
            return Nav(
                inbox_count=inbox.inbox_count(s, user, InboxFilter(), self.clock()),
                unread_count=notifications.unread_count(s, user),
                can=abilities(user),
                incident_count=incidents.open_count(s) if handles else 0,
            )

    # -- the task page -----------------------------------------------------------------------
    def task_page(self, task_id: int, username: str) -> TaskPage:
        """The task, the person, the instance, its files and history, from one read.

        PermissionDenied carries hidden=True (and the task's role) when the person may not see
        the task.
        """
        with self.session(read_only=True) as s:
            task, user = inbox.get(s, task_id), self._person(s, username)
            if not access.may_view_task(task, user):
                raise PermissionDenied("task_hidden", id=task.id, role=task.role, hidden=True)
            instance = s.get(Instance, task.instance_id)
            version, step_no = lifecycle.step_of(s, instance, task)
            files = select(StoredFile).where(StoredFile.instance_id == instance.id)
            return TaskPage(
                task=task_row(task),
                user=user,
                instance=instance,
                files=tuple(map(file_row, s.scalars(files.order_by(StoredFile.id)))),
                history=tuple(map(event_row, audit.history(s, instance.id))),
                actions=task_actions(task, user, suspended=instance.state == "suspended"),
                fields=_form_fields(version, step_no),
                step_version=version,
                draft=task_drafts.of(s, task.id, user.username) if task.state == "open" else None,
            )

    # -- drafts and removing a file before completing -----------------------------------------
    def save_task_draft(
        self, task_id: int, username: str, data: dict, uploads: list[Upload] = ()
    ) -> tuple[datetime, int]:
        """Keep what the person typed and ticked (and the files chosen) on an open task they
        may complete; returns when it was saved and how many files were attached."""
        for upload in uploads:
            self.files.check(upload)
        cleaned = task_drafts.clean(data)  # a bad draft is refused before anything is stored
        with self.session() as s:
            task, user = inbox.get(s, task_id), users.get(s, username)
            if not access.may_view_task(task, user):
                raise PermissionDenied("task_hidden", id=task.id, role=task.role, hidden=True)
            access.check(access.complete_refusal(task, user))
            now = self.clock()
            draft = task_drafts.save(s, task.id, user.username, cleaned, now)
            for upload in uploads:
                self._file_row(s, task, user, upload, self.files.put(upload))
            return draft.saved_at, len(uploads)

    def task_draft(self, task_id: int, username: str) -> dict | None:
        """The person's draft of a task they may see (None when they saved none)."""
        with self.session(read_only=True) as s:
            task, user = inbox.get(s, task_id), users.get(s, username)
            if not access.may_view_task(task, user):
                raise PermissionDenied("task_hidden", id=task.id, role=task.role, hidden=True)
            return task_drafts.of(s, task.id, user.username)

    @staticmethod
    def clean_task_draft(data: dict) -> dict:
        """A draft as it is stored (bounded; InvalidInput when it cannot be)."""
        return task_drafts.clean(data)

    def remove_task_file(self, task_id: int, file_id: int, username: str) -> str:
        """Remove a file its uploader attached to an open task; no row and (when no other file
        has the same bytes) no blob is left. Returns the file's name."""
        with self.session() as s:
            task, user = inbox.get(s, task_id), users.get(s, username)
            if not access.may_view_task(task, user):
                raise PermissionDenied("task_hidden", id=task.id, role=task.role, hidden=True)
            stored = s.get(StoredFile, file_id, with_for_update=True)
            if stored is None:
                raise NotFound("file_not_of_task", id=file_id, task=task.id)
            access.check(access.file_removal_refusal(task, stored, user))
            name, digest = stored.name, stored.sha256
            s.delete(stored)
            audit.record(
                s, task.instance_id, "file_removed", user.username, task, at=self.clock(),
                file=file_id, name=name, sha256=digest,
            )  # fmt: skip
            s.flush()
            shared = s.scalar(select(func.count(StoredFile.id)).where(StoredFile.sha256 == digest))
        if not shared:  # the row is gone for good: so are its bytes
            self.files.remove(digest)
        return name

    def keep_overtaken_files(
        self, task_id: int, username: str, uploads: list[Upload]
    ) -> list[FileRow]:
        """Someone else completed (or took) the task before the person's completion arrived:
        their files are kept with the instance (no step's output), so they can download and
        reuse them; each is a 'file_kept' event of the step. Only a person who may see the
        task, and only while it is not theirs to complete."""
        for upload in uploads:
            self.files.check(upload)
        with self.files.staging() as stage, self.session() as s:
            task, user = inbox.get(s, task_id), self._person(s, username)
            if not access.may_view_task(task, user):
                raise PermissionDenied("task_hidden", id=task.id, role=task.role, hidden=True)
            if task.state == "open" and access.complete_refusal(task, user) is None:
                raise Conflict("task_still_yours", id=task.id)
            now, kept = self.clock(), []
            for upload in uploads:
                row = StoredFile(
                    sha256=stage.put(upload),
                    name=upload.name,
                    size=len(upload.data),
                    content_type=upload.content_type or "application/octet-stream",
                    uploaded_by=user.username,
                    uploaded_at=now,
                    instance_id=task.instance_id,
                    human_task_id=None,  # not the step's output: the step was done without it
                )
                s.add(row)
                s.flush()
                audit.record(
                    s, task.instance_id, "file_kept", user.username, task, at=now,
                    file=row.id, name=row.name, sha256=row.sha256, size=row.size,
                )  # fmt: skip
                kept.append(file_row(row))
            s.flush()
            stage.publish()
            return kept

    # -- the instance page -------------------------------------------------------------------
    def instance_page(
        self, instance_id: int, username: str, window: tuple[int, int] | None = None
    ) -> InstancePage:
        """The instance, its tasks, history and the files it names, and who may take over, from
        one read. window=(first, newest): of a longer history only its first and newest events
        (the rest counted); None: every event.

        PermissionDenied carries unreadable=True when the person may not read the instance.
        """
        with self.session(read_only=True) as s:
            instance, user = self._instance(s, instance_id), self._person(s, username)
            if not access.may_read_instance(s, instance, user):
                raise PermissionDenied(
                    "instance_not_involved", user=username, id=instance.id, unreadable=True
                )
            now, can = self.clock(), abilities(user)
            tasks = select(HumanTask).where(HumanTask.instance_id == instance.id)
            tasks = tuple(task_row(t, now) for t in s.scalars(tasks.order_by(HumanTask.id)))
            if window is None:
                events = audit.history(s, instance.id)
                count = len(events)
            else:
                count, events = audit.history_ends(s, instance.id, *window)
            history = tuple(map(event_row, events))
            named = None if window is None else {i for e in history for i in e.file_ids}
            roles = [t.role for t in tasks if t.state == "open"] if can.supervise else []
            return InstancePage(
                instance=instance,
                user=user,
                tasks=tasks,
                files=_files(s, instance.id, named),
                history=history,
                history_count=count,
                holders={role: users.holders(s, role) for role in dict.fromkeys(roles)},
                uncovered=frozenset(
                    delegations.uncovered_roles(
                        s, {t.role for t in tasks if t.state == "open" and not t.claimed_by}, now
                    )
                ),
                can=can,
                may_cancel=may_cancel(instance, user, self.lane_roles(instance.definition)),
                incidents=tuple(incidents.listing(s, True, instance.id)),
            )

    # -- 'Semua proses' ------------------------------------------------------------------------
    def all_instances(self, username: str, flt: InstanceFilter) -> InstanceList:
        """A page of every instance (filtered, newest first) for those who may list them all."""
        with self.session(read_only=True) as s:
            user = users.get(s, username)
            if not access.may_list_instances(user):
                raise PermissionDenied("instances_list_forbidden", user=username)
            return overview.page(s, flt, self.clock())

    def event_log_page(
        self,
        process: str,
        since: datetime | None = None,
        until: datetime | None = None,
        after: int = 0,
        username: str | None = None,
        limit: int = eventlog.PAGE,
    ) -> list[eventlog.Trace]:
        """A page of the process's event log (traces with id > after), from one read.

        username: the person asking (the web), who must be one who sees every instance; None
        for the command line. NotFound when no version of the process is deployed.
        """
        with self.session(read_only=True) as s:
            if username is not None and not access.may_list_instances(users.get(s, username)):
                raise PermissionDenied("instances_list_forbidden", user=username)
            if s.scalar(select(Definition.id).where(Definition.key == process).limit(1)) is None:
                raise NotFound("process_missing", key=process)
            return eventlog.traces_page(s, process, since, until, after, limit)

    # -- the inbox ---------------------------------------------------------------------------
    def inbox_rows(self, username: str, flt: InboxFilter | None = None) -> list[InboxRow]:
        """The person's inbox (soonest due first) with instance titles, from one read."""
        with self.session(read_only=True) as s:
            person = self._person(s, username)
            tasks = inbox.inbox(s, person, flt or InboxFilter(), self.clock())
            acting = {r: person.acting_for[r] for r in person.acting_roles}
            ids = {t.instance_id for t in tasks}
            query = (
                select(Instance.id, Instance.title, Definition.version)
                .join(Instance.definition)
                .where(Instance.id.in_(ids))
            )
            found = {i: (title, version) for i, title, version in s.execute(query)} if ids else {}
            several = self._keys_running_versions(s, {t.process_key for t in tasks})
            free = {t.role for t in tasks if not t.assignee and not t.claimed_by}
            away = delegations.uncovered_roles(s, free, self.clock())
            return [
                inbox_row(
                    t,
                    found[t.instance_id][0],
                    found[t.instance_id][1] if t.process_key in several else None,
                    t.role in away and not t.claimed_by,
                    None if t.assignee == username else acting.get(t.role),
                )
                for t in tasks
            ]

    @staticmethod
    def _keys_running_versions(s: Session, keys: set[str]) -> set[str]:
        """Of keys, the processes whose running (or suspended) instances run several versions."""
        if not keys:
            return set()
        query = (
            select(Instance.process_key)
            .join(Instance.definition)
            .where(Instance.state.in_(("running", "suspended")), Instance.process_key.in_(keys))
            .group_by(Instance.process_key)
            .having(func.count(func.distinct(Definition.version)) > 1)
        )
        return set(s.scalars(query))

    # -- 'My processes' -----------------------------------------------------------------------
    def mine(self, username: str, limit: int = 100) -> list[MineRow]:
        """Instances username started or acted in, newest first, with their open steps."""
        with self.session(read_only=True) as s:
            user = self._person(s, username)
            found = involvement.instances_of(s, username, limit)
            open_tasks: dict[int, list[HumanTask]] = {}
            if found:
                query = select(HumanTask).where(
                    HumanTask.state == "open", HumanTask.instance_id.in_([i.id for i in found])
                )
                for task in s.scalars(
                    query.order_by(HumanTask.due_at.asc().nulls_last(), HumanTask.id)
                ):
                    open_tasks.setdefault(task.instance_id, []).append(task)
            now = self.clock()
            return [_mine_row(i, open_tasks.get(i.id, []), user, now) for i in found]

    # -- completing from the web and the API ------------------------------------------------
    def complete_from_web(
        self,
        task_id: int,
        username: str,
        check: Callable[[dict | None], Completion | None],
        uploads: list[Upload] = (),
    ) -> Outcome:
        """Read, check and complete a task in one write transaction; the outcome for the page.

        check gets the SOP step and returns the Completion, or None when the form has errors:
        then the uploads (already valid files) are kept with the task and nothing else changes.
        The files' bytes are put in place only when the transaction is about to commit.
        PermissionDenied carries hidden=True when the person may not even see the task;
        Conflict carries closed=True when it is no longer open.
        """
        for upload in uploads:
            self.files.check(upload)  # refuse an oversized file before anything else

        def work(s: Session):
            task, user = lifecycle.lock_task(s, task_id), self._person(s, username)
            if not access.may_view_task(task, user):
                raise PermissionDenied("task_hidden", id=task.id, role=task.role, hidden=True)
            if task.state != "open":
                raise Conflict(
                    "task_not_open", id=task.id, state=task.state, task=task.id, closed=True
                )
            instance = s.get(Instance, task.instance_id)
            version, step_no = lifecycle.step_of(s, instance, task)
            form = check(version.model.find(step_no))
            # the bytes are written aside (fsynced) and put in place just before the commit:
            # a refusal anywhere before it leaves no blob behind
            digests = [stage.put(u) for u in uploads]
            attached = [
                self._file_row(s, task, user, u, d) for u, d in zip(uploads, digests, strict=True)
            ]
            outcome = Outcome(task.id, task.instance_id, task.step_no, attached=len(attached))
            if form is None:
                stage.publish()
                return outcome, instance, None
            kept = s.scalars(
                select(StoredFile.id)
                .where(StoredFile.human_task_id == task.id)
                .order_by(StoredFile.id)
            )
            form.file_ids = [*form.file_ids, *kept]
            fields = {f.id for f in _form_fields(version, step_no)}
            form.data = {k: v for k, v in form.data.items() if k in fields}  # the page's only
            instance, handle = lifecycle.complete(s, self.ctx, task, user, form)
            after = _open_tasks(s, instance.id, self.clock())
            nexts = tuple(NextStep(t.step_no, t.name, t.lane, t.role) for t in after)
            outcome = Outcome(
                task.id,
                instance.id,
                task.step_no,
                done=True,
                decision=task.decision,
                finished=instance.state == "completed",
                next=nexts,
            )
            stage.publish()
            return outcome, instance, handle

        with self.files.staging() as stage:
            return self.write_workflow(work)


def _open_tasks(s: Session, instance_id: int, now: datetime) -> list[HumanTask]:
    return inbox.tasks(s, None, InboxFilter(instance_id=instance_id), now)


def _mine_row(instance: Instance, tasks: list[HumanTask], user: User, now) -> MineRow:
    definition = instance.definition
    return MineRow(
        id=instance.id,
        title=instance.title,
        state=instance.state,
        started_by=instance.started_by,
        started_at=instance.started_at,
        ended_at=instance.ended_at,
        process_key=definition.key,
        process_code=definition.code,
        process_name=definition.name,
        open=tuple(
            MineTask(
                t.id,
                t.step_no,
                t.name,
                t.role,
                t.claimed_by,
                t.due_at,
                mine=access.complete_refusal(t, user) is None,
            )
            for t in tasks
        ),  # fmt: skip
        overdue=any(rows.overdue(t.state, t.due_at, now) for t in tasks),
    )


def _files(s: Session, instance_id: int, named: set[int] | None) -> tuple[FileRow, ...]:
    """The instance's files, oldest first: all of them, or those named (by the events a page
    shows)."""
    found = select(StoredFile).where(StoredFile.instance_id == instance_id)
    if named is not None:
        if not named:
            return ()
        found = found.where(StoredFile.id.in_(named))
    return tuple(map(file_row, s.scalars(found.order_by(StoredFile.id))))


def _decision_row(decision: DecisionTable | LiteralDecision) -> DecisionRow:
    if isinstance(decision, DecisionTable):
        policy = decision.hit_policy + (f" {decision.aggregation}" if decision.aggregation else "")
        return DecisionRow(decision.id, decision.name, True, policy, len(decision.rules))
    return DecisionRow(decision.id, decision.name, False, "", 0)


def _form_fields(definition: Definition, step_no: int | None) -> tuple:
    """The form fields of the user task a step was read from (none for other steps)."""
    element = next((e for e, no in definition.task_steps.items() if no == step_no), None)
    return forms_of(definition.sha256, definition.xml).get(element, ())
