"""A comparison's changes as rows of the diff table, in the UI language."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from engine.sop_diff import Change, ChangeKind

K = ChangeKind
KIND_TEXTS = {
    K.IDENTITY: _l("SOP identity"),
    K.PELAKSANA: _l("Pelaksana column"),
    K.ADDED: _l("Step added"),
    K.REMOVED: _l("Step removed"),
    K.MOVED: _l("Step moved"),
    K.RENAMED: _l("Activity renamed"),
    K.ACTOR: _l("Performer changed"),
    K.PARTICIPANTS: _l("Participants changed"),
    K.KELENGKAPAN: _l("Kelengkapan changed"),
    K.WAKTU: _l("Waktu changed"),
    K.OUTPUT: _l("Output changed"),
    K.KETERANGAN: _l("Keterangan changed"),
    K.DECISION: _l("Decision changed"),
}
COLUMN_TEXTS = {
    "added": _l("column added"),
    "removed": _l("column removed"),
    "renamed": _l("column renamed"),
    "moved": _l("column moved"),
}
DECISION_TEXTS = {
    "pertanyaan": _l("question"),
    "ya": _l("Ya goes to"),
    "tidak": _l("Tidak goes to"),
    "": _l("decision added or removed"),
}


def rows(changes) -> list[dict]:
    """One row per change: step number, what changed, the step's name, old and new values."""
    return [_row(change) for change in changes]


def mark_legend() -> dict[str, str]:
    return {
        "added": _("Step added"),
        "changed": _("Step changed"),
        "removed": _("Step removed"),
    }


def _row(c: Change) -> dict:
    kind = str(KIND_TEXTS[c.change])
    detail = ""
    if c.change == K.PELAKSANA:
        detail = str(COLUMN_TEXTS.get(c.field, c.field))
    elif c.change == K.DECISION:
        detail = str(DECISION_TEXTS.get(c.field, c.field))
    elif c.change == K.IDENTITY:
        detail = c.field
    old, new = _value(c, c.old), _value(c, c.new)
    return {
        "step_no": c.step_no,
        "change": str(c.change),
        "kind": kind,
        "detail": detail,
        "name": c.name,
        "old": old,
        "new": new,
    }


def _value(c: Change, value) -> list[str]:
    """The value as lines of text; [] when there is none."""
    if value is None or value == "" or value == []:
        return []
    if c.change == K.MOVED or (c.change == K.DECISION and c.field in ("ya", "tidak")):
        return [_target(value)]
    if c.change == K.PELAKSANA and c.field == "moved":
        return [_("column %(n)s", n=value)]
    if isinstance(value, dict):  # a whole decision
        return [
            value.get("pertanyaan") or "",
            _("Ya: %(target)s", target=_target(value.get("ya"))),
            _("Tidak: %(target)s", target=_target(value.get("tidak"))),
        ]
    if isinstance(value, list):
        return [str(item) for item in value]
    return [str(value)]


def _target(no) -> str:
    return _("step %(n)s", n=no) if no is not None else _("the end")
