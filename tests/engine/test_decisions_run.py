"""Business rule tasks run the DMN decisions deployed beside their process (both databases)."""

from __future__ import annotations

from datetime import date

import pytest
from SpiffWorkflow.util.task import TaskState

from engine import definitions
from engine.errors import DeployError, ProcessError
from engine.inbox import InboxFilter
from engine.storage.tables import Instance
from tests.engine.helpers import ADMIN, ROOT

DMN_DIR = ROOT / "tests" / "data" / "dmn"
KEY = "surat_ttd"
BPMN = (DMN_DIR / "surat_ttd.bpmn").read_bytes()
DMN = (DMN_DIR / "penandatangan.dmn").read_bytes()
LANES = ("Staf Umum", "Kepala Dinas", "Sekretaris", "Kepala Bidang")
# rule 4 (SPJ over 500 million) widened to ">= 500000000": at exactly 500 million rules 3 and 4
# both match, which the table's UNIQUE hit policy forbids
OVERLAPPING = DMN.replace(b"<text>&gt; 500000000</text>", b"<text>&gt;= 500000000</text>")


def user(lane: str) -> str:
    return "u_" + lane.lower().replace(" ", "_")


def deploy(alur, *sources: tuple[str, bytes]):
    return alur.deploy_sources(list(sources), ADMIN)


@pytest.fixture
def surat(alur):
    deploy(alur, ("surat_ttd.bpmn", BPMN), ("penandatangan.dmn", DMN))
    for lane in LANES:
        alur.add_user(user(lane), [alur.roles.role(KEY, lane)])
    return alur


def open_tasks(alur, instance_id: int):
    return alur.tasks(flt=InboxFilter(instance_id=instance_id))


def prepare(alur, data: dict):
    """Start an instance and complete its first step; the decision runs after it."""
    instance = alur.start(KEY, user("Staf Umum"), data=data)
    (first,) = open_tasks(alur, instance.id)
    assert first.lane == "Staf Umum"
    alur.complete(first.id, user("Staf Umum"))
    return instance, first


@pytest.mark.parametrize(
    ("data", "lane", "rule", "result"),
    [
        (
            {"jenis_dokumen": "SPJ", "jumlah": 750_000_000},
            "Kepala Dinas",
            4,
            {"penandatangan": "Kepala Dinas", "paraf": "Sekretaris"},
        ),
        (
            {"jenis_dokumen": "Surat", "jumlah": 0},
            "Sekretaris",
            1,
            {"penandatangan": "Sekretaris", "paraf": None},
        ),
        (
            {"jenis_dokumen": "SPJ", "jumlah": "10000000"},  # a form's text, typed by the column
            "Kepala Bidang",
            2,
            {"penandatangan": "Kepala Bidang", "paraf": "Bendahara"},
        ),
    ],
    ids=["kepala_dinas", "sekretaris", "default_flow"],
)
def test_the_table_chooses_the_path_and_the_audit_names_the_rule(
    surat, make_alur, data, lane, rule, result
):
    instance, _ = prepare(surat, data)
    (signing,) = open_tasks(surat, instance.id)
    assert signing.lane == lane

    (decided,) = [e for e in surat.history(instance.id) if e.kind == "decided"]
    assert decided.data["decision_id"] == "penandatangan"
    assert decided.data["element"] == "Activity_tentukan"
    assert decided.data["matched"] == [rule] and decided.data["rules"] == [rule]
    assert decided.data["variable"] == "ttd" and decided.data["result"] == result
    kinds = [e.kind for e in surat.history(instance.id)]
    assert kinds.index("decided") < len(kinds) - 1 and kinds[-1] == "task_created"

    cold = make_alur()  # another process: nothing cached, the workflow from the database
    cold.complete(signing.id, user(lane))
    assert cold.instance(instance.id).state == "completed"
    assert len([e for e in cold.history(instance.id) if e.kind == "decided"]) == 1


def test_a_cold_engine_runs_the_decision_from_the_stored_dmn(surat, make_alur):
    instance = surat.start(KEY, user("Staf Umum"), data={"jenis_dokumen": "RKPD", "jumlah": 1})
    cold = make_alur()
    (first,) = open_tasks(cold, instance.id)
    cold.complete(first.id, user("Staf Umum"))
    (signing,) = open_tasks(cold, instance.id)
    assert signing.lane == "Kepala Dinas"


def test_the_version_keeps_only_the_dmn_it_uses(surat):
    with surat.session() as s:
        stored = definitions.get(s, KEY)
        assert [(f.filename, len(f.xml)) for f in stored.decision_files] == [
            ("penandatangan.dmn", len(DMN))
        ]
        assert definitions.get(s, "sop_a").decision_files == []
        task = stored.spec["spec"]["task_specs"]["Activity_tentukan"]  # the references, no table
        assert task["typename"] == "DecisionTask"
        assert (task["decision_ref"], task["result_variable"], task["shape"]) == (
            "penandatangan",
            "ttd",
            "singleResult",
        )
        assert not {"decision_table", "dmnEngine"} & task.keys()


