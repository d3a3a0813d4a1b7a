"""Deploy checks of the pools of a collaboration: one executable process per file."""

from __future__ import annotations

from lxml import etree

from engine.bpmn import names as n
from engine.bpmn.validate import Problem


def check_pools(root: etree._Element, filename: str) -> list[Problem]:
    """A file runs one process: with several pools marked executable, name them and what to do.

    Pools that are not executable (other parties, drawn for the reader) deploy as drawings.
    """
    executable = [p for p in root.iter(f"{{{n.BPMN}}}process") if p.get("isExecutable") == "true"]
    if len(executable) < 2:
        return []
    ids = ", ".join(p.get("id") or "?" for p in executable)
    return [
        Problem(
            filename,
            process.sourceline,
            process.get("id"),
            f"{len(executable)} pools are marked executable ({ids}); a file runs one process: "
            "untick Executable on the pools of other parties (they stay in the diagram) or save "
            "each process to run in its own file",
        )
        for process in executable[1:]
    ]


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
