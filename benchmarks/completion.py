"""web_completion_ms / api_completion_ms: one task completion as the app server handles it.

In process, through the Flask test client (no network, no gunicorn): SOP C.3 runs start to end,
every completion either a posted task form (`POST /tasks/<id>/complete`, signed in) or an API
call (`POST /api/v1/tasks/<id>/complete`, bearer token). Each figure is the median time of the
request in the app and the database transactions it opened (write and read-only), counted with
SQLAlchemy's "begin" event on the facade's engine. It imports the web UI, unlike the engine
figures: it measures the app around the engine.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from flask.testing import FlaskClient
from sqlalchemy import event

from benchmarks import BPMN_DIR, Emit, median, note, percentile
from engine.alur import Alur
from engine.inbox import InboxFilter

SOP_FILE = BPMN_DIR / "sop_c_3.bpmn"
USER, PASSWORD = "pelaksana", "bench-password"


class Transactions:
    """Counts the transactions begun on an engine, write and read-only apart."""

    def __init__(self, alur: Alur):
        self.write = self.read = 0
        event.listen(alur.db, "begin", self._begin)

    def _begin(self, connection) -> None:
        if connection.get_execution_options().get("read_only"):
            self.read += 1
        else:
            self.write += 1

    @contextmanager
    def counting(self) -> Iterator[dict[str, int]]:
        """Within: how many write and read transactions began (filled in on exit)."""
        self.write = self.read = 0
        found: dict[str, int] = {}
        yield found
        found.update(write=self.write, read=self.read)


def setup(alur: Alur) -> tuple[str, str]:
    """Deploy C.3, add a user holding every lane; the process key and an API token."""
    alur.deploy([SOP_FILE], "admin")
    process = alur.processes()[0]
    alur.add_user(USER, list(process.model.actors), password=PASSWORD)
    return process.key, alur.create_token(USER, "bench")  # as the profile page makes it


def web_client(app) -> FlaskClient:
    client = app.test_client()
    response = client.post("/login", data={"username": USER, "password": PASSWORD})
    if response.status_code != 302:
        raise RuntimeError(f"sign-in failed: {response.status_code}")
    return client


def _form(alur: Alur, task) -> tuple[dict, bool]:
    """Every Kelengkapan ticked; Ya on a decision step."""
    step = alur.definition(task.process_key).model.find(task.step_no)
    items = step.kelengkapan if step else []
    form = {f"check-{i}": "1" for i, _item in enumerate(items)}
    decides = step is not None and step.decision is not None
    if decides:
        form["decision"] = "Ya"
    return form, decides


def one_run(alur: Alur, key: str, complete, counter: Transactions, times, counts) -> None:
    """Start C.3 and complete every task with complete(task, form, is_decision)."""
    instance = alur.start(key, USER, title="benchmark C.3")
    while tasks := alur.tasks(flt=InboxFilter(instance_id=instance.id)):
        for task in tasks:
            form, decision = _form(alur, task)
            with counter.counting() as found:
                start = time.perf_counter()
                complete(task, form, decision)
                times.append((time.perf_counter() - start) * 1000)
            counts.append(found)
    if alur.instance(instance.id).state != "completed":
        raise RuntimeError("C.3 did not finish")


def run(emit: Emit, kinds: list[str], runs: int, database) -> None:
    for kind in kinds:
        with database(kind) as alur:
            measure(emit, kind, alur, runs)


def measure(emit: Emit, kind: str, alur: Alur, runs: int) -> None:
    """Both figures on alur's database, through an app of its own."""
    from webui import create_app

    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "bench",
            "WTF_CSRF_ENABLED": False,
            "ALUR_DATABASE_URL": alur.db.url.render_as_string(hide_password=False),
            "ALUR_UPLOAD_DIR": str(alur.settings.upload_dir),
        }
    )
    web = app.extensions["alur"]
    key, token = setup(web)
    counter = Transactions(web)
    client = web_client(app)
    auth = {"Authorization": f"Bearer {token}"}
    client.get("/api/v1/tasks", headers=auth)  # the token's first use is recorded

    def by_web(task, form, _decision):
        response = client.post(f"/tasks/{task.id}/complete", data=form)
        if response.status_code != 302:
            raise RuntimeError(f"web completion: {response.status_code}")

    def by_api(task, _form, decision):
        body = {"decision": "Ya"} if decision else {}
        response = client.post(f"/api/v1/tasks/{task.id}/complete", json=body, headers=auth)
        if response.status_code != 200:
            raise RuntimeError(f"API completion: {response.status_code}")

    for figure, complete in (("web_completion_ms", by_web), ("api_completion_ms", by_api)):
        times: list[float] = []
        counts: list[dict] = []
        for _ in range(runs):
            one_run(web, key, complete, counter, times, counts)
        emit(
            {
                "figure": figure,
                "value": median(times),
                "unit": "ms",
                "db": kind,
                "p95_ms": percentile(times, 95),
                "completions": len(times),
                "write_transactions": sorted({c["write"] for c in counts}),
                "read_transactions": sorted({c["read"] for c in counts}),
            }
        )
        note(f"{figure} on {kind}: {len(times)} completions")
    web.db.dispose()