def test_an_unknown_decision_is_refused_and_nothing_deployed(surat):
    before = [(d.key, d.version) for d in surat.processes()]
    unknown = BPMN.replace(b'decisionRef="penandatangan"', b'decisionRef="penanda_tangan"')
    with pytest.raises(DeployError) as refused:
        deploy(surat, ("surat_ttd.bpmn", unknown), ("penandatangan.dmn", DMN))
    (problem,) = refused.value.problems
    assert (problem.file, problem.element) == ("surat_ttd.bpmn", "Activity_tentukan")
    assert problem.line == 32 and "'penanda_tangan' is not deployed" in problem.message
    with pytest.raises(DeployError):  # the DMN not given at all
        deploy(surat, ("surat_ttd.bpmn", BPMN))
    assert [(d.key, d.version) for d in surat.processes()] == before


def test_a_broken_dmn_file_is_refused_with_its_line_and_nothing_deployed(surat):
    before = [(d.key, d.version) for d in surat.processes()]
    changed = BPMN.replace(b"Menyiapkan konsep surat", b"Menyiapkan konsep surat dinas")
    broken = DMN.replace(b"<text>&lt; 50000000</text>", b"<text>&lt;&lt; 50000000</text>")
    with pytest.raises(DeployError) as refused:
        deploy(surat, ("surat_ttd.bpmn", changed), ("penandatangan.dmn", broken))
    problems = refused.value.problems
    assert [(p.file, p.line) for p in problems if p.file == "penandatangan.dmn"] == [
        ("penandatangan.dmn", 37)
    ]
    assert [(d.key, d.version) for d in surat.processes()] == before


def test_a_changed_dmn_alone_makes_a_new_version(surat):
    (same,) = deploy(surat, ("surat_ttd.bpmn", BPMN), ("penandatangan.dmn", DMN))
    assert not same.created and same.definition.version == 1
    (changed,) = deploy(surat, ("surat_ttd.bpmn", BPMN), ("penandatangan.dmn", OVERLAPPING))
    assert changed.created and changed.definition.version == 2


def test_two_matching_rules_under_unique_is_a_process_error_and_the_task_stays_open(surat):
    deploy(surat, ("surat_ttd.bpmn", BPMN), ("penandatangan.dmn", OVERLAPPING))
    instance = surat.start(KEY, user("Staf Umum"), data={"jenis_dokumen": "SPJ", "jumlah": 5e8})
    (first,) = open_tasks(surat, instance.id)
    with pytest.raises(ProcessError) as failed:
        surat.complete(first.id, user("Staf Umum"))
    error = failed.value
    assert error.code == "process_error" and error.params["element"] == "Activity_tentukan"
    assert "UNIQUE" in error.message and "rule 3" in error.message and "rule 4" in error.message
    assert surat.task(first.id).state == "open"
    assert not [e for e in surat.history(instance.id) if e.kind == "decided"]


def test_a_folder_deploys_its_dmn_files_too(surat, tmp_path):
    folder = tmp_path / "proses"
    folder.mkdir()
    (folder / "surat_ttd.bpmn").write_bytes(BPMN)
    (folder / "penandatangan.dmn").write_bytes(OVERLAPPING)
    (deployed,) = surat.deploy([folder], ADMIN)
    assert deployed.created and deployed.definition.version == 2


def test_the_cli_validates_and_deploys_a_folder_with_its_dmn(engine_cli, tmp_path):
    folder = tmp_path / "proses"
    folder.mkdir()
    (folder / "surat_ttd.bpmn").write_bytes(BPMN)
    alone = engine_cli("validate", folder / "surat_ttd.bpmn", code=1)
    assert "[Activity_tentukan] decision 'penandatangan' is not deployed" in alone.stdout
    (folder / "penandatangan.dmn").write_bytes(DMN)
    assert engine_cli("validate", folder).stdout == "OK: 2 file(s) valid\n"
    assert engine_cli("deploy", folder).stdout == "surat_ttd: versi 1 (baru)\n"
    (folder / "penandatangan.dmn").write_bytes(OVERLAPPING)
    assert engine_cli("deploy", folder).stdout == "surat_ttd: versi 2 (baru)\n"


