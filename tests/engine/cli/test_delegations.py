"""`alur delegate`, `alur away`, `alur delegations [revoke]`: acting officials from the shell."""

from __future__ import annotations

import json
from datetime import date, timedelta

from tests.engine.cli.test_commands import office  # noqa: F401  (the fixture)


def test_delegate_list_and_revoke(office):  # noqa: F811
    until = (date.today() + timedelta(days=7)).isoformat()
    made = office("delegate", "kaban", "--to", "kabid", "--until", until).stdout
    assert made.startswith("pelimpahan 1: kabid Plh. kepala badan a.n. kaban, ")
    assert made.rstrip().endswith(f"s.d. {(date.today() + timedelta(days=8)):%d-%m-%Y} 00:00")
    [row] = json.loads(office("delegations", "--json").stdout)
    assert (row["from_user"], row["to_user"], row["role"], row["title"]) == (
        "kaban", "kabid", "kepala badan", "Plh",
    )  # fmt: skip
    assert row["in_force"] is True and row["from_name"] == "Kaban"
    table = office("delegations").stdout.splitlines()
    assert table[0].split() == ["ID", "PEJABAT", "PELAKSANA", "PERAN", "MULAI", "SAMPAI", "BERLAKU"]
    assert "Plh. kabid" in table[1] and table[1].rstrip().endswith("ya")

    refused = office("delegations", "revoke", "1", "--by", "jft", code=1)
    assert "hanya pejabat, pelaksananya atau admin" in refused.stderr
    assert office("delegations", "revoke", "1", "--by", "kaban").stdout.strip() == (
        "pelimpahan 1 diakhiri"
    )
    assert office("delegations").stdout.strip() == "tidak ada pelimpahan"


def test_delegate_refuses_what_the_official_may_not_hand_over(office):  # noqa: F811
    until = (date.today() + timedelta(days=7)).isoformat()
    refused = office("delegate", "jft", "--to", "jfu", "--role", "Kepala Badan", "--until", until,
                     code=1)  # fmt: skip
    assert "jft tidak memegang peran 'kepala badan'" in refused.stderr
    refused = office("delegate", "kaban", "--to", "jfu", "--until", until, "--by", "jft", code=1)
    assert "hanya kaban sendiri atau admin" in refused.stderr
    past = (date.today() - timedelta(days=2)).isoformat()
    assert "belum lewat" in office("delegate", "kaban", "--to", "jfu", "--until", past,
                                   code=1).stderr  # fmt: skip
    far = (date.today() + timedelta(days=400)).isoformat()
    assert "paling lama 366 hari" in office("delegate", "kaban", "--to", "jfu", "--until", far,
                                            code=1).stderr  # fmt: skip
    assert "bukan tanggal" in office("delegate", "kaban", "--to", "jfu", "--until", "besok",
                                     code=2).stderr  # fmt: skip
    assert office("delegations").stdout.strip() == "tidak ada pelimpahan"


def test_away_and_an_upcoming_delegation_are_listed(office):  # noqa: F811
    start = date.today() + timedelta(days=3)
    until = (start + timedelta(days=2)).isoformat()
    office("away", "jfu", "--until", until)
    office("delegate", "kaban", "--to", "kabid", "--from", start.isoformat(), "--until", until)
    rows = json.loads(office("delegations", "--json").stdout)
    assert [(r["from_user"], r["to_user"], r["in_force"]) for r in rows] == [
        ("jfu", None, True),
        ("kaban", "kabid", False),
    ]
    mine = json.loads(office("delegations", "--user", "kabid", "--json").stdout)
    assert [r["from_user"] for r in mine] == ["kaban"]
