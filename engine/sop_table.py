"""The SOP as the grid auditors know, and back: BPMN XML -> table JSON -> BPMN XML.

A table is plain JSON: the Pelaksana columns in order and one row per step, in order (a row's
number is its place). Decision targets name rows by number (None: the end):

    {"code", "name", "actors": [str],
     "rows": [{"id", "no", "activity", "actor", "participants": [str], "kelengkapan": [str],
               "waktu": {"amount": number | None, "unit": "menit" | "jam" | "hari" |
                         "hari kerja" | None, "text": as written, kept when it says the
                         same}, "output": [str], "keterangan",
               "decision": None | {"question", "yes": int | None, "no": int | None}}]}

`table_to_bpmn` writes the table with the automatic layout. Given the XML the table was read
from, it keeps what a table does not show: the identity page, the process id and pool, other
process properties (who may start it), and the BPMN id of every kept step (a row's `id`), so a
step reordered or renamed in the table stays the same element. A bad table is refused with every
problem at once, each naming its row and column (`TableError`).
"""

from __future__ import annotations

import copy
import math
from dataclasses import replace
from typing import Any

from lxml import etree

from engine.bpmn import names as n
from engine.bpmn.reader import properties, read_bpmn
from engine.bpmn.writer import write_bpmn
from engine.bpmn.xmlsafe import XmlError, parse_xml
from engine.errors import InvalidInput
from engine.sop import Decision, Identity, Sop, Step, Waktu, WaktuUnit

__all__ = [
    "MAX_ACTORS",
    "MAX_ROWS",
    "MAX_TEXT",
    "TableError",
    "bpmn_to_table",
    "read_sop",
    "sop_to_table",
    "table_to_bpmn",
    "table_to_sop",
]

MAX_ROWS = 300
MAX_ACTORS = 40
MAX_TEXT = 2000  # characters in one cell (one item of a list)
MAX_ITEMS = 50  # items in a list cell
UNITS = [str(unit) for unit in WaktuUnit]
# what a table cannot hold, so a rewritten process keeps it from the XML it was read from
_OWN_PROPERTIES = {
    n.PROP_CODE,
    *n.IDENTITY_SCALARS,
    *n.IDENTITY_LISTS,
    *(f"disahkan_{f}" for f in n.SIGNATORY_FIELDS),
}


class TableError(InvalidInput):
    """A table that cannot be written; `problems` lists each fault (row, field, column)."""

    def __init__(self, problems: list[InvalidInput]):
        self.problems = problems
        super().__init__("table_refused", count=len(problems))


def _where(row: int | None, field: str, column: str) -> dict[str, Any]:
    """Where a fault is: row (1-based; None: the table or a Pelaksana column), field (activity,
    actor, participants, kelengkapan, waktu, output, keterangan, yes, no, decision, row, rows,
    actors, actors.<index>) and the column's name as the grid shows it."""
    return {"row": row, "field": field, "column": column}


# -- XML -> table ------------------------------------------------------------------------------


def bpmn_to_table(xml: bytes | str) -> dict:
    """The table of the SOP in a BPMN document (InvalidInput when it holds no readable SOP)."""
    return sop_to_table(read_sop(xml))


def sop_to_table(sop: Sop) -> dict:
    steps = sorted(sop.steps, key=lambda s: s.no)
    place = {s.no: i for i, s in enumerate(steps, 1)}  # rows number 1.. even if steps skip

    def target(no: int | None) -> int | None:
        return place.get(no) if no is not None else None

    return {
        "code": sop.code,
        "name": sop.name,
        "actors": list(sop.actors),
        "rows": [
            {
                "id": s.element_id or s.task_id,
                "no": place[s.no],
                "activity": s.activity,
                "actor": s.actor,
                "participants": list(s.participants),
                "kelengkapan": list(s.kelengkapan),
                "waktu": {
                    "amount": s.waktu.amount,
                    "unit": str(s.waktu.unit or "") or None,
                    "text": s.waktu.text,
                },
                "output": list(s.output),
                "keterangan": s.keterangan,
                "decision": (
                    {
                        "question": s.decision.question,
                        "yes": target(s.decision.yes),
                        "no": target(s.decision.no),
                    }
                    if s.decision
                    else None
                ),
            }
            for s in steps
        ],
    }


def read_sop(xml: bytes | str) -> Sop:
    """The SOP of a BPMN document (InvalidInput when it is no XML or holds no readable SOP)."""
    try:
        return read_bpmn(xml if isinstance(xml, bytes) else xml.encode("utf-8"))
    except (XmlError, ValueError) as error:  # not XML, no process, a Waktu it cannot read
        raise InvalidInput("xml_not_sop", reason=str(error)) from None


# -- table -> XML ------------------------------------------------------------------------------


def table_to_bpmn(table: Any, previous: bytes | str | None = None) -> bytes:
    """The BPMN XML of a table, laid out anew; previous: the XML the table was read from."""
    base = read_sop(previous) if previous else None
    sop = table_to_sop(table, base)
    data = write_bpmn(sop, keep_ids=True)
    if previous:
        data = _carry_properties(data, previous, sop.key)
    return data


