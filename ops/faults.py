"""Fault runs: `python -m ops.faults [kill] [disk] [postgres] [--seconds N] [--force]`.

kill      kill -9 app workers while clerks complete tasks, each inside a database transaction
disk      fill the upload folder (a 1 MiB tmpfs of the server's own) and upload into it
postgres  restart PostgreSQL (pg_ctlcluster) under load; refused while other clients are
          connected to the server unless --force: the restart cuts every connection on it

Each prints what happened as JSON and ends with the consistency check of every instance
(ops/load/consistency.py); the exit code is 1 when any check fails. Without a name, kill and disk
run (tests/ops runs the same two); postgres runs only when named.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests

from ops.disk_full import fill_upload_disk
from ops.load import consistency
from ops.load.crew import Crew, Site, site, wrong
from ops.load.seed import ADMIN_URL, admin_connection

WINDOW = 6.0  # seconds after a fault in which its requests may fail


# -- kill -9 an app worker --------------------------------------------------------------------
def kill_workers(run_dir: Path, seconds: float = 20.0, kills: int = 4) -> dict:
    """SIGKILL a gunicorn worker that is inside a completion's transaction, `kills` times."""
    with site(run_dir, workers=2) as where, Crew(where) as crew:
        time.sleep(3)  # every clerk busy
        gap, log = max(1.0, (seconds - 8) / kills), []
        for n in range(kills):
            port = where.cluster.ports[n % len(where.cluster.ports)]
            pid, caught = _busy_worker(where, port, within=gap)
            os.kill(pid, signal.SIGKILL)
            log.append({"at": time.time(), "port": port, "pid": pid, "caught": caught})
            time.sleep(gap)
        last = log[-1]["at"]
        time.sleep(max(4.0, seconds - (time.time() - last) - 3))
        stuck = crew.stop()
        workers = {p: len(where.cluster.worker_pids(p)) for p in where.cluster.ports}
        health = where.cluster.status()
        report = consistency.check(where.url, run_dir / "files", crew.tally.ledger)
    failures = crew.failures()
    problems = [f"clerk stuck: {n}" for n in stuck] + wrong(failures)
    kill_times = [k["at"] for k in log]
    problems += _outside(failures, kill_times)
    if crew.completions_since(last + 1) == 0:
        problems.append("no task completed after the last kill")
    if any(count != 2 for count in workers.values()):
        problems.append(f"gunicorn did not replace the killed workers: {workers}")
    if health.returncode:
        problems.append(f"servers not healthy afterwards: {health.stdout}")
    if not any(k["caught"] for k in log):
        problems.append("no kill caught a worker inside a completion's transaction")
    problems += report.problems
    return {
        "fault": "kill -9 app worker",
        "kills": [{k: v for k, v in item.items() if k != "at"} for item in log],
        "completed": crew.tally.completed,
        "completed_after_last_kill": crew.completions_since(last + 1),
        "failed_requests": _count(failures),
        "slowest_request_s": round(crew.tally.slowest, 2),
        "workers_afterwards": workers,
        "consistency": report.summary(),
        "problems": problems,
    }


def _busy_worker(where: Site, port: int, within: float) -> tuple[int, str]:
    """A worker of the server on port inside a completion's transaction, else any of them."""
    workers = where.cluster.worker_pids(port)
    database = where.url.rsplit("/", 1)[1]
    deadline = time.monotonic() + within
    with admin_connection() as admin:
        while time.monotonic() < deadline:
            rows = admin.execute(
                "SELECT client_port, query FROM pg_stat_activity"
                " WHERE datname = %s AND backend_xid IS NOT NULL AND client_port > 0"
                " AND query ILIKE %s",
                (database, "%workflow_tasks%"),
            ).fetchall()
            for client_port, query in rows:
                pid = _socket_owner(client_port, workers)
                if pid:
                    return pid, " ".join(query.split())[:80]
            time.sleep(0.01)
    return workers[0], ""


