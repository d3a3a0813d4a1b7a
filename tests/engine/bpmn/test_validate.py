"""Deploy validation: each bad file gives its own located problem; good files give none."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from engine.bpmn.validate import Problem, validate_bytes, validate_file
from engine.cli import main
from engine.cli.validate import validate

ROOT = Path(__file__).resolve().parents[3]
DATA = ROOT / "tests" / "data"
VALID = DATA / "valid" / "simple_lanes.bpmn"
INVALID = DATA / "invalid"
MIWG = DATA / "miwg"


def line_of(path: Path, text: str) -> int:
    """The 1-based line of the first occurrence of text in the file."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if text in line)


def variant(old: str, new: str) -> bytes:
    """The valid file with one edit (the edit must match exactly once)."""
    text = VALID.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    return text.replace(old, new).encode()


def add_ref(data: bytes, tag: str, after: str, new: str) -> bytes:
    """Insert <bpmn:TAG>new</bpmn:TAG> right after the first <bpmn:TAG>after</bpmn:TAG>."""
    old = f"<bpmn:{tag}>{after}</bpmn:{tag}>".encode()
    assert old in data
    return data.replace(old, old + f"<bpmn:{tag}>{new}</bpmn:{tag}>".encode(), 1)


def test_valid_file_has_no_problems():
    assert validate_file(VALID) == []


def test_repository_diagrams_are_valid():
    files = sorted((ROOT / "bpmn").glob("*.bpmn"))
    assert files
    assert {f.name: [str(p) for p in validate_file(f)] for f in files} == {
        f.name: [] for f in files
    }


def test_problem_prints_one_line():
    assert str(Problem("a.bpmn", 3, "Flow_1", "bad")) == "a.bpmn:3: [Flow_1] bad"
    assert str(Problem("a.bpmn", None, None, "bad")) == "a.bpmn: bad"


@pytest.mark.parametrize(
    ("name", "anchor", "element", "message"),
    [
        (
            "dangling_reference.bpmn",
            '<bpmn:sequenceFlow id="Flow_2"',
            "Flow_2",
            "targetRef 'Task_9' does not match any id in this file",
        ),
        (
            "node_outside_lanes.bpmn",
            '<bpmn:userTask id="Task_2"',
            "Task_2",
            "userTask 'Memeriksa draf' is in no lane; put it in its Pelaksana's lane",
        ),
        (
            "duplicate_id.bpmn",
            '<bpmn:lane id="Lane_1" name="Kepala Bidang">',
            "Lane_1",
            "duplicate id 'Lane_1' (first used on line 8)",
        ),
        (
            "condition_import.bpmn",
            "__import__('os')",
            "Flow_4",
            "condition refused by the safe evaluator: calls __import__, "
            "which is not an allowed function",
        ),
        (
            "xxe.bpmn",
            "<!DOCTYPE",
            None,
            "DOCTYPE/ENTITY declarations are not allowed in BPMN files (possible XXE or "
            "entity-expansion attack); remove the <!DOCTYPE ...> block",
        ),
        (
            "billion_laughs.bpmn",
            "<!DOCTYPE",
            None,
            "DOCTYPE/ENTITY declarations are not allowed in BPMN files (possible XXE or "
            "entity-expansion attack); remove the <!DOCTYPE ...> block",
        ),
    ],
)
def test_invalid_file_gives_its_problem(name, anchor, element, message):
    path = INVALID / name
    line = line_of(path, anchor)
    assert validate_file(path) == [Problem(str(path), line, element, message)]


@pytest.mark.parametrize(
    ("old", "new", "element", "words"),
    [
        (' name="Memeriksa draf">', ' name="Memeriksa draf" prioritas="1">', "Task_2", "attribute"),
        ('default="Flow_5"', 'default="Flow_9"', "Gateway_1", "default flow 'Flow_9' does not"),
        ('default="Flow_5"', 'default="Flow_1"', "Gateway_1", "is not a sequence flow leaving it"),
        (
            "<bpmn:flowNodeRef>End_1</bpmn:flowNodeRef>",
            "<bpmn:flowNodeRef>End_1</bpmn:flowNodeRef><bpmn:flowNodeRef>Hantu</bpmn:flowNodeRef>",
            "Lane_2",
            "flowNodeRef 'Hantu' does not",
        ),
        ('bpmnElement="Task_2"', 'bpmnElement="Task_22"', "Task_2_di", "bpmnElement 'Task_22'"),
        ('processRef="Process_1"', 'processRef="Process_9"', "Participant_1", "processRef"),
        ('name="Kepala Bidang"', 'name=" "', "Lane_2", "lane has no name"),
        ('name="Kepala Bidang"', 'name="Sub Koordinator"', "Lane_2", "also used by lane 'Lane_1'"),
        ('default="Flow_5"', "", "Flow_5", "SpiffWorkflow cannot build the process: Non-default"),
    ],
)
def test_reference_lane_and_spiff_checks(old, new, element, words):
    problems = validate_bytes(variant(old, new), "v.bpmn")
    assert len(problems) == 1, problems
    assert problems[0].element == element
    assert words in problems[0].message
    assert problems[0].file == "v.bpmn" and problems[0].line