def table_to_sop(table: Any, base: Sop | None = None) -> Sop:
    """The SOP a table describes (TableError listing every fault); base gives what it lacks."""
    problems: list[InvalidInput] = []

    fault = problems.append

    if not isinstance(table, dict):
        raise TableError([InvalidInput("table_not_object", **_where(None, "table", ""))])
    actors = _actors(table.get("actors"), fault)
    rows = table.get("rows")
    if not isinstance(rows, list) or not rows:
        fault(InvalidInput("table_no_rows", **_where(None, "rows", "")))
        rows = []
    elif len(rows) > MAX_ROWS:
        fault(InvalidInput("table_too_many_rows", **_where(None, "rows", ""), limit=MAX_ROWS))
        rows = []
    steps = [_step(i, row, actors, len(rows), fault) for i, row in enumerate(rows, 1)]
    if problems:
        raise TableError(problems)
    steps = _with_ids(steps, base)
    code = _text(table.get("code")) or (base.code if base else "")
    name = _text(table.get("name")) or (base.name if base else "")
    sop = Sop(
        code=code or "SOP",
        name=name or code or "SOP",
        owner=base.owner if base else "",
        identity=copy.deepcopy(base.identity) if base else Identity(),
        actors=actors,
        steps=steps,
        process_id=base.process_id if base else "",
    )
    leftover = sop.problems()  # what the checks above let through would stop the writer
    if leftover:
        raise TableError(
            [
                InvalidInput(
                    "table_rule", **_where(p.index + 1 if p.step else None, "table", ""),
                    reason=p.message,
                )
                for p in leftover
            ]
        )  # fmt: skip
    return sop


def _actors(value: Any, fault) -> list[str]:
    if not isinstance(value, list) or not value:
        fault(InvalidInput("table_no_actors", **_where(None, "actors", "")))
        return []
    if len(value) > MAX_ACTORS:
        fault(InvalidInput("table_too_many_actors", **_where(None, "actors", ""), limit=MAX_ACTORS))
        return []
    actors = []
    for index, item in enumerate(value):
        name = _text(item) if isinstance(item, str) else ""
        where = _where(None, f"actors.{index}", name or f"Pelaksana {index + 1}")
        if not name:
            fault(InvalidInput("table_actor_empty", **where, index=index + 1))
        elif len(name) > MAX_TEXT:
            fault(InvalidInput("table_actor_long", **where, index=index + 1, limit=MAX_TEXT))
        elif name in actors:
            fault(InvalidInput("table_actor_twice", **where, name=name))
        actors.append(name)
    return actors


def _step(no: int, row: Any, actors: list[str], count: int, fault) -> Step:
    """One row as a step numbered no; faults reported through fault."""
    if not isinstance(row, dict):
        fault(InvalidInput("table_shape", **_where(no, "row", "")))
        return Step(no, "", "")

    def where(field: str, column: str) -> dict:
        return _where(no, field, column)

    activity = _cell_text(row.get("activity"), where("activity", "Kegiatan"), fault)
    if not activity:
        fault(InvalidInput("table_activity_empty", **where("activity", "Kegiatan")))
    actor = row.get("actor")
    if not isinstance(actor, str) or not actor.strip():
        fault(InvalidInput("table_performer_missing", **where("actor", "Pelaksana")))
        actor = ""
    elif _text(actor) not in actors:
        fault(InvalidInput("table_performer_unknown", **where("actor", "Pelaksana"), name=actor))
    actor = _text(actor)
    participants = _cell_list(row.get("participants"), where("participants", "Pelaksana"), fault)
    for other in participants:
        if other not in actors:
            fault(
                InvalidInput("table_performer_unknown", **where("participants", other), name=other)
            )
    participants = [p for p in dict.fromkeys(participants) if p != actor]
    return Step(
        no=no,
        activity=activity,
        actor=actor,
        participants=participants,
        kelengkapan=_cell_list(row.get("kelengkapan"), where("kelengkapan", "Kelengkapan"), fault),
        waktu=_waktu(row.get("waktu"), where("waktu", "Waktu"), fault),
        output=_cell_list(row.get("output"), where("output", "Output"), fault),
        keterangan=_cell_text(row.get("keterangan"), where("keterangan", "Keterangan"), fault),
        decision=_decision(row.get("decision"), no, count, where, fault),
        element_id=row.get("id") if isinstance(row.get("id"), str) else "",
    )


