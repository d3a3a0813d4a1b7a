"""`python -m benchmarks`: every figure as a JSON line on stdout, then a line on the machine.

Environment (defaults in brackets):
  ALUR_BENCH_ONLY             figures to run [all]: history,e2e,inbox,expressions,completion,
                              instance_page,migration,pages,analytics
  ALUR_BENCH_DBS              databases for history, e2e and migration [sqlite,postgresql]
  ALUR_BENCH_PG_URL           PostgreSQL server [postgresql://postgres@127.0.0.1:5432/postgres];
                              a database is created per figure and dropped after; unreachable:
                              PostgreSQL figures are skipped (noted on stderr)
  ALUR_BENCH_ROUNDS           draft/review rounds of the long instance [250 = 500 tasks]
  ALUR_BENCH_SAMPLES          measured rounds per history size and path [15]
  ALUR_BENCH_E2E_RUNS         C.3 runs per database [20]
  ALUR_BENCH_E2E_MEMORY_RUNS  C.3 runs in memory [100]
  ALUR_BENCH_COMPLETION_RUNS  C.3 runs per database and path, web and API [3 = 63 each]
  ALUR_BENCH_INBOX_DB         database of the inbox figure [postgresql]
  ALUR_BENCH_INBOX_INSTANCES  open instances [100000]
  ALUR_BENCH_INBOX_USERS      users [3000]
  ALUR_BENCH_INBOX_CALLS      timed inbox calls per user and variant [200]
  ALUR_BENCH_EXPRESSION_CALLS calls per condition for the expression budget's cost [20000]
  ALUR_BENCH_MIGRATE_INSTANCES instances moved to a new version in one batch [1000]
  ALUR_BENCH_PAGE_SAMPLES     cold+warm loads per page in Chromium (page weight) [3]
  ALUR_BENCH_ANALYTICS_INSTANCES completed instances of the analytics figure [100000]
  ALUR_BENCH_ANALYTICS_CALLS  timed analytics reads per period [5]
  ALUR_BENCH_PAGE_ROUNDS      loop rounds of the instance page's instance [250 = 500 steps]
  ALUR_BENCH_PAGE_CALLS       timed requests of the instance page [20]
  ALUR_BENCH_PROFILE_INSTANCES open instances of the inbox profile [100000]
  ALUR_BENCH_PROFILE_TOP      functions listed per profile [12]

`profile` (cProfile of the hot paths, benchmarks/profiles.py) runs only when named. The run ends
with one `target` line per target of the fast path (benchmarks/targets.py), met true or false.
"""

from __future__ import annotations

import os
import platform
import subprocess
import sys
import time
from importlib.metadata import version

from sqlalchemy import create_engine, text

from benchmarks import (
    ROOT,
    analytics,
    completion,
    database,
    e2e,
    env_int,
    expressions,
    history_cost,
    inbox,
    instance_page,
    migration,
    note,
    page_weight,
    pg_available,
    pg_server_url,
    profiles,
    psycopg_url,
    targets,
)
from benchmarks import emit as print_line


def main() -> None:
    started, load_start = time.perf_counter(), _loadavg()
    everything = "history,e2e,inbox,expressions,completion,instance_page,migration,pages,analytics"
    only = set(os.environ.get("ALUR_BENCH_ONLY", everything).split(","))
    lines: list[dict] = []

    def emit(line: dict) -> None:
        lines.append(line)
        print_line(line)

    kinds = os.environ.get("ALUR_BENCH_DBS", "sqlite,postgresql").split(",")
    pg = "postgresql" in kinds + [os.environ.get("ALUR_BENCH_INBOX_DB", "postgresql")]
    pg = pg and pg_available()
    kinds = [k for k in kinds if k != "postgresql" or pg]
    if "history" in only:
        rounds, samples = env_int("ALUR_BENCH_ROUNDS", 250), env_int("ALUR_BENCH_SAMPLES", 15)
        history_cost.run(emit, kinds, rounds, samples, database)
    if "e2e" in only:
        runs = env_int("ALUR_BENCH_E2E_RUNS", 20)
        e2e.run(emit, kinds, runs, env_int("ALUR_BENCH_E2E_MEMORY_RUNS", 100), database)
    if "completion" in only:
        completion.run(emit, kinds, env_int("ALUR_BENCH_COMPLETION_RUNS", 3), database)
    if "instance_page" in only:
        rounds, calls = env_int("ALUR_BENCH_PAGE_ROUNDS", 250), env_int("ALUR_BENCH_PAGE_CALLS", 20)
        instance_page.run(emit, kinds, rounds, calls, database)
    inbox_db = os.environ.get("ALUR_BENCH_INBOX_DB", "postgresql")
    if "inbox" in only and (inbox_db != "postgresql" or pg):
        inbox.run(
            emit,
            inbox_db,
            env_int("ALUR_BENCH_INBOX_INSTANCES", 100_000),
            env_int("ALUR_BENCH_INBOX_USERS", 3000),
            env_int("ALUR_BENCH_INBOX_CALLS", 200),
            database,
        )
    if "expressions" in only:
        expressions.run(emit, env_int("ALUR_BENCH_EXPRESSION_CALLS", 20_000))
    if "migration" in only:
        migration.run(emit, kinds, env_int("ALUR_BENCH_MIGRATE_INSTANCES", 1000), database)
    if "pages" in only:
        page_weight.run(emit, env_int("ALUR_BENCH_PAGE_SAMPLES", 3))
    if "analytics" in only and pg:
        analytics.run(
            emit,
            env_int("ALUR_BENCH_ANALYTICS_INSTANCES", 100_000),
            env_int("ALUR_BENCH_ANALYTICS_CALLS", 5),
            database,
        )
    if "profile" in only:
        kind = "postgresql" if pg else "sqlite"
        top = env_int("ALUR_BENCH_PROFILE_TOP", 12)
        instances = env_int("ALUR_BENCH_PROFILE_INSTANCES", 100_000)
        profiles.run(emit, kind, instances, top, database)
    targets.report(emit, lines)
    emit(machine(pg, time.perf_counter() - started, load_start))


def machine(pg: bool, elapsed: float, load_start) -> dict:
    import sqlite3

    line = {
        "figure": "machine",
        "cpu_count": os.cpu_count(),
        "python": platform.python_version(),
        "sqlalchemy": version("SQLAlchemy"),
        "spiffworkflow": version("SpiffWorkflow"),
        "psycopg": version("psycopg"),
        "sqlite": sqlite3.sqlite_version,
        "postgresql": _pg_version() if pg else None,
        "platform": platform.platform(),
        "loadavg_1m_start": load_start,
        "loadavg_1m_end": _loadavg(),
        "elapsed_s": round(elapsed, 1),
        "git": _git(),
    }
    return line


def _loadavg() -> float | None:
    try:
        return round(os.getloadavg()[0], 2)
    except OSError:
        return None


def _pg_version() -> str | None:
    try:
        engine = create_engine(psycopg_url(pg_server_url()))
        with engine.connect() as conn:
            found = conn.execute(text("SHOW server_version")).scalar()
        engine.dispose()
        return found
    except Exception:  # the figures ran; a missing version is no reason to fail
        return None


def _git() -> str | None:
    """The commit measured, and whether engine/ had uncommitted changes."""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "engine"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
    except OSError:
        return None
    return f"{head}{' + uncommitted engine changes' if dirty else ''}" if head else None


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        note("interrupted")
        sys.exit(130)
