"""The catalogs: Indonesian complete, both compiled, and every page string extracted."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

TRANSLATIONS = Path(__file__).resolve().parents[2] / "webui" / "translations"
WORD = re.compile(r"[A-Za-z]{2,}")


def _catalog(lang: str, kind: str = "po"):
    path = TRANSLATIONS / lang / "LC_MESSAGES" / f"messages.{kind}"
    with path.open("rb") as handle:
        return read_po(handle) if kind == "po" else read_mo(handle)


def test_indonesian_is_complete_and_nothing_is_fuzzy():
    missing = [m.id for m in _catalog("id") if m.id and (not all(_strings(m)) or m.fuzzy)]
    assert missing == []


def test_the_compiled_catalogs_match_the_sources():
    for lang in ("id", "en"):
        po, mo = _catalog(lang), _catalog(lang, "mo")
        # entries whose text is the msgid change nothing (pybabel writes untranslated plurals so)
        translated = {
            _key(m.id): _strings(m)
            for m in po
            if m.id and any(_strings(m)) and not m.fuzzy and _strings(m) != _key(m.id)
        }
        compiled = {_key(m.id): _strings(m) for m in mo if m.id and _strings(m) != _key(m.id)}
        assert compiled == translated, f"run pybabel compile for {lang}"


def test_the_template_matches_the_catalogs():
    with (TRANSLATIONS / "messages.pot").open("rb") as handle:
        wanted = {m.id for m in read_po(handle) if m.id}
    for lang in ("id", "en"):
        assert {m.id for m in _catalog(lang) if m.id} == wanted, f"run pybabel update for {lang}"


def _strings(message) -> tuple:
    return _key(message.string)


def _key(value) -> tuple:
    return tuple(value) if isinstance(value, list | tuple) else (value,)


def test_templates_have_no_text_outside_gettext():
    """Every word a page shows goes through _(): strip tags and Jinja, nothing may be left."""
    leftovers = []
    for path in (TRANSLATIONS.parent / "templates").rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for pattern in (r"\{#.*?#\}", r"\{\{.*?\}\}", r"\{%.*?%\}", r"<[^>]*>"):
            text = re.sub(pattern, "\n", text, flags=re.S)
        leftovers += [(path.name, line.strip()) for line in text.splitlines() if WORD.search(line)]
    assert leftovers == []
