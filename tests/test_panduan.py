"""The user guide (docs/panduan): every picture it shows is committed, small, and used."""

from __future__ import annotations

import re

from tests.conftest import ROOT

GUIDE = ROOT / "docs" / "panduan"
MAX_BYTES = 150_000


def test_every_picture_of_the_guide_is_there_small_and_used():
    pictures = {
        name
        for page in GUIDE.glob("*.md")
        for name in re.findall(r"!\[[^\]]*\]\(gambar/([^)]+)\)", page.read_text(encoding="utf-8"))
    }
    assert pictures, "the guide shows the pages it explains"
    on_disk = {p.name for p in (GUIDE / "gambar").glob("*.png")}
    assert pictures == on_disk
    for name in on_disk:
        data = (GUIDE / "gambar" / name).read_bytes()
        assert data.startswith(b"\x89PNG") and len(data) <= MAX_BYTES, name


def test_the_guide_links_to_pages_that_exist():
    for page in GUIDE.glob("*.md"):
        for target in re.findall(r"\]\(([^)#]+\.md)", page.read_text(encoding="utf-8")):
            assert (page.parent / target).resolve().exists(), f"{page.name} -> {target}"
