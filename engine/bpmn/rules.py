"""The rules of the SOP model (Sop.problems) that a deployed BPMN file must keep."""

from __future__ import annotations

from engine.bpmn.reader import read_bpmn
from engine.sop import Rule

# Lanes with no name or the same name, and steps in no lane, are reported in BPMN terms by the
# lane checks; a process without lanes needs no Pelaksana, a script task no name (Kegiatan).
ENFORCED = frozenset({Rule.STEP_NO, Rule.PARTICIPANT, Rule.TARGET})


def sop_findings(data: bytes) -> list[tuple[str | None, str]]:
    """(element id, message) for each enforced rule the SOP read from the file breaks."""
    try:
        sop = read_bpmn(data)
    except ValueError:  # no process the SOP model describes: the file checks say what is wrong
        return []
    return [
        (sop.steps[p.index].element_id if p.step is not None else None, p.message)
        for p in sop.problems()
        if p.rule in ENFORCED
    ]
