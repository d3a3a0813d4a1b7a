"""The inbox query's plan (EXPLAIN ANALYZE): its shape, the indexes it uses, its SQL time; and
its time through the bare driver."""

from __future__ import annotations

import json
import re
import time

from benchmarks import percentile
from engine.alur import Alur


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


def driver_ms(alur: Alur, sql: str, params, calls: int) -> tuple[float, float]:
    """p50 and p95 of the same statement through the bare driver, its rows fetched, in a
    transaction of its own (what any Python client of this query pays at least)."""
    with alur.db.connect() as conn:
        raw = conn.connection.dbapi_connection
        cursor = raw.cursor()
        times = []
        for _ in range(calls + 5):
            start = time.perf_counter()
            cursor.execute(sql, params)
            cursor.fetchall()
            raw.rollback()
            times.append((time.perf_counter() - start) * 1000)
        cursor.close()
    return percentile(times[5:], 50), percentile(times[5:], 95)


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
