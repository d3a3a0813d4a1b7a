"""'Semua proses': fields, filters, paging, who may see it, the CSV downloads, the landing page."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

from engine.overview import InstanceFilter
from tests.webui.conftest import advance_to, open_task

T0 = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)  # Tuesday 09:00 in Pontianak (UTC+7)


def _three(clock, started, alur):
    """Three instances a day apart: A (Renja), B (Monev), A (Pagu) at another role's step."""
    clock.now = T0
    a = started("sop_a", "Renja Dinas Pendidikan 2027")
    clock.now = T0 + timedelta(days=1)
    b = started("sop_b", "Monev 2026")
    clock.now = T0 + timedelta(days=2)
    c = started("sop_a", "Pagu Indikatif 2027")
    first = open_task(alur, c.id).role
    for no in range(2, 10):  # on to the first step of another role
        if advance_to(alur, c.id, no).role != first:
            return a, b, c
    raise AssertionError("every step has the role of step 1")


def test_lines_carry_step_role_version_times_and_overdue(login_as, started, alur, clock):
    a, b, c = _three(clock, started, alur)
    page = login_as("auditor").get("/instances/").text
    assert page.index("Pagu Indikatif 2027") < page.index("Monev 2026") < page.index("Renja")
    assert "Kabid Pemerintahan dan Sosial Budaya" in page and "versi 1" in page
    late = [x.id for x in alur.all_instances("auditor", InstanceFilter()).lines if x.overdue]
    assert page.count('<tr class="overdue">') == len(late)
    clock.now = T0 + timedelta(days=30)
    found = alur.all_instances("auditor", InstanceFilter())
    line = {x.id: x for x in found.lines}[c.id]
    assert line.current[0].step_no > 1 and line.overdue and line.version == 1
    assert line.lead_minutes == 28 * 24 * 60 and line.ended_at is None
    assert 'class="overdue"' in login_as("auditor").get("/instances/").text


def test_filters_narrow_in_the_query(login_as, started, alur, clock):
    a, b, c = _three(clock, started, alur)
    auditor = login_as("auditor")

    def ids(query: str) -> set[int]:
        page = auditor.get("/instances/?" + query).text
        return {i.id for i in (a, b, c) if f'href="/instances/{i.id}"' in page}

    assert ids("q=pagu") == {c.id} and ids("q=2027") == {a.id, c.id}
    assert ids("sop=sop_b") == {b.id} and ids("sop=sop_a&version=1") == {a.id, c.id}
    assert ids("state=completed") == set() and ids("state=running") == {a.id, b.id, c.id}
    assert ids("from=2026-12-02&to=2026-12-02") == {b.id}
    assert ids("from=2026-12-03") == {c.id}
    roles = {i.id: open_task(alur, i.id).role for i in (a, b, c)}
    assert roles[c.id] != roles[a.id]
    assert ids(urlencode({"role": roles[c.id]})) == {c.id}
    assert ids(urlencode({"role": roles[a.id]})) == {i for i in roles if roles[i] == roles[a.id]}
    done_by = alur.task_rows(c.id)[0].completed_by
    assert ids(f"actor={done_by}") >= {c.id}
    assert ids("actor=fungsional.umum") == set()
    clock.now = T0 + timedelta(days=30)
    assert ids("overdue=1") == {a.id, b.id, c.id} and ids("overdue=0") == set()
    assert ids("q=%25") == set()  # a wildcard is searched as a character


def test_pages_are_keyset_bounded(started, alur, clock):
    clock.now = T0
    made = [started("sop_a", f"Renja {n}").id for n in range(5)]
    first = alur.all_instances("auditor", InstanceFilter(limit=2))
    assert [x.id for x in first.lines] == made[:-3:-1] and first.newer is None
    second = alur.all_instances("auditor", InstanceFilter(limit=2, before=first.older))
    assert [x.id for x in second.lines] == [made[2], made[1]]
    last = alur.all_instances("auditor", InstanceFilter(limit=2, before=second.older))
    assert [x.id for x in last.lines] == [made[0]] and last.older is None
    back = alur.all_instances("auditor", InstanceFilter(limit=2, after=last.newer))
    assert back == second
    assert len(alur.all_instances("auditor", InstanceFilter(limit=10**6)).lines) == 5


def test_who_may_see_every_process(login_as, started, alur):
    started()
    for who in ("auditor", "analis", "kabid", "admin"):
        assert login_as(who).get("/instances/").status_code == 200, who
        assert login_as(who).get("/instances/export.csv").status_code == 200, who
    for url in ("/instances/", "/instances/export.csv"):
        assert login_as("fungsional.tertentu").get(url).status_code == 403


def test_auditors_and_analysts_land_on_it_without_inbox_tabs(login_as):
    for who in ("auditor", "analis"):
        client = login_as(who)
        landing = client.get("/")
        assert landing.status_code == 302 and landing.headers["Location"] == "/instances/"
        page = client.get("/instances/").text
        assert 'href="/start/"' not in page and 'href="/mine/"' not in page
    kabid = login_as("kabid")
    assert kabid.get("/").status_code == 200
    assert 'href="/start/"' in kabid.get("/").text


def test_csv_standard_and_indonesian_excel(login_as, started, alur, clock):
    clock.now = T0
    started("sop_a", "=SUM(A1) Renja")
    auditor = login_as("auditor")
    plain = auditor.get("/instances/export.csv").data
    assert plain.startswith(b"id,judul,sop,versi,status,dimulai,")
    assert b"\r\n1,'=SUM(A1) Renja,A,1,Berjalan,2026-12-01 09:00,kabid,,0,\"1. " in plain
    excel = auditor.get("/instances/export.csv?excel=1&state=running").data
    assert excel.startswith(b"\xef\xbb\xbfid;judul;sop;versi;status;")
    assert excel.decode("utf-8-sig").splitlines()[1].split(";")[-1] == "tidak"
    assert auditor.get("/instances/export.csv?state=completed").data.count(b"\r\n") == 1


def test_event_log_downloads_for_the_chosen_sop(login_as, started, alur, clock):
    a, b, c = _three(clock, started, alur)
    auditor = login_as("auditor")
    page = auditor.get("/instances/?sop=sop_a").text
    assert 'href="/instances/eventlog.xes?' in page and "sop=sop_a" in page
    assert "eventlog.xes" not in auditor.get("/instances/").text  # no SOP chosen: no log
    xes = auditor.get("/instances/eventlog.xes?sop=sop_a&from=2026-12-03")
    assert xes.status_code == 200 and xes.headers["Content-Type"].startswith("application/xml")
    assert f'<string key="concept:name" value="{c.id}"/>' in xes.text
    assert f'value="{a.id}"/>\n    <int key="version"' not in xes.text
    log = auditor.get("/instances/eventlog.csv?sop=sop_a").text
    assert log.startswith("case_id,activity,timestamp,resource,lifecycle,version")
    assert auditor.get("/instances/eventlog.xes").status_code == 404
    assert (
        login_as("fungsional.tertentu").get("/instances/eventlog.csv?sop=sop_a").status_code == 403
    )
