"""Camunda 7 forms of user tasks (`camunda:formData`): read into frozen fields, checked at deploy.

A user task's `camunda:formField`s (types string, long, boolean, date, enum with its values;
constraints required, minlength, maxlength, min, max, readonly) are shown on the task page and
checked on completion (engine.runtime.form_values); their values become process variables.
What the task page cannot show is refused at deploy: other field types, custom validators,
expressions as default values, external forms (`camunda:formKey`) and Camunda 8 forms.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from lxml import etree

from engine.bpmn import names as n
from engine.bpmn.validate import Problem
from engine.bpmn.xmlsafe import parse_xml

ZEEBE = "http://camunda.org/schema/zeebe/1.0"
TYPES = ("string", "long", "boolean", "date", "enum")
CONSTRAINTS = frozenset({"required", "readonly", "minlength", "maxlength", "min", "max"})
FIELD_ID = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}")  # a variable a condition can read
LABEL_MAX = 200
FIELDS_MAX = 50
OPTIONS_MAX = 100
TEXT_MAX = 4000  # the longest string value; maxlength may only lower it
LONG_MAX = 2**53 - 1  # a whole number JSON and JavaScript keep exactly
# names the engine itself writes into task data
RESERVED = re.compile(r"keputusan_\d+|dikembalikan")


@dataclass(frozen=True)
class FormField:
    """One field of a user task's form, as the task page shows it and completion checks it."""

    id: str
    label: str
    type: str  # one of TYPES
    default: str | None = None  # as written in the file (checked at deploy)
    required: bool = False
    readonly: bool = False
    minlength: int | None = None
    maxlength: int = TEXT_MAX
    min: int | date | None = None
    max: int | date | None = None
    options: tuple[tuple[str, str], ...] = field(default_factory=tuple)  # enum: (id, name)

    @property
    def name(self) -> str:
        """The label, or the id when the field has none."""
        return self.label or self.id


Forms = dict[str, tuple[FormField, ...]]  # user task id -> its fields, in file order


def read_forms(root: etree._Element) -> Forms:
    """The form fields of every user task with camunda:formData (a file that deploys)."""
    found: Forms = {}
    for task in root.iter(f"{{{n.BPMN}}}userTask"):
        fields = [_field(el) for el in _form_fields(task)]
        if fields:
            found[task.get("id")] = tuple(fields)
    return found


def check_forms(root: etree._Element, filename: str) -> list[Problem]:
    """Deploy findings of the forms of a BPMN file: what the task page could not show or check."""
    problems: list[Problem] = []
    for task in root.iter(f"{{{n.BPMN}}}userTask"):

        def problem(where: etree._Element, message: str, task=task) -> None:
            problems.append(Problem(filename, where.sourceline, task.get("id"), message))

        _check_camunda8(task, problem)
        key = (task.get(f"{{{n.CAMUNDA}}}formKey") or "").strip()
        if key:
            problem(
                task,
                f"camunda:formKey {key[:80]!r} names an external form, which Alur cannot show; "
                "describe the fields with camunda:formData (Camunda Modeler: Forms, type "
                "'Generated Task Forms') or remove the form key",
            )
        fields = _form_fields(task)
        if len(fields) > FIELDS_MAX:
            problem(task, f"{len(fields)} form fields; at most {FIELDS_MAX} per task")
            continue
        seen: set[str] = set()
        for el in fields:
            ident = el.get("id") or ""
            for message in _field_problems(el, ident, seen):
                problem(el, f"form field {ident[:64]!r}: {message}")
            seen.add(ident)
    return problems


def _check_camunda8(task: etree._Element, problem) -> None:
    for el in task.iter(f"{{{ZEEBE}}}formDefinition"):
        problem(
            el,
            "a Camunda 8 form (zeebe:formDefinition) cannot be shown: Alur runs the Camunda 7 "
            "flavour; remove the linked form (the task gets the generic task page) or describe "
            "its fields with camunda:formData in a Camunda 7 diagram",
        )


def _form_fields(task: etree._Element) -> list[etree._Element]:
    return [
        el
        for ext in task.findall(f"{{{n.BPMN}}}extensionElements")
        for data in ext.findall(f"{{{n.CAMUNDA}}}formData")
        for el in data.findall(f"{{{n.CAMUNDA}}}formField")
    ]


def _constraints(el: etree._Element) -> list[tuple[str, str | None, etree._Element]]:
    return [
        ((c.get("name") or "").strip(), c.get("config"), c)
        for v in el.findall(f"{{{n.CAMUNDA}}}validation")
        for c in v.findall(f"{{{n.CAMUNDA}}}constraint")
    ]


