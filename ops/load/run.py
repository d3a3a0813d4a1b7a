"""The load run: `python -m ops.load.run [--seconds 60] [--users 50] [--max-requests 20000]`.

Two models on the same servers, one after the other (`--model closed|open|both`, both by
default): the closed loop of locust's clerks, then the open model (ops/load/open_model.py):
turns at a fixed arrival rate stepped up to the saturation point, then held at 50 % and 80 % of
it, with the HTML inbox, task and instance pages in the mix.

A fresh PostgreSQL database (migrated, bpmn/ deployed, 50 staff with API tokens), two app
servers on 127.0.0.1:8001 and :8002 (ops/cluster.sh, gunicorn, an `alur worker`), locust
headless for a bounded time and request budget, then the consistency check of every instance
(ops/load/consistency.py). Prints the figures as JSON (and keeps them in the run folder); exits 1
when a request failed or the check found a problem. The database is dropped unless --keep.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import pstats
import re
import secrets
import subprocess
import sys
import time
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path

import psycopg

from benchmarks import profiles, targets
from ops.load import consistency, cpu, open_model
from ops.load.cluster import Cluster
from ops.load.seed import ADMIN_URL, ROOT, create_database, drop_database, seed
from ops.load.staff import process_keys, write_staff

LOCUSTFILE = Path(__file__).resolve().parent / "locustfile.py"
PACKAGES = ["gunicorn", "locust", "Flask", "SpiffWorkflow", "SQLAlchemy", "psycopg"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ops.load.run", description=__doc__)
    parser.add_argument("--seconds", type=int, default=60, help="locust run time [60]")
    parser.add_argument("--users", type=int, default=50, help="simulated staff [50]")
    parser.add_argument("--max-requests", type=int, default=20000, help="request budget [20000]")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers per server [3]")
    parser.add_argument("--ports", default="8001 8002", help='server ports ["8001 8002"]')
    parser.add_argument("--out", type=Path, help="run folder [instance/load-<time>]")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--model", choices=("closed", "open", "both"), default="both")
    parser.add_argument("--open-start", type=float, default=4.0, help="first rate, turns/s [4]")
    parser.add_argument("--open-factor", type=float, default=1.4, help="rate step factor [1.4]")
    parser.add_argument("--open-steps", type=int, default=10, help="rate steps at most [10]")
    parser.add_argument("--open-seconds", type=float, default=15, help="seconds per rate [15]")
    parser.add_argument(
        "--profile",
        action="store_true",
        help="profile the servers' requests with cProfile (profile.json in the run folder)",
    )
    args = parser.parse_args(argv)

    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    out = (args.out or ROOT / "instance" / f"load-{stamp}").resolve()
    out.mkdir(parents=True, exist_ok=True)
    url = create_database("alur_load")
    print(f"database {url}; run folder {out}", file=sys.stderr)
    try:
        return _run(args, url, out)
    finally:
        if not args.keep:
            drop_database(url)


def _run(args, url: str, out: Path) -> int:
    began = time.monotonic()
    password = secrets.token_urlsafe(12)  # the open model's clerks sign in to the HTML pages
    staff = seed(url, out / "files", args.users, password=password)
    write_staff(out / "staff.json", staff)
    print(f"seeded {len(staff)} staff in {time.monotonic() - began:.1f} s", file=sys.stderr)
    ports = [int(p) for p in args.ports.split()]
    # plain http on loopback: the session cookie of the open model's signed-in clerks must not
    # be marked Secure, or their HTML requests would come back to the sign-in page
    env = {"ALUR_COOKIE_SECURE": "0"}
    if args.profile:
        env["ALUR_PROFILE_DIR"] = str(out / "profiles")
    cluster = Cluster(url, out, ports, workers=args.workers, env=env)
    load_before = os.getloadavg()
    opened, closed_cpu = None, None
    with cluster:
        if args.model in ("closed", "both"):
            closed_cpu = _closed(args, cluster, out)
        if args.model in ("open", "both"):
            opened = _open(args, cluster, staff, password)
        load_after = os.getloadavg()
        health = cluster.status().stdout
    if args.model == "open":
        locust = {"total": {"failures": 0}, "requests": [], "ledger": {}, "errors": []}
    else:
        locust = json.loads((out / "locust.json").read_text())
        locust["cpu"] = closed_cpu
    locust["server_ms"] = _server_times([out / f"server-{port}.log" for port in ports])
    ledger = {int(k): v for k, v in locust.pop("ledger").items()}
    if opened is not None:
        ledger.update(opened[1])
    report = consistency.check(url, out / "files", ledger)
    profile = profile_summary(out / "profiles") if args.profile else None
    result = {
        "figures": _figures(locust) if args.model != "open" else {},
        "open_model": opened[0] if opened else None,
        "consistency": report.summary(),
        "servers_after": health.strip().splitlines(),
        "machine": _machine(load_before, load_after),
        "setup": {
            "users": args.users,
            "seconds": args.seconds,
            "max_requests": args.max_requests,
            "servers": len(ports),
            "workers_per_server": args.workers,
            "model": args.model,
            "open_steps": [args.open_start, args.open_factor, args.open_steps, args.open_seconds],
        },
        "locust": locust,
        "profile": profile,
    }
    (out / "result.json").write_text(json.dumps(result, indent=1), encoding="utf-8")
    shown = ("figures", "open_model", "consistency", "machine", "profile")
    print(json.dumps({k: result[k] for k in shown}, indent=1))
    failures = locust["total"]["failures"]
    if opened is not None:
        steps = opened[0]["steps"] + list(opened[0]["held"].values())
        failures += sum(n for step in steps for n in step["failures"].values())
    return 0 if report.ok and not failures else 1


def profile_summary(folder: Path) -> dict:
    """The workers' request profiles summed: own time per layer and the top functions."""
    files = sorted(folder.glob("worker-*.prof"))
    if not files:
        raise RuntimeError(f"--profile: no worker wrote its profile into {folder}")
    summary = profiles.summarise(pstats.Stats(*map(str, files)), top=25)
    return {"workers": len(files), **summary}


