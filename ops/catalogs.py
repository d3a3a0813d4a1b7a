"""Bring the web UI's message catalogs up to date in one step.

    .venv/bin/python -m ops.catalogs [--id new.json] [--harvest other.po ...]

1. extracts every marked string into webui/translations/messages.pot (pybabel extract);
2. updates the Indonesian and English catalogs from it, dropping strings no longer used;
3. fills Indonesian texts from ``--id`` (a JSON object msgid -> msgstr; a pgettext entry's key
   is "context|msgid") and from any ``--harvest`` catalogs (for example the other side of a
   merge), never overwriting a text the catalog already has unless the JSON gives it;
4. compiles both catalogs and lists the Indonesian strings still untranslated (exit 1 if any).

``pybabel update --no-location`` cannot be used with this Babel, so the update goes through the
Babel API; ``python-format`` is set on every id with a ``%(name)s`` placeholder.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
TRANSLATIONS = ROOT / "webui" / "translations"
TEMPLATE = TRANSLATIONS / "messages.pot"
LANGUAGES = ("id", "en")


def extract() -> None:
    pybabel = Path(sys.executable).with_name("pybabel")
    subprocess.run(
        [str(pybabel), "extract", "-F", "webui/babel.cfg", "-k", "_l", "-o", str(TEMPLATE),
         "--no-location", "--sort-output", "--project", "Alur", "."],
        cwd=ROOT, check=True, capture_output=True,
    )  # fmt: skip


def _read(path: Path):
    with path.open("rb") as handle:
        return read_po(handle)


def _texts(paths: list[Path]) -> dict:
    found: dict = {}
    for path in paths:
        for message in _read(path):
            if message.id and message.string and not message.fuzzy:
                found.setdefault(_key(message.id, message.context), message.string)
    return found


def _key(msgid, context=None):
    """A catalog entry's key: the msgid, "context|msgid" for pgettext entries."""
    key = tuple(msgid) if isinstance(msgid, list | tuple) else msgid
    return f"{context}|{key}" if context and isinstance(key, str) else key


def update(language: str, texts: dict, override: dict) -> list[str]:
    path = TRANSLATIONS / language / "LC_MESSAGES" / "messages.po"
    catalog = _read(path)
    catalog.update(_read(TEMPLATE), no_fuzzy_matching=True)
    catalog.obsolete.clear()
    missing = []
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, list | tuple) else (message.id,)
        if any("%(" in text for text in ids):
            message.flags.add("python-format")
        if language != "id":
            continue
        key = _key(message.id, message.context)
        if key in override:
            message.string = override[key]
        elif not _filled(message.string) and key in texts:
            message.string = texts[key]
        if not _filled(message.string):
            missing.append(ids[0])
    with path.open("wb") as handle:
        write_po(handle, catalog, no_location=True, width=100)
    with path.with_suffix(".mo").open("wb") as handle:
        write_mo(handle, catalog)
    return missing


def _filled(string) -> bool:
    return all(string) if isinstance(string, list | tuple) else bool(string)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--id", type=Path, help="JSON object: English msgid -> Indonesian text")
    parser.add_argument("--harvest", type=Path, nargs="*", default=[], help="other .po files")
    args = parser.parse_args(argv)
    override = {}
    if args.id:
        raw = json.loads(args.id.read_text(encoding="utf-8"))
        override = {k: tuple(v) if isinstance(v, list) else v for k, v in raw.items()}
    extract()
    texts = _texts(args.harvest)
    missing = []
    for language in LANGUAGES:
        missing += update(language, texts, override if language == "id" else {})
    for msgid in missing:
        print(f"untranslated (id): {msgid}")
    return 1 if missing else 0


if __name__ == "__main__":
    raise SystemExit(main())