def _field_problems(el: etree._Element, ident: str, seen: set[str]) -> list[str]:
    found = []
    if not FIELD_ID.fullmatch(ident):
        found.append(
            "the id must be a variable name conditions can read: a letter or _ then letters, "
            "digits or _, at most 64 characters"
        )
    elif ident in seen:
        found.append("the id is used by another field of this task")
    elif RESERVED.fullmatch(ident):
        found.append("the id is a name the engine writes itself; choose another")
    if len(el.get("label") or "") > LABEL_MAX:
        found.append(f"the label is longer than {LABEL_MAX} characters")
    kind = (el.get("type") or "").strip()
    if kind not in TYPES:
        found.append(f"type {kind[:40]!r} is not supported (use one of {', '.join(TYPES)})")
        return found
    default = el.get("defaultValue")
    if default is not None and re.match(r"\s*[$#]\{", default):
        found.append("a default value that is an expression is not supported; write the value")
    elif default is not None and default != "":
        reason = _value_problem(kind, default, _options(el))
        if reason:
            found.append(f"default value {default[:40]!r}: {reason}")
    if kind == "enum":
        options = _options(el)
        if not options:
            found.append("an enum field needs its values (camunda:value id and name)")
        if len(options) > OPTIONS_MAX:
            found.append(f"{len(options)} values; at most {OPTIONS_MAX}")
        if any(not i or len(i) > 64 or len(name) > LABEL_MAX for i, name in options):
            found.append(f"each value needs an id of at most 64 characters, a name of at most "
                         f"{LABEL_MAX}")  # fmt: skip
    for name, config, _c in _constraints(el):
        found += _constraint_problems(kind, name, config)
    return found


def _constraint_problems(kind: str, name: str, config: str | None) -> list[str]:
    if name not in CONSTRAINTS:
        supported = ", ".join(sorted(CONSTRAINTS))
        return [f"constraint {name[:40]!r} is not supported (use {supported})"]
    if name in ("required", "readonly"):
        return []
    if name in ("minlength", "maxlength"):
        if kind != "string":
            return [f"{name} applies to string fields only"]
        if not (config or "").strip().isdigit() or int(config) > TEXT_MAX:
            return [f"{name} needs a whole number from 0 to {TEXT_MAX} as its config"]
        return []
    if kind not in ("long", "date"):
        return [f"{name} applies to long and date fields only"]
    reason = _value_problem(kind, config or "", ())
    return [f"{name} config {(config or '')[:40]!r}: {reason}"] if reason else []


def _options(el: etree._Element) -> tuple[tuple[str, str], ...]:
    return tuple(
        ((v.get("id") or "").strip(), v.get("name") or v.get("id") or "")
        for v in el.findall(f"{{{n.CAMUNDA}}}value")
    )


def _value_problem(kind: str, text: str, options) -> str | None:
    """Why a value written in the file does not fit its type (None when it does)."""
    try:
        parse_text(kind, text, options)
    except ValueError as err:
        return str(err)
    return None


def parse_text(kind: str, text: str, options=()) -> str | int | bool | date:
    """A value written as text (in the file or a web form) as the type's value; ValueError."""
    text = text.strip()
    if kind == "long":
        if not re.fullmatch(r"[+-]?\d{1,16}", text) or abs(int(text)) > LONG_MAX:
            raise ValueError(f"a whole number up to {LONG_MAX} is expected")
        return int(text)
    if kind == "boolean":
        if text.lower() not in ("true", "false"):
            raise ValueError("true or false is expected")
        return text.lower() == "true"
    if kind == "date":
        try:
            return date.fromisoformat(text) if len(text) == 10 else date.fromisoformat("x")
        except ValueError:
            raise ValueError("a date written YYYY-MM-DD is expected") from None
    if kind == "enum" and text not in {i for i, _name in options}:
        raise ValueError("one of the field's values is expected")
    return text


def _field(el: etree._Element) -> FormField:
    kind = el.get("type").strip()
    options = _options(el) if kind == "enum" else ()
    constraints = {name: config for name, config, _c in _constraints(el)}
    bound = {k: parse_text(kind, constraints[k]) for k in ("min", "max") if k in constraints}
    return FormField(
        id=el.get("id"),
        label=(el.get("label") or "").strip(),
        type=kind,
        default=el.get("defaultValue") or None,
        required="required" in constraints,
        readonly="readonly" in constraints,
        minlength=int(constraints["minlength"]) if "minlength" in constraints else None,
        maxlength=int(constraints.get("maxlength") or TEXT_MAX),
        options=options,
        **bound,
    )


_CACHE: dict[str, Forms] = {}  # a version's BPMN digest -> its forms, read once
_CACHE_MAX = 1024


def forms_of(sha256: str, xml: bytes) -> Forms:
    """The forms of a deployed BPMN file, read on first use and then shared (do not change)."""
    found = _CACHE.get(sha256)
    if found is None:
        if len(_CACHE) >= _CACHE_MAX:
            _CACHE.clear()
        found = _CACHE[sha256] = read_forms(parse_xml(xml).getroot())
    return found
