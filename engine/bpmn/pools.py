"""Deploy checks of the pools of a collaboration: the tasks of people lie in lanes.

Every pool marked executable deploys as a process of its own (engine.definitions); pools not
marked executable (other parties, drawn for the reader) deploy as drawings."""

from __future__ import annotations

from lxml import etree

from engine.bpmn import names as n
from engine.bpmn.validate import Problem

_HUMAN = ("userTask", "manualTask", "task")  # the tasks a person completes


def check_lanes_present(root: etree._Element, filename: str) -> list[Problem]:
    """An executable process whose people's tasks lie in no lane gives them to no role."""
    found = []
    for process in root.iter(f"{{{n.BPMN}}}process"):
        if (
            process.get("isExecutable") != "true"
            or process.find(f"{{{n.BPMN}}}laneSet") is not None
        ):
            continue
        tasks = [t for kind in _HUMAN for t in process.iter(f"{{{n.BPMN}}}{kind}")]
        if tasks:
            found.append(
                Problem(
                    filename,
                    process.sourceline,
                    process.get("id"),
                    f"{len(tasks)} task(s) for people but no lanes: a task goes to the role its "
                    "lane names; draw a lane per Pelaksana role in the pool around its tasks",
                )
            )
    return found