def test_a_date_result_is_stored_and_read_back_by_a_cold_engine(surat, make_alur):
    tenggat = (
        (DMN_DIR / "literal.dmn")
        .read_bytes()
        .replace(b'typeRef="number"', b'typeRef="date"')
        .replace(b'if jenis_dokumen = "SPJ" then 5 else 14', b'date("2027-01-31")')
    )
    bpmn = (
        BPMN.replace(b'decisionRef="penandatangan"', b'decisionRef="tenggat_hari"')
        .replace(b'mapDecisionResult="singleResult"', b'mapDecisionResult="singleEntry"')
        .replace(b"${ttd.penandatangan == 'Kepala Dinas'}", b"${false}")
        .replace(b'=ttd.penandatangan = "Sekretaris"', b"=false")
    )
    deploy(surat, ("surat_ttd.bpmn", bpmn), ("tenggat.dmn", tenggat))
    instance, _ = prepare(surat, {"jenis_dokumen": "Surat"})
    (decided,) = [e for e in surat.history(instance.id) if e.kind == "decided"]
    assert decided.data["result"] == "2027-01-31" and decided.data["matched"] == []
    cold = make_alur()
    with cold.session() as s:
        workflow = cold.store.load(s, s.get(Instance, instance.id)).workflow
        (signing,) = workflow.get_tasks(state=TaskState.READY, manual=True)
        assert signing.data["ttd"] == date(2027, 1, 31)


def test_a_decision_in_an_embedded_subprocess_runs_and_is_audited(surat):
    task = BPMN[BPMN.index(b"    <bpmn:businessRuleTask") : BPMN.index(b"</bpmn:businessRuleTask>")]
    inner = task.replace(
        b"<bpmn:incoming>Flow_2</bpmn:incoming>", b"<bpmn:incoming>S1</bpmn:incoming>"
    ).replace(b"<bpmn:outgoing>Flow_3</bpmn:outgoing>", b"<bpmn:outgoing>S2</bpmn:outgoing>")
    sub = b"".join(
        [
            b'<bpmn:subProcess id="Activity_sub" name="Menentukan penandatangan">',
            b"<bpmn:incoming>Flow_2</bpmn:incoming><bpmn:outgoing>Flow_3</bpmn:outgoing>",
            b'<bpmn:startEvent id="Sub_start"><bpmn:outgoing>S1</bpmn:outgoing></bpmn:startEvent>',
            inner,
            b"</bpmn:businessRuleTask>",
            b'<bpmn:endEvent id="Sub_end"><bpmn:incoming>S2</bpmn:incoming></bpmn:endEvent>',
            b'<bpmn:sequenceFlow id="S1" sourceRef="Sub_start" targetRef="Activity_tentukan" />',
            b'<bpmn:sequenceFlow id="S2" sourceRef="Activity_tentukan" targetRef="Sub_end" />',
            b"</bpmn:subProcess>",
        ]
    )
    bpmn = (
        BPMN.replace(task + b"</bpmn:businessRuleTask>", sub)
        .replace(b"<bpmn:flowNodeRef>Activity_tentukan<", b"<bpmn:flowNodeRef>Activity_sub<")
        .replace(
            b'sourceRef="Activity_siapkan" targetRef="Activity_tentukan"',
            b'sourceRef="Activity_siapkan" targetRef="Activity_sub"',
        )
        .replace(
            b'sourceRef="Activity_tentukan" targetRef="Gateway',
            b'sourceRef="Activity_sub" targetRef="Gateway',
        )
    )
    (deployed,) = deploy(surat, ("surat_ttd.bpmn", bpmn), ("penandatangan.dmn", DMN))
    assert deployed.definition.version == 2
    instance, _ = prepare(surat, {"jenis_dokumen": "Renja", "jumlah": 1})
    (signing,) = open_tasks(surat, instance.id)
    assert signing.lane == "Kepala Dinas"
    (decided,) = [e for e in surat.history(instance.id) if e.kind == "decided"]
    assert decided.data["matched"] == [5] and decided.data["element"] == "Activity_tentukan"


def test_one_decision_id_in_two_dmn_files_is_refused(surat):
    with pytest.raises(DeployError) as refused:
        deploy(surat, ("surat_ttd.bpmn", BPMN), ("a.dmn", DMN), ("b.dmn", OVERLAPPING))
    (problem,) = refused.value.problems
    assert (problem.file, problem.element, problem.key) == (
        "b.dmn",
        "penandatangan",
        "decision_id_twice",
    )
    assert problem.message == "the decision id 'penandatangan' is also in a.dmn"


def test_a_dmn_deployed_alone_is_refused_and_nothing_is_stored(alur):
    before = len(alur.processes())
    with pytest.raises(DeployError) as refused:
        deploy(alur, ("penandatangan.dmn", DMN))
    (problem,) = refused.value.problems
    assert (problem.file, problem.key) == ("penandatangan.dmn", "dmn_without_process")
    assert "deployed together with the process that uses it" in problem.message
    assert len(alur.processes()) == before


def test_the_cli_refuses_a_dmn_deployed_alone(engine_cli, tmp_path):
    folder = tmp_path / "keputusan"
    folder.mkdir()
    (folder / "penandatangan.dmn").write_bytes(DMN)
    for named in (folder, folder / "penandatangan.dmn"):
        refused = engine_cli("deploy", named, code=1)
        assert "penandatangan.dmn: a .dmn file is deployed together with the process" in (
            refused.stdout + refused.stderr
        )
    assert engine_cli("processes").stdout.strip() == "belum ada proses"
