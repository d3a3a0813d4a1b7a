"""Settings from the environment: database, uploads, office calendar, lane-role mapping."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_HOME = Path(os.environ.get("ALUR_HOME", Path.cwd() / "instance"))


@dataclass(frozen=True)
class Settings:
    database_url: str = ""
    upload_dir: Path = DEFAULT_HOME / "files"
    max_upload_bytes: int = 20 * 1024 * 1024
    calendar: dict = field(default_factory=dict)
    role_map: dict = field(default_factory=dict)
    # queue e-mail for work arriving (new, returned, reassigned tasks, finished processes) in
    # the transaction that makes it; the worker sends it. On when ALUR_SMTP_HOST is set.
    email: bool = False

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        """ALUR_DATABASE_URL, ALUR_UPLOAD_DIR, ALUR_MAX_UPLOAD_MB, ALUR_CALENDAR, ALUR_ROLE_MAP,
        ALUR_SMTP_HOST (whether e-mail is queued)."""
        env = os.environ if env is None else env
        home = Path(env.get("ALUR_HOME", DEFAULT_HOME))
        return cls(
            database_url=env.get("ALUR_DATABASE_URL") or f"sqlite:///{home / 'alur.sqlite3'}",
            upload_dir=Path(env.get("ALUR_UPLOAD_DIR", home / "files")),
            max_upload_bytes=int(float(env.get("ALUR_MAX_UPLOAD_MB", "20")) * 1024 * 1024),
            calendar=_json_setting(env.get("ALUR_CALENDAR")),
            role_map=_json_setting(env.get("ALUR_ROLE_MAP")),
            email=bool(env.get("ALUR_SMTP_HOST", "").strip()),
        )


def _json_setting(value: str | None) -> dict:
    """A JSON object given inline or as the path of a JSON file."""
    if not value:
        return {}
    text = value if value.lstrip().startswith("{") else Path(value).read_text(encoding="utf-8")
    return json.loads(text)