def _waktu(value: Any, where: dict, fault) -> Waktu:
    """{amount, unit} -> Waktu; None, {} or both empty: unspecified."""
    if value is None or value == {}:
        return Waktu()
    if not isinstance(value, dict):
        fault(InvalidInput("table_waktu_invalid", **where))
        return Waktu()
    amount, unit = value.get("amount"), value.get("unit") or None
    if amount is None or amount == "":
        if unit is not None and unit not in UNITS:
            fault(InvalidInput("table_waktu_unit", **where, unit=unit))
        return _same_text(value.get("text"), None, "None") or Waktu()
    if isinstance(amount, str):
        try:
            amount = float(amount.replace(",", "."))
        except ValueError:
            fault(InvalidInput("table_waktu_invalid", **where))
            return Waktu()
    if isinstance(amount, bool) or not isinstance(amount, int | float):
        fault(InvalidInput("table_waktu_invalid", **where))
        return Waktu()
    if not math.isfinite(amount) or amount < 0 or amount > 100_000:
        fault(InvalidInput("table_waktu_invalid", **where))
        return Waktu()
    if unit not in UNITS:
        fault(InvalidInput("table_waktu_unit", **where, unit=unit or ""))
        return Waktu()
    number = int(amount) if float(amount).is_integer() else round(float(amount), 2)
    kept = _same_text(value.get("text"), number, unit)
    if kept is not None:  # the SOP's own writing ("300 Menit") when it says the same
        return kept
    text = f"{number} {unit}".replace(".", ",") if isinstance(number, float) else f"{number} {unit}"
    return Waktu.parse(text)


def _same_text(text: Any, amount: float, unit: str) -> Waktu | None:
    try:
        waktu = Waktu.parse(text) if isinstance(text, str) and len(text) < 100 else None
    except ValueError:
        return None
    return waktu if waktu and (waktu.amount, str(waktu.unit)) == (amount, unit) else None


def _decision(value: Any, no: int, count: int, where, fault) -> Decision | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        fault(InvalidInput("table_shape", **where("decision", "Ya")))
        return None
    question = _cell_text(value.get("question"), where("decision", "Ya"), fault)
    targets = []
    for answer, column in (("yes", "Ya"), ("no", "Tidak")):
        target = value.get(answer)
        if isinstance(target, float) and target.is_integer():
            target = int(target)
        if target is not None and (
            isinstance(target, bool) or not isinstance(target, int) or not 1 <= target <= count
        ):
            fault(
                InvalidInput(
                    "table_target_missing", **where(answer, column), target=target, count=count
                )
            )
            target = None
        elif target == no:
            fault(InvalidInput("table_target_self", **where(answer, column)))
            target = None
        targets.append(target)
    return Decision(question, *targets)


def _text(value: Any) -> str:
    return " ".join(value.split()) if isinstance(value, str) else ""


def _cell_text(value: Any, where: dict, fault) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        fault(InvalidInput("table_shape", **where))
        return ""
    if len(value) > MAX_TEXT:
        fault(InvalidInput("table_text_long", **where, limit=MAX_TEXT))
        return ""
    if "\x00" in value:
        fault(InvalidInput("table_shape", **where))
        return ""
    return _text(value)


def _cell_list(value: Any, where: dict, fault) -> list[str]:
    """A list cell: a list of texts (or one text, one item a line); empty items dropped."""
    if value is None:
        return []
    if isinstance(value, str):
        value = value.splitlines()
    if not isinstance(value, list) or len(value) > MAX_ITEMS:
        fault(InvalidInput("table_shape", **where))
        return []
    items = [_cell_text(item, where, fault) for item in value]
    return [item for item in items if item]


def _with_ids(steps: list[Step], base: Sop | None) -> list[Step]:
    """Kept steps keep their BPMN id; every other row gets a fresh Langkah_<no>."""
    known = {s.element_id or s.task_id for s in base.steps} if base else set()
    kept: set[str] = set()
    for step in steps:
        if step.element_id in known and step.element_id not in kept:
            kept.add(step.element_id)
        else:
            step.element_id = ""
    taken = set(kept)
    result = []
    for step in steps:
        element_id = step.element_id
        if not element_id:
            element_id, k = step.task_id, 1
            while element_id in taken:
                k += 1
                element_id = f"{step.task_id}_{k}"
            taken.add(element_id)
        result.append(replace(step, element_id=element_id))
    return result


def _carry_properties(data: bytes, previous: bytes | str, process_id: str) -> bytes:
    """Copy the previous process's properties a table cannot show (e.g. pemula) into data."""
    old_root = parse_xml(previous if isinstance(previous, bytes) else previous.encode()).getroot()
    old = next(
        (p for p in old_root.iter(n.q(n.BPMN, "process")) if p.get("id") == process_id), None
    )
    extra = (
        [(k, v) for k, v in properties(old) if k not in _OWN_PROPERTIES] if old is not None else []
    )
    if not extra:
        return data
    root = etree.fromstring(data)
    process = next(p for p in root.iter(n.q(n.BPMN, "process")) if p.get("id") == process_id)
    holder = process.find(f"{n.q(n.BPMN, 'extensionElements')}/{n.q(n.CAMUNDA, 'properties')}")
    for name, value in extra:
        etree.SubElement(holder, n.q(n.CAMUNDA, "property"), name=name, value=value)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
