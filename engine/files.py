"""Output documents: bytes stored content-addressed (sha256) on disk, written before any commit."""

from __future__ import annotations

import errno
import hashlib
import mimetypes
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from engine.errors import InvalidInput, StorageFull


@dataclass(frozen=True)
class Upload:
    name: str
    data: bytes
    content_type: str = ""

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
    """Blobs under root/ab/cdef...; the same content is stored once, and never deleted here."""

    def __init__(self, root: Path, max_bytes: int):
        self.root = Path(root)
        self.max_bytes = max_bytes

    def check(self, upload: Upload) -> None:
        name = Path(upload.name).name
        if not name or name in {".", ".."}:
            raise InvalidInput("file_name_empty")
        if len(upload.data) > self.max_bytes:
            limit = self.max_bytes / (1024 * 1024)
            raise InvalidInput(
                "file_too_large", name=name, size=f"{len(upload.data):,}", limit=f"{limit:g}"
            )

    def put(self, upload: Upload) -> str:
        """Write the bytes (atomically, fsynced) and return their sha256."""
        self.check(upload)
        digest = hashlib.sha256(upload.data).hexdigest()
        target = self.path(digest)
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
            os.replace(tmp, target)
        except BaseException as error:
            Path(tmp).unlink(missing_ok=True)
            if isinstance(error, OSError):
                raise _storage_error(error, upload) from error
            raise
        return digest

    def path(self, digest: str) -> Path:
        if len(digest) != 64 or not all(c in "0123456789abcdef" for c in digest):
            raise InvalidInput("not_sha256", digest=digest)
        return self.root / digest[:2] / digest[2:]

    def read(self, digest: str) -> bytes:
        return self.path(digest).read_bytes()
