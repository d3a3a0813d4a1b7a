"""The gateway after each decision step, and its flow per answer, read from the BPMN XML."""

from __future__ import annotations

from engine.bpmn.reader import DecisionGateway, decision_gateways, read_bpmn
from tests.conftest import BPMN_DIR, ROOT


def test_our_files_name_the_gateway_after_the_step():
    xml = (BPMN_DIR / "sop_a.bpmn").read_bytes()
    tasks = {step.element_id: step for step in read_bpmn(xml).steps}
    found = decision_gateways(xml, tasks)
    assert found == {
        "Langkah_11": DecisionGateway("Keputusan_11", {"Ya": "Flow_13", "Tidak": "Flow_14"}),
        "Langkah_12": DecisionGateway("Keputusan_12", {"Ya": "Flow_16", "Tidak": "Flow_17"}),
        "Langkah_13": DecisionGateway("Keputusan_13", {"Ya": "Flow_19", "Tidak": "Flow_20"}),
    }
    assert set(found) == {e for e, step in tasks.items() if step.decision}  # the decision steps


def test_a_modeler_file_with_its_own_ids_and_a_yes_to_the_end():
    xml = (ROOT / "tests" / "data" / "valid" / "simple_lanes.bpmn").read_bytes()
    assert decision_gateways(xml, ["Task_1", "Task_2", "Nowhere"]) == {
        "Task_2": DecisionGateway("Gateway_1", {"Ya": "Flow_4", "Tidak": "Flow_5"})
    }
