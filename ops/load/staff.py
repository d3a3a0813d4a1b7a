"""What a simulated staff member does through /api/v1; shared by locust and the fault runs.

One turn: read the inbox; take a task already claimed, else claim one of the first few free
ones (another clerk may take it first: a 409, expected); complete it with every Kelengkapan item
ticked and, on a decision step, Ya or now and then Tidak with a note. A Kabid (the starter role of
every SOP) starts a new instance when the inbox is empty, or now and then anyway, as long as
fewer than the target number of instances run.
"""

from __future__ import annotations

import json
import os
import random
import threading
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import requests

TIDAK_SHARE = float(os.environ.get("ALUR_LOAD_TIDAK", "0.1"))  # of decisions sent back
START_SHARE = 0.2  # a starter with work in the inbox still starts a new case this often
RUNNING_TARGET = int(os.environ.get("ALUR_LOAD_RUNNING", "150"))  # instances kept running
FIRST = 10  # a clerk picks among the first FIRST free tasks (soonest due), as people do
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


@dataclass(frozen=True)
class Staff:
    username: str
    role: str
    token: str
    starter: bool  # holds a role that may start instances


def write_staff(path: Path, staff: list[Staff]) -> None:
    """The accounts and their tokens, readable by the owner only."""
    path.write_text(json.dumps([asdict(s) for s in staff], indent=1), encoding="utf-8")
    path.chmod(0o600)


def read_staff(path: Path) -> list[Staff]:
    return [Staff(**row) for row in json.loads(Path(path).read_text(encoding="utf-8"))]


def check_loopback(urls: list[str]) -> None:
    """The load and fault runs only ever talk to servers on this machine."""
    for url in urls:
        if urlparse(url).hostname not in LOOPBACK:
            raise SystemExit(f"{url}: load runs are for loopback servers only")


def pick(tasks: list[dict], username: str, rng: random.Random) -> dict | None:
    """A task this clerk already claimed, else one of the first free ones, else None."""
    mine = [t for t in tasks if t["claimed_by"] == username]
    if mine:
        return mine[0]
    free = [t for t in tasks if not t["claimed_by"]]
    return rng.choice(free[:FIRST]) if free else None


def completion(task: dict, rng: random.Random) -> dict:
    """The completion body: all Kelengkapan ticked; Ya, or Tidak with a note, on a decision."""
    body: dict = {"checklist": {item: True for item in task["kelengkapan"]}}
    if task["question"]:
        if rng.random() < TIDAK_SHARE:
            body |= {"decision": "Tidak", "note": "kurang lengkap, mohon diperbaiki (uji beban)"}
        else:
            body["decision"] = "Ya"
    return body


@dataclass
class Tally:
    """What all clerks did, shared between threads or greenlets."""

    started: int = 0
    finished: int = 0
    completed: int = 0
    sent_back: int = 0
    claims_taken: int = 0  # claims refused because someone else was first
    ledger: dict[int, str] = field(default_factory=dict)  # task id -> who was told it is done
    outcomes: Counter = field(default_factory=Counter)  # (request, status or error) -> count
    timeline: list[tuple[float, str, str]] = field(default_factory=list)
    slowest: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def running(self) -> int:
        return self.started - self.finished

    def done(self, task: dict, username: str, body: dict, reply: dict) -> None:
        with self.lock:
            self.completed += 1
            self.sent_back += body.get("decision") == "Tidak"
            self.finished += bool(reply.get("finished"))
            self.ledger[task["id"]] = username

    def record(self, name: str, outcome: str, seconds: float) -> None:
        with self.lock:
            self.outcomes[(name, outcome)] += 1
            self.timeline.append((time.time(), name, outcome))
            self.slowest = max(self.slowest, seconds)

    def should_start(self, staff: Staff, inbox_empty: bool, rng: random.Random) -> bool:
        return (
            staff.starter
            and self.running < RUNNING_TARGET
            and (inbox_empty or rng.random() < START_SHARE)
        )


class Clerk:
    """One staff member over plain HTTP (requests), for the fault runs' threads."""

    def __init__(self, base_url: str, staff: Staff, keys: list[str], tally: Tally, seed: int):
        check_loopback([base_url])
        self.base, self.staff, self.keys, self.tally = base_url.rstrip("/"), staff, keys, tally
        self.rng = random.Random(seed)
        self.http = requests.Session()
        self.http.headers["Authorization"] = f"Bearer {staff.token}"

    def call(self, method: str, path: str, name: str, **kwargs) -> tuple[int, dict | None]:
        """(status, JSON body), or (0, None) when no HTTP answer came; every outcome recorded.

        An error answer must carry the API's JSON error body; one without it is recorded as
        "<status> not JSON".
        """
        began = time.monotonic()
        try:
            response = self.http.request(method, self.base + path, timeout=30, **kwargs)
        except requests.RequestException as error:
            self.tally.record(name, type(error).__name__, time.monotonic() - began)
            return 0, None
        try:
            body = response.json()
        except ValueError:
            body = None
        outcome = str(response.status_code)
        if response.status_code >= 400 and not (isinstance(body, dict) and "error" in body):
            outcome += " not JSON"
        self.tally.record(name, outcome, time.monotonic() - began)
        return response.status_code, body

    def turn(self) -> None:
        status, body = self.call("GET", "/api/v1/tasks", "inbox")
        if status != 200:
            return
        task = pick(body["tasks"], self.staff.username, self.rng)
        if self.tally.should_start(self.staff, task is None, self.rng):
            key = self.rng.choice(self.keys)
            status, _ = self.call(
                "POST", f"/api/v1/processes/{key}/instances", "start", json={"title": "beban"}
            )
            if status == 201:
                with self.tally.lock:
                    self.tally.started += 1
            return
        if task is None:
            return
        if task["claimed_by"] != self.staff.username:
            status, _ = self.call("POST", f"/api/v1/tasks/{task['id']}/claim", "claim")
            if status == 409:
                with self.tally.lock:
                    self.tally.claims_taken += 1
            if status != 200:
                return
        sent = completion(task, self.rng)
        path = f"/api/v1/tasks/{task['id']}/complete"
        status, reply = self.call("POST", path, "complete", json=sent)
        if status == 200:
            self.tally.done(task, self.staff.username, sent, reply)

    def run(self, stop: threading.Event, pause: float = 0.05) -> None:
        """Take turns until stop is set; a turn that breaks is recorded, and the clerk goes on."""
        try:
            while not stop.is_set():
                try:
                    self.turn()
                except Exception as error:  # e.g. a 200 whose body is not what the API promises
                    self.tally.record("turn", f"broke: {type(error).__name__}: {error}", 0.0)
                stop.wait(pause * (0.5 + self.rng.random()))
        finally:
            self.http.close()


def process_keys(base_url: str, token: str) -> list[str]:
    """The deployed process keys, read through the API."""
    check_loopback([base_url])
    response = requests.get(
        base_url.rstrip("/") + "/api/v1/processes",
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )
    response.raise_for_status()
    return sorted(p["key"] for p in response.json()["processes"])
