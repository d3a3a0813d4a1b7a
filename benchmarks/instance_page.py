"""instance_page_ms: the instance page (`GET /instances/<id>`) of an instance with a long history.

The draft/review loop of history_cost driven to `rounds` rounds (2 x rounds completed steps, each
with its audit events), then the page requested through the Flask test client, signed in as the
person who started it: the time in the app (what gunicorn's worker spends), no network. The page
shows the two ends of the history and the newest working-time rows; instance_page_whole_ms is the
same page asked for all of them (`?riwayat=semua&waktu=semua`), which has no target.
"""

from __future__ import annotations

import time

from benchmarks import Emit, median, note, percentile
from benchmarks.history_cost import LOOP, USER, drive, loop_xml
from engine.alur import Alur

TARGET_MS = 100.0
PASSWORD = "bench-password"
WHOLE = "?riwayat=semua&waktu=semua"


def run(emit: Emit, kinds: list[str], rounds: int, calls: int, database) -> None:
    from webui import create_app

    for kind in kinds:
        with database(kind) as alur:
            app = create_app(
                {
                    "TESTING": True,
                    "SECRET_KEY": "bench",
                    "WTF_CSRF_ENABLED": False,
                    "ALUR_DATABASE_URL": alur.db.url.render_as_string(hide_password=False),
                    "ALUR_UPLOAD_DIR": str(alur.settings.upload_dir),
                }
            )
            web: Alur = app.extensions["alur"]
            web.deploy_sources([("bench_loop.bpmn", loop_xml())], USER)
            web.add_user(USER, LOOP.actors, password=PASSWORD)
            note(f"instance page on {kind}: driving one instance to {2 * rounds} steps")
            instance_id = drive(web, rounds)
            client = app.test_client()
            if (
                client.post("/login", data={"username": USER, "password": PASSWORD}).status_code
                != 302
            ):
                raise RuntimeError("sign-in failed")
            for figure, query in (("instance_page_ms", ""), ("instance_page_whole_ms", WHOLE)):
                times, response = _timed(client, f"/instances/{instance_id}{query}", calls)
                value = median(times)
                line = {
                    "figure": figure,
                    "value": value,
                    "unit": "ms",
                    "db": kind,
                    "completed_steps": 2 * rounds,
                    "calls": calls,
                    "p95_ms": percentile(times, 95),
                    "page_bytes": len(response.data),
                }
                if not query:
                    line |= {"target": TARGET_MS, "met": value < TARGET_MS}
                emit(line)
            web.db.dispose()


def _timed(client, url: str, calls: int) -> tuple[list[float], object]:
    """calls timed GETs of url (after three that warm the templates and caches), in ms."""
    times = []
    for i in range(calls + 3):
        start = time.perf_counter()
        response = client.get(url)
        elapsed = (time.perf_counter() - start) * 1000
        if response.status_code != 200:
            raise RuntimeError(f"instance page: {response.status_code}")
        if i >= 3:
            times.append(elapsed)
    return times, response
