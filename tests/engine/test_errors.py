"""Engine errors: a class-level code, a message key with parameters, the Indonesian text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from engine.bpmn.validate import validate_bytes
from engine.errors import Conflict, DeployError, EngineError, InvalidInput, NotFound
from engine.messages import FINDINGS, MESSAGES, finding
from tests.conftest import sop_path

ROOT = Path(__file__).resolve().parents[2]
# an error raised by key, or a migration verdict's Reason (engine/migration.py) naming one
RAISED = re.compile(
    r"\b(?:NotFound|PermissionDenied|Conflict|InvalidInput|StorageFull|Unauthenticated"
    r"|ProcessError|ExpressionLimit|Reason)"
    r'\(\s*"([a-z0-9_]+)"'
)
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def test_an_error_has_its_code_key_parameters_and_message():
    error = Conflict("task_claimed", id=5, claimant="ana")
    assert (error.code, error.status, error.key) == ("conflict", 409, "task_claimed")
    assert error.params == {"id": 5, "claimant": "ana"}
    assert error.message == str(error) == "tugas 5 sudah diambil oleh ana"
    assert isinstance(error, EngineError)


def test_a_text_that_is_no_key_is_the_message_itself():
    error = NotFound("Proses X tidak ada.")
    assert (error.key, error.message, error.code) == (None, "Proses X tidak ada.", "not_found")


def test_a_refused_deploy_counts_its_problems():
    error = DeployError(["a", "b"])
    assert (error.key, error.params, error.problems) == ("deploy_refused", {"count": 2}, ["a", "b"])
    assert error.message == "2 masalah; tidak ada yang diterbitkan"


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_every_message_formats_with_its_parameters(key):
    params = {name: f"<{name}>" for name in PLACEHOLDER.findall(MESSAGES[key])}
    text = InvalidInput(key, **params).message
    assert "%(" not in text and all(value in text for value in params.values())


def test_every_key_raised_in_the_code_is_in_the_catalogue():
    raised = {
        key
        for folder in ("engine", "webui")
        for path in (ROOT / folder).rglob("*.py")
        for key in RAISED.findall(path.read_text(encoding="utf-8"))
    }
    assert raised and raised - set(MESSAGES) == set()
    # DeployError, TableError and FormInvalid name their own keys
    assert set(MESSAGES) - raised == {"deploy_refused", "table_refused", "form_invalid"}


@pytest.mark.parametrize("key", sorted(FINDINGS))
def test_every_finding_formats_with_its_parameters(key):
    params = {name: f"<{name}>" for name in PLACEHOLDER.findall(FINDINGS[key])}
    text = finding(key, params)
    assert "%(" not in text and all(value in text for value in params.values())


def test_a_finding_carries_its_key_and_parameters():
    data = sop_path("B").read_bytes().replace(b'id="Langkah_2"', b'id="Langkah_1"', 1)
    problem = next(p for p in validate_bytes(data, "b.bpmn") if p.key == "id_duplicate")
    assert problem.params["id"] == "Langkah_1"
    assert problem.message == finding("id_duplicate", problem.params)
    (unreadable,) = validate_bytes(b"<definitions>\n<oops></definitions>", "m.bpmn")
    assert unreadable.key == "xml_not_well_formed_at" and unreadable.params["column"]
