"""Compare two versions of an SOP step by step: what was added, removed, moved or edited.

`diff(old, new)` lists the differences as `Change`s: identity first, then the Pelaksana columns,
then the steps in the new version's order (a removed step where it stood in the old one).

Matching steps. A step's number is not its identity: inserting a step renumbers every later
one, and a diagram written by Alur (`alur build`, `alur import-table`) names its tasks after the
numbers (`Langkah_5`), so those ids shift too. Steps are therefore paired in two rounds:

1. Same activity text (whitespace and case ignored): a step whose Kegiatan is unchanged is the
   same step, wherever it now stands. When several steps share a text, those with the same BPMN
   id pair first, the rest in order.
2. The rest by likeness: each remaining old/new pair with the same BPMN id (`Step.element_id`;
   `Step.task_id` when the model was not read from a file: a deployed version's
   `Definition.model` gets its ids back with `with_task_ids`), or whose texts are at least
   `SIMILAR` alike (difflib ratio), is a candidate; candidates pair greedily, best first, where
   a shared id adds `ID_BONUS` to the likeness (ties: the closer positions, then the earlier).
   So a step renamed in place (same id) pairs even when its text is new, and a step renamed
   after an insertion (its positional id now taken by the inserted one) pairs by its text.

An old step left unpaired was removed, a new one left unpaired was added (a step replaced in
place under the same id reads as renamed, with its other fields' changes).

Moves. Of the paired steps, the longest run that keeps its relative order stays put (the
earliest old steps preferred when several runs are as long); every other paired step is
reported `moved`. A step whose number only shifted because another was inserted or removed is
not moved, and neither are steps renumbered in the same order.

Pelaksana columns pair by name, then an old and a new column the paired steps moved between
(most steps first), then by name likeness; a step's performer or participants changed only
when they differ after that renaming. Decision targets compare through the step pairing:
Ya -> langkah 9 in the old version and Ya -> langkah 10 in the new one, where old 9 is new 10,
is no change.
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, fields, replace
from enum import StrEnum
from typing import Any

from engine.sop import Decision, Identity, Sop, Step, Waktu

__all__ = [
    "ID_BONUS",
    "SIMILAR",
    "Change",
    "ChangeKind",
    "diff",
    "match_steps",
    "step_map",
    "with_task_ids",
]

SIMILAR = 0.6  # how alike two activity texts must be (difflib ratio) to pair without an id
ID_BONUS = 0.25  # what a shared BPMN id adds to the likeness of two steps


class ChangeKind(StrEnum):
    """What changed; per step in this order (SOP-level kinds come first)."""

    IDENTITY = "identity"  # a field of the SOP's identity page (Change.field names it)
    PELAKSANA = "pelaksana"  # a Pelaksana column (Change.field: added/removed/renamed/moved)
    ADDED = "added"
    REMOVED = "removed"
    MOVED = "moved"
    RENAMED = "renamed"
    ACTOR = "actor"
    PARTICIPANTS = "participants"
    KELENGKAPAN = "kelengkapan"
    WAKTU = "waktu"
    OUTPUT = "output"
    KETERANGAN = "keterangan"
    DECISION = "decision"


@dataclass(frozen=True)
class Change:
    """One difference between two versions; old and new are plain JSON values.

    step_no: the step's number in the new version (the old one for a removed step); None for
    identity and Pelaksana changes. name: the step's Kegiatan (new text; old for a removed
    step), or the Pelaksana column's name. field: which identity field, which Pelaksana change
    (added, removed, renamed, moved), or which part of a decision (pertanyaan, ya, tidak; ""
    when the step gained or lost its decision).

    Values by kind: added/removed the Kegiatan (None on the other side); moved the old and
    new step numbers; renamed, actor, keterangan, waktu (as written) strings; participants,
    kelengkapan, output lists; decision "pertanyaan" strings, "ya"/"tidak" step numbers (None:
    the end), "" a {"pertanyaan", "ya", "tidak"} object or None; identity strings or lists;
    pelaksana names (added/removed/renamed) or 1-based column numbers (moved).
    """

    step_no: int | None
    change: ChangeKind
    name: str = ""
    old: Any = None
    new: Any = None
    field: str = ""

    def to_dict(self) -> dict:
        """As printed by `alur diff --json`: step_no, change, name, field, old, new."""
        return {
            "step_no": self.step_no,
            "change": str(self.change),
            "name": self.name,
            "field": self.field,
            "old": self.old,
            "new": self.new,
        }

    def __str__(self) -> str:
        """In Bahasa Indonesia: "langkah 5 'Memeriksa draf': Waktu 30 menit -> 60 menit"."""
        return _describe(self)


def diff(old: Sop, new: Sop) -> list[Change]:
    """Every difference from old to new, in reading order (see the module's doc for the rules)."""
    pairs = match_steps(old, new)
    numbers = {o.no: n.no for o, n in pairs if o is not None and n is not None}
    columns = _match_columns(old.actors, new.actors, pairs)
    changes = _identity_changes(old, new) + _column_changes(old.actors, new.actors, columns)
    moved = _moved(pairs)
    for o, n in pairs:  # the new order, each removed step after its old predecessor's partner
        if n is None:
            changes.append(Change(o.no, ChangeKind.REMOVED, o.activity, old=o.activity))
        else:
            changes += _step_changes(o, n, numbers, columns, moved)
    return changes


def match_steps(old: Sop, new: Sop) -> list[tuple[Step | None, Step | None]]:
    """The steps of both versions paired: (old, new), (None, added) or (removed, None).

    In the new version's order, each removed step right after the partner of the old step
    before it (first when none is); `step_map` gives the pairing by number (for migration).
    """
    old_steps, new_steps = _ordered(old), _ordered(new)
    partner = _pair(old_steps, new_steps)  # old index -> new index
    taken = set(partner.values())
    by_new = {j: i for i, j in partner.items()}
    result: list[tuple[Step | None, Step | None]] = []
    emitted_new: set[int] = set()

    def flush_added(upto: int) -> None:
        """Added new steps before new index upto, not yet emitted."""
        for j in range(upto):
            if j not in taken and j not in emitted_new:
                emitted_new.add(j)
                result.append((None, new_steps[j]))

    # Walk the new order, so added steps land where they stand; removed ones after their
    # old predecessor's partner.
    removed_after: dict[int | None, list[int]] = {}
    last_paired: int | None = None
    for i in range(len(old_steps)):
        if i in partner:
            last_paired = i
        else:
            removed_after.setdefault(last_paired, []).append(i)
    for i in removed_after.get(None, []):
        result.append((old_steps[i], None))
    for j, step in enumerate(new_steps):
        if j in taken:
            flush_added(j)
            i = by_new[j]
            result.append((old_steps[i], step))
            result.extend((old_steps[k], None) for k in removed_after.get(i, []))
    flush_added(len(new_steps))
    return result


def step_map(old: Sop, new: Sop) -> dict[int, int]:
    """Old step number -> new step number, for every step both versions have."""
    return {o.no: n.no for o, n in match_steps(old, new) if o is not None and n is not None}


def with_task_ids(sop: Sop, task_steps: dict[str, int]) -> Sop:
    """The SOP with each step's BPMN id, from a deployed version's `Definition.task_steps`.

    `Definition.model` carries no ids, so its steps pair by `Langkah_<no>`: give both versions
    their ids (`with_task_ids(d.model, d.task_steps)`) to pair as from the files. A copy; the
    shared model is left alone.
    """
    ids = {no: element_id for element_id, no in task_steps.items()}
    steps = [replace(s, element_id=ids.get(s.no, s.element_id)) for s in sop.steps]
    return replace(sop, steps=steps)


# -- pairing steps ----------------------------------------------------------------------------


def _ordered(sop: Sop) -> list[Step]:
    return sorted(sop.steps, key=lambda s: s.no)


def _norm(text: str) -> str:
    return " ".join((text or "").split())


def _key(text: str) -> str:
    return _norm(text).casefold()


def _id(step: Step) -> str:
    return step.element_id or step.task_id


def _likeness(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, _key(a), _key(b), autojunk=False).ratio()


def _pair(old: list[Step], new: list[Step]) -> dict[int, int]:
    """Old index -> new index of the steps that are the same step (rounds 1 and 2)."""
    partner: dict[int, int] = {}
    by_text: dict[str, tuple[list[int], list[int]]] = {}
    for i, step in enumerate(old):
        by_text.setdefault(_key(step.activity), ([], []))[0].append(i)
    for j, step in enumerate(new):
        by_text.setdefault(_key(step.activity), ([], []))[1].append(j)
    for olds, news in by_text.values():
        for i in list(olds):  # the same id first
            j = next((j for j in news if _id(new[j]) == _id(old[i])), None)
            if j is not None:
                partner[i] = j
                olds.remove(i)
                news.remove(j)
        partner.update(zip(olds, news, strict=False))  # then in order
    taken = set(partner.values())
    candidates = []
    for i, o in enumerate(old):
        if i in partner:
            continue
        for j, n in enumerate(new):
            if j in taken:
                continue
            same_id = _id(o) == _id(n)
            likeness = _likeness(o.activity, n.activity)
            if same_id or likeness >= SIMILAR:
                score = likeness + (ID_BONUS if same_id else 0.0)
                candidates.append((-score, abs(i - j), i, j))
    for _, _, i, j in sorted(candidates):
        if i not in partner and j not in taken:
            partner[i] = j
            taken.add(j)
    return partner


def _kept_in_order(sequence: Sequence[int]) -> set[int]:
    """Indexes of a longest strictly increasing subsequence, the lexicographically first."""
    size = len(sequence)
    longest_from = [1] * size  # length of the longest increasing run starting at each index
    for i in range(size - 1, -1, -1):
        for k in range(i + 1, size):
            if sequence[k] > sequence[i]:
                longest_from[i] = max(longest_from[i], longest_from[k] + 1)
    need = max(longest_from, default=0)
    kept: set[int] = set()
    last = None
    for i in range(size):
        if need and longest_from[i] == need and (last is None or sequence[i] > last):
            kept.add(i)
            last = sequence[i]
            need -= 1
    return kept


def _moved(pairs: list[tuple[Step | None, Step | None]]) -> set[int]:
    """New numbers of the paired steps whose place among the other paired steps changed."""
    both = sorted(((o.no, n.no) for o, n in pairs if o is not None and n is not None))
    kept = _kept_in_order([n for _, n in both])
    return {n for index, (_, n) in enumerate(both) if index not in kept}


# -- Pelaksana columns ------------------------------------------------------------------------


def _match_columns(
    old: list[str], new: list[str], pairs: list[tuple[Step | None, Step | None]]
) -> dict[str, str]:
    """Old column name -> new column name, for the columns both versions have."""
    mapping = {name: name for name in old if name in new}
    left_old = [name for name in old if name not in mapping]
    left_new = [name for name in new if name not in mapping.values()]
    moves = Counter(
        (o.actor, n.actor)
        for o, n in pairs
        if o is not None and n is not None and o.actor in left_old and n.actor in left_new
    )
    ranked = sorted(moves.items(), key=lambda kv: (-kv[1], old.index(kv[0][0])))
    likes = [
        ((a, b), _likeness(a, b)) for a in left_old for b in left_new if _likeness(a, b) >= SIMILAR
    ]
    ranked += sorted(likes, key=lambda kv: (-kv[1], old.index(kv[0][0]), new.index(kv[0][1])))
    for (a, b), _ in ranked:
        if a not in mapping and b not in mapping.values():
            mapping[a] = b
    return mapping


def _column_changes(old: list[str], new: list[str], mapping: dict[str, str]) -> list[Change]:
    changes: list[Change] = []
    kind = ChangeKind.PELAKSANA
    for name in old:
        if name not in mapping:
            changes.append(Change(None, kind, name, old=name, field="removed"))
    kept = [a for a in old if a in mapping]
    positions = [new.index(mapping[a]) for a in kept]
    in_order = _kept_in_order(positions)
    for index, name in enumerate(new):
        previous = next((a for a in kept if mapping[a] == name), None)
        if previous is None:
            changes.append(Change(None, kind, name, new=name, field="added"))
            continue
        if previous != name:
            changes.append(Change(None, kind, name, old=previous, new=name, field="renamed"))
        if kept.index(previous) not in in_order:
            was = old.index(previous) + 1
            changes.append(Change(None, kind, name, old=was, new=index + 1, field="moved"))
    return changes


# -- the identity page ------------------------------------------------------------------------

_SOP_FIELDS = ("code", "name", "owner")


def _identity_changes(old: Sop, new: Sop) -> list[Change]:
    changes = []
    for name in _SOP_FIELDS:
        a, b = getattr(old, name), getattr(new, name)
        if _norm(a) != _norm(b):
            changes.append(Change(None, ChangeKind.IDENTITY, old=a, new=b, field=name))
    for name, a, b in _identity_fields(old.identity, new.identity):
        same = _norm(a) == _norm(b) if isinstance(a, str) else _norms(a) == _norms(b)
        if not same:
            changes.append(Change(None, ChangeKind.IDENTITY, old=a, new=b, field=name))
    return changes


def _identity_fields(old: Identity, new: Identity) -> list[tuple[str, Any, Any]]:
    """(field, old value, new value) for each identity field; the signatory's as disahkan_oleh.x."""
    found = []
    for f in fields(Identity):
        a, b = getattr(old, f.name), getattr(new, f.name)
        if f.name == "disahkan_oleh":
            found += [(f"disahkan_oleh.{k}", v, asdict(b)[k]) for k, v in asdict(a).items()]
        else:
            found.append(
                (
                    f.name,
                    list(a) if isinstance(a, list) else a,
                    list(b) if isinstance(b, list) else b,
                )
            )
    return found


def _norms(items: list[str]) -> list[str]:
    return [_norm(item) for item in items]


# -- one step ---------------------------------------------------------------------------------


def _step_changes(
    o: Step | None,
    n: Step,
    numbers: dict[int, int],
    columns: dict[str, str],
    moved: set[int],
) -> list[Change]:
    """The changes of a new step against its old self (o None: it was added), in kind order."""
    if o is None:
        return [Change(n.no, ChangeKind.ADDED, n.activity, new=n.activity)]
    changes: list[Change] = []

    def add(kind: ChangeKind, old: Any, new: Any, field: str = "") -> None:
        changes.append(Change(n.no, kind, n.activity, old, new, field))

    if n.no in moved:
        add(ChangeKind.MOVED, o.no, n.no)
    if _norm(o.activity) != _norm(n.activity):
        add(ChangeKind.RENAMED, o.activity, n.activity)
    if columns.get(o.actor, o.actor) != n.actor:
        add(ChangeKind.ACTOR, o.actor, n.actor)
    if [columns.get(p, p) for p in o.participants] != n.participants:
        add(ChangeKind.PARTICIPANTS, list(o.participants), list(n.participants))
    if _norms(o.kelengkapan) != _norms(n.kelengkapan):
        add(ChangeKind.KELENGKAPAN, list(o.kelengkapan), list(n.kelengkapan))
    if not _same_waktu(o.waktu, n.waktu):
        add(ChangeKind.WAKTU, o.waktu.text, n.waktu.text)
    if _norms(o.output) != _norms(n.output):
        add(ChangeKind.OUTPUT, list(o.output), list(n.output))
    if _norm(o.keterangan) != _norm(n.keterangan):
        add(ChangeKind.KETERANGAN, o.keterangan, n.keterangan)
    for field, a, b in _decision_changes(o.decision, n.decision, numbers):
        add(ChangeKind.DECISION, a, b, field)
    return changes


def _same_waktu(a: Waktu, b: Waktu) -> bool:
    """The same duration: '300 Menit' is '300 menit', '1 jam' is '60 menit', '-' is ''."""
    if a.minutes is not None and b.minutes is not None:
        return a.minutes == b.minutes
    return (a.amount, a.unit) == (b.amount, b.unit)


def _decision_changes(
    a: Decision | None, b: Decision | None, numbers: dict[int, int]
) -> list[tuple[str, Any, Any]]:
    """(field, old, new) for the parts that differ; targets compare through the pairing."""
    if a is None and b is None:
        return []
    if a is None or b is None:
        return [("", _decision_json(a), _decision_json(b))]
    found: list[tuple[str, Any, Any]] = []
    if _norm(a.question) != _norm(b.question):
        found.append(("pertanyaan", a.question, b.question))
    for field, old_target, new_target in (("ya", a.yes, b.yes), ("tidak", a.no, b.no)):
        mapped = numbers.get(old_target, -1) if old_target is not None else None
        if mapped != new_target:
            found.append((field, old_target, new_target))
    return found


def _decision_json(decision: Decision | None) -> dict | None:
    if decision is None:
        return None
    return {"pertanyaan": decision.question, "ya": decision.yes, "tidak": decision.no}


# -- in words ---------------------------------------------------------------------------------

_LABELS = {
    "code": "Kode",
    "name": "Nama proses",
    "owner": "Pemilik",
    "organisasi": "Organisasi",
    "instansi": "Instansi",
    "unit": "Unit",
    "nomor": "Nomor",
    "tanggal_pembuatan": "Tanggal pembuatan",
    "tanggal_revisi": "Tanggal revisi",
    "tanggal_efektif": "Tanggal efektif",
    "nama_sop": "Nama SOP",
    "disahkan_oleh.jabatan": "Disahkan oleh (jabatan)",
    "disahkan_oleh.nama": "Disahkan oleh (nama)",
    "disahkan_oleh.pangkat": "Disahkan oleh (pangkat)",
    "disahkan_oleh.nip": "Disahkan oleh (NIP)",
    "dasar_hukum": "Dasar hukum",
    "kualifikasi_pelaksana": "Kualifikasi pelaksana",
    "keterkaitan": "Keterkaitan",
    "peralatan_perlengkapan": "Peralatan/perlengkapan",
    "peringatan": "Peringatan",
    "pencatatan_pendataan": "Pencatatan dan pendataan",
}


def _quote(text: str | None) -> str:
    return f"'{text}'" if text else "(kosong)"


def _target(no: int | None) -> str:
    return f"langkah {no}" if no is not None else "selesai"


def _list_edit(old: list[str], new: list[str]) -> str:
    """'tambah 'x'; hapus 'y'', or 'urutan diubah' when only the order changed."""
    added = [item for item in new if item not in old]
    removed = [item for item in old if item not in new]
    parts = [f"tambah {_quote(item)}" for item in added]
    parts += [f"hapus {_quote(item)}" for item in removed]
    return "; ".join(parts) or "urutan diubah"


def _decision_text(decision: dict | None) -> str:
    if decision is None:
        return "-"
    ya, tidak = _target(decision["ya"]), _target(decision["tidak"])
    return f"{_quote(decision['pertanyaan'])} (Ya -> {ya}, Tidak -> {tidak})"


def _detail(c: Change) -> str:
    """What changed in a step, after its 'langkah N 'name':' prefix."""
    K = ChangeKind
    simple: dict[ChangeKind, Callable[[], str]] = {
        K.ADDED: lambda: "ditambahkan",
        K.REMOVED: lambda: "dihapus",
        K.MOVED: lambda: f"dipindah (dulu langkah {c.old})",
        K.RENAMED: lambda: f"Kegiatan {_quote(c.old)} -> {_quote(c.new)}",
        K.ACTOR: lambda: f"Pelaksana {_quote(c.old)} -> {_quote(c.new)}",
        K.PARTICIPANTS: lambda: f"Peserta: {_list_edit(c.old, c.new)}",
        K.KELENGKAPAN: lambda: f"Kelengkapan: {_list_edit(c.old, c.new)}",
        K.WAKTU: lambda: f"Waktu {c.old or '-'} -> {c.new or '-'}",
        K.OUTPUT: lambda: f"Output: {_list_edit(c.old, c.new)}",
        K.KETERANGAN: lambda: f"Keterangan {_quote(c.old)} -> {_quote(c.new)}",
    }
    if c.change in simple:
        return simple[c.change]()
    if c.field == "pertanyaan":
        return f"Pertanyaan keputusan {_quote(c.old)} -> {_quote(c.new)}"
    if c.field in ("ya", "tidak"):
        answer = "Ya" if c.field == "ya" else "Tidak"
        return f"Keputusan {answer}: {_target(c.old)} -> {_target(c.new)}"
    if c.old is None:
        return f"Keputusan ditambahkan: {_decision_text(c.new)}"
    return f"Keputusan dihapus: {_decision_text(c.old)}"


def _describe(c: Change) -> str:
    if c.change == ChangeKind.IDENTITY:
        label = _LABELS.get(c.field, c.field)
        if isinstance(c.old, list):
            return f"identitas: {label}: {_list_edit(c.old, c.new)}"
        return f"identitas: {label} {_quote(c.old)} -> {_quote(c.new)}"
    if c.change == ChangeKind.PELAKSANA:
        what = {
            "added": "ditambahkan",
            "removed": "dihapus",
            "renamed": f"nama {_quote(c.old)} -> {_quote(c.new)}",
            "moved": f"dipindah dari kolom {c.old} ke kolom {c.new}",
        }[c.field]
        return f"kolom pelaksana {_quote(c.name)}: {what}"
    return f"langkah {c.step_no} {_quote(c.name)}: {_detail(c)}"
