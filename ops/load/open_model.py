"""The open-model load run: turns arrive at a fixed rate, whatever the servers' answers take.

A closed loop (locust's 50 clerks, each waiting for its answer) slows its own arrivals when the
servers slow, so it cannot show a queue building up. Here a scheduler starts one clerk turn
every 1/rate seconds on a pool of threads; each request's time is measured from its scheduled
start, so time spent waiting for a free thread counts too (no coordinated omission). A turn is
what a clerk does (ops/load/staff.py): the inbox (API), a claim, the completion; in a share of
the turns the clerk also opens the HTML inbox and the task page before completing, and now and
then the HTML instance page after it, signed in with a password like a person.

`step_up` raises the rate step by step until the completions per second stop growing (the
saturation point); `at_rates` then runs fixed shares of that rate and reports completions/s and
p50/p95/p99 per endpoint.
"""

from __future__ import annotations

import random
import re
import threading
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import requests
from requests.adapters import HTTPAdapter

from ops.load.cpu import Meter
from ops.load.staff import Staff, Tally, check_loopback, completion, pick

HTML_SHARE = 0.3  # turns that open the HTML inbox and task page
INSTANCE_SHARE = 0.1  # turns that open the HTML instance page after completing
THREADS = 96  # turns in flight at most; more arrivals wait for a thread (and that counts)
CSRF = re.compile(
    r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"'
)


@dataclass
class Step:
    """The figures of one fixed rate."""

    rate: float  # turns started per second, offered
    seconds: float
    completions: int = 0
    turns: int = 0
    late_starts: int = 0  # turns that began over 100 ms after their time (all threads busy)
    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    failures: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    cpu: dict | None = None  # where the machine's CPU went (ops/load/cpu.py), when metered

    def summary(self) -> dict:
        def quantiles(values: list[float]) -> dict:
            ordered = sorted(values)
            pick_q = lambda q: round(ordered[min(len(ordered) - 1, int(q * len(ordered)))])  # noqa: E731
            return {"requests": len(ordered), "p50": pick_q(0.5), "p95": pick_q(0.95)} | {
                "p99": pick_q(0.99)
            }

        every = [t for values in self.times.values() for t in values]
        return {
            "offered_turns_per_s": round(self.rate, 2),
            "seconds": round(self.seconds, 1),
            "turns": self.turns,
            "completions": self.completions,
            "completions_per_s": round(self.completions / self.seconds, 2),
            "late_starts": self.late_starts,
            "failures": dict(self.failures),
            "all_ms": quantiles(every) if every else {},
            "by_request_ms": {name: quantiles(v) for name, v in sorted(self.times.items()) if v},
        } | ({"cpu": self.cpu} if self.cpu else {})


