"""Where a load run's CPU went: seconds per part of the machine between two readings.

The parts are the app servers (each gunicorn master with its workers), the `alur worker`,
PostgreSQL (the postmaster and every backend), the load generator (this process, with locust
when it runs as a child) and the rest of the machine. A part's time is, over the live processes
of its tree, their own time plus what their children that ended had used (the kernel adds a
reaped child's time to its parent), so a worker or backend that came and went between two
readings still counts. The machine's busy time is from /proc/stat (psutil.cpu_times).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass

import psutil

Roots = Callable[[], list[int]]


def _tree_seconds(pid: int, skip: set[int]) -> float:
    """CPU seconds of a process and its descendants, ended ones included, without the subtrees
    of the pids in skip (another part's); 0 if it is gone."""
    try:
        root = psutil.Process(pid)
        processes = [root, *root.children(recursive=True)]
    except psutil.Error:
        return 0.0
    parents = {}
    for process in processes[1:]:
        try:
            parents[process.pid] = process.ppid()
        except psutil.Error:
            parents[process.pid] = None  # ended: its time goes to its parent

    def skipped(pid: int | None) -> bool:  # in a skipped subtree, or ended
        while pid is not None and pid != root.pid:
            if pid in skip:
                return True
            pid = parents.get(pid)
        return pid is None

    total = 0.0
    for process in processes:
        if process is not root and skipped(process.pid):
            continue
        try:
            t = process.cpu_times()
        except psutil.Error:
            continue  # ended since the listing: its time is in its parent's children_* next time
        total += t.user + t.system + t.children_user + t.children_system
    return total


def postmasters() -> list[int]:
    """The PostgreSQL servers on this machine: postgres processes whose parent is not one."""
    found = []
    for process in psutil.process_iter(["name", "ppid"]):
        if process.info["name"] != "postgres":
            continue
        try:
            parent = psutil.Process(process.info["ppid"]).name()
        except psutil.Error:
            parent = ""
        if parent != "postgres":
            found.append(process.pid)
    return found


@dataclass(frozen=True)
class Reading:
    parts: dict[str, float]  # part -> CPU seconds so far
    busy: float  # the machine's busy CPU seconds so far (every CPU)
    at: float  # wall clock, seconds


class Meter:
    """Readings of the parts named by their root processes (a callable giving the pids)."""

    def __init__(self, parts: dict[str, Roots]):
        self.parts = parts

    def read(self) -> Reading:
        roots = {name: find() for name, find in self.parts.items()}
        seconds = {}
        for name, pids in roots.items():
            others = {pid for other, found in roots.items() if other != name for pid in found}
            seconds[name] = sum(_tree_seconds(pid, others) for pid in pids)
        times = psutil.cpu_times()
        idle = times.idle + getattr(times, "iowait", 0.0)
        return Reading(seconds, sum(times) - idle, time.monotonic())

    @staticmethod
    def used(before: Reading, after: Reading, completions: int) -> dict:
        """CPU between two readings: per part and in all (ms per completion), the other
        processes of the machine, and how busy the CPUs were."""
        wall = max(after.at - before.at, 1e-9)
        spent = {name: after.parts[name] - before.parts[name] for name in after.parts}
        busy = after.busy - before.busy
        spent["other"] = max(0.0, busy - sum(spent.values()))
        per, cpus = max(completions, 1), os.cpu_count() or 1
        return {
            "cpus": cpus,
            "busy_share": round(busy / (wall * cpus), 3),
            "seconds": {name: round(s, 2) for name, s in spent.items()},
            "ms_per_completion": {name: round(1000 * s / per, 1) for name, s in spent.items()}
            | {"all": round(1000 * busy / per, 1)},
        }


def this_process() -> list[int]:
    return [os.getpid()]
