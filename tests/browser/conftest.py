"""Browser fixtures: the real `alur serve --demo` on a free port, driven by Debian's Chromium.

The app runs as a subprocess on 127.0.0.1 with a fresh ALUR_HOME (SQLite, the six SOPs, one
demo user per role, password "demo"). Playwright drives /usr/bin/chromium headless; it never
downloads a browser. Every page's console errors, uncaught exceptions and CSP violations are
collected per test and must be none at its end.
"""

from __future__ import annotations

import json
import os
import re
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Locator,
    Page,
    expect,
    sync_playwright,
)
from playwright.sync_api import Error as PlaywrightError

from tests.conftest import ROOT

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
ARTIFACTS = ROOT / "test-artifacts" / "browser"
PASSWORD = "demo"
START_TIMEOUT = 60  # seconds for migrate + deploy + demo users + the first /healthz
WAIT_MS = 15_000  # expect-style assertions and navigations

# Reported to the console from the page itself (an init script, so not subject to the CSP).
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", function (event) {
  console.error("CSP violation: " + event.violatedDirective + " blocked " + event.blockedURI);
});
"""


@dataclass
class Server:
    url: str
    home: Path
    log: Path


@pytest.fixture(scope="session")
def server(tmp_path_factory) -> Iterator[Server]:
    """`alur serve --demo` on a free loopback port with a fresh ALUR_HOME; stopped at the end."""
    with demo_server(tmp_path_factory.mktemp("alur-home")) as running:
        yield running


ALUR = Path(sys.executable).with_name("alur")


def alur_env(home: Path) -> dict[str, str]:
    """Only ALUR_HOME: no database URL, upload dir or role map leaks in from the caller."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ALUR_")}
    env.update(ALUR_HOME=str(home), PYTHONUNBUFFERED="1")
    return env


@contextmanager
def demo_server(home: Path) -> Iterator[Server]:
    """`alur serve --demo` with home as its ALUR_HOME on a free loopback port, until the exit
    (a module that changes what is deployed starts its own with this)."""
    port = _free_port()
    log_path = home / "serve.log"
    command = [str(ALUR), "serve", "--demo", "--host", "127.0.0.1", "--port", str(port)]
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            command, cwd=home, env=alur_env(home), stdout=log, stderr=subprocess.STDOUT
        )
        try:
            url = f"http://127.0.0.1:{port}"
            _wait_healthy(url, process, log_path)
            yield Server(url, home, log_path)
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_healthy(url: str, process: subprocess.Popen, log_path: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(
                f"`alur serve --demo` exited with {process.returncode}:\n{log_path.read_text()}"
            )
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    pytest.fail(f"{url}/healthz did not answer in {START_TIMEOUT} s:\n{log_path.read_text()}")


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, headless; a missing /usr/bin/chromium fails the tests (never skips)."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: run `make setup` (it installs Debian's chromium package); "
            "the browser tests never download a browser"
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class Console:
    """Console errors, page errors and CSP violations of every page of one browser context."""

    errors: list[str] = field(default_factory=list)
    allowed: list[re.Pattern] = field(default_factory=list)

    def watch(self, context: BrowserContext) -> None:
        context.add_init_script(CSP_LISTENER)
        context.on("console", self._console)
        context.on("weberror", lambda error: self.errors.append(f"page error: {error.error}"))

    def _console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            where = message.location.get("url", "")
            self.errors.append(f"console: {message.text} ({where})")

    def allow(self, pattern: str) -> None:
        """Accept errors matching pattern, e.g. the 422 of a form sent wrong on purpose."""
        self.allowed.append(re.compile(pattern))

    def unexpected(self) -> list[str]:
        return [e for e in self.errors if not any(p.search(e) for p in self.allowed)]

    def check(self) -> None:
        unexpected = self.unexpected()
        assert not unexpected, "errors in the browser console:\n" + "\n".join(unexpected)


@pytest.fixture
def console() -> Iterator[Console]:
    watched = Console()
    yield watched
    watched.check()


@pytest.fixture
def new_context(browser, server, console):
    """new_context(**options): a fresh context (own cookies) on the server, watched for errors."""
    contexts: list[BrowserContext] = []

    def make(**options) -> BrowserContext:
        options.setdefault("viewport", {"width": 1280, "height": 900})
        context = browser.new_context(base_url=server.url, locale="id-ID", **options)
        context.set_default_timeout(WAIT_MS)
        context.set_default_navigation_timeout(WAIT_MS)
        console.watch(context)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        try:
            context.close()
        except PlaywrightError:  # the browser went away already; its own teardown reports it
            pass


@pytest.fixture
def page(new_context) -> Page:
    return new_context().new_page()


@pytest.fixture(scope="session", autouse=True)
def _expect_timeout():
    expect.set_options(timeout=WAIT_MS)


def shot(target: Page | Locator, name: str) -> Path:
    """Keep a PNG of what the user sees (the whole page, or one part) in test-artifacts/browser/."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    if isinstance(target, Page):
        target.screenshot(path=path, full_page=True)
    else:
        target.screenshot(path=path)
    return path


def no_horizontal_overflow(page: Page) -> None:
    """Nothing sticks out sideways: the page is no wider than the window."""
    widths = page.evaluate("() => [document.scrollingElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"{page.url}: {widths[0]} px wide in a {widths[1]} px window"


def log_in(page: Page, username: str, lands: str = "Kotak masuk") -> None:
    """Sign in through the form (Bahasa Indonesia) and land on the inbox (auditors and
    analysts: on 'Semua proses')."""
    page.goto("/login")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk", exact=True).click()
    expect(page.get_by_role("heading", name=lands, level=1)).to_be_visible()
    expect(page.locator(".who-name")).to_have_text(re.compile(r"^Demo "))


def log_out(page: Page) -> None:
    page.get_by_role("button", name="Keluar", exact=True).click()
    expect(page.get_by_role("heading", name="Masuk", level=1)).to_be_visible()


# --- the CLI against a running demo server (seeding what a page needs) ---------------------


def cli(server: Server, *args: str) -> str:
    done = subprocess.run(
        [str(ALUR), *args], cwd=server.home, env=alur_env(server.home),
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, f"alur {' '.join(args)}: {done.stdout}{done.stderr}"
    return done.stdout


def start(server: Server, title: str) -> int:
    out = cli(server, "start", "sop_c_1", "--user", "kabid", "--title", title, "--json")
    return json.loads(out)["id"]


def open_task(server: Server, instance: int) -> int:
    with sqlite3.connect(server.home / "alur.sqlite3") as db:
        (task,) = db.execute(
            "select id from human_tasks where instance_id = ? and state = 'open'", (instance,)
        ).fetchone()
    return task


def all_ok(server: Server, task: int) -> list[str]:
    """--check N=ok for every Kelengkapan item of task (their count from its form data)."""
    with sqlite3.connect(server.home / "alur.sqlite3") as db:
        (step_no,) = db.execute("select step_no from human_tasks where id = ?", (task,)).fetchone()
    model = json.loads(cli(server, "inspect", "--json", str(ROOT / "bpmn" / "sop_c_1.bpmn")))
    step = next(s for s in model["steps"] if s["no"] == step_no)
    args: list[str] = []
    for number in range(1, len(step.get("kelengkapan") or []) + 1):
        args += ["--check", f"{number}=ok"]
    return args
