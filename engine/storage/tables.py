"""The database tables (SQLAlchemy 2 declarative): definitions, instances, human tasks, audit."""

from __future__ import annotations

from datetime import UTC, datetime
from types import MappingProxyType

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    event,
    text,
)
from sqlalchemy import false as sa_false
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

from engine.sop import Sop, sop_from_dict
from engine.storage import guard

_MODELS: dict[tuple[int, str], Sop] = {}  # (definition id, sha256) -> its SOP, built once
_MODELS_MAX = 1024


def utcnow() -> datetime:
    """Column defaults only: the engine sets every such time itself, from its clock."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """Aware datetimes stored as UTC and read back aware, on SQLite as on PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: store aware datetimes only")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


# What the row guard (engine.storage.guard) holds text and JSON columns to, and names them by.
TITLE = {"label": "judul", "max_chars": 300}
REASON = {"label": "alasan", "max_chars": 2000}
FORM_DATA = {"label": "isian", "max_bytes": guard.MAX_JSON_BYTES}
NOTE = {"label": "catatan", "max_chars": 2000}


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UTCDateTime(), dict: JSON}


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    full_name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str] = mapped_column(String(255), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    email: Mapped[str] = mapped_column(String(254), default="", server_default="")
    # Raised to end every signed-in session of the user (sign-out, password changes).
    session_epoch: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # Set when an administrator sets the password: the next sign-in must choose a new one.
    must_change_password: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=sa_false()
    )
    # True: the notifications of a day go out as one e-mail (the worker's daily digest)
    email_digest: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sa_false())
    digest_sent_at: Mapped[datetime | None] = mapped_column(default=None)
    roles: Mapped[list[UserRole]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )
    # The roles this user acts in now for an absent official (role -> engine.delegations.Acting),
    # set by engine.delegations.attach for one transaction; never stored. Empty until then.
    acting_for = MappingProxyType({})

    @property
    def role_names(self) -> set[str]:
        return {r.role for r in self.roles}

    @property
    def acting_roles(self) -> set[str]:
        """The roles held for an absent official now (attach them first), not the user's own."""
        return set(self.acting_for) - self.role_names


class UserRole(Base):
    __tablename__ = "user_roles"
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    role: Mapped[str] = mapped_column(String(200), primary_key=True, index=True)
    user: Mapped[User] = relationship(back_populates="roles")


class Definition(Base):
    """One deployed version of a process: the BPMN, its SOP model and its serialized spec."""

    __tablename__ = "definitions"
    __table_args__ = (UniqueConstraint("key", "version"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), index=True)
    version: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(Text, default="")
    code: Mapped[str] = mapped_column(String(50), default="")
    filename: Mapped[str] = mapped_column(String(255), default="")
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    xml: Mapped[bytes] = mapped_column(LargeBinary)
    sop: Mapped[dict] = mapped_column(JSON)
    task_steps: Mapped[dict] = mapped_column(JSON)  # BPMN element id -> SOP step number
    starter_roles: Mapped[list] = mapped_column(JSON, default=list)
    spec: Mapped[dict] = mapped_column(JSON)  # the SpiffWorkflow spec, stored once per version
    deployed_by: Mapped[str] = mapped_column(String(80), default="")
    deployed_at: Mapped[datetime] = mapped_column(default=utcnow)
    # the change note given when the version was published, and the second person who approved
    # it when it changed who performs a step (None: no approval was needed)
    note: Mapped[str] = mapped_column(Text, default="", server_default="", info=NOTE)
    approved_by: Mapped[str | None] = mapped_column(String(80), default=None)
    decision_files: Mapped[list[DecisionFile]] = relationship(
        order_by="DecisionFile.id", cascade="all, delete-orphan"
    )

    @property
    def model(self) -> Sop:
        """The typed SOP, built from the stored JSON once per version, shared: do not change it."""
        return definition_sop(self.id, self.sha256, self.sop)


class DecisionFile(Base):
    """A DMN file a process version's business rule tasks use, stored with that version."""

    __tablename__ = "decision_files"
    id: Mapped[int] = mapped_column(primary_key=True)
    definition_id: Mapped[int] = mapped_column(ForeignKey("definitions.id"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64))
    xml: Mapped[bytes] = mapped_column(LargeBinary)


def definition_sop(definition_id: int | None, sha256: str, data: dict) -> Sop:
    """A stored version's SOP JSON as the typed model, built on first use and then shared."""
    if definition_id is None:  # not stored yet: nothing to key the cache by
        return sop_from_dict(data)
    key = (definition_id, sha256)  # the digest too: ids repeat across databases in one process
    found = _MODELS.get(key)
    if found is None:
        if len(_MODELS) >= _MODELS_MAX:
            _MODELS.clear()
        found = _MODELS[key] = sop_from_dict(data)
    return found


