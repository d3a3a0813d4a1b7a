"""Every bpmn/ diagram loads in bpmn-moddle (bpmn-js) with no warning and survives its save."""

from __future__ import annotations

import functools
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from engine.sop import sop_to_dict

ROOT = Path(__file__).resolve().parents[3]
SCRIPT = Path(__file__).resolve().parent / "moddle_roundtrip.mjs"
NODE_PACKAGES = ("bpmn-moddle", "camunda-bpmn-moddle")
BPMN_FILES = sorted((ROOT / "bpmn").glob("*.bpmn"))
EXPECTED_SOPS = 6  # the six procedures of BAPPEDA Kabupaten Ketapang


@functools.cache
def moddle_results() -> dict[str, dict]:
    """Run the node script once over all bpmn/ files: file name -> its JSON result."""
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is not installed: run `make setup`")
    missing = [p for p in NODE_PACKAGES if not (ROOT / "node_modules" / p).is_dir()]
    if missing:
        pytest.fail(f"node_modules lacks {', '.join(missing)}: run `make setup`")
    proc = subprocess.run(
        [node, str(SCRIPT), *map(str, BPMN_FILES)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    if proc.returncode != 0:
        pytest.fail(f"{SCRIPT.name} exited {proc.returncode}:\n{proc.stderr}")
    results = [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]
    return {Path(r["file"]).name: r for r in results}


def test_bpmn_folder_holds_every_sop():
    assert len(BPMN_FILES) >= EXPECTED_SOPS, f"bpmn/ holds {[p.name for p in BPMN_FILES]}"


@pytest.mark.parametrize("path", BPMN_FILES, ids=lambda p: p.name)
def test_loads_without_warnings(path: Path):
    result = moddle_results()[path.name]
    assert result["error"] is None, result["error"]
    assert not result["warnings"], "\n".join(result["warnings"])


@pytest.mark.parametrize("path", BPMN_FILES, ids=lambda p: p.name)
def test_sop_model_survives_roundtrip(path: Path):
    from engine.bpmn.reader import read_bpmn

    result = moddle_results()[path.name]
    assert result["error"] is None, result["error"]
    saved = result["roundtrip_xml"].encode("utf-8")
    assert sop_to_dict(read_bpmn(saved)) == sop_to_dict(read_bpmn(path.read_bytes()))