def _socket_owner(local_port: int, pids: list[int]) -> int | None:
    """Which of pids holds the TCP socket bound to local_port (its PostgreSQL connection)."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if int(fields[1].rsplit(":", 1)[1], 16) == local_port:
                inodes.add(f"socket:[{fields[9]}]")
    for pid in pids:
        try:
            links = {os.readlink(fd) for fd in Path(f"/proc/{pid}/fd").iterdir()}
        except OSError:
            continue
        if links & inodes:
            return pid
    return None


# -- restart PostgreSQL -----------------------------------------------------------------------
def restart_postgres(run_dir: Path, seconds: float = 20.0, force: bool = False) -> dict:
    """Restart the PostgreSQL server while clerks work; /healthz is polled meanwhile."""
    with site(run_dir, workers=2) as where:
        database = where.url.rsplit("/", 1)[1]
        _refuse_if_shared(database, force)
        with Crew(where) as crew, _Probe(where.cluster.urls) as probe:
            time.sleep(4)
            _refuse_if_shared(database, force)  # again: another run may have begun meanwhile
            began = time.time()
            restart = subprocess.run(
                ["pg_ctlcluster", "--skip-systemctl-redirect", _pg_version(), "main", "restart"],
                capture_output=True,
                text=True,
                timeout=120,
            )
            back = time.time()
            time.sleep(max(6.0, seconds - (back - began) - 4))
            stuck = crew.stop()
        worker_alive = _alive(where.run_dir / "worker.pid")
        health = where.cluster.status()
        report = consistency.check(where.url, run_dir / "files", crew.tally.ledger)
    failures = crew.failures()
    problems = [f"clerk stuck: {n}" for n in stuck] + wrong(failures)
    if restart.returncode:
        problems.append(f"pg_ctlcluster restart failed: {restart.stderr.strip()}")
    problems += _outside(failures, [began], until=back)
    if crew.completions_since(back + 2) == 0:
        problems.append("no task completed after PostgreSQL was back")
    if health.returncode:
        problems.append(f"servers not healthy afterwards: {health.stdout}")
    if not worker_alive:
        problems.append("the alur worker did not survive the restart")
    problems += report.problems
    return {
        "fault": "PostgreSQL restart",
        "restart_s": round(back - began, 2),
        "completed": crew.tally.completed,
        "completed_after_restart": crew.completions_since(back + 2),
        "failed_requests": _count(failures),
        "slowest_request_s": round(crew.tally.slowest, 2),
        "healthz_seen": probe.seen,
        "worker_alive": worker_alive,
        "consistency": report.summary(),
        "problems": problems,
    }


def _refuse_if_shared(database: str, force: bool) -> None:
    others = _other_clients(database)
    if others and not force:
        raise SystemExit(
            f"PostgreSQL has other clients ({others}); a restart would cut them. "
            "Wait for them to finish, or pass --force."
        )


def _other_clients(database: str) -> dict[str, int]:
    """Client connections to databases other than this run's, by database."""
    with admin_connection() as admin:
        rows = admin.execute(
            "SELECT coalesce(datname, '?'), count(*) FROM pg_stat_activity"
            " WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()"
            " AND datname IS DISTINCT FROM %s GROUP BY 1",
            (database,),
        ).fetchall()
    return dict(rows)


def _pg_version() -> str:
    versions = sorted(os.listdir("/etc/postgresql")) if os.path.isdir("/etc/postgresql") else []
    if not versions:
        raise SystemExit("no /etc/postgresql: the restart needs Debian's pg_ctlcluster")
    return versions[-1]


class _Probe:
    """Poll /healthz of every server every 0.2 s; which answers were seen, by status."""

    def __init__(self, urls: list[str]):
        self.urls, self.seen = urls, {}
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._poll, daemon=True)

    def _poll(self) -> None:
        with requests.Session() as http:
            while not self.stop.is_set():
                for url in self.urls:
                    try:
                        response = http.get(url + "/healthz", timeout=5)
                        seen = f"{response.status_code} {response.json()['status']}"
                    except (requests.RequestException, ValueError, KeyError) as error:
                        seen = type(error).__name__
                    self.seen[seen] = self.seen.get(seen, 0) + 1
                self.stop.wait(0.2)

    def __enter__(self) -> _Probe:
        self.thread.start()
        return self

    def __exit__(self, *_exc) -> None:
        self.stop.set()
        self.thread.join(10)


# -- shared -----------------------------------------------------------------------------------
def _outside(failures, moments: list[float], until: float | None = None) -> list[str]:
    """Failures not within WINDOW seconds of a fault (or of its end, when until is given)."""
    late = []
    for at, name, outcome in failures:
        near = any(m - 1 <= at <= (until or m) + WINDOW for m in moments)
        if not near:
            late.append(f"{name}: {outcome} at +{at - min(moments):.1f} s, away from the fault")
    return late


def _count(failures) -> dict[str, int]:
    counted: dict[str, int] = {}
    for _, name, outcome in failures:
        key = f"{name} {outcome}"
        counted[key] = counted.get(key, 0) + 1
    return counted


def _alive(pidfile: Path) -> bool:
    try:
        os.kill(int(pidfile.read_text().strip()), 0)
    except (OSError, ValueError):
        return False
    return True


FAULTS = ("kill", "disk", "postgres")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ops.faults", description=__doc__)
    parser.add_argument("faults", nargs="*", metavar="FAULT", help="kill, disk, postgres")
    parser.add_argument("--seconds", type=float, default=20.0, help="load per fault [20]")
    parser.add_argument("--force", action="store_true", help="restart PostgreSQL regardless")
    parser.add_argument("--out", type=Path, help="run folder [a temporary one]")
    args = parser.parse_args(argv)
    if unknown := set(args.faults) - set(FAULTS):
        parser.error(f"unknown fault(s): {', '.join(sorted(unknown))}")
    print(f"PostgreSQL admin URL: {ADMIN_URL}", file=sys.stderr)
    failed = False
    with tempfile.TemporaryDirectory(prefix="alur-faults-") as scratch:
        out = args.out or Path(scratch)
        for name in args.faults or ["kill", "disk"]:
            where = out / name
            if name == "disk":
                result = fill_upload_disk(where)
            elif name == "postgres":
                result = restart_postgres(where, args.seconds, args.force)
            else:
                result = kill_workers(where, args.seconds)
            print(json.dumps(result, indent=1))
            failed |= bool(result["problems"])
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
