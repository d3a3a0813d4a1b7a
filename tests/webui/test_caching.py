"""What the browser need not fetch twice: compressed answers, immutable assets, 304 diagrams."""

from __future__ import annotations

import gzip
import hashlib
import re
from pathlib import Path

import brotli

from tests.webui.conftest import advance_to

STATIC = Path(__file__).resolve().parents[2] / "webui" / "static"


def test_pages_are_compressed_when_the_browser_accepts_it(login_as):
    kabid = login_as("kabid")
    plain = kabid.get("/processes/")
    assert plain.status_code == 200 and "Content-Encoding" not in plain.headers
    for encoding, decode in (("br", brotli.decompress), ("gzip", gzip.decompress)):
        packed = kabid.get("/processes/", headers={"Accept-Encoding": encoding})
        assert packed.headers["Content-Encoding"] == encoding
        assert _tokenless(decode(packed.data)) == _tokenless(plain.data)
        assert len(packed.data) < len(plain.data) / 2
        assert "Accept-Encoding" in packed.headers["Vary"]


def test_asset_urls_carry_the_files_fingerprint_and_are_cached_for_a_year(client):
    page = client.get("/login").text
    css = re.search(r'href="(/static/alur\.css\?v=([0-9a-f]{12}))"', page)
    assert css, "the stylesheet URL has no fingerprint"
    wanted = hashlib.sha256((STATIC / "alur.css").read_bytes()).hexdigest()[:12]
    assert css.group(2) == wanted
    response = _fetch(client, css.group(1))
    assert response.status_code == 200
    control = response.headers["Cache-Control"]
    assert "immutable" in control and "max-age=31536000" in control and "public" in control

    vendor = re.search(r'src="(/vendor/htmx\.min\.js\?v=[0-9a-f]{12})"', page)
    assert vendor, "the vendor script URL has no fingerprint"
    assert "immutable" in _fetch(client, vendor.group(1)).headers["Cache-Control"]


def test_a_stale_or_missing_fingerprint_is_not_cached_for_long(client):
    for url in ("/static/alur.css", "/static/alur.css?v=000000000000"):
        control = _fetch(client, url).headers.get("Cache-Control", "")
        assert "immutable" not in control and "31536000" not in control


def test_the_flowchart_answers_304_until_the_instance_moves(login_as, alur, started):
    instance = started("sop_a")
    kabid = login_as("kabid")
    url = f"/instances/{instance.id}/flowchart.svg"
    first = kabid.get(url)
    assert first.status_code == 200 and first.data.startswith(b"<?xml")
    tag = first.headers["ETag"]
    assert tag.startswith('W/"')
    assert "no-cache" in first.headers["Cache-Control"]
    assert "private" in first.headers["Cache-Control"]
    again = kabid.get(url, headers={"If-None-Match": tag})
    assert again.status_code == 304 and again.data == b""
    assert again.headers["ETag"] == tag

    advance_to(alur, instance.id, 3)  # two steps done: the drawing changes
    moved = kabid.get(url, headers={"If-None-Match": tag})
    assert moved.status_code == 200 and moved.headers["ETag"] != tag
    assert moved.data != first.data


def test_the_bpmn_file_answers_304_and_is_always_an_attachment(login_as, started):
    instance = started("sop_a")
    kabid = login_as("kabid")
    url = f"/instances/{instance.id}/diagram.bpmn"
    first = kabid.get(url)
    assert first.headers["Content-Disposition"].startswith("attachment")
    assert first.mimetype == "application/octet-stream"
    tag = first.headers["ETag"]
    assert kabid.get(url, headers={"If-None-Match": tag}).status_code == 304
    assert kabid.get(url, headers={"If-None-Match": 'W/"other"'}).status_code == 200


def _fetch(client, url: str):
    """A static file's answer, read and closed (send_file streams from an open file)."""
    response = client.get(url)
    response.get_data()
    response.close()
    return response


def _tokenless(page: bytes) -> bytes:
    """The page without its CSRF tokens (signed with the time, so new on every answer)."""
    return re.sub(rb'(name="csrf[_-]token"[^>]*(?:value|content)=")[^"]+', rb"\1", page)
