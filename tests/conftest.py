"""Shared fixtures: the repository's SOP diagrams and the hand transcription of their source."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BPMN_DIR = ROOT / "bpmn"
DATA = Path(__file__).resolve().parent / "data"
TRANSCRIPTION_DIR = DATA / "transcription"
SOP_CODES = ["A", "B", "C.1", "C.2", "C.3", "D"]
STEP_COUNTS = {"A": 14, "B": 11, "C.1": 10, "C.2": 11, "C.3": 21, "D": 18}


def sop_path(code: str) -> Path:
    """bpmn/sop_c_1.bpmn for code C.1."""
    return BPMN_DIR / f"sop_{code.lower().replace('.', '_')}.bpmn"


def transcription(code: str) -> dict:
    """The hand transcription of the source PDF text for one procedure."""
    path = TRANSCRIPTION_DIR / f"{code.lower().replace('.', '')}.json"
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture(params=SOP_CODES)
def code(request) -> str:
    return request.param
