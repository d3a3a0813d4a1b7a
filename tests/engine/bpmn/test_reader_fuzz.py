"""Random mutations of real BPMN files: deploy validation and the reader answer with problems,
never an unhandled exception."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.bpmn.reader import read_bpmn
from engine.definitions import check_sources

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[3]
FILES = [
    ROOT / "tests" / "data" / "valid" / "simple_lanes.bpmn",
    ROOT / "bpmn" / "sop_a.bpmn",
    ROOT / "tests" / "data" / "dmn" / "surat_ttd.bpmn",
]
TOKENS = [b"<", b">", b"/>", b'"', b"&", b"&amp;", b"bpmn:", b"id=", b"${", b"=", b"\x00", b"\xff"]
TOKENS += [b"keputusan_1", b"sourceRef=", b"targetRef=", b"conditionExpression", b"PT0S", b"R/"]


@st.composite
def mutated(draw) -> bytes:
    data = bytearray(FILES[draw(st.integers(0, len(FILES) - 1))].read_bytes())
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(data)))
        kind = draw(st.sampled_from(["insert", "delete", "replace"]))
        piece = draw(st.sampled_from(TOKENS) | st.binary(min_size=1, max_size=8))
        if kind == "insert":
            data[at:at] = piece
        elif kind == "delete":
            del data[at : at + draw(st.integers(1, 40))]
        else:
            data[at : at + len(piece)] = piece
    return bytes(data)


@settings(max_examples=80, deadline=None)
@given(data=mutated())
def test_a_mutated_file_gives_problems_not_exceptions(data):
    problems, _ = check_sources([("fuzz.bpmn", data)])
    assert all(p.file == "fuzz.bpmn" or p.file == "-" for p in problems)
    if not problems:  # what deploy accepts, the reader reads
        read_bpmn(data)