class Clerks:
    """The seeded staff as HTTP clients: a bearer token for the API, a signed-in web session."""

    def __init__(self, hosts: list[str], staff: list[Staff], password: str, keys: list[str]):
        check_loopback(hosts)
        self.staff, self.password, self.keys = staff, password, keys
        self.hosts = [h.rstrip("/") for h in hosts]
        self.tally = Tally()
        self.sessions: dict[str, requests.Session] = {}
        self.lock = threading.Lock()
        self.turns = 0
        self.meter: Meter | None = None  # set: each rate's CPU by part is kept with its figures

    def session(self, who: Staff, base: str) -> requests.Session:
        """The clerk's HTTP session, signed in to the web UI on first use."""
        with self.lock:
            found = self.sessions.get(who.username)
            if found is not None:
                return found
            http = requests.Session()
            http.mount("http://", HTTPAdapter(pool_connections=4, pool_maxsize=THREADS))
            self.sessions[who.username] = http
        page = http.get(base + "/login", timeout=30).text
        token = next((a or b for a, b in CSRF.findall(page)), "")
        form = {"username": who.username, "password": self.password, "csrf_token": token}
        signed = http.post(base + "/login", data=form, timeout=30, allow_redirects=False)
        if signed.status_code != 302:  # the HTML requests would all land on the sign-in page
            raise RuntimeError(f"sign-in of {who.username}: HTTP {signed.status_code}")
        return http

    def turn(self, step: Step, scheduled: float, rng: random.Random) -> None:
        with self.lock:
            n = self.turns
            self.turns += 1
        who = self.staff[n % len(self.staff)]
        base = self.hosts[n % len(self.hosts)]
        with self.lock:
            step.turns += 1
            step.late_starts += time.monotonic() - scheduled > 0.1
        http = self.session(who, base)
        api = {"Authorization": f"Bearer {who.token}"}

        def call(method: str, path: str, name: str, ok=(200,), **kwargs):
            began = time.monotonic()
            try:
                response = http.request(
                    method, base + path, timeout=60, allow_redirects=False, **kwargs
                )
            except requests.RequestException:
                with self.lock:
                    step.failures[name] += 1
                return 0, None
            with self.lock:
                step.times[name].append((time.monotonic() - began) * 1000)
                if response.status_code not in ok:
                    step.failures[f"{name}: {response.status_code}"] += 1
            if "json" not in (response.headers.get("Content-Type") or ""):
                return response.status_code, None
            try:
                return response.status_code, response.json()
            except ValueError:
                return response.status_code, None

        status, body = call("GET", "/api/v1/tasks", "GET /api/v1/tasks", headers=api)
        if status != 200 or body is None:
            return
        task = pick(body["tasks"], who.username, rng)
        if self.tally.should_start(who, task is None, rng):
            key = rng.choice(self.keys)
            path = f"/api/v1/processes/{key}/instances"
            status, _ = call(
                "POST", path, "POST /api/v1/processes/[key]/instances", (201,),
                headers=api, json={"title": f"Uji beban terbuka {key}"},
            )  # fmt: skip
            if status == 201:
                with self.tally.lock:
                    self.tally.started += 1
            return
        if task is None:
            return
        html = rng.random() < HTML_SHARE
        if html:
            call("GET", "/", "GET / (HTML inbox)")
            call("GET", f"/tasks/{task['id']}", "GET /tasks/[id] (HTML task page)")
        if task["claimed_by"] != who.username:
            path = f"/api/v1/tasks/{task['id']}/claim"
            status, _ = call("POST", path, "POST /api/v1/tasks/[id]/claim", (200, 409), headers=api)
            if status != 200:
                return
        sent = completion(task, rng)
        path = f"/api/v1/tasks/{task['id']}/complete"
        status, reply = call(
            "POST", path, "POST /api/v1/tasks/[id]/complete", (200, 409), headers=api, json=sent
        )
        if status == 200 and reply is not None:
            self.tally.done(task, who.username, sent, reply)
            with self.lock:
                step.completions += 1
            if rng.random() < INSTANCE_SHARE:
                iid = task["instance_id"]
                call("GET", f"/instances/{iid}", "GET /instances/[id] (HTML instance page)")

    def close(self) -> None:
        for http in self.sessions.values():
            http.close()


def at_rate(clerks: Clerks, rate: float, seconds: float, seed: int = 1) -> Step:
    """Start rate turns per second for seconds, then wait for the turns in flight."""
    step = Step(rate, seconds)
    rng = random.Random(seed)
    before = clerks.meter.read() if clerks.meter else None
    began = time.monotonic()
    with ThreadPoolExecutor(THREADS) as pool:
        n = 0
        while True:
            due = began + n / rate
            if due - began >= seconds:
                break
            wait = due - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            pool.submit(_safe, clerks, step, due, random.Random(rng.random()))
            n += 1
    step.seconds = time.monotonic() - began
    if before is not None:
        step.cpu = clerks.meter.used(before, clerks.meter.read(), step.completions)
    return step


def _safe(clerks: Clerks, step: Step, due: float, rng: random.Random) -> None:
    try:
        clerks.turn(step, due, rng)
    except Exception as error:  # a broken turn is a failure of the run, not of the scheduler
        with clerks.lock:
            step.failures[f"turn broke: {type(error).__name__}: {error}"[:200]] += 1


def step_up(clerks: Clerks, start: float, factor: float, seconds: float, steps: int) -> list[Step]:
    """Rates start, start*factor, ... until completions/s fall short of the offer (or stop
    growing) twice, or steps run out. The saturation point is the best step's completions/s."""
    done: list[Step] = []
    rate, short = start, 0
    for _ in range(steps):
        step = at_rate(clerks, rate, seconds)
        done.append(step)
        best = max(s.completions / s.seconds for s in done[:-1]) if len(done) > 1 else 0
        now = step.completions / step.seconds
        short = short + 1 if now < 1.05 * best else 0
        if short >= 2:
            break
        rate *= factor
    return done


def saturation(steps: list[Step]) -> Step:
    return max(steps, key=lambda s: s.completions / s.seconds)
