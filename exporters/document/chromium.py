"""Print a self-contained HTML page to PDF with headless Chromium, at the page's own @page size."""

from __future__ import annotations

import logging
import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

log = logging.getLogger(__name__)

TIMEOUT = 120.0  # seconds; a document prints in about one
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--no-pdf-header-footer",
)


def chromium_path() -> str:
    """$ALUR_CHROMIUM, else `chromium` on PATH; RuntimeError when there is none."""
    found = os.environ.get("ALUR_CHROMIUM") or shutil.which("chromium")
    if not found or not shutil.which(found):
        raise RuntimeError(
            "Chromium tidak ditemukan (PDF dicetak dengan Chromium headless); "
            "pasang paket Debian: apt-get install chromium, atau set ALUR_CHROMIUM"
        )
    return found


def html_to_pdf(html: str, timeout: float = TIMEOUT) -> bytes:
    """The PDF Chromium prints from html; RuntimeError when Chromium is missing or fails."""
    executable = chromium_path()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="alur-pdf-") as tmp:
        page, out = Path(tmp) / "dokumen.html", Path(tmp) / "dokumen.pdf"
        page.write_text(html, encoding="utf-8")
        command = [
            executable,
            *FLAGS,
            f"--user-data-dir={Path(tmp) / 'profil'}",
            f"--print-to-pdf={out}",
            page.as_uri(),
        ]
        stderr = _run(command, timeout)
        data = out.read_bytes() if out.exists() else b""
    if not data.startswith(b"%PDF-"):
        tail = "\n".join(stderr.strip().splitlines()[-5:])
        raise RuntimeError(f"Chromium tidak menghasilkan PDF:\n{tail}")
    log.info("pdf: %d bytes in %.2f s", len(data), time.perf_counter() - started)
    return data


def _run(command: list[str], timeout: float) -> str:
    """Run Chromium in its own process group, so a hung print is ended with all its helpers."""
    with subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        errors="replace",
        start_new_session=True,
    ) as process:
        try:
            _, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired as error:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            message = f"Chromium tidak selesai mencetak dalam {timeout:g} detik"
            raise RuntimeError(message) from error
    return stderr
