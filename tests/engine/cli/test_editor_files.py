"""Files as Camunda Modeler 5 saves them, through the CLI: `alur deploy` of the folder (five
processes from four files), then a Camunda 8 collaboration run to its end with `alur start`,
`alur tasks` and `alur complete`, its decision table and call activity choosing the path."""

from __future__ import annotations

import json

from tests.conftest import DATA

EDITORS = DATA / "editors"


def test_the_camunda_8_collaboration_runs_through_the_cli(engine_cli, tmp_path):
    deployed = engine_cli("deploy", EDITORS, "--user", "analis").stdout
    for key in ("disposisi_surat", "pengajuan_cuti", "permohonan_izin", "surat_masuk"):
        assert f"{key}: versi 1 (baru)" in deployed
    engine_cli("users", "add", "sekre", "--role", "Sekretariat")
    engine_cli("users", "add", "kaban", "--role", "Kepala Badan")
    started = engine_cli(
        "start", "surat_masuk", "--user", "sekre", "--data", '{"asal_surat": "DPRD"}', "--json"
    )
    instance = json.loads(started.stdout)
    seen = []
    for _round in range(5):
        tasks = json.loads(engine_cli("tasks", "--instance", instance["id"], "--json").stdout)
        if not tasks:
            break
        (task,) = tasks
        seen.append((task["name"], task["lane"]))
        who = "kaban" if task["lane"] == "Kepala Badan" else "sekre"
        engine_cli("complete", task["id"], "--user", who)
    assert seen == [
        ("Mencatat surat masuk", "Sekretariat"),
        ("Memberi disposisi", "Kepala Badan"),  # the call DPRD's letter takes
        ("Mengarsipkan surat", "Sekretariat"),
    ]
    (row,) = json.loads(engine_cli("instances", "--process", "surat_masuk", "--json").stdout)
    assert (row["id"], row["state"]) == (instance["id"], "completed")
    drawn = tmp_path / "surat_masuk.dot"
    engine_cli("lanes", EDITORS / "surat_masuk.bpmn", "-o", drawn)
    dot = drawn.read_text(encoding="utf-8")
    for pool in ("Pengirim surat", "Surat masuk", "Disposisi surat"):
        assert pool in dot
    assert "dashed" in dot  # the message flow between the pools
