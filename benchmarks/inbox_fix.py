"""The inbox query's plan (EXPLAIN ANALYZE) and the candidate fixes timed beside it.

CANDIDATES: (variant, prepare(alur) -> applies?, query(alur, username) -> call or None, share of
the calls). None means Alur.inbox itself; a candidate that only adds an index is timed through
Alur.inbox too. The index-only candidate is as slow as the shipped query, so it gets fewer calls.
"""

from __future__ import annotations

import json
import re

from sqlalchemy import or_, select, text, union_all
from sqlalchemy.orm import Session, aliased

from engine import users
from engine.alur import Alur
from engine.tables import HumanTask, User


def plan_summary(alur: Alur, sql: str, params) -> dict:
    """Plan shape, indexes used and execution time of one statement."""
    with alur.db.connect() as conn:
        cursor = conn.connection.dbapi_connection.cursor()
        if alur.db.dialect.name == "postgresql":
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql, params)
            (doc,) = cursor.fetchone()
            doc = json.loads(doc) if isinstance(doc, str) else doc
            nodes = list(_walk(doc[0]["Plan"]))
            indexes = sorted({n["Index Name"] for n in nodes if n.get("Index Name")})
            shape = " > ".join(_label(n) for n in nodes)
            summary = {"sql_exec_ms": doc[0]["Execution Time"], "plan": shape}
        else:
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            details = [row[3] for row in cursor.fetchall()]
            indexes = sorted({m for d in details for m in re.findall(r"INDEX (\w+)", d)})
            summary = {"plan": " | ".join(details)}
        cursor.close()
    summary["plan_indexes"] = indexes
    summary["uses_ix_human_tasks"] = any(i.startswith("ix_human_tasks_") for i in indexes)
    return summary


def _walk(node: dict, depth: int = 0):
    yield {**node, "depth": depth}
    for child in node.get("Plans", []):
        yield from _walk(child, depth + 1)


def _label(node: dict) -> str:
    label = node["Node Type"]
    if node.get("Index Name"):
        label += f"({node['Index Name']})"
    if node["Node Type"] == "Sort":
        label += f"[{node.get('Sort Method', '')}]"
    return f"{label} rows={node.get('Actual Rows')}"


def proposed_inbox(session: Session, user: User, limit: int = 200) -> list[HumanTask]:
    """The suggested query shape: one index-ordered, limited branch per role and one for tasks
    named for the user, merged. `due_at NULLS LAST` is the same order as the shipped
    `due_at IS NULL, due_at` but, unlike an expression, a btree on (state, role, due_at) gives it.
    """
    order = (HumanTask.due_at.asc().nulls_last(), HumanTask.id)
    is_open = HumanTask.state == "open"
    mine = or_(HumanTask.claimed_by.is_(None), HumanTask.claimed_by == user.username)
    branches = [
        select(HumanTask).where(is_open, HumanTask.role == role, HumanTask.assignee.is_(None), mine)
        for role in sorted(user.role_names)
    ]
    branches.append(select(HumanTask).where(is_open, HumanTask.assignee == user.username))
    merged = union_all(*(select(b.order_by(*order).limit(limit).subquery()) for b in branches))
    task = aliased(HumanTask, merged.subquery())
    query = select(task).order_by(task.due_at.asc().nulls_last(), task.id).limit(limit)
    return list(session.scalars(query))


def proposed(alur: Alur, username: str):
    def call():
        with alur.session() as s:
            return proposed_inbox(s, users.get(s, username))

    return call


def ddl(*statements: str):
    """A candidate's preparation: run DDL, then ANALYZE; always applies."""

    def prepare(alur: Alur) -> bool:
        with alur.db.begin() as conn:
            for statement in statements:
                conn.execute(text(statement))
        with alur.db.connect() as conn:
            conn.execute(text("ANALYZE human_tasks"))
            conn.commit()
        return True

    return prepare


PARTIAL = "CREATE INDEX ix_bench_open_role ON human_tasks (role, due_at, id) WHERE state = 'open'"
WITH_ID = "CREATE INDEX ix_bench_inbox_id ON human_tasks (state, role, due_at, id)"
CANDIDATES = [
    ("as shipped", ddl(), None, 1.0),
    ("index only: partial (role, due_at, id) WHERE state='open'", ddl(PARTIAL), None, 0.25),
    (
        "query shape: UNION ALL per role, due_at NULLS LAST (shipped indexes)",
        ddl("DROP INDEX ix_bench_open_role"),
        proposed,
        1.0,
    ),
    ("query shape + index (state, role, due_at, id)", ddl(WITH_ID), proposed, 1.0),
]
