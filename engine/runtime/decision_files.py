"""The decisions of one process version, as its business rule tasks find them at run time.

A deployed version keeps the DMN files its business rule tasks name (`decision_files` rows:
filename, sha256, XML). The store gives every workflow it creates or loads a `Decisions` of
its definition as `workflow.decisions`; a `DecisionTask` asks it to decide. Files are read
with `read_dmn` once per process and content (the cache is keyed by sha256, so two versions or
two databases sharing a file share the read), and only when a decision is first needed.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass

from engine.bpmn.dmn import Decision, DecisionTable, DmnFile, read_dmn
from engine.runtime.decisions import Decided, DecisionError, decide

_CACHE_SIZE = 256
_files: OrderedDict[str, DmnFile] = OrderedDict()
_lock = threading.Lock()


def read_cached(sha256: str, xml: bytes, filename: str) -> DmnFile:
    """The file as read_dmn gives it, read once per content."""
    with _lock:
        found = _files.get(sha256)
        if found is not None:
            _files.move_to_end(sha256)
            return found
    found = read_dmn(xml, filename)
    with _lock:
        _files[sha256] = found
        while len(_files) > _CACHE_SIZE:
            _files.popitem(last=False)
    return found


@dataclass(frozen=True)
class DmnSource:
    filename: str
    sha256: str
    xml: bytes


class Decisions:
    """The decisions deployed with one definition version, looked up by decision id."""

    def __init__(self, files: list[DmnSource]):
        self.files = files

    def find(self, decision_id: str) -> Decision:
        for stored in self.files:
            found = read_cached(stored.sha256, stored.xml, stored.filename).decision(decision_id)
            if found is not None:
                return found
        known = ", ".join(f.filename for f in self.files) or "none"
        raise DecisionError(
            decision_id,
            f"decision {decision_id!r} is not among the DMN files of this process version "
            f"({known})",
        )

    def decide(self, decision_id: str, data: dict, shape: str) -> Decided:
        return decide(self.find(decision_id), data, shape)

    def rule_numbers(self, decision_id: str, rule_ids) -> list[int]:
        """The rules' numbers as the Modeler shows them (1 is the first row)."""
        decision = self.find(decision_id)
        if not isinstance(decision, DecisionTable):
            return []
        numbers = {rule.id: rule.number for rule in decision.rules}
        return [numbers[r] for r in rule_ids if r in numbers]
