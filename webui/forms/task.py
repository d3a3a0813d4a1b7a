"""The task form: Kelengkapan checklist, decision, note and output files, read and checked."""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass, field
from pathlib import Path

from flask_babel import gettext as _
from werkzeug.datastructures import FileStorage, ImmutableMultiDict, MultiDict

from engine.sop import Step
from engine.views import NO, YES, Completion, FormField, Upload
from webui.templating import megabytes

NOTE_MAX = 4000
FIELD_PREFIX = "field-"  # a form field's input is named field-<its id>
FIELDS_MAX = 50  # as many as a task's form may have (engine.bpmn.forms)


@dataclass
class TaskForm:
    items: list[str] = field(default_factory=list)  # the step's Kelengkapan
    is_decision: bool = False
    decision: str = ""
    note: str = ""
    checked: set[int] = field(default_factory=set)
    gaps: dict[int, str] = field(default_factory=dict)
    uploads: list[Upload] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)
    file_errors: list[str] = field(default_factory=list)
    reselect: bool = False  # files were sent but not kept: ask to choose them again
    fields: tuple[FormField, ...] = ()  # the user task's form fields (camunda:formData)
    values: dict[str, str] = field(default_factory=dict)  # field id -> the text typed or chosen

    def for_step(self, step: Step | None) -> TaskForm:
        """Set the step's Kelengkapan and whether it is a decision; the form itself."""
        self.items = list(step.kelengkapan) if step else []
        self.is_decision = step is not None and step.decision is not None
        return self

    def read(
        self,
        form: ImmutableMultiDict,
        files: MultiDict,
        max_bytes: int,
        types: set[str],
        max_files: int = 10,
    ):
        """Take the submitted values and files; collect an error per field."""
        return self.read_fields(form).read_files(files, max_bytes, types, max_files)

    def read_fields(self, form: ImmutableMultiDict) -> TaskForm:
        """Take the submitted checklist, decision and note; collect an error per field."""
        self.checked, self.gaps = set(), {}
        self.errors = {k: v for k, v in self.errors.items() if k == "form"}
        self.decision = form.get("decision", "")
        named = [name for name in form if name.startswith(FIELD_PREFIX)][:FIELDS_MAX]
        self.values = {n.removeprefix(FIELD_PREFIX): form.get(n, "")[:NOTE_MAX] for n in named}
        self.note = form.get("note", "").strip()[:NOTE_MAX]
        for i, item in enumerate(self.items):
            if form.get(f"check-{i}"):
                self.checked.add(i)
            gap = form.get(f"gap-{i}", "").strip()[:500]
            if gap:
                self.gaps[i] = gap
            if i not in self.checked and not gap and not self.sends_back:
                self.errors[f"check-{i}"] = _(
                    "%(item)s: tick it, or explain what is missing.", item=item
                )
        if self.is_decision:
            if self.decision not in (YES, NO):
                self.errors["decision"] = _("Choose Approve (Ya) or Send back (Tidak).")
            elif self.decision == NO and not self.note:
                self.errors["note"] = _("Give the reason for sending the draft back.")
        return self

    def draft(self) -> dict:
        """The values as a draft (engine/task_drafts.py): kept as typed, nothing checked."""
        return {
            "decision": self.decision if self.decision in (YES, NO) else "",
            "note": self.note,
            "checked": sorted(self.checked),
            "gaps": {str(i): gap for i, gap in self.gaps.items()},
        }

    def resume(self, draft: dict | None) -> TaskForm:
        """Fill the form from a saved draft (no errors are shown for it)."""
        if draft:
            self.decision = draft.get("decision", "") if self.is_decision else ""
            self.note = draft.get("note", "")
            self.checked = {i for i in draft.get("checked", []) if i < len(self.items)}
            self.gaps = {int(i): gap for i, gap in draft.get("gaps", {}).items()}
        return self

    @property
    def sends_back(self) -> bool:
        """Kembalikan (Tidak) chosen: its own action, the Kelengkapan is not asked for."""
        return self.is_decision and self.decision == NO

    def read_files(
        self, files: MultiDict, max_bytes: int, types: set[str], max_files: int = 10
    ) -> TaskForm:
        """Take the uploaded files; collect an error per refused file. More than max_files in
        one submission are refused together (none is read)."""
        chosen = [f for f in files.getlist("files") if Path(f.filename or "").name]
        if len(chosen) > max_files:
            self.file_errors.append(
                _(
                    "At most %(limit)s files can be sent at once; you chose %(count)s. "
                    "Nothing was saved.",
                    limit=max_files,
                    count=len(chosen),
                )
            )
            return self
        for storage in chosen:
            self._take(storage, max_bytes, types)
        return self

    def _take(self, storage: FileStorage, max_bytes: int, types: set[str]) -> None:
        name = Path(storage.filename or "").name
        if not name:
            return
        suffix = Path(name).suffix.lower().lstrip(".")
        if suffix not in types:
            self.file_errors.append(
                _(
                    "%(name)s: this type of file is not accepted (allowed: %(types)s).",
                    name=name,
                    types=", ".join(sorted(types)),
                )
            )
            return
        data = storage.read(max_bytes + 1)
        if len(data) > max_bytes:
            self.file_errors.append(
                _(
                    "%(name)s is larger than %(mb)s MB, the limit for one file. Nothing was saved; "
                    "make the file smaller or split it.",
                    name=name,
                    mb=megabytes(max_bytes),
                )
            )
            return
        if not data:
            self.file_errors.append(_("%(name)s is empty.", name=name))
            return
        kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
        self.uploads.append(Upload(name, data, kind))

    def field_errors(self, errors: dict[str, str]) -> None:
        """The engine's refusal of form field values, one message per field."""
        for ident, message in errors.items():
            self.errors[FIELD_PREFIX + ident] = message

    def value(self, f: FormField) -> str:
        """What the field's input shows: the text sent back, else its default value."""
        return self.values.get(f.id, f.default or "")

    def checklist(self) -> dict[str, bool | str]:
        return {
            item: True if i in self.checked else self.gaps.get(i, "")
            for i, item in enumerate(self.items)
        }

    def completion(self, file_ids: list[int]) -> Completion:
        return Completion(
            decision=self.decision if self.is_decision else None,
            note=self.note,
            checklist=self.checklist(),
            file_ids=file_ids,
            data=dict(self.values),
        )