DECISIONS = {"label": "tabel keputusan", "max_bytes": 8 * 1024 * 1024}


class Draft(Base):
    """An SOP being edited in the studio: a copy of a deployed version (base_version) or a new
    SOP, saved as BPMN until it is published as a new version (engine/drafts.py)."""

    __tablename__ = "drafts"
    __table_args__ = (Index("ix_drafts_key_state", "process_key", "state"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    process_key: Mapped[str] = mapped_column(String(200))
    name: Mapped[str] = mapped_column(Text, default="", info=TITLE)
    base_version: Mapped[int | None] = mapped_column(Integer, default=None)  # None: a new SOP
    xml: Mapped[bytes] = mapped_column(LargeBinary)
    author: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    state: Mapped[str] = mapped_column(String(20), default="draft")  # draft, awaiting, published
    note: Mapped[str] = mapped_column(Text, default="", info=NOTE)  # the change note
    submitted_at: Mapped[datetime | None] = mapped_column(default=None)
    approver: Mapped[str | None] = mapped_column(String(80), default=None)
    approved_at: Mapped[datetime | None] = mapped_column(default=None)
    approval_note: Mapped[str] = mapped_column(Text, default="", info=NOTE)
    published_version: Mapped[int | None] = mapped_column(Integer, default=None)
    # "studio", or "deploy": a file deploy held for a second person's approval, with the file
    # name it came in and the DMN files deployed with it ([{"filename", "xml"}])
    source: Mapped[str] = mapped_column(String(20), default="studio", server_default="studio")
    filename: Mapped[str] = mapped_column(String(255), default="", server_default="")
    decisions: Mapped[list | None] = mapped_column(JSON, default=list, info=DECISIONS)


class Instance(Base):
    __tablename__ = "instances"
    __table_args__ = (Index("ix_instances_analytics", "process_key", "started_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    definition_id: Mapped[int] = mapped_column(ForeignKey("definitions.id"), index=True)
    process_key: Mapped[str] = mapped_column(String(200), index=True)
    title: Mapped[str] = mapped_column(Text, default="", info=TITLE)
    state: Mapped[str] = mapped_column(String(20), default="running", index=True)
    started_by: Mapped[str] = mapped_column(String(80), index=True)
    started_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    ended_at: Mapped[datetime | None] = mapped_column(default=None)
    cancel_reason: Mapped[str] = mapped_column(Text, default="", info=REASON)
    data: Mapped[dict] = mapped_column(JSON, default=dict, info=FORM_DATA)
    workflow: Mapped[dict] = mapped_column(JSON, default=dict)  # workflow header, no spec, no tasks
    revision: Mapped[int] = mapped_column(Integer, default=0)
    # the earliest timer the workflow waits on (None: none); the worker wakes it then
    next_wakeup_at: Mapped[datetime | None] = mapped_column(default=None, index=True)
    # a completed instance's lead time, started -> ended (engine/analytics.py stamps it)
    lead_minutes: Mapped[int | None] = mapped_column(Integer, default=None)  # office minutes
    lead_calendar_minutes: Mapped[int | None] = mapped_column(Integer, default=None)
    definition: Mapped[Definition] = relationship(lazy="joined")
    __mapper_args__ = {"version_id_col": revision}


class WorkflowTask(Base):
    """One SpiffWorkflow task, serialized; only the tasks a step changed are written."""

    __tablename__ = "workflow_tasks"
    instance_id: Mapped[int] = mapped_column(ForeignKey("instances.id"), primary_key=True)
    task_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer)  # restore order: a parent before its children
    body: Mapped[dict] = mapped_column(JSON)


class HumanTask(Base):
    """A READY user task as people see it: the row every inbox query reads."""

    __tablename__ = "human_tasks"
    __table_args__ = (
        Index("ix_human_tasks_inbox", "state", "role", "due_at", "id"),
        Index("ix_human_tasks_claimed", "state", "claimed_by", "due_at"),
        Index("ix_human_tasks_assignee", "state", "assignee", "due_at"),
        # 'Semua proses' filtered by actor: who claimed or completed a step of an instance
        Index("ix_human_tasks_claimer", "claimed_by", "instance_id"),
        Index("ix_human_tasks_completer", "completed_by", "instance_id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("instances.id"), index=True)
    process_key: Mapped[str] = mapped_column(String(200))
    task_id: Mapped[str] = mapped_column(String(36), unique=True)
    step_no: Mapped[int | None] = mapped_column(Integer)
    # a task of a process a call activity started: that process's version and its step number
    # there (step_no is then the step of the call activity in the instance's own SOP)
    called_definition_id: Mapped[int | None] = mapped_column(
        ForeignKey("definitions.id"), default=None
    )
    called_step_no: Mapped[int | None] = mapped_column(Integer, default=None)
    name: Mapped[str] = mapped_column(Text, default="")
    lane: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(200), default="")
    assignee: Mapped[str | None] = mapped_column(String(80), default=None)  # a named user
    state: Mapped[str] = mapped_column(String(20), default="open")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    due_at: Mapped[datetime | None] = mapped_column(default=None)
    claimed_by: Mapped[str | None] = mapped_column(String(80), default=None)
    claimed_at: Mapped[datetime | None] = mapped_column(default=None)
    completed_by: Mapped[str | None] = mapped_column(String(80), default=None)
    completed_at: Mapped[datetime | None] = mapped_column(default=None)
    decision: Mapped[str | None] = mapped_column(String(10), default=None)
    data: Mapped[dict] = mapped_column(JSON, default=dict, info=FORM_DATA)
    working_minutes: Mapped[int | None] = mapped_column(Integer, default=None)
    overdue: Mapped[bool] = mapped_column(Boolean, default=False)
    escalated_at: Mapped[datetime | None] = mapped_column(default=None)  # supervisors told
    # stamped at completion from the office calendar (engine/analytics.py): what SQL aggregates
    calendar_minutes: Mapped[int | None] = mapped_column(Integer, default=None)
    wait_minutes: Mapped[int | None] = mapped_column(Integer, default=None)  # created -> claimed
    handle_minutes: Mapped[int | None] = mapped_column(Integer, default=None)  # claimed -> done
    over_minutes: Mapped[int | None] = mapped_column(Integer, default=None)  # office, past due


class AnalyticsTotal(Base):
    """A maintained sum behind the analytics page (engine/analytics_totals.py): how many of one
    thing (a count, or tasks with one value of a minutes column) the instances of one version
    started in one month ('m', 'YYYY-MM') or year ('y', 'YYYY') contribute."""

    __tablename__ = "analytics_totals"
    definition_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    span: Mapped[str] = mapped_column(String(1), primary_key=True)
    bucket: Mapped[str] = mapped_column(String(7), primary_key=True)
    dim: Mapped[str] = mapped_column(String(10), primary_key=True)  # step, lane, person ...
    metric: Mapped[str] = mapped_column(String(30), primary_key=True)
    gkey: Mapped[str] = mapped_column(String(200), primary_key=True)  # which step, lane ...
    value: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    n: Mapped[int] = mapped_column(BigInteger, default=0)


class AnalyticsLate(Base):
    """An instance with a step completed after its due time, and its worst such step."""

    __tablename__ = "analytics_late"
    __table_args__ = (
        Index("ix_analytics_late_period", "process_key", "started_at"),
        Index("ix_analytics_late_worst", "process_key", text("over_minutes DESC"), "instance_id"),
    )
    instance_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    process_key: Mapped[str] = mapped_column(String(200))
    definition_id: Mapped[int] = mapped_column(Integer)
    started_at: Mapped[datetime] = mapped_column()
    over_minutes: Mapped[int] = mapped_column(Integer)
    step_no: Mapped[int | None] = mapped_column(Integer, default=None)
    name: Mapped[str] = mapped_column(Text, default="")


class Notification(Base):
    """A message for one user (the inbox bell), and the e-mail it is sent as when SMTP is set."""

    __tablename__ = "notifications"
    __table_args__ = (
        UniqueConstraint("human_task_id", "kind", "username"),  # a job done twice adds nothing
        Index("ix_notifications_unread", "username", "read_at"),
        Index("ix_notifications_outbox", "emailed_at", "email_to"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80))  # "": every holder of role
    kind: Mapped[str] = mapped_column(String(20))  # reminder, escalation, new_task, ...
    role: Mapped[str | None] = mapped_column(String(200), default=None)  # role-addressed rows
    # no foreign key on instance_id: its check would take a KEY SHARE lock on the instance row,
    # which a completion or a timer wake-up holds FOR UPDATE while it waits for the task's row
    instance_id: Mapped[int | None] = mapped_column(Integer, index=True)
    human_task_id: Mapped[int | None] = mapped_column(ForeignKey("human_tasks.id"))
    subject: Mapped[str] = mapped_column(Text, default="")
    message: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(default=None)
    email_to: Mapped[str | None] = mapped_column(String(254), default=None)  # None: no e-mail
    emailed_at: Mapped[datetime | None] = mapped_column(default=None)
    email_attempts: Mapped[int] = mapped_column(Integer, default=0)
    email_error: Mapped[str] = mapped_column(Text, default="")


class NotificationRead(Base):
    """That one user has read a role-addressed notification (the role's other holders have not)."""

    __tablename__ = "notification_reads"
    notification_id: Mapped[int] = mapped_column(ForeignKey("notifications.id"), primary_key=True)
    username: Mapped[str] = mapped_column(String(80), primary_key=True)
    read_at: Mapped[datetime] = mapped_column(default=utcnow)


class Delegation(Base):
    """An official's role held by a colleague for a period (Plh./Plt.), or an official away
    without anyone acting for them (to_user and role None). Ends by itself at ends_at."""

    __tablename__ = "delegations"
    __table_args__ = (
        Index("ix_delegations_to", "to_user", "ends_at"),
        Index("ix_delegations_from", "from_user", "ends_at"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    from_user: Mapped[str] = mapped_column(String(80))  # the official
    to_user: Mapped[str | None] = mapped_column(String(80), default=None)  # who acts for them
    role: Mapped[str | None] = mapped_column(String(200), default=None)
    title: Mapped[str] = mapped_column(String(3), default="Plh")  # Plh or Plt
    starts_at: Mapped[datetime] = mapped_column()
    ends_at: Mapped[datetime] = mapped_column()
    created_by: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)
    revoked_by: Mapped[str | None] = mapped_column(String(80), default=None)


class StoredFile(Base):
    """An output document: content-addressed bytes on disk, metadata here."""

    __tablename__ = "files"
    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    name: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(120), default="application/octet-stream")
    size: Mapped[int] = mapped_column(BigInteger)
    uploaded_by: Mapped[str] = mapped_column(String(80))
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)
    instance_id: Mapped[int | None] = mapped_column(ForeignKey("instances.id"), index=True)
    human_task_id: Mapped[int | None] = mapped_column(ForeignKey("human_tasks.id"), index=True)


DRAFT = {"label": "draf", "max_bytes": 32_768}
INCIDENT = {"label": "insiden", "max_bytes": 16_384}


class TaskDraft(Base):
    """What one person typed and ticked on an open task, kept until they complete it."""

    __tablename__ = "task_drafts"
    human_task_id: Mapped[int] = mapped_column(ForeignKey("human_tasks.id"), primary_key=True)
    username: Mapped[str] = mapped_column(String(80), primary_key=True)
    data: Mapped[dict] = mapped_column(JSON, default=dict, info=DRAFT)
    saved_at: Mapped[datetime] = mapped_column(default=utcnow)


class Incident(Base):
    """A step of an instance the model could not run (engine/incidents.py): a timer's step in
    the worker, or a completion; open until the step runs (retry, completion, migration)."""

    __tablename__ = "incidents"
    __table_args__ = (Index("ix_incidents_open", "resolved_at", "instance_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("instances.id"), index=True)
    human_task_id: Mapped[int | None] = mapped_column(ForeignKey("human_tasks.id"), default=None)
    source: Mapped[str] = mapped_column(String(20))  # worker | completion
    element: Mapped[str] = mapped_column(String(200), default="")
    reason_key: Mapped[str] = mapped_column(String(60))
    params: Mapped[dict] = mapped_column(JSON, default=dict, info=INCIDENT)
    first_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    count: Mapped[int] = mapped_column(Integer, default=1)
    retry_at: Mapped[datetime | None] = mapped_column(default=None)  # the worker's next try
    resolved_at: Mapped[datetime | None] = mapped_column(default=None)
    resolved_by: Mapped[str | None] = mapped_column(String(80), default=None)
    resolution: Mapped[str] = mapped_column(String(20), default="")  # retried, completed, ...


class Event(Base):
    """The append-only audit trail of an instance."""

    __tablename__ = "events"
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("instances.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    actor: Mapped[str] = mapped_column(String(80), default="")
    at: Mapped[datetime] = mapped_column(default=utcnow)
    human_task_id: Mapped[int | None] = mapped_column(default=None)
    step_no: Mapped[int | None] = mapped_column(Integer, default=None)
    data: Mapped[dict] = mapped_column(JSON, default=dict, info=FORM_DATA)


class ApiToken(Base):
    """A personal API token; only its sha256 is stored."""

    __tablename__ = "api_tokens"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(120), default="")
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(default=None)
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)
    user: Mapped[User] = relationship(lazy="joined")


event.listen(Session, "before_flush", guard.check_flush)
