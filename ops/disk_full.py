"""The full upload disk: a server whose upload folder is a 1 MiB tmpfs, uploads into it.

`python -m ops.faults disk` and tests/ops run it. The tmpfs is mounted in a mount namespace of the
server's own (unshare --mount; --user --map-root-user when not root), so the rest of the machine
never sees it and a crashed run leaves nothing mounted; the test reads the server's files through
/proc/PID/root.
"""

from __future__ import annotations

import os
import re
import subprocess
import time
from pathlib import Path

import requests

from ops.load import consistency
from ops.load.cluster import ROOT, free_ports
from ops.load.seed import create_database, drop_database, seed

PASSWORD = "uji-gangguan"
CSRF = re.compile(r'<meta name="csrf-token" content="([^"]+)">')


def fill_upload_disk(run_dir: Path) -> dict:
    """A server whose upload folder is a 1 MiB tmpfs of its own: a 600 KB output fits, the next
    one does not (ENOSPC); the completion is refused with an error page, nothing half-stored,
    and the same task completes afterwards with a small file."""
    run_dir.mkdir(parents=True, exist_ok=True)
    uploads = run_dir / "uploads"
    uploads.mkdir(exist_ok=True)
    url = create_database("alur_fault")
    try:
        people = seed(url, run_dir / "files", 16, password=PASSWORD)
        with _TmpfsServer(url, uploads, run_dir) as server:
            result = _fill(server, people)
        result["consistency"] = consistency.check(url, uploads).summary()
        result["problems"] += result["consistency"]["first_problems"]
        return result
    finally:
        drop_database(url)


