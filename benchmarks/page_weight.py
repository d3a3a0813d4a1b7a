"""Page weight and time to the drawn diagram, as a browser sees them (Chromium, loopback).

The real `alur serve --demo` on a fresh ALUR_HOME, one C.1 instance started through the CLI,
the Kabid signed in. For each page: bytes over the wire (encoded, so compression counts) and
requests on a cold load (new browser context, empty cache), then on a warm one (the same page
opened again in that context: what the cache headers save), and for the instance page the
milliseconds from navigation until the diagram is drawn (the BPMN viewer's SVG, the flowchart
image decoded).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from benchmarks import ROOT, median

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
USER, ANALYST, PASSWORD = "kabid", "analis", "demo"


def run(emit, samples: int) -> None:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="alur-weight-") as home, _server(Path(home)) as url:
        instance = _start_instance(Path(home))
        pages = {
            "login": "/login",
            "inbox": "/",
            "catalog": "/processes/",
            "instance_bpmn": f"/instances/{instance}",
            "instance_flowchart": f"/instances/{instance}?view=sop",
        }
        with sync_playwright() as play:
            browser = play.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            context = browser.new_context()
            page = context.new_page()
            for name, path in pages.items():
                if name == "inbox":
                    _log_in(page, url, USER)  # once: the login form is rate limited per address
                emit(_measure(page, url + path, name, samples))
            context.close()
            # The analyst studio: a draft of C.1 opened in the modeler (bpmn-js + properties panel).
            context = browser.new_context()
            page = context.new_page()
            _log_in(page, url, ANALYST)
            page.goto(url + "/processes/sop_c_1")
            page.click("form[action*='/studio/drafts'] button[type=submit]")
            page.wait_for_url("**/studio/drafts/*")
            emit(_measure(page, page.url, "studio_modeler", samples))
            browser.close()


def _measure(page, url: str, name: str, samples: int) -> dict:
    cold, warm = [], []
    for _ in range(samples):
        cold.append(_load(page, url, name, empty_cache=True))
        warm.append(_load(page, url, name, empty_cache=False))
    line = {
        "figure": "page_weight",
        "page": name,
        "cold_kib": round(median([c["bytes"] for c in cold]) / 1024, 1),
        "cold_requests": cold[-1]["requests"],
        "warm_kib": round(median([w["bytes"] for w in warm]) / 1024, 1),
        "warm_requests": warm[-1]["requests"],
    }
    if cold[-1]["drawn_ms"] is not None:
        line["diagram_drawn_ms_cold_median"] = round(median([c["drawn_ms"] for c in cold]), 1)
        line["diagram_drawn_ms_warm_median"] = round(median([w["drawn_ms"] for w in warm]), 1)
    return line


def _load(page, url: str, name: str, empty_cache: bool) -> dict:
    """Navigate and count what crossed the wire until the page (and its diagram) settled."""
    session = page.context.new_cdp_session(page)
    session.send("Network.enable")
    if empty_cache:
        session.send("Network.clearBrowserCache")
    sizes: dict[str, int] = {}
    session.on(
        "Network.loadingFinished",
        lambda event: sizes.__setitem__(event["requestId"], event["encodedDataLength"]),
    )
    started = time.perf_counter()
    page.goto(url, wait_until="load")
    drawn_ms = None
    if name in ("instance_bpmn", "studio_modeler"):
        page.wait_for_selector(".djs-container svg .djs-element", state="attached")
        drawn_ms = (time.perf_counter() - started) * 1000
    elif name == "instance_flowchart":
        page.wait_for_function(
            "() => [...document.images].some(i => i.src.includes('flowchart') && i.complete"
            " && i.naturalWidth > 0)"
        )
        drawn_ms = (time.perf_counter() - started) * 1000
    page.wait_for_load_state("networkidle")
    session.detach()
    return {"bytes": sum(sizes.values()), "requests": len(sizes), "drawn_ms": drawn_ms}


def _log_in(page, url: str, user: str) -> None:
    page.goto(url + "/login")
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", PASSWORD)
    page.click("form.form button[type=submit]")
    page.wait_for_url(lambda address: "/login" not in address)


def _start_instance(home: Path) -> int:
    out = subprocess.run(
        [_alur(), "start", "sop_c_1", "--user", USER, "--title", "Bobot halaman", "--json"],
        cwd=home, env=_env(home), capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    return json.loads(out)["id"]


class _server:
    """`alur serve --demo` on a free loopback port, stopped on exit."""

    def __init__(self, home: Path):
        self.home = home

    def __enter__(self) -> str:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        command = [_alur(), "serve", "--demo", "--host", "127.0.0.1", "--port", str(port)]
        self.log = open(self.home / "serve.log", "wb")  # noqa: SIM115 - closed in __exit__
        self.process = subprocess.Popen(
            command, cwd=self.home, env=_env(self.home), stdout=self.log, stderr=subprocess.STDOUT
        )
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(url + "/healthz", timeout=2):
                    return url
            except OSError:
                time.sleep(0.3)
        self.__exit__(None, None, None)
        raise RuntimeError(f"alur serve did not answer; see {self.home / 'serve.log'}")

    def __exit__(self, *exc) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)
        self.log.close()


def _alur() -> str:
    return str(Path(sys.executable).with_name("alur"))


def _env(home: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ALUR_")}
    env.update(ALUR_HOME=str(home), PYTHONUNBUFFERED="1", PYTHONPATH=str(ROOT))
    return env
