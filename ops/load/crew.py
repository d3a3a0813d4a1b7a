"""The fault runs' harness: a seeded database with app servers, and a crew of clerk threads."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ops.load.cluster import Cluster, free_ports
from ops.load.seed import create_database, drop_database, seed
from ops.load.staff import Clerk, Staff, Tally, process_keys

# Outcomes that are never acceptable: a server error without the API's JSON body, a clerk turn
# that broke on an answer the API promises otherwise, a request refused as malformed.
ALWAYS_WRONG = (" not JSON", "broke:", "400", "401", "403", "404", "422")


@dataclass
class Site:
    """A fresh database with its servers: what a fault run works on."""

    url: str
    run_dir: Path
    staff: list[Staff]
    cluster: Cluster
    keys: list[str]


@contextmanager
def site(
    run_dir: Path,
    staff: int = 16,
    servers: int = 2,
    workers: int = 2,
    worker: bool = True,
    env: dict[str, str] | None = None,
    password: str | None = None,
) -> Iterator[Site]:
    """Create and seed a database, start the servers on free ports; stop and drop afterwards.
    With a password the staff can sign in to the web UI as well."""
    run_dir.mkdir(parents=True, exist_ok=True)
    url = create_database("alur_fault")
    try:
        people = seed(url, run_dir / "files", staff, password=password)
        cluster = Cluster(url, run_dir, free_ports(servers), workers, worker, env)
        cluster.start()
        try:
            keys = process_keys(cluster.urls[0], people[0].token)
            yield Site(url, run_dir, people, cluster, keys)
        finally:
            cluster.stop()
    finally:
        drop_database(url)


class Crew:
    """One clerk thread per staff member, spread over the servers, all on one tally."""

    def __init__(self, where: Site, pause: float = 0.05):
        self.tally = Tally()
        self.stop_event = threading.Event()
        urls = where.cluster.urls
        self.clerks = [
            Clerk(urls[i % len(urls)], person, where.keys, self.tally, seed=i)
            for i, person in enumerate(where.staff)
        ]
        self.threads = [
            threading.Thread(target=c.run, args=(self.stop_event, pause), daemon=True)
            for c in self.clerks
        ]

    def __enter__(self) -> Crew:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *_exc) -> None:
        self.stop()

    def stop(self, timeout: float = 45.0) -> list[str]:
        """Stop every clerk after its turn; the names of those still stuck after timeout."""
        self.stop_event.set()
        deadline = time.monotonic() + timeout
        for thread in self.threads:
            thread.join(max(0.0, deadline - time.monotonic()))
        return [t.name for t in self.threads if t.is_alive()]

    def completions_since(self, moment: float) -> int:
        with self.tally.lock:
            return sum(
                1 for at, name, outcome in self.tally.timeline
                if at >= moment and name == "complete" and outcome == "200"
            )  # fmt: skip

    def failures(self) -> list[tuple[float, str, str]]:
        """Every outcome but a success or an expected 409 (a claim someone else won)."""
        with self.tally.lock:
            return [
                (at, name, outcome)
                for at, name, outcome in self.tally.timeline
                if not (outcome in {"200", "201"} or (outcome == "409" and name == "claim"))
            ]


def wrong(failures: list[tuple[float, str, str]]) -> list[str]:
    """The failures no fault excuses."""
    return [
        f"{name}: {outcome}"
        for _, name, outcome in failures
        if any(mark in outcome for mark in ALWAYS_WRONG)
    ]
