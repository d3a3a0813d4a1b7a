"""Benchmarks of the Alur engine: `python -m benchmarks` (or `make bench`) prints JSON lines.

Each figure is one JSON object on stdout: {"figure", "value", "unit", "db", ...context}. Progress
notes go to stderr. Sizes are bounded by ALUR_BENCH_* environment variables (see __main__).
The databases are throwaway: a SQLite file in a temporary folder, or a PostgreSQL database
created for the run (ALUR_BENCH_PG_URL names the server's maintenance database) and dropped after.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import make_url

from engine.alur import Alur
from engine.config import Settings
from engine.storage.tables import Instance

ROOT = Path(__file__).resolve().parents[1]
BPMN_DIR = ROOT / "bpmn"
DEFAULT_PG_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
Emit = Callable[[dict], None]


def emit(line: dict, out=None) -> None:
    """Print one figure as a JSON line (numbers rounded for reading)."""
    rounded = {k: round(v, 3) if isinstance(v, float) else v for k, v in line.items()}
    print(json.dumps(rounded, ensure_ascii=False), file=out or sys.stdout, flush=True)


def note(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def median(values: list[float]) -> float:
    return statistics.median(values)


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0-100), linear between the closest ranks."""
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    pos = (len(ordered) - 1) * q / 100
    low = int(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


def timed_ms(fn: Callable, *args, **kwargs) -> tuple[float, object]:
    start = time.perf_counter()
    result = fn(*args, **kwargs)
    return (time.perf_counter() - start) * 1000, result


class DatabaseClock:
    """Time spent inside the database and its driver by alur's transactions while running:
    every statement from sending it to its result (BEGIN goes with the first) and each COMMIT.
    `seconds` adds up; set it to 0 to start again."""

    def __init__(self, alur: Alur):
        self.seconds = 0.0
        self._started: list[float] = []
        self._hooks = [
            (alur.db, "before_cursor_execute", self._before),
            (alur.db, "after_cursor_execute", self._after),
            (alur.db, "commit", self._before),  # the connection sends COMMIT after this event
            (alur.sessions, "after_commit", self._after),
            (alur.read_sessions, "after_commit", self._after),
        ]

    def _before(self, *_args) -> None:
        self._started.append(time.perf_counter())

    def _after(self, *_args) -> None:
        if self._started:  # a session that sent nothing commits without a COMMIT
            self.seconds += time.perf_counter() - self._started.pop()

    @contextmanager
    def running(self) -> Iterator[DatabaseClock]:
        for target, name, fn in self._hooks:
            event.listen(target, name, fn)
        try:
            yield self
        finally:
            for target, name, fn in self._hooks:
                event.remove(target, name, fn)
            self._started.clear()


def pg_server_url() -> str:
    return os.environ.get("ALUR_BENCH_PG_URL", DEFAULT_PG_URL)


def pg_available() -> bool:
    try:
        engine = create_engine(psycopg_url(pg_server_url()))
        with engine.connect() as conn:
            conn.execute(text("select 1"))
        engine.dispose()
        return True
    except Exception as exc:  # any failure means: skip PostgreSQL
        note(f"PostgreSQL not reachable at {pg_server_url()}: {exc.__class__.__name__}")
        return False


@contextmanager
def database(kind: str) -> Iterator[Alur]:
    """A fresh, migrated Alur on a throwaway SQLite file or PostgreSQL database."""
    with tempfile.TemporaryDirectory(prefix="alur-bench-") as tmp:
        if kind == "sqlite":
            alur = _alur(f"sqlite:///{Path(tmp) / 'bench.sqlite3'}", Path(tmp))
            try:
                yield alur
            finally:
                alur.db.dispose()
            return
        name = f"alur_bench_{os.getpid()}_{uuid.uuid4().hex[:8]}"
        admin = create_engine(psycopg_url(pg_server_url()), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            url = make_url(psycopg_url(pg_server_url())).set(database=name)
            alur = _alur(url.render_as_string(hide_password=False), Path(tmp))
            try:
                yield alur
            finally:
                alur.db.dispose()
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()


LOCK_NOTE = "engine bug worked around: row lock FOR UPDATE OF instances (runtime.complete)"


def lock_workaround(alur: Alur) -> None:
    """Engine bug (found here): on PostgreSQL runtime.complete's
    session.get(Instance, id, with_for_update=True) failed, "FOR UPDATE cannot be applied to the
    nullable side of an outer join": Instance.definition is lazy="joined" (a LEFT OUTER JOIN).
    A plain FOR UPDATE on an Instance select becomes FOR UPDATE OF instances in this Alur's
    sessions, and the run notes it in alur.bench_workarounds only when that happened.
    """
    if alur.db.dialect.name != "postgresql":
        return

    @event.listens_for(alur.sessions, "do_orm_execute")
    def _lock_instances_only(state):
        lock = getattr(state.statement, "_for_update_arg", None)
        if state.is_select and lock is not None and lock.of is None:
            mapper = state.bind_mapper
            if mapper is not None and mapper.class_ is Instance:
                state.statement = state.statement.with_for_update(of=Instance.__table__)
                if LOCK_NOTE not in alur.bench_workarounds:
                    alur.bench_workarounds.append(LOCK_NOTE)


def _alur(url: str, tmp: Path) -> Alur:
    alur = Alur(Settings(database_url=url, upload_dir=tmp / "files"))
    alur.upgrade()
    alur.bench_workarounds = []
    lock_workaround(alur)
    return alur


def psycopg_url(url: str) -> str:
    if url.startswith("postgresql://"):
        return "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url
