"""alur drafts / alur approve: the list of drafts, and the second person's approval (never the
author's own)."""

from __future__ import annotations

import json

import pytest

from engine.alur import Alur
from engine.config import Settings
from tests.conftest import BPMN_DIR
from tests.engine import migration_edits

KEY = "sop_c_1"


@pytest.fixture
def waiting(engine_cli):
    """SOP C.1 deployed, two analysts; ana's draft moves step 6 to another lane and waits."""
    engine_cli("deploy", BPMN_DIR / "sop_c_1.bpmn", "--user", "lead")
    engine_cli("users", "add", "ana", "--role", "analis")
    engine_cli("users", "add", "budi", "--role", "analis")
    engine_cli("users", "add", "tamu", "--role", "tamu")
    alur = Alur(Settings.from_env())
    try:
        draft = alur.draft_from_version(KEY, None, "ana")
        moved = migration_edits.move_to_lane(draft.xml, "Langkah_6", "Fungsional Umum")
        alur.save_draft(draft.id, moved, "ana")
        assert alur.publish_draft(draft.id, "ana", "langkah 6 pindah lajur").awaiting
    finally:
        alur.db.dispose()
    return draft.id


def test_drafts_lists_them_and_approve_publishes(engine_cli, waiting):
    listed = engine_cli("drafts", "--user", "budi").stdout.splitlines()
    assert listed[0].split() == [
        "draf",
        "proses",
        "dasar",
        "penyusun",
        "disimpan",
        "status",
        "catatan",
    ]
    assert listed[1].startswith(f"{waiting}  ") and "menunggu persetujuan" in listed[1]
    assert "langkah 6 pindah lajur" in listed[1] and " ana " in listed[1]

    own = engine_cli("approve", waiting, "--user", "ana", code=1)
    assert "persetujuannya harus dari analis atau admin lain" in own.output
    assert engine_cli("approve", waiting, "--user", "tamu", code=1).output.startswith("Error:")

    done = engine_cli("approve", waiting, "--user", "budi", "--note", "setuju").stdout
    assert done.splitlines()[0] == (
        f"draf {waiting} disetujui oleh budi: {KEY} versi 2 terbit (penyusun ana)"
    )
    assert "Fungsional Tertentu" in done and "Fungsional Umum" in done
    (row,) = json.loads(engine_cli("drafts", "--user", "ana", "--json").stdout)
    assert (row["state"], row["approver"], row["published_version"]) == ("published", "budi", 2)
    assert (
        engine_cli("drafts", "--user", "ana", "--state", "draft").stdout.strip() == "tidak ada draf"
    )
    assert engine_cli("approve", waiting, "--user", "budi", code=1).output.startswith("Error:")


def test_a_deploy_that_changes_a_performer_names_the_version_waiting(engine_cli, tmp_path):
    engine_cli("deploy", BPMN_DIR / "sop_c_1.bpmn", "--user", "lead")
    engine_cli("users", "add", "ana", "--role", "analis")
    engine_cli("users", "add", "budi", "--role", "analis")
    path = tmp_path / "sop_c_1.bpmn"
    xml = (BPMN_DIR / "sop_c_1.bpmn").read_bytes()
    path.write_bytes(xml.replace(b'name="Kepala Badan"', b'name="Analis"', 1))

    out = engine_cli("deploy", path, "--user", "ana", "--note", "lajur baru").stdout.splitlines()
    assert out[0].startswith(f"{KEY}: versi 2 menunggu persetujuan (draf ")
    assert out[0].endswith("instans baru tetap memakai versi 1")
    assert any("Kepala Badan" in line and "Analis" in line for line in out[1:-1])
    assert out[-1].endswith(f"alur approve {KEY} --version 2 --user NAMA")
    assert "bukan ana" in out[-1]
    listed = json.loads(engine_cli("processes", "--json").stdout)
    assert [p["version"] for p in listed if p["key"] == KEY] == [1]

    own = engine_cli("approve", KEY, "--version", "2", "--user", "ana", code=1)
    assert "Anda sendiri yang men-deploy" in own.output
    missing = engine_cli("approve", KEY, "--version", "3", "--user", "budi", code=1)
    assert "tidak ada sop_c_1 versi 3 yang menunggu persetujuan" in missing.output
    done = engine_cli("approve", KEY, "--version", "2", "--user", "budi").stdout
    assert f"disetujui oleh budi: {KEY} versi 2 terbit (penyusun ana)" in done
    listed = json.loads(engine_cli("processes", "--json").stdout)
    assert sorted(p["version"] for p in listed if p["key"] == KEY) == [1, 2]
