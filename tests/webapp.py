"""The web app for tests: built on a private copy of a seeded SQLite file."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flask import Flask

from webui import create_app


@contextmanager
def app_on_copy(seeded: Path, folder: Path, **config) -> Iterator[Flask]:
    """A testing app on a copy of seeded in folder (uploads in folder/files); config adds to the
    app's configuration. The app's engine lets go of the database at the end."""
    database = folder / seeded.name
    shutil.copy(seeded, database)
    app = create_app(
        {
            "TESTING": True,
            "ALUR_DATABASE_URL": f"sqlite:///{database}",
            "ALUR_UPLOAD_DIR": str(folder / "files"),
            **config,
        }
    )
    try:
        yield app
    finally:
        app.extensions["alur"].db.dispose()
