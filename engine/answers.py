"""Facade methods that make the JSON API's answers, each from one transaction (mixed into Alur)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine import access, audit, delegations, inbox, rows, users
from engine.errors import NotFound, PermissionDenied, Unauthenticated
from engine.inbox import InboxFilter
from engine.runtime import lifecycle
from engine.runtime.lifecycle import Completion
from engine.storage.tables import HumanTask, Instance, User


class Answers:
    """The API's JSON: instances, their history, the inbox, completions."""

    def instance_answer(self, instance_id: int, username: str | None = None) -> dict:
        """An instance with its process and open tasks; username must be allowed to read it."""
        with self.session(read_only=True) as s:
            instance = _readable(s, instance_id, username)
            return _instance_answer(s, instance, self.clock())

    def history_answer(self, instance_id: int, username: str) -> list[dict]:
        """The instance's audit events, oldest first, when username may read it."""
        with self.session(read_only=True) as s:
            _readable(s, instance_id, username)
            return [rows.event_json(e) for e in audit.history(s, instance_id)]

    def inbox_answer(self, token: str, flt: InboxFilter | None = None) -> list[dict]:
        """The inbox of an API token's owner as the API shows it, from one read that checks
        the token too (Unauthenticated when it is unknown, revoked or its user inactive)."""
        with self.token_read(token) as (s, row, now):
            if row is None:
                raise Unauthenticated("token_refused")
            user = delegations.attach(s, row.user, now)  # the roles they act in now
            return _tasks_json(s, inbox.inbox(s, user, flt or InboxFilter(), now), now)

    def claim_answer(self, task_id: int, token: str) -> dict:
        """Claim a task for an API token's owner and describe it as the API shows it, in one
        write transaction that checks the token too."""
        with self.session() as s:
            now = self.clock()
            user = _token_person(s, token, now)
            task = inbox.get(s, task_id, lock=True)
            inbox.claim(s, task, user, now)
            return _tasks_json(s, [task], now)[0]

    def complete_from_api(self, task_id: int, token: str, form: Completion) -> dict:
        """Complete a task in one write transaction, the API token's owner checked in it too
        (Unauthenticated when it is unknown, revoked or its user inactive); the API's answer
        (task, instance, next)."""

        def work(s: Session):
            user = _token_person(s, token, self.clock())
            task = lifecycle.lock_task(s, task_id)
            instance, handle = lifecycle.complete(s, self.ctx, task, user, form)
            definition, now = instance.definition, self.clock()

            def detail(t: HumanTask) -> dict:
                sop = lifecycle.step_of(s, instance, t)[0].model
                return rows.task_detail_json(t, instance.title, definition.code, sop, now)

            answer = {
                "task": detail(task),
                "instance": {"id": instance.id, "title": instance.title, "state": instance.state},
                "finished": instance.state == "completed",
                "next": [
                    detail(t)
                    for t in inbox.tasks(s, None, InboxFilter(instance_id=instance.id), now)
                ],
            }
            return answer, instance, handle

        return self.write_workflow(work)


def _token_person(s: Session, token: str, now: datetime) -> User:
    """An API token's owner with the roles they act in now, read in a write transaction (the
    token's last use written down in it); Unauthenticated when the token is refused."""
    user = users.user_for_token(s, token, now)
    if user is None:
        raise Unauthenticated("token_refused")
    return delegations.attach(s, user, now)


def _readable(s: Session, instance_id: int, username: str | None) -> Instance:
    instance = s.get(Instance, instance_id)
    if instance is None:
        raise NotFound("instance_missing", id=instance_id)
    if username is not None and not access.may_read_instance(s, instance, users.get(s, username)):
        raise PermissionDenied("instance_not_involved", user=username, id=instance.id)
    return instance


def _instance_answer(s: Session, instance: Instance, now: datetime) -> dict:
    base = rows.instance_json(instance)
    return {k: base[k] for k in rows.INSTANCE_KEYS.split()} | {
        "process": rows.plain(instance.definition, "key code name version"),
        "open_tasks": _tasks_json(
            s, inbox.tasks(s, None, InboxFilter(instance_id=instance.id), now), now
        ),
    }


def _tasks_json(s: Session, tasks: list[HumanTask], now: datetime) -> list[dict]:
    """The tasks as the API shows them. Of their instances only the title and the version's id
    are read (a whole Instance row brings its version's BPMN, spec and SOP along, for every
    instance); the versions come from the process's copy (lifecycle.known_definition)."""
    ids = {t.instance_id for t in tasks}
    query = select(Instance.id, Instance.title, Instance.definition_id).where(Instance.id.in_(ids))
    about = {i: (title, d) for i, title, d in s.execute(query)} if ids else {}
    versions = {d: lifecycle.known_definition(s, d) for _title, d in about.values()}
    return [
        rows.task_detail_json(
            t,
            about[t.instance_id][0],
            versions[about[t.instance_id][1]].code,
            lifecycle.known_definition(
                s, t.called_definition_id or about[t.instance_id][1]
            ).model,  # a called process's task: that process's steps
            now,
        )
        for t in tasks
    ]
