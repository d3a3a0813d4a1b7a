"""A process that calls another, run through the JSON API: the called process's task is in its
lane holder's task list with its step there, and completing it carries the caller on."""

from __future__ import annotations

from pathlib import Path

from engine.users import add, create_token

EDITORS = Path(__file__).resolve().parents[2] / "data" / "editors"


def test_a_called_task_through_the_api(api, alur):
    alur.deploy([EDITORS], "admin")
    with alur.session() as s:
        for name, key, lane in [
            ("loket", "permohonan_izin", "Staf Pelayanan"),
            ("verif", "verifikasi_berkas", "Verifikator"),
            ("kadis_izin", "permohonan_izin", "Kepala Dinas"),
        ]:
            user = add(s, name, [alur.roles.role(key, lane)], now=alur.clock())
            api.tokens[name] = create_token(s, user, "tests", alur.clock())
    instance = api.start("permohonan_izin", as_="loket", title="Izin usaha Budi")
    (first,) = instance["open_tasks"]
    status, done = api.post(
        f"/tasks/{first['id']}/complete", "loket", json={"data": {"nama_pemohon": "Budi"}}
    )
    assert status == 200, done
    (called,) = done["next"]
    assert (called["name"], called["lane"], called["step_no"]) == (
        "Memeriksa kelengkapan berkas",
        "Verifikator",
        2,  # the step of the call activity in the caller's SOP
    )
    assert called["called_step_no"] == 1 and called["called_definition_id"]
    assert [t["id"] for t in api.inbox("verif")] == [called["id"]]
    assert api.inbox("loket") == []
    status, done = api.post(
        f"/tasks/{called['id']}/complete", "verif", json={"data": {"lengkap": True}}
    )
    assert status == 200, done
    (last,) = done["next"]
    assert (last["name"], last["step_no"]) == ("Menerbitkan izin", 3)
    status, done = api.post(f"/tasks/{last['id']}/complete", "kadis_izin", json={})
    assert status == 200 and done["finished"], done
