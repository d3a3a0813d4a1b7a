"""The BPMN MIWG reference models (tests/data/miwg, as other tools save them): each file deploys
and runs, or is refused with its file, line, element and what to change."""

from __future__ import annotations

import pytest

from engine.definitions import check_sources
from engine.inbox import InboxFilter
from engine.runtime.lifecycle import Completion
from tests.engine.helpers import ADMIN, ROOT

MIWG = ROOT / "tests" / "data" / "miwg"
NOT_EXECUTABLE = "mark the pool that should run as executable"
SUBPROCESS_START = "draw one start event inside the subprocess"


def source(name: str, executable: bool = False) -> tuple[str, bytes]:
    """A MIWG file as saved, or with its first process marked executable."""
    data = (MIWG / name).read_bytes()
    if executable:
        data = data.replace(b'isExecutable="false"', b'isExecutable="true"', 1)
    return name, data


# (file, first process marked executable) -> what deploying it says: (line, element, words)
NEVER_SET = "the condition reads '%s', which nothing sets"  # the names check (variables.py)
NO_LANES = "no lanes: a task goes to the role its lane names; draw a lane per Pelaksana role"
REFUSED = {
    ("A.1.0.bpmn", False): [(2, None, NOT_EXECUTABLE)],
    ("A.2.0.bpmn", False): [(2, None, NOT_EXECUTABLE)],
    ("A.3.0.bpmn", False): [(2, None, NOT_EXECUTABLE)],
    ("A.4.0.bpmn", False): [(2, None, NOT_EXECUTABLE)],
    ("B.2.0.bpmn", False): [(2, None, NOT_EXECUTABLE)],  # its data stores: no complaint
    ("C.1.0.bpmn", False): [
        (88, "sid-744AEFB3-C93D-46A3-8976-EFA91784A51F", "lane has no name"),
        (616, "invoiceApproved", NEVER_SET % "approved"),
        (626, "invoiceNotApproved", NEVER_SET % "approved"),
        (636, "reviewSuccessful", NEVER_SET % "clarified"),
        (646, "reviewNotSuccessful", NEVER_SET % "clarified"),
    ],
    ("C.3.0.bpmn", False): [
        (244, "_cd6f230f-13c3-4027-aa3e-57de601a1ab2", SUBPROCESS_START),
        (336, "_be893987-caec-4605-b078-bd96b7cd6c12", "condition refused"),
        (4, "_8170787a-3207-434d-9bea-4787059f444f", NO_LANES),
    ],
    ("C.9.1.bpmn", False): [(11, "requestDocument_en", NO_LANES)],
    ("A.1.0.bpmn", True): [(3, "WFP-6-", NO_LANES)],
    ("A.2.0.bpmn", True): [
        (40, "_f1478fb7-98c4-4c01-8c15-68bd04c91535", "or make it the gateway's default flow"),
        (3, "WFP-6-", NO_LANES),
    ],
    ("A.3.0.bpmn", True): [
        (11, "_1ae31d1b-2559-4f78-a3ec-47986a49db48", SUBPROCESS_START),
        (3, "WFP-6-", NO_LANES),
    ],
    ("A.4.0.bpmn", True): [(3, "WFP-6-1", NO_LANES)],
    ("B.2.0.bpmn", True): [
        (15, "_c57a5344-213f-4834-a6c3-94ce878b413c", "set Loop cardinality or Collection"),
        (5, "Process_ba16239e-181e-4b9f-bc5b-0bb2ee973450", NO_LANES),
    ],
    ("C.1.0.bpmn", True): [
        (88, "sid-744AEFB3-C93D-46A3-8976-EFA91784A51F", "lane has no name"),
        (252, "sid-0E349B8B-14A7-4565-988A-38F3A9B624D2", "write the timer as ISO 8601"),
        (616, "invoiceApproved", NEVER_SET % "approved"),
        (626, "invoiceNotApproved", NEVER_SET % "approved"),
        (636, "reviewSuccessful", NEVER_SET % "clarified"),
        (646, "reviewNotSuccessful", NEVER_SET % "clarified"),
    ],
}


def test_every_miwg_file_is_in_the_table():
    named = {name for name, _executable in REFUSED}
    assert named == {p.name for p in MIWG.glob("*.bpmn")}


@pytest.mark.parametrize(("name", "executable"), sorted(REFUSED))
def test_a_refused_miwg_file_says_where_and_what_to_do(name, executable):
    problems, _decisions = check_sources([source(name, executable)])
    found = [(p.file, p.line, p.element) for p in problems]
    expected = [(name, line, element) for line, element, _ in REFUSED[name, executable]]
    assert found == expected, [str(p) for p in problems]
    for problem, (_line, _element, words) in zip(problems, REFUSED[name, executable], strict=True):
        assert words in problem.message


FORM = (ROOT / "tests" / "data" / "forms" / "pengadaan.bpmn").read_bytes()


def test_a_data_store_and_its_associations_deploy_and_the_process_runs(alur):
    """As B.2.0 draws them: a data store, its reference, a task reading and writing it."""
    drawn = (
        FORM.replace(
            b"<bpmn:collaboration",
            b'<bpmn:dataStore id="DataStore_arsip" name="Arsip surat" />\n  <bpmn:collaboration',
        )
        .replace(
            b"<bpmn:incoming>Flow_1</bpmn:incoming>\n      <bpmn:outgoing>Flow_2</bpmn:outgoing>",
            b"<bpmn:incoming>Flow_1</bpmn:incoming>\n      <bpmn:outgoing>Flow_2</bpmn:outgoing>\n"
            b'      <bpmn:property id="Property_1" name="__targetRef_placeholder" />\n'
            b'      <bpmn:dataInputAssociation id="In_1"><bpmn:sourceRef>Ref_arsip</bpmn:sourceRef>'
            b"<bpmn:targetRef>Property_1</bpmn:targetRef></bpmn:dataInputAssociation>\n"
            b'      <bpmn:dataOutputAssociation id="Out_1">'
            b"<bpmn:targetRef>Ref_arsip</bpmn:targetRef>"
            b"</bpmn:dataOutputAssociation>",
        )
        .replace(
            b'<bpmn:endEvent id="Event_selesai"',
            b'<bpmn:dataStoreReference id="Ref_arsip" name="Arsip" '
            b'dataStoreRef="DataStore_arsip" />'
            b'\n    <bpmn:endEvent id="Event_selesai"',
        )
    )
    assert drawn.count(b"Ref_arsip") == 3
    problems, _decisions = check_sources([("pengadaan.bpmn", drawn)])
    assert problems == [], [str(p) for p in problems]
    (deployed,) = alur.deploy_sources([("pengadaan.bpmn", drawn)], ADMIN)
    assert deployed.definition.xml == drawn  # kept as drawn
    alur.add_user("staf", [alur.roles.role("pengadaan", "Staf Umum")])
    instance = alur.start("pengadaan", "staf")
    (task,) = alur.tasks(flt=InboxFilter(instance_id=instance.id))
    values = {"nama_barang": "Map", "amount": 10}
    alur.complete(task.id, "staf", Completion(data=values))
    assert alur.instance(instance.id).state == "completed"
