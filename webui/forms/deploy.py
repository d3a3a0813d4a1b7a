"""The deploy form: .bpmn (and .dmn) uploads read and size-checked, then the engine's findings
per file."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from flask_babel import gettext as _
from werkzeug.datastructures import FileStorage

from engine.views import Deployed, Problem
from webui.error_texts import finding_text
from webui.templating import megabytes


@dataclass
class DeployForm:
    max_bytes: int
    sources: list[tuple[str, bytes]] = field(default_factory=list)
    problems: dict[str, list[Problem]] = field(default_factory=dict)  # file name -> findings
    results: list[Deployed] = field(default_factory=list)

    def read(self, files: list[FileStorage]) -> DeployForm:
        for storage in files:
            name = Path(storage.filename or "").name
            if not name:
                continue
            data = storage.read(self.max_bytes + 1)
            if not name.lower().endswith((".bpmn", ".dmn")):
                self._refuse(name, _("Only .bpmn and .dmn files can be deployed."))
            elif len(data) > self.max_bytes:
                limit = megabytes(self.max_bytes)
                self._refuse(name, _("The file is larger than %(mb)s MB.", mb=limit))
            elif not data.strip():
                self._refuse(name, _("The file is empty."))
            elif any(known == name for known, _data in self.sources):
                self._refuse(name, _("This file was chosen twice."))
            else:
                self.sources.append((name, data))
        if not self.sources and not self.problems:
            self._refuse("", _("Choose at least one .bpmn file."))
        return self

    def add_problems(self, problems: list[Problem]) -> None:
        for problem in problems:
            shown = replace(problem, message=finding_text(problem))
            self.problems.setdefault(Path(problem.file).name, []).append(shown)

    def _refuse(self, name: str, message: str) -> None:
        self.problems.setdefault(name, []).append(Problem(name, None, None, message))