class _TmpfsServer:
    """ops/serve.sh in a mount namespace of its own, with a 1 MiB tmpfs on the upload folder.

    The mount is private to the server (unshare --mount; --user --map-root-user when not root),
    so a crashed run leaves nothing mounted behind; its files are seen via /proc/PID/root.
    """

    def __init__(self, url: str, uploads: Path, run_dir: Path):
        self.port, self.uploads = free_ports(1)[0], uploads
        self.base = f"http://127.0.0.1:{self.port}"
        self.pidfile, self.logfile = run_dir / "disk-server.pid", run_dir / "disk-server.log"
        self.env = {
            **os.environ,
            "ALUR_DATABASE_URL": url,
            "ALUR_UPLOAD_DIR": str(uploads),
            "ALUR_MAX_UPLOAD_MB": "0.7",
            "ALUR_SECRET_KEY": os.urandom(24).hex(),
            "ALUR_COOKIE_SECURE": "0",  # plain http on loopback
            "ALUR_BIND": f"127.0.0.1:{self.port}",
            "ALUR_WORKERS": "2",
            "ALUR_PIDFILE": str(self.pidfile),
        }

    def __enter__(self) -> _TmpfsServer:
        userns = [] if os.geteuid() == 0 else ["--user", "--map-root-user"]
        mount = 'mount -t tmpfs -o size=1m,mode=0755 alur-uploads "$ALUR_UPLOAD_DIR" && exec "$0"'
        command = ["unshare", *userns, "--mount", "--propagation", "private", "sh", "-c", mount]
        with open(self.logfile, "w") as log:
            self.process = subprocess.Popen(
                [*command, str(ROOT / "ops" / "serve.sh")],
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server did not start:\n{self.logfile.read_text()}")
            try:
                if requests.get(self.base + "/healthz", timeout=2).status_code == 200:
                    break
            except requests.RequestException:
                pass
            time.sleep(0.3)
        else:
            self.__exit__()
            raise RuntimeError(f"server did not answer:\n{self.logfile.read_text()}")
        mounts = Path(f"/proc/{self.process.pid}/mountinfo").read_text()
        if f" {self.uploads} " not in mounts or "tmpfs" not in mounts:
            raise RuntimeError(f"no tmpfs on {self.uploads} in the server's namespace")
        return self

    def seen(self, path: Path) -> Path:
        """path as the server sees it (inside its mount namespace)."""
        return Path(f"/proc/{self.process.pid}/root") / path.relative_to("/")

    def __exit__(self, *_exc) -> None:
        self.process.terminate()  # gunicorn's master: finish requests, stop workers
        try:
            self.process.wait(40)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(10)


def _fill(server: _TmpfsServer, people) -> dict:
    problems: list[str] = []
    by_role = {}
    for person in people:
        by_role.setdefault(person.role, person)
    kabid = next(p for p in people if p.starter)
    api = {"Authorization": f"Bearer {kabid.token}"}
    with requests.Session() as http:
        started = http.post(
            server.base + "/api/v1/processes/sop_a/instances",
            json={"title": "Uji disk penuh"},
            headers=api,
            timeout=30,
        ).json()
        instance = started["id"]
        sessions: dict[str, requests.Session] = {}
        try:
            big = [os.urandom(600 * 1024) for _ in range(2)]
            first = _web_complete(server, sessions, by_role, api, instance, big[0], "rumusan-1.pdf")
            if first["status"] != 302:
                problems.append(f"the first 600 KB output was refused: {first}")
            full = _web_complete(server, sessions, by_role, api, instance, big[1], "rumusan-2.pdf")
            if full["status"] not in (500, 503, 507) or full["seconds"] > 10:
                problems.append(f"a full disk gave {full}, not a prompt 5xx error page")
            left = [p.name for p in server.seen(server.uploads).rglob(".upload-*")]
            if left:
                problems.append(f"half-written uploads left behind: {left}")
            task = _open_task(http, server, api, instance)
            if task["id"] != full["task"]:
                problems.append(f"the refused task {full['task']} is not open any more")
            inbox = http.get(server.base + "/api/v1/tasks", headers=api, timeout=30)
            health = http.get(server.base + "/healthz", timeout=30)
            if inbox.status_code != 200 or health.status_code != 200:
                problems.append("with the upload disk full, the API or /healthz failed")
            small = _web_complete(
                server, sessions, by_role, api, instance, b"%PDF-1.4 kecil", "k.pdf"
            )
            if small["status"] != 302 or small["task"] != full["task"]:
                problems.append(f"the same task with a small file: {small}")
            history = http.get(
                f"{server.base}/api/v1/instances/{instance}/history", headers=api, timeout=30
            ).json()["events"]
        finally:
            for session in sessions.values():
                session.close()
    attached = [e for e in history if e["kind"] == "file_attached"]
    names = sorted(e["data"]["name"] for e in attached)
    if names != ["k.pdf", "rumusan-1.pdf"]:
        problems.append(f"attached files in the history: {names}")
    for event in attached:
        blob = (
            server.seen(server.uploads) / event["data"]["sha256"][:2] / event["data"]["sha256"][2:]
        )
        if not blob.is_file() or blob.stat().st_size != event["data"]["size"]:
            problems.append(f"{event['data']['name']}: its bytes are not on disk")
    return {
        "fault": "upload disk full",
        "method": "1 MiB tmpfs mounted on ALUR_UPLOAD_DIR in the server's own mount namespace",
        "first_upload": first,
        "upload_into_full_disk": full,
        "after_with_small_file": small,
        "problems": problems,
    }


def _web_complete(server, sessions, by_role, api, instance: int, data: bytes, name: str) -> dict:
    """Sign in as a holder of the open task's role and submit the task form with one file."""
    with requests.Session() as http:
        task = _open_task(http, server, api, instance)
    person = by_role[task["role"]]
    web = sessions.get(person.username)
    if web is None:
        web = sessions[person.username] = requests.Session()
        token = CSRF.search(web.get(server.base + "/login", timeout=30).text).group(1)
        signed = web.post(
            server.base + "/login",
            data={"username": person.username, "password": PASSWORD, "csrf_token": token},
            allow_redirects=False,
            timeout=30,
        )
        if signed.status_code != 302:
            raise RuntimeError(f"sign-in as {person.username} failed: {signed.status_code}")
    page = web.get(f"{server.base}/tasks/{task['id']}", timeout=30).text
    form = {"csrf_token": CSRF.search(page).group(1)}
    form |= {f"check-{i}": "1" for i in range(len(task["kelengkapan"]))}
    if task["question"]:
        form["decision"] = "Ya"
    began = time.monotonic()
    response = web.post(
        f"{server.base}/tasks/{task['id']}/complete",
        data=form,
        files={"files": (name, data, "application/pdf")},
        allow_redirects=False,
        timeout=30,
    )
    return {
        "task": task["id"],
        "step": task["step_no"],
        "status": response.status_code,
        "seconds": round(time.monotonic() - began, 2),
        "page_says": _page_message(response.text) if response.status_code >= 400 else "",
    }


def _open_task(http, server, headers, instance: int) -> dict:
    found = http.get(f"{server.base}/api/v1/instances/{instance}", headers=headers, timeout=30)
    tasks = found.json()["open_tasks"]
    if len(tasks) != 1:
        raise RuntimeError(f"instance {instance} has {len(tasks)} open tasks")
    return tasks[0]


def _page_message(html: str) -> str:
    """The message of the app's error page (templates/errors/error.html)."""
    found = re.search(r'class="error-message"[^>]*>(.*?)</p>', html, re.S)
    return " ".join((found.group(1) if found else html[:160]).split())