def test_node_in_two_sibling_lanes():
    data = add_ref(VALID.read_bytes(), "flowNodeRef", "End_1", "Task_1")
    (problem,) = validate_bytes(data, "v.bpmn")
    assert problem.element == "Task_1"
    assert "is in two lanes, 'Sub Koordinator' and 'Kepala Bidang'" in problem.message


NESTED = """<bpmn:lane id="Lane_2" name="Kepala Bidang">
        <bpmn:flowNodeRef>Task_2</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>Gateway_1</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>End_1</bpmn:flowNodeRef>
        <bpmn:childLaneSet id="LaneSet_2">
          <bpmn:lane id="Lane_3" name="Kabid">
            <bpmn:flowNodeRef>Task_2</bpmn:flowNodeRef>
            <bpmn:flowNodeRef>Gateway_1</bpmn:flowNodeRef>
            <bpmn:flowNodeRef>End_1</bpmn:flowNodeRef>
          </bpmn:lane>
          <bpmn:lane id="Lane_4" name="Staf Kabid">SECOND</bpmn:lane>
        </bpmn:childLaneSet>"""


def test_nested_lanes_parent_and_one_child_is_fine_two_children_is_not():
    old = """<bpmn:lane id="Lane_2" name="Kepala Bidang">
        <bpmn:flowNodeRef>Task_2</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>Gateway_1</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>End_1</bpmn:flowNodeRef>"""
    assert validate_bytes(variant(old, NESTED.replace("SECOND", "")), "n.bpmn") == []
    twice = NESTED.replace("SECOND", "<bpmn:flowNodeRef>End_1</bpmn:flowNodeRef>")
    (problem,) = validate_bytes(variant(old, twice), "n.bpmn")
    assert problem.element == "End_1"
    assert "two lanes, 'Kabid' and 'Staf Kabid'" in problem.message


def test_process_without_lanes_needs_none():
    start, end = "    <bpmn:laneSet", "</bpmn:laneSet>\n"
    text = VALID.read_text(encoding="utf-8")
    data = (text[: text.index(start)] + text[text.index(end) + len(end) :]).encode()
    for shape in ("Lane_1_di", "Lane_2_di"):
        begin = data.index(f'<bpmndi:BPMNShape id="{shape}"'.encode())
        stop = data.index(b"</bpmndi:BPMNShape>", begin) + len(b"</bpmndi:BPMNShape>")
        data = data[:begin] + data[stop:]
    assert validate_bytes(data, "nolanes.bpmn") == []


SCRIPT_TASK = """<bpmn:scriptTask id="Script_1" scriptFormat="python">
      <bpmn:incoming>Flow_2</bpmn:incoming>
      <bpmn:outgoing>Flow_2b</bpmn:outgoing>
      <bpmn:script>SCRIPT</bpmn:script>
    </bpmn:scriptTask>
    <bpmn:sequenceFlow id="Flow_2b" sourceRef="Script_1" targetRef="Task_2" />
    <bpmn:sequenceFlow id="Flow_2" sourceRef="Task_1" targetRef="Script_1" />"""


@pytest.mark.parametrize(
    ("script", "words"),
    [
        ("jumlah = 1\nnama = 'x'.upper()", None),
        ("import os", "line 1: only assignments 'name = expression' are allowed"),
        ("a = 1\nb = open('/etc/passwd')", "line 2: calls open, which is not an allowed function"),
    ],
)
def test_script_tasks_follow_the_assignment_rule(script, words):
    flow = '<bpmn:sequenceFlow id="Flow_2" sourceRef="Task_1" targetRef="Task_2" />'
    data = variant(flow, SCRIPT_TASK.replace("SCRIPT", script))
    data = add_ref(data, "flowNodeRef", "Task_1", "Script_1")
    problems = validate_bytes(data, "s.bpmn")
    if words is None:
        assert problems == []
    else:
        (problem,) = problems
        assert problem.element == "Script_1"
        assert problem.message == f"script refused by the safe evaluator: {words}"


