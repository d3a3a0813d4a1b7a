"""Instance state as the library's own JSON, written per task: a step writes what it changed.

The spec is stored once per definition version. An instance row keeps the workflow header
(data, root, flags); each SpiffWorkflow task is one row. A save writes only the tasks whose state
changed since the step began, the tasks added or removed, and their parents and children. A
process-local cache keeps recently used workflows keyed by the instance's revision, so the next
step in the same process skips the load; any other writer bumps the revision and forces a reload.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field
from uuid import UUID

from SpiffWorkflow.bpmn import BpmnWorkflow
from sqlalchemy import bindparam, delete, func, insert, select, update
from sqlalchemy.orm import Session

from engine.runtime import spiff
from engine.runtime.decision_files import Decisions, DmnSource
from engine.storage.tables import Definition, Instance, WorkflowTask

# Core statements on the table, built once: the task rows are written as plain rows, without
# the ORM's bulk machinery, and on the session's connection, so without an autoflush of its
# pending objects (none refer to them; the step flushes them once, engine.runtime.lifecycle)
_ROWS = WorkflowTask.__table__
_ROW = (_ROWS.c.instance_id == bindparam("iid")) & (_ROWS.c.task_id == bindparam("tid"))
_DELETE = delete(_ROWS).where(_ROW)  # one row per parameter set (an IN list is compiled anew)
_UPDATE = update(_ROWS).where(_ROW).values(body=bindparam("body"))
_INSERT = insert(_ROWS)


@dataclass
class Handle:
    """A workflow checked out of the store, with what the database holds for it."""

    instance_id: int | None
    workflow: BpmnWorkflow
    revision: int = -1
    parents: dict[UUID, UUID | None] = field(default_factory=dict)
    next_seq: int = 0


class WorkflowStore:
    def __init__(self, cache_size: int = 256):
        self._cache: OrderedDict[int, Handle] = OrderedDict()
        self._cache_size = cache_size
        self._lock = threading.Lock()
        self._specs: dict[int, tuple] = {}
        self._decisions: dict[int, Decisions] = {}

    @staticmethod
    def spec_dict(
        xml: bytes, key: str, filename: str, called: Mapping[str, Definition] | None = None
    ) -> dict:
        """The serialized spec (with subprocess specs) stored once on a definition.

        called: the version each call activity binds to (engine.bpmn.calls), by key; its stored
        spec (with its own subprocesses and calls) stands in for the called process, and
        "calls" records every version the instance may run, by key (nearest call first).
        """
        spec, subprocesses = spiff.parse_specs(xml, key, filename)
        stored = spiff.store_serializer().jsonable({"spec": spec, "subprocess_specs": subprocesses})
        calls: dict[str, int] = {}
        for name, definition in (called or {}).items():
            inner = definition.spec
            for sub, body in inner["subprocess_specs"].items():
                stored["subprocess_specs"].setdefault(sub, body)
            stored["subprocess_specs"][name] = inner["spec"]
            for deeper, definition_id in inner.get("calls", {}).items():
                calls.setdefault(deeper, definition_id)
        calls.update({name: definition.id for name, definition in (called or {}).items()})
        if calls:
            stored["calls"] = calls
        return stored

    def new(self, definition: Definition) -> Handle:
        """A fresh workflow of the definition, not yet in the database."""
        workflow = spiff.new_workflow(self._restored_specs(definition))
        workflow.decisions = self.decisions(definition)
        return Handle(None, workflow)

    def load(self, session: Session, instance: Instance) -> Handle:
        """The instance's workflow, from the cache when its revision still matches."""
        with self._lock:
            cached = self._cache.pop(instance.id, None)
        if cached is not None and cached.revision == instance.revision:
            return cached
        rows = session.execute(
            select(WorkflowTask.body)
            .where(WorkflowTask.instance_id == instance.id)
            .order_by(WorkflowTask.seq)
        ).scalars()
        tasks = {row["id"]: row for row in rows}
        spec = instance.definition.spec
        workflow = spiff.store_serializer().restore(instance.workflow, spec, tasks)
        workflow.decisions = self.decisions(instance.definition)
        top = session.execute(
            select(func.max(WorkflowTask.seq)).where(WorkflowTask.instance_id == instance.id)
        ).scalar()
        parents = {t.id: t._parent for t in workflow.tasks.values()}
        return Handle(instance.id, workflow, instance.revision, parents, (top or 0) + 1)

    def save(self, session: Session, instance: Instance, handle: Handle, since: float) -> None:
        """Write the header and the tasks changed since `since` (time.time() before the step)."""
        serializer = spiff.store_serializer()
        tasks = handle.workflow.tasks
        added = tasks.keys() - handle.parents.keys()
        removed = handle.parents.keys() - tasks.keys()
        dirty = {tid for tid, task in tasks.items() if task.last_state_change >= since} | added
        dirty |= {handle.parents[tid] for tid in removed} | {tasks[tid]._parent for tid in added}
        dirty |= {child for tid in list(dirty) if tid in tasks for child in tasks[tid]._children}
        dirty = {tid for tid in dirty if tid in tasks}
        bodies = {tid: serializer.jsonable(tasks[tid]) for tid in dirty}
        iid, conn = instance.id, session.connection()  # Core on the connection: no autoflush
        if removed:
            conn.execute(_DELETE, [{"iid": iid, "tid": str(t)} for t in removed])
        changed = [{"iid": iid, "tid": str(t), "body": bodies[t]} for t in dirty - added]
        if changed:
            conn.execute(_UPDATE, changed)
        fresh = [tid for tid in tasks if tid in added]  # insertion order: parents first
        if fresh:
            conn.execute(
                _INSERT,
                [
                    {
                        "instance_id": iid,
                        "task_id": str(t),
                        "seq": handle.next_seq + i,
                        "body": bodies[t],
                    }
                    for i, t in enumerate(fresh)
                ],
            )
        instance.workflow = serializer.header(handle.workflow)
        handle.instance_id = iid
        handle.next_seq += len(fresh)
        handle.parents = {tid: task._parent for tid, task in tasks.items()}

    def committed(self, handle: Handle, revision: int) -> None:
        """After a commit: keep the workflow for the instance's next step in this process."""
        handle.revision = revision
        with self._lock:
            self._cache[handle.instance_id] = handle
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)

    def discard(self, instance_id: int | None) -> None:
        """After a failure: forget the in-memory state, the database is the truth."""
        with self._lock:
            self._cache.pop(instance_id, None)

    def specs(self, definition: Definition) -> tuple:
        """The version's spec and subprocess specs as objects (shared, read-only)."""
        return self._restored_specs(definition)

    def decisions(self, definition: Definition) -> Decisions:
        """The DMN files deployed with the definition, read once per definition (see
        engine.runtime.decision_files): what its business rule tasks decide with."""
        found = self._decisions.get(definition.id)
        if found is None:
            stored = definition.decision_files
            files = [DmnSource(f.filename, f.sha256, bytes(f.xml)) for f in stored]
            found = self._decisions[definition.id] = Decisions(files)
        return found

    def _restored_specs(self, definition: Definition) -> tuple:
        """Spec objects are read-only at run time: restore them once per definition."""
        if definition.id not in self._specs:
            serializer = spiff.store_serializer()
            spec = serializer.from_dict(definition.spec["spec"])
            subs = serializer.from_dict(definition.spec["subprocess_specs"])
            self._specs[definition.id] = (spec, subs)
        return self._specs[definition.id]
