"""Deploy refuses a condition that reads a name nothing sets, naming file, line, element, name."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from engine.bpmn.variables import names_set, unset_names
from engine.cli.validate import validate
from engine.definitions import check_sources
from engine.errors import DeployError

ROOT = Path(__file__).resolve().parents[3]
VALID = ROOT / "tests" / "data" / "valid" / "simple_lanes.bpmn"
SURAT = ROOT / "tests" / "data" / "dmn" / "surat_ttd.bpmn"
PENANDATANGAN = ROOT / "tests" / "data" / "dmn" / "penandatangan.dmn"
CONDITION = 'keputusan_2 == "Ya"'
WAKTU = '<camunda:property name="waktu" value="30 menit" />'


def variant(*edits: tuple[str, str]) -> bytes:
    text = VALID.read_text(encoding="utf-8")
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text.encode()


def condition_line() -> int:
    lines = VALID.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if CONDITION in line)


def unset(data: bytes, name: str = "p.bpmn") -> list:
    problems, _ = check_sources([(name, data)])
    return [p for p in problems if p.key == "name_never_set"]


def test_the_repository_diagrams_and_the_test_processes_read_only_names_they_set():
    files = sorted((ROOT / "bpmn").glob("*.bpmn"))
    assert len(files) == 6
    sources = [(f.name, f.read_bytes()) for f in files]
    assert check_sources(sources)[0] == []
    assert unset(VALID.read_bytes()) == []
    dmn = [(SURAT.name, SURAT.read_bytes()), (PENANDATANGAN.name, PENANDATANGAN.read_bytes())]
    assert check_sources(dmn)[0] == []  # the business rule task's resultVariable 'ttd'


def test_a_condition_reading_an_answer_no_step_gives_is_refused_where_it_is():
    data = variant((CONDITION, 'keputusan_3 == "Ya"'))
    (problem,) = unset(data, "uji.bpmn")
    assert (problem.file, problem.line, problem.element) == ("uji.bpmn", condition_line(), "Flow_4")
    assert problem.params == {"name": "keputusan_3", "hint": "; did you mean 'keputusan_2'?"}
    assert str(problem).startswith(f"uji.bpmn:{condition_line()}: [Flow_4] the condition reads")


@pytest.mark.parametrize(
    "expression",
    ["jumlah > 5", "${jumlah > 5}", "=jumlah > 5", 'keputusan_2 == "Ya" and len(jumlah) > 0'],
)
def test_every_dialect_names_what_it_reads(expression):
    (problem,) = unset(variant((CONDITION, expression)))
    assert problem.params["name"] == "jumlah"


def test_called_functions_and_methods_are_not_data():
    assert unset(variant((CONDITION, 'str(keputusan_2).lower().startswith("y")'))) == []


SETS_JUMLAH = {
    "start data": (
        '<bpmn:process id="Process_1" name="Uji dua lane" isExecutable="true">',
        '<bpmn:process id="Process_1" name="Uji dua lane" isExecutable="true">'
        "<bpmn:extensionElements><camunda:properties>"
        '<camunda:property name="data" value="nomor_surat, jumlah" />'
        "</camunda:properties></bpmn:extensionElements>",
    ),
    "form field": (
        WAKTU,
        WAKTU + "</camunda:properties><camunda:formData>"
        '<camunda:formField id="jumlah" type="long" /></camunda:formData><camunda:properties>',
    ),
}


@pytest.mark.parametrize("source", sorted(SETS_JUMLAH))
def test_a_name_set_by_start_data_or_a_form_field_may_be_read(source):
    data = variant((CONDITION, "jumlah > 5"), SETS_JUMLAH[source])
    assert unset(data) == []
    assert "jumlah" in names_set([etree.fromstring(data)])


def test_a_script_sets_names_and_names_are_pooled_over_the_files_deployed_together():
    reads = etree.fromstring(variant((CONDITION, "jumlah > 5")))
    script = etree.fromstring(
        b'<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"><process id="s">'
        b'<scriptTask id="hitung"><script>total = 2\njumlah = total * 3</script></scriptTask>'
        b"</process></definitions>"
    )
    assert names_set([script]) == {"total", "jumlah"}
    (alone,) = unset_names([("a.bpmn", reads)])
    assert alone.params["name"] == "jumlah"
    assert unset_names([("a.bpmn", reads), ("b.bpmn", script)]) == []


def test_alur_validate_prints_the_unset_name(tmp_path):
    path = tmp_path / "uji.bpmn"
    path.write_bytes(variant((CONDITION, 'status_berkas == "lengkap"')))
    result = CliRunner().invoke(validate, [str(path)])
    assert result.exit_code == 1
    assert f"uji.bpmn:{condition_line()}: [Flow_4] the condition reads 'status_berkas'" in (
        result.stdout
    )


def test_deploy_stores_nothing_when_a_condition_reads_an_unset_name(alur):
    before = len(alur.processes())
    with pytest.raises(DeployError) as refused:
        alur.deploy_sources([("uji.bpmn", variant((CONDITION, "jumlah > 5")))], "analis")
    assert [p.key for p in refused.value.problems] == ["name_never_set"]
    assert len(alur.processes()) == before
