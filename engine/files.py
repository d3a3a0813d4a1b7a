"""Output documents: bytes stored content-addressed (sha256) on disk, written before any commit."""

from __future__ import annotations

import errno
import hashlib
import mimetypes
import os
import tempfile
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from engine.errors import InvalidInput, StorageFull

MAX_NAME_CHARS = 150
# Bidirectional controls (an "exe.pdf" that reads "fdp.exe"), zero-width and BOM characters.
_INVISIBLE = dict.fromkeys(
    [*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200B, 0x200C, 0x200D, 0x200E, 0x200F,
     0x061C, 0xFEFF]
)  # fmt: skip


def clean_name(name: str) -> str:
    """A file name as stored and shown: its last path part, NFC, without control or bidi
    characters, at most MAX_NAME_CHARS characters with its extension kept."""
    name = unicodedata.normalize("NFC", name.replace("\\", "/").rsplit("/", 1)[-1])
    name = "".join(c for c in name.translate(_INVISIBLE) if unicodedata.category(c) != "Cc")
    name = " ".join(name.split()).strip(". ")
    if len(name) > MAX_NAME_CHARS:
        stem, dot, suffix = name.rpartition(".")
        suffix = suffix[:20] if dot and stem else ""
        keep = MAX_NAME_CHARS - len(suffix) - (1 if suffix else 0)
        name = f"{name[:keep].rstrip()}.{suffix}" if suffix else name[:MAX_NAME_CHARS]
    return name


@dataclass(frozen=True)
class Upload:
    """An uploaded file; its name is cleaned on the way in (see clean_name)."""

    name: str
    data: bytes
    content_type: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "name", clean_name(self.name))

    @classmethod
    def from_path(cls, path: Path) -> Upload:
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return cls(path.name, path.read_bytes(), kind)


def _storage_error(error: OSError, upload: Upload) -> Exception:
    """A full disk becomes a clear StorageFull; other I/O errors stay what they are."""
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        return StorageFull("storage_full", name=upload.name)
    return error


class FileStore:
    """Blobs under root/ab/cdef...; the same content is stored once, deleted only by remove."""

    def __init__(self, root: Path, max_bytes: int):
        self.root = Path(root)
        self.max_bytes = max_bytes

    def check(self, upload: Upload) -> None:
        name = upload.name
        if not name or name in {".", ".."}:
            raise InvalidInput("file_name_empty")
        if len(upload.data) > self.max_bytes:
            limit = self.max_bytes / (1024 * 1024)
            raise InvalidInput(
                "file_too_large", name=name, size=f"{len(upload.data):,}", limit=f"{limit:g}"
            )

    def put(self, upload: Upload) -> str:
        """Write the bytes (atomically, fsynced) and return their sha256."""
        with self.staging() as stage:
            digest = stage.put(upload)
            stage.publish()
        return digest

    @contextmanager
    def staging(self) -> Iterator[Staging]:
        """Blobs written aside and put in place by publish(); those not published by the end of
        the block are deleted, so a refused completion leaves nothing in the store."""
        stage = Staging(self)
        try:
            yield stage
        finally:
            stage.discard()

    def path(self, digest: str) -> Path:
        if len(digest) != 64 or not all(c in "0123456789abcdef" for c in digest):
            raise InvalidInput("not_sha256", digest=digest)
        return self.root / digest[:2] / digest[2:]

    def remove(self, digest: str) -> None:
        """Delete the blob; the caller made sure no file row names it any more."""
        self.path(digest).unlink(missing_ok=True)

    def read(self, digest: str) -> bytes:
        return self.path(digest).read_bytes()


class Staging:
    """Uploads written to temporary files (fsynced) beside their place, published together.

    Publish inside the transaction that stores their rows, just before it commits: a refusal
    before that point leaves no blob, and a committed row always finds its bytes.
    """

    def __init__(self, store: FileStore):
        self.store = store
        self.pending: list[tuple[Path, Path]] = []

    def put(self, upload: Upload) -> str:
        """Write the bytes aside and return their sha256 (nothing to write if already stored)."""
        self.store.check(upload)
        digest = hashlib.sha256(upload.data).hexdigest()
        target = self.store.path(digest)
        if target.exists():
            return digest
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".upload-")
        except OSError as error:
            raise _storage_error(error, upload) from error
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(upload.data)
                handle.flush()
                os.fsync(handle.fileno())
        except BaseException as error:
            Path(tmp).unlink(missing_ok=True)
            if isinstance(error, OSError):
                raise _storage_error(error, upload) from error
            raise
        self.pending.append((Path(tmp), target))
        return digest

    def publish(self) -> None:
        """Move every written blob to its place (the same bytes if another got there first)."""
        while self.pending:
            tmp, target = self.pending.pop()
            os.replace(tmp, target)

    def discard(self) -> None:
        """Delete what was written and not published."""
        while self.pending:
            self.pending.pop()[0].unlink(missing_ok=True)
