"""The file store: content-addressed bytes; a full disk is a clear error that leaves nothing."""

from __future__ import annotations

import errno
import hashlib
import os

import pytest

from engine.errors import InvalidInput, StorageFull
from engine.files import MAX_NAME_CHARS, FileStore, Upload


def test_bytes_are_stored_under_their_sha256(tmp_path):
    store = FileStore(tmp_path, max_bytes=1024)
    digest = store.put(Upload("notulen.txt", b"notulen rapat"))
    assert digest == hashlib.sha256(b"notulen rapat").hexdigest()
    assert store.path(digest) == tmp_path / digest[:2] / digest[2:]
    assert store.read(digest) == b"notulen rapat"
    assert store.put(Upload("salinan.txt", b"notulen rapat")) == digest  # stored once


def test_an_oversized_file_is_refused_before_anything_is_written(tmp_path):
    store = FileStore(tmp_path, max_bytes=4)
    with pytest.raises(InvalidInput, match="terlalu besar"):
        store.put(Upload("besar.pdf", b"12345"))
    assert list(tmp_path.iterdir()) == []


def test_a_full_disk_raises_storage_full_and_leaves_no_partial_file(tmp_path, monkeypatch):
    store = FileStore(tmp_path, max_bytes=1024)

    def full(_fd):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(StorageFull, match="penuh") as caught:
        store.put(Upload("laporan.pdf", b"%PDF-1.7"))
    assert caught.value.status == 507
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\ana\\laporan.pdf", "laporan.pdf"),
        ("notulen\u202efdp.exe", "notulenfdp.exe"),  # a right-to-left override hid ".exe"
        ("a\x00b\x1f\u200b.pdf", "ab.pdf"),
        ("  notulen \t rapat.pdf  ", "notulen rapat.pdf"),
        ("A\u030a.txt", "\u00c5.txt"),  # NFC
    ],
)
def test_upload_names_are_cleaned(given, kept):
    assert Upload(given, b"x").name == kept


def test_a_long_name_is_cut_keeping_its_extension(tmp_path):
    upload = Upload("laporan " * 40 + ".pdf", b"x")
    assert len(upload.name) == MAX_NAME_CHARS and upload.name.endswith(".pdf")
    store = FileStore(tmp_path, max_bytes=10)
    with pytest.raises(InvalidInput, match="nama berkas kosong"):
        store.put(Upload("\u202e...", b"x"))
