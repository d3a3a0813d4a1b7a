"""Where the time goes: cProfile over the engine's hot paths, summed by layer.

`ALUR_BENCH_ONLY=profile python -m benchmarks` profiles, on PostgreSQL (or ALUR_BENCH_DBS's
first database): warm completions at 10 done (the history_cost loop), whole runs of SOP C.3
(start, inbox, complete; the e2e figure) and one user's inbox over many open instances (the inbox
figure's tables). Each profile is one JSON line: the share of the time in each layer (the
database driver waiting on the server, SQLAlchemy building and compiling statements, its ORM
loading and flushing, SpiffWorkflow, JSON, the engine's own code) and the functions with the
most time of their own. ALUR_BENCH_PROFILE_TOP bounds that list [12]; the number of statements
sent per operation is counted as well.
"""

from __future__ import annotations

import cProfile
import pstats
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import event

from benchmarks import Emit, note

_ROOT = str(Path(__file__).resolve().parents[1]) + "/"

# (layer, what a path of the profile's file names contains), first match wins
LAYERS = (
    ("database driver and server (psycopg, sqlite3)", ("/psycopg/", "sqlite3")),
    ("SQLAlchemy statement construction and compiling", ("/sqlalchemy/sql/",)),
    ("SQLAlchemy ORM (session, loading, flush)", ("/sqlalchemy/orm/",)),
    ("SQLAlchemy core execution and results", ("/sqlalchemy/",)),
    ("SpiffWorkflow", ("/SpiffWorkflow/",)),
    ("JSON", ("/json/", "_json")),
    ("Alur engine", ("/engine/",)),
    ("Alur web UI and its templates", ("/webui/",)),
    ("Flask, Werkzeug, Jinja2, Babel, WTForms", ("/flask", "/werkzeug/", "/jinja2/", "/babel/")),
    ("Flask, Werkzeug, Jinja2, Babel, WTForms", ("/wtforms/", "/markupsafe/")),
    ("gunicorn", ("/gunicorn/",)),
)


def layer_of(filename: str, function: str) -> str:
    where = f"{filename}:{function}"
    for label, needles in LAYERS:
        if any(n in where for n in needles):
            return label
    return "other (Python, benchmark)"


def summarise(profile: cProfile.Profile | pstats.Stats, top: int) -> dict:
    """Own time per layer (percent) and the top functions by own time."""
    if not isinstance(profile, pstats.Stats):
        profile = pstats.Stats(profile)
    stats = profile.stats  # {(file, line, fn): (cc, nc, tt, ct, callers)}
    total = sum(v[2] for v in stats.values()) or 1.0
    layers: Counter[str] = Counter()
    for (filename, _line, function), (_cc, _nc, tt, _ct, _callers) in stats.items():
        layers[layer_of(filename, function)] += tt
    ranked = sorted(stats.items(), key=lambda kv: kv[1][2], reverse=True)[:top]
    return {
        "profiled_s": round(total, 3),
        "layers_pct": {k: round(100 * v / total, 1) for k, v in layers.most_common()},
        "top_own_time": [
            f"{round(100 * tt / total, 1)}% {_short(f)}:{line}({fn}) x{nc}"
            for (f, line, fn), (_cc, nc, tt, _ct, _c) in ranked
        ],
    }


def _short(filename: str) -> str:
    if filename.startswith(_ROOT):
        return filename[len(_ROOT) :]
    for marker in ("site-packages/", "/lib/python3"):
        if marker in filename:
            return filename.split(marker, 1)[1]
    return filename


class Statements:
    """Counts the statements sent to the database."""

    def __init__(self, alur):
        self.count = 0
        event.listen(alur.db, "before_cursor_execute", self._one)

    def _one(self, *_args) -> None:
        self.count += 1


def profiled(emit: Emit, name: str, db: str, call: Callable[[], int], top: int, alur) -> None:
    """Profile call (returns how many operations it made) and emit the summary."""
    statements = Statements(alur)
    profile = cProfile.Profile()
    start = time.perf_counter()
    profile.enable()
    operations = call()
    profile.disable()
    elapsed = time.perf_counter() - start
    line = {"figure": "profile", "value": 1000 * elapsed / operations, "unit": "ms"}
    line.update(db=db, profile=name, operations=operations)
    line["statements_per_operation"] = round(statements.count / operations, 1)
    emit({**line, **summarise(profile, top)})


def run(emit: Emit, kind: str, inbox_instances: int, top: int, database) -> None:
    from benchmarks import e2e, history_cost, inbox

    with database(kind) as alur:
        note(f"profile on {kind}: warm completions at 10 done")
        history_cost.setup(alur)
        shorts = [history_cost.drive(alur, history_cost.SMALL_ROUNDS) for _ in range(12)]

        def completions() -> int:
            for iid in shorts:
                history_cost.engine_round(alur, iid)  # the inbox read is profiled too
            return 2 * len(shorts)

        name = "warm completion, 10 done (with its inbox read)"
        profiled(emit, name, kind, completions, top, alur)
        note(f"profile on {kind}: SOP C.3 start to end")
        key, decisions = e2e.setup(alur)
        e2e.engine_run(alur, key, decisions)

        def c3() -> int:
            return sum(e2e.engine_run(alur, key, decisions) + 1 for _ in range(3))

        profiled(emit, "SOP C.3 start to end (steps)", kind, c3, top, alur)
    with database(kind) as alur:
        note(f"profile on {kind}: inbox over {inbox_instances} open instances")
        info = inbox.populate(alur, inbox_instances, 3000)
        (name, _roles, _visible), _ = inbox.pick_users(info)
        for _ in range(5):
            alur.inbox(name)

        def inboxes() -> int:
            for _ in range(100):
                alur.inbox(name)
            return 100

        profiled(emit, f"inbox, {inbox_instances} open instances", kind, inboxes, top, alur)
