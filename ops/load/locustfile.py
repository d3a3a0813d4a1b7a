"""locust: staff working through SOP instances over /api/v1 (ops/load/run.py starts it).

Environment (run.py sets it):
  ALUR_LOAD_STAFF        staff JSON from ops/load/seed.py (username, role, token, starter)
  ALUR_LOAD_HOSTS        app servers, space-separated; users are spread over them (loopback only)
  ALUR_LOAD_MAX_REQUESTS the request budget: locust quits when it is spent [20000]
  ALUR_LOAD_REPORT       where the figures go as JSON at the end
  ALUR_LOAD_WAIT         seconds a clerk pauses between turns, "MIN MAX" ["0.1 0.5"]
"""

from __future__ import annotations

import itertools
import json
import os
import random
from pathlib import Path

import gevent
from locust import between, events
from locust import task as locust_task
from locust.contrib.fasthttp import FastHttpUser

from ops.load.staff import Tally, check_loopback, completion, pick, read_staff

STAFF = read_staff(Path(os.environ["ALUR_LOAD_STAFF"]))
HOSTS = os.environ.get("ALUR_LOAD_HOSTS", "http://127.0.0.1:8001 http://127.0.0.1:8002").split()
MAX_REQUESTS = int(os.environ.get("ALUR_LOAD_MAX_REQUESTS", "20000"))
WAIT = [float(x) for x in os.environ.get("ALUR_LOAD_WAIT", "0.1 0.5").split()]
PERCENTILES = {"p50": 0.5, "p95": 0.95, "p99": 0.99}
check_loopback(HOSTS)
tally = Tally()
_seats = itertools.count()
_spent = itertools.count(1)
_keys: list[str] = []
_environment = None


class Staff(FastHttpUser):
    """One of the seeded staff; the n-th user takes the n-th account and the n-th server."""

    wait_time = between(*WAIT)
    host = HOSTS[0]

    def __init__(self, environment):
        seat = next(_seats)
        self.staff = STAFF[seat % len(STAFF)]
        self.host = HOSTS[seat % len(HOSTS)]
        super().__init__(environment)
        self.rng = random.Random(seat)

    def on_start(self) -> None:
        self.headers = {"Authorization": f"Bearer {self.staff.token}"}
        if not _keys:
            reply = self.client.get(
                "/api/v1/processes", name="/processes", headers=self.headers
            ).json()
            _keys[:] = sorted(p["key"] for p in reply["processes"])

    def call(self, method: str, path: str, name: str, ok: tuple[int, ...], **kwargs):
        """(status, JSON); a status in ok counts as success, any other as a failure."""
        with self.client.request(
            method, path, name=name, headers=self.headers, catch_response=True, **kwargs
        ) as response:
            if response.status_code in ok:
                response.success()
                try:
                    return response.status_code, response.json()
                except ValueError:
                    return response.status_code, None
            response.failure(f"HTTP {response.status_code}: {(response.text or '')[:200]}")
            return response.status_code, None

    @locust_task
    def turn(self) -> None:
        status, body = self.call("GET", "/api/v1/tasks", "/tasks (inbox)", (200,))
        if status != 200:
            return
        task = pick(body["tasks"], self.staff.username, self.rng)
        if tally.should_start(self.staff, task is None, self.rng):
            key = self.rng.choice(_keys)
            status, _ = self.call(
                "POST",
                f"/api/v1/processes/{key}/instances",
                "/processes/[key]/instances",
                (201,),
                json={"title": f"Uji beban {key}"},
            )
            if status == 201:
                with tally.lock:
                    tally.started += 1
            return
        if task is None:
            return
        if task["claimed_by"] != self.staff.username:
            status, _ = self.call(
                "POST", f"/api/v1/tasks/{task['id']}/claim", "/tasks/[id]/claim", (200, 409)
            )
            if status == 409:  # another clerk of the role was first: expected, not an error
                with tally.lock:
                    tally.claims_taken += 1
            if status != 200:
                return
        sent = completion(task, self.rng)
        status, reply = self.call(
            "POST",
            f"/api/v1/tasks/{task['id']}/complete",
            "/tasks/[id]/complete",
            (200,),
            json=sent,
        )
        if status == 200:
            tally.done(task, self.staff.username, sent, reply)
            if self.rng.random() < 0.1:  # now and then look at the case and its history
                iid = task["instance_id"]
                self.call("GET", f"/api/v1/instances/{iid}", "/instances/[id]", (200,))
                self.call(
                    "GET", f"/api/v1/instances/{iid}/history", "/instances/[id]/history", (200,)
                )


@events.request.add_listener
def _budget(**_kwargs) -> None:
    """Quit once the request budget is spent (the time limit is locust's --run-time)."""
    if next(_spent) == MAX_REQUESTS:
        runner = _environment.runner
        if runner is not None:
            gevent.spawn(runner.quit)


@events.init.add_listener
def _init(environment, **_kwargs) -> None:
    global _environment
    _environment = environment


@events.quitting.add_listener
def _report(environment, **_kwargs) -> None:
    """The figures as JSON: per request and in total, the clerks' tally and the ledger."""
    path = os.environ.get("ALUR_LOAD_REPORT")
    if not path:
        return
    stats = environment.stats
    total = stats.total
    seconds = max((total.last_request_timestamp or 0) - (total.start_time or 0), 1e-9)

    def entry(e) -> dict:
        return {
            "name": e.name,
            "method": e.method,
            "requests": e.num_requests,
            "failures": e.num_failures,
            "per_second": e.num_requests / seconds,
            "mean_ms": e.avg_response_time,
            "max_ms": round(e.max_response_time or 0),
            **{k: e.get_response_time_percentile(q) for k, q in PERCENTILES.items()},
        }

    report = {
        "seconds": seconds,
        "users": getattr(environment.parsed_options, "num_users", None),
        "total": entry(total),
        "requests": [entry(e) for e in sorted(stats.entries.values(), key=lambda e: e.name)],
        "errors": [
            {"name": e.name, "method": e.method, "error": str(e.error), "count": e.occurrences}
            for e in stats.errors.values()
        ],
        "completions": tally.completed,
        "completions_per_second": tally.completed / seconds,
        "sent_back": tally.sent_back,
        "started": tally.started,
        "finished": tally.finished,
        "claims_taken": tally.claims_taken,
        "ledger": {str(k): v for k, v in tally.ledger.items()},
    }
    Path(path).write_text(json.dumps(report, indent=1), encoding="utf-8")
