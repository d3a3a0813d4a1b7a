"""The load run's CPU meter: each part's time, its ended children's included, counted once."""

from __future__ import annotations

import json
import subprocess
import sys
import time

from ops.load.cpu import Meter, postmasters, this_process

# A server-like process: a child that does some work and ends (reaped: its time moves to the
# parent), then work of its own; it reports what it used as it sees it, then waits.
SERVER = """
import json, resource, subprocess, sys, time
subprocess.run([sys.executable, "-c", "sum(i * i for i in range(3_000_000))"], check=True)
sum(i * i for i in range(3_000_000))
children = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"own": time.process_time(), "children": children.ru_utime + children.ru_stime}))
sys.stdout.flush()
time.sleep(60)
"""

TICK = 0.03  # /proc counts in clock ticks (10 ms), per process


def test_a_part_counts_its_processes_and_their_ended_children_once(tmp_path):
    pids: list[int] = []
    meter = Meter({"server": lambda: list(pids), "generator": this_process})
    before = meter.read()
    mine = time.process_time()
    with subprocess.Popen(
        [sys.executable, "-c", SERVER], stdout=subprocess.PIPE, text=True
    ) as server:
        try:
            pids.append(server.pid)
            used = json.loads(server.stdout.readline())
            after = meter.read()
            mine = time.process_time() - mine
        finally:
            server.kill()
    spent = Meter.used(before, after, completions=4)
    reported = used["own"] + used["children"]
    assert used["children"] > 0.1  # the ended child did its share of the work
    assert reported - TICK <= spent["seconds"]["server"] <= reported + TICK
    # the server is this process's child, yet not counted as the load generator's
    assert spent["seconds"]["generator"] <= mine + TICK
    assert spent["ms_per_completion"]["server"] == round(1000 * spent["seconds"]["server"] / 4, 1)
    assert 0 < spent["busy_share"] <= 1
    assert spent["ms_per_completion"]["all"] >= spent["ms_per_completion"]["server"] - 1


def test_postgresql_is_found_as_its_postmaster():
    roots = postmasters()
    assert roots, "PostgreSQL is not running on this machine (the load run measures it)"
    reading = Meter({"postgresql": postmasters}).read()
    assert reading.parts["postgresql"] > 0