def _closed(args, cluster: Cluster, out: Path) -> dict:
    """locust's closed loop: args.users clerks, each waiting for its answers; where the CPU
    went meanwhile (cpu.Meter.used)."""
    env = {
        **os.environ,
        "ALUR_LOAD_STAFF": str(out / "staff.json"),
        "ALUR_LOAD_HOSTS": " ".join(cluster.urls),
        "ALUR_LOAD_MAX_REQUESTS": str(args.max_requests),
        "ALUR_LOAD_REPORT": str(out / "locust.json"),
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    command = [
        str(Path(sys.executable).with_name("locust")),
        "-f", str(LOCUSTFILE),
        "--headless",
        "--users", str(args.users),
        "--spawn-rate", str(max(1, args.users // 2)),
        "--run-time", f"{args.seconds}s",
        "--stop-timeout", "10",
        "--only-summary",
        "--csv", str(out / "locust"),  # locust_stats_history.csv: the figures second by second
        "--host", cluster.urls[0],
    ]  # fmt: skip
    parts = meter(cluster)
    before = parts.read()
    with open(out / "locust.log", "w") as log:
        subprocess.run(
            command, env=env, stdout=log, stderr=subprocess.STDOUT, timeout=args.seconds + 120
        )
    after = parts.read()
    completions = json.loads((out / "locust.json").read_text())["completions"]
    return parts.used(before, after, completions)


def meter(cluster: Cluster) -> cpu.Meter:
    """CPU by part of the machine: the app servers, the `alur worker`, PostgreSQL and the load
    generator (this process, with locust as its child); the rest is `other`."""
    worker = cluster.run_dir / "worker.pid"
    return cpu.Meter(
        {
            "app_servers": lambda: [cluster.master_pid(port) for port in cluster.ports],
            "alur_worker": lambda: [int(worker.read_text())] if worker.exists() else [],
            "postgresql": cpu.postmasters,
            "load_generator": cpu.this_process,
        }
    )


def _open(args, cluster: Cluster, staff, password: str) -> tuple[dict, dict]:
    """The open model: the saturation point, then 50 % and 80 % of it; (figures, ledger)."""
    clerks = open_model.Clerks(
        cluster.urls, staff, password, process_keys(cluster.urls[0], staff[0].token)
    )
    clerks.meter = meter(cluster)
    try:
        steps = open_model.step_up(
            clerks, args.open_start, args.open_factor, args.open_seconds, args.open_steps
        )
        top = open_model.saturation(steps)
        found = top is not steps[-1]  # else never fell short: the point is above the last rate
        if not found:
            print(
                f"open model: completions still rising at {top.rate:.1f} turns/s, the last "
                "step; raise --open-steps or --open-factor to find the saturation point",
                file=sys.stderr,
            )
        held = {
            f"{int(share * 100)}%": open_model.at_rate(
                clerks, share * top.rate, args.open_seconds * 2
            )
            for share in (0.5, 0.8)
        }
    finally:
        clerks.close()
    figures = {
        "saturation_completions_per_s": round(top.completions / top.seconds, 2),
        "saturation_offered_turns_per_s": round(top.rate, 2),
        # False: the last rate was still the best, so the point is above it (a lower bound)
        "saturation_found": found,
        "steps": [s.summary() for s in steps],
        "held": {name: s.summary() for name, s in held.items()},
        "instances_started": clerks.tally.started,
        "instances_finished": clerks.tally.finished,
    }
    figures["target"] = saturation_target(figures)
    return figures, dict(clerks.tally.ledger)


def saturation_target(figures: dict) -> dict:
    """The fast path's load target, met true or false, from the open model's figures."""
    rate = figures["saturation_completions_per_s"]
    p99 = figures["held"]["50%"]["all_ms"].get("p99")
    p99_met = p99 is not None and p99 < targets.P99_WANTED_MS
    return {
        "target": targets.SATURATION,
        "saturation_completions_per_s": rate,
        "saturation_found": figures["saturation_found"],
        "p99_at_50_ms": p99,
        "met": rate >= targets.SATURATION_WANTED and p99_met,
        "p99_met": p99_met,
    }


def _figures(locust: dict) -> dict:
    total = locust["total"]
    rows = {r["name"]: r for r in locust["requests"]}
    complete = rows.get("/tasks/[id]/complete", {})
    return {
        "seconds": round(locust["seconds"], 1),
        "requests": total["requests"],
        "requests_per_second": round(total["per_second"], 1),
        "failures": total["failures"],
        "completions": locust["completions"],
        "completions_per_second": round(locust["completions_per_second"], 2),
        "latency_ms": {k: total[k] for k in ("p50", "p95", "p99", "max_ms")},
        "complete_latency_ms": {k: complete.get(k) for k in ("p50", "p95", "p99", "max_ms")},
        "by_request": {
            name: {k: r[k] for k in ("requests", "failures", "p50", "p95", "p99")}
            for name, r in rows.items()
        },
        "instances_started": locust["started"],
        "instances_finished": locust["finished"],
        "sent_back": locust["sent_back"],
        "claims_taken_by_others": locust["claims_taken"],
        "errors": locust["errors"],
        "server_ms": locust["server_ms"],
        "cpu": locust.get("cpu"),
    }


# the API, and the HTML pages of the open model: the inbox (/), task and instance pages
ACCESS = re.compile(
    r'"(GET|POST) (/(?:api/v1|tasks|instances)[^ ?"]*|/(?=[ ?]))[^"]*" (\d{3}) .* (\d+)ms$'
)


def _server_times(logs: list[Path]) -> dict:
    """From the access logs: the time a worker spent on each kind of request (no queueing)."""
    times: dict[str, list[int]] = {}
    for log in logs:
        for line in log.read_text(errors="replace").splitlines():
            found = ACCESS.search(line)
            if found:
                path = re.sub(r"/\d+", "/[id]", found[2].removeprefix("/api/v1"))
                path = re.sub(r"/processes/[^/]+/", "/processes/[key]/", path)
                times.setdefault(f"{found[1]} {path}", []).append(int(found[4]))
    return {
        name: {
            "requests": len(values),
            **{k: sorted(values)[min(len(values) - 1, int(q * len(values)))] for k, q in QS},
        }
        for name, values in sorted(times.items())
    }


QS = (("p50", 0.5), ("p95", 0.95), ("p99", 0.99))


def _machine(load_before: tuple, load_after: tuple) -> dict:
    with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
        server = admin.execute("SHOW server_version").fetchone()[0]
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    return {
        "cpus": os.cpu_count(),
        "cpu": cpu,
        "memory_gib": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
        "loadavg_before": [round(x, 2) for x in load_before],
        "loadavg_after": [round(x, 2) for x in load_after],
        "kernel": platform.release(),
        "python": platform.python_version(),
        "postgresql": server,
        **{name: version(name) for name in PACKAGES},
    }


if __name__ == "__main__":
    sys.exit(main())
