"""The safe evaluator: escapes refused statically and at run time; SpiffWorkflow runs through it."""

from __future__ import annotations

import ast

import pytest
from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.exceptions import WorkflowTaskException
from SpiffWorkflow.camunda.parser import CamundaParser
from SpiffWorkflow.util.task import TaskState

from engine.bpmn.xmlsafe import parse_xml
from engine.runtime.expressions import (
    ExpressionError,
    UnsafeExpressionError,
    _run,
    check_expression,
    check_script,
    evaluate,
    execute,
)
from engine.runtime.script_engine import SafeScriptEngine

DATA = {"keputusan_12": "Ya", "a": 5, "b": "x", "files": ["surat.pdf"], "x": "Teks"}

ESCAPES = {
    "__import__('os')": "calls __import__",
    "__import__('os').system('id')": "calls __import__",
    "().__class__.__base__.__subclasses__()": "__class__",
    "open('/etc/passwd')": "calls open",
    "[].__class__": "__class__",
    "getattr(x, '__class__')": "calls getattr",
    "exec('1')": "calls exec",
    "eval('1')": "calls eval",
    "compile('1', 'f', 'eval')": "calls compile",
    "globals()": "calls globals",
    "lambda: 1": "lambda",
    "(x for x in ())": "generator",
    "[c for c in x]": "comprehensions",
    "x.format(1)": ".format()",
    "x.__len__()": "__len__",
    "x.upper": "uses attribute .upper",
    "files[0].__class__": "__class__",
    "f'{a:>999999999}'": "format specifications",
    "{**DATA}": "** unpacking",
    "[*files]": "* unpacking",
    "(y := 1)": ":=",
    "+".join(["1"] * 80): "nested more than",
}


@pytest.mark.parametrize(("expr", "words"), ESCAPES.items())
def test_escape_is_refused_by_the_static_check(expr, words):
    reason = check_expression(expr)
    assert reason is not None and words in reason


@pytest.mark.parametrize("expr", ESCAPES)
def test_escape_is_refused_at_evaluation(expr):
    with pytest.raises(UnsafeExpressionError) as caught:
        evaluate(expr, dict(DATA))
    assert caught.value.expression == expr


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        ('keputusan_12 == "Ya"', True),
        ('keputusan_12 == "Tidak"', False),
        ("a > 3 and b in ['x', 'y']", True),
        ("len(files) > 0", True),
        ("x.lower() == 'teks' and x.upper().startswith('TE')", True),
        ("max(a, 2) + min([1, 2]) + sum([1, 2]) + abs(-1) + round(2.4)", 12),
        ("'ok' if a >= 5 else 'no'", "ok"),
        ("sorted(files)[0]", "surat.pdf"),
        ("any([a > 1, False]) and all([b])", True),
        ("{'k': a}.get('k', 0) * 2 ** 3", 40),
        ("f'{x}-{a}'", "Teks-5"),
        ("files[-1][:5]", "surat"),
    ],
)
def test_ordinary_conditions_work(expr, expected):
    assert check_expression(expr) is None
    assert evaluate(expr, dict(DATA)) == expected


@pytest.mark.parametrize(
    ("expr", "words"),
    [
        ("tidak_ada == 1", "name 'tidak_ada' is not defined"),
        ("keputusan12 == 'Ya'", "did you mean 'keputusan_12'?"),
        ("a / 0", "ZeroDivisionError"),
        ("2 ** 10000", "a power larger than 4096 bits"),
        ("'x' * 10**7", "Sorry"),
        ("'%s' % a", "string formatting"),
        ("sum([[1]], [])", "only adds numbers"),
        ("a ==", "syntax error"),
        ("${execution.getVariable('a')}", "JUEL: Camunda's execution object"),
        ("=for x in y return x", "FEEL: FEEL 'for' expressions"),
    ],
)
def test_failures_name_the_expression(expr, words):
    with pytest.raises(ExpressionError) as caught:
        evaluate(expr, dict(DATA))
    assert caught.value.expression == expr
    assert words in str(caught.value)


def test_evaluation_does_not_change_data():
    data = {"files": ["a"], "form": {"k": 1}}
    evaluate("files.count('a') == 1 and form.get('k') == 1", data)
    assert data == {"files": ["a"], "form": {"k": 1}}
    assert "calls .append()" in check_expression("files.append(1)")


def test_script_assignments_run_line_by_line():
    data = {"a": 1, "files": ["x.pdf"]}
    execute("\n    b = a + 1\n    c = b * 2  # komentar\n    a += 10\n    n = len(files)\n", data)
    assert data == {"a": 11, "files": ["x.pdf"], "b": 2, "c": 4, "n": 1}