TIMER = """<bpmn:endEvent id="End_1" name="Selesai">
      <bpmn:incoming>Flow_4</bpmn:incoming>
    </bpmn:endEvent>
    <bpmn:boundaryEvent id="Timer_1" attachedToRef="Task_2">
      <bpmn:outgoing>Flow_6</bpmn:outgoing>
      <bpmn:timerEventDefinition id="TimerDef_1">
        <bpmn:timeDuration xsi:type="bpmn:tFormalExpression">VALUE</bpmn:timeDuration>
      </bpmn:timerEventDefinition>
    </bpmn:boundaryEvent>
    <bpmn:sequenceFlow id="Flow_6" sourceRef="Timer_1" targetRef="End_1" />"""


@pytest.mark.parametrize(
    ("tag", "value", "words"),
    [
        ("timeDuration", '"PT1H"', None),
        ("timeDuration", "PT1H", None),  # bare, as Camunda Modeler and bpmn.io write it
        ("timeDuration", "P3D", None),
        ("timeDuration", "tenggat", None),  # read from the instance's data: bounded at run time
        ("timeDuration", "P99999999Y", "longer than ten years"),
        ("timeDuration", "PT0S", "shorter than 1 second"),
        ("timeDuration", "-P1D", "not an ISO 8601 duration"),
        ("timeDuration", "'P' + '1' * 9 + 'D'", "longer than ten years"),
        ("timeDuration", "3", "needs an ISO 8601 text"),
        ("timeDuration", "__import__('time')", "calls __import__"),
        ("timeDate", "2026-12-31T09:00", None),
        ("timeDate", "3026-12-31", "more than ten years ahead"),
        ("timeCycle", "R5/P1D", None),
        ("timeCycle", "R/PT0S", "repeats without end"),
        ("timeCycle", "R5/PT0S", "more often than once a minute"),
        ("timeCycle", "R99999/P1D", "more than 1000 times"),
    ],
)
def test_timers_are_iso_8601_within_bounds(tag, value, words):
    old = '<bpmn:endEvent id="End_1" name="Selesai">\n      <bpmn:incoming>Flow_4</bpmn:incoming>'
    old += "\n    </bpmn:endEvent>"
    timer = TIMER.replace("VALUE", value).replace("timeDuration", tag)
    data = add_ref(variant(old, timer), "incoming", "Flow_4", "Flow_6")
    problems = validate_bytes(data, "t.bpmn")
    if words is None:
        assert problems == []
    else:
        (problem,) = problems
        assert problem.element == "Timer_1" and problem.line is not None
        assert problem.message.startswith("timer refused: ")
        assert words in problem.message


def test_miwg_models_from_other_tools_give_sensible_results():
    found = {f.name: validate_file(f) for f in sorted(MIWG.glob("*.bpmn"))}
    assert len(found) == 8
    clean = {name for name, problems in found.items() if not problems}
    assert {"A.1.0.bpmn", "A.2.0.bpmn", "A.3.0.bpmn", "A.4.0.bpmn"} <= clean
    messages = {name: " | ".join(p.message for p in problems) for name, problems in found.items()}
    assert "B.2.0.bpmn" in clean  # its data stores are drawings: no implementation needed
    assert "lane has no name" in messages["C.1.0.bpmn"]
    assert "condition" not in messages["C.1.0.bpmn"]  # its JUEL (${approved}, ${!approved}) runs
    assert "C.9.1.bpmn" in clean  # bare ISO timers (PT2H, R6/P1D, P7D) as drawn by its tool
    assert "not valid BPMN 2.0" not in " ".join(messages.values())


def test_cli_reports_problems_and_exit_codes(tmp_path):
    runner = CliRunner()
    ok = runner.invoke(main, ["validate", str(VALID)])
    assert ok.exit_code == 0, ok.output
    assert ok.output == "OK: 1 file(s) valid\n"
    bad = runner.invoke(validate, [str(VALID), str(INVALID)])
    assert bad.exit_code == 1
    lines = bad.stdout.splitlines()
    assert len(lines) == 6
    assert all(line.startswith(str(INVALID)) for line in lines)
    assert "6 of 7 file(s) have problems" in bad.stderr
    empty = runner.invoke(validate, [str(tmp_path)])
    assert empty.exit_code == 1 and "no .bpmn files" in empty.stderr
    assert runner.invoke(validate, [str(tmp_path / "absent.bpmn")]).exit_code == 2


def test_a_participant_that_is_no_lane_is_refused_at_its_step():
    data = variant(
        '<camunda:property name="waktu" value="30 menit" />',
        '<camunda:property name="waktu" value="30 menit" />\n'
        '          <camunda:property name="peserta" value="Bupati" />',
    )
    (problem,) = validate_bytes(data, "p.bpmn")
    assert (problem.element, problem.line) == ("Task_1", line_of(VALID, 'id="Task_1"'))
    assert problem.message == "langkah 1: peserta 'Bupati' bukan kolom Pelaksana"