@pytest.mark.parametrize(
    ("script", "words"),
    [
        ("import os", "line 1: only assignments"),
        ("x = 1\nprint(x)", "line 2: only assignments"),
        ("if a:\n    b = 1", "line 1: only assignments"),
        ("def f():\n    pass", "only assignments"),
        ("for i in files:\n    n = i", "only assignments"),
        ("x.y = 1", "only plain names"),
        ("_x = 1", "only plain names"),
        ("a, b = 1, 2", "only plain names"),
        ("x = open('/etc/passwd')", "calls open"),
        ("x = __import__('os')", "calls __import__"),
    ],
)
def test_scripts_other_than_assignments_are_refused(script, words):
    assert words in check_script(script)
    data = {"a": 1, "files": []}
    with pytest.raises(UnsafeExpressionError):
        execute(script, data)
    assert data == {"a": 1, "files": []}


def test_failed_script_changes_nothing():
    data = {"a": 1}
    with pytest.raises(ExpressionError) as caught:
        execute("b = 2\nc = tidak_ada", data)
    assert caught.value.line == 2
    assert data == {"a": 1}


BPMN = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    id="d" targetNamespace="urn:alur:test">
  <bpmn:process id="p" isExecutable="true">
    <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:userTask id="periksa"><bpmn:incoming>f1</bpmn:incoming>
      <bpmn:outgoing>f2</bpmn:outgoing></bpmn:userTask>
    <bpmn:exclusiveGateway id="gw" default="f4"><bpmn:incoming>f2</bpmn:incoming>
      <bpmn:outgoing>f3</bpmn:outgoing><bpmn:outgoing>f4</bpmn:outgoing></bpmn:exclusiveGateway>
    <bpmn:scriptTask id="catat" scriptFormat="python"><bpmn:incoming>f3</bpmn:incoming>
      <bpmn:outgoing>f5</bpmn:outgoing>
      <bpmn:script>SCRIPT</bpmn:script></bpmn:scriptTask>
    <bpmn:endEvent id="ya"><bpmn:incoming>f5</bpmn:incoming></bpmn:endEvent>
    <bpmn:endEvent id="tidak"><bpmn:incoming>f4</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="periksa"/>
    <bpmn:sequenceFlow id="f2" sourceRef="periksa" targetRef="gw"/>
    <bpmn:sequenceFlow id="f3" sourceRef="gw" targetRef="catat">
      <bpmn:conditionExpression>CONDITION</bpmn:conditionExpression></bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="f4" sourceRef="gw" targetRef="tidak"/>
    <bpmn:sequenceFlow id="f5" sourceRef="catat" targetRef="ya"/>
  </bpmn:process>
</bpmn:definitions>"""


def run(answer: str, condition: str = 'keputusan_12 == "Ya"', script: str = "hasil = 1"):
    """Start the tiny process, answer the user task, run the engine to the end."""
    xml = BPMN.replace("CONDITION", condition).replace("SCRIPT", script)
    parser = CamundaParser()
    parser.add_bpmn_xml(parse_xml(xml, "tiny.bpmn"), "tiny.bpmn")
    workflow = BpmnWorkflow(parser.get_spec("p"), script_engine=SafeScriptEngine())
    workflow.do_engine_steps()
    (task,) = workflow.get_tasks(state=TaskState.READY, manual=True)
    task.data.update({"keputusan_12": answer, "files": ["a.pdf"]})
    task.run()
    workflow.do_engine_steps()
    return workflow


def _ended_at(workflow: BpmnWorkflow) -> set[str]:
    done = workflow.get_tasks(state=TaskState.COMPLETED)
    return {t.task_spec.bpmn_id for t in done} & {"ya", "tidak"}


def test_gateway_condition_runs_through_safe_engine():
    yes = run("Ya", script='hasil = "disetujui"\njumlah = len(files) + 1')
    assert yes.completed and _ended_at(yes) == {"ya"}
    assert yes.data["hasil"] == "disetujui" and yes.data["jumlah"] == 2
    no = run("Tidak")
    assert no.completed and _ended_at(no) == {"tidak"}
    assert "hasil" not in no.data


def test_malicious_condition_raises_instead_of_running(tmp_path):
    marker = tmp_path / "ran"
    condition = f"__import__('os').system('touch {marker}') == 0"
    with pytest.raises(WorkflowTaskException) as caught:
        run("Ya", condition=condition)
    assert "calls __import__" in str(caught.value)
    assert condition in str(caught.value)
    assert not marker.exists()


def test_malicious_script_raises_instead_of_running(tmp_path):
    marker = tmp_path / "ran"
    with pytest.raises(WorkflowTaskException) as caught:
        run("Ya", script=f"import os\nos.system('touch {marker}')")
    assert "only assignments" in str(caught.value)
    assert caught.value.line_number == 1
    assert not marker.exists()


def test_engine_validate_and_service_calls():
    engine = SafeScriptEngine()
    engine.validate("a == 1")
    with pytest.raises(UnsafeExpressionError):
        engine.validate("open('x')")
    with pytest.raises(NotImplementedError):
        engine.environment.call_service({})


@pytest.mark.parametrize("expr", ["[].__class__", "x.format(1)", "(c for c in x)", "x.real"])
def test_simpleeval_layer_refuses_even_without_the_static_check(expr):
    node = ast.parse(expr, mode="eval").body
    with pytest.raises(UnsafeExpressionError):
        _run(expr, node, dict(DATA))
