"""The event log for process-mining tools: XES valid against IEEE 1849-2016, one trace per
instance, events in time order, and the flat CSV; from the facade and from `alur export-log`."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from lxml import etree

from engine import eventlog
from engine.alur import Alur
from engine.config import Settings
from engine.errors import NotFound, PermissionDenied
from tests.conftest import ROOT
from tests.engine.helpers import NOBODY, complete_step, holder, only_task, seed, starter

XSD = etree.XMLSchema(etree.parse(str(ROOT / "tests" / "data" / "xes-ieee-1849-2016.xsd")))
T0 = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)  # Tuesday 09:00 in Pontianak


def _two_cases(alur: Alur, clock) -> tuple[int, int]:
    """Case 1 with step 1 claimed at +10 min and done at +40, step 2 open; case 2 untouched."""
    clock.now = T0
    first = alur.start("sop_a", starter(alur, "sop_a"), "Renja 2027").id
    task = only_task(alur, first)
    clock.now = T0 + timedelta(minutes=10)
    alur.claim(task.id, holder(task.role))
    clock.now = T0 + timedelta(minutes=40)
    complete_step(alur, task)
    clock.now = T0 + timedelta(days=1)
    second = alur.start("sop_a", starter(alur, "sop_a"), "Renja 2028").id
    alur.start("sop_b", starter(alur, "sop_b"), "Monev")  # another process: not in the log
    return first, second


def _log(alur: Alur, fmt: str, **period) -> str:
    traces = eventlog.all_traces(lambda after: alur.event_log_page("sop_a", after=after, **period))
    return "".join(eventlog.chunks(fmt, traces, "sop_a"))


def test_xes_is_valid_with_one_trace_per_instance_in_time_order(alur, clock):
    first, second = _two_cases(alur, clock)
    root = etree.fromstring(_log(alur, "xes").encode())
    XSD.assertValid(root)
    assert {e.get("prefix") for e in root.iter("extension")} == {
        "concept", "time", "org", "lifecycle"
    }  # fmt: skip
    assert [c.get("keys") for c in root.iter("classifier")][0] == "concept:name"
    traces = root.findall("trace")
    names = [t.find("string[@key='concept:name']").get("value") for t in traces]
    assert names == [str(first), str(second)]
    assert traces[0].find("int[@key='version']").get("value") == "1"
    events = [{a.get("key"): a.get("value") for a in e} for e in traces[0].findall("event")]
    role = only_task(alur, second).role
    assert [(e["lifecycle:transition"], e["time:timestamp"]) for e in events] == [
        ("start", "2026-12-01T02:10:00.000+00:00"),
        ("complete", "2026-12-01T02:40:00.000+00:00"),
    ]
    assert {e["org:resource"] for e in events} == {holder(role)}
    assert events[0]["concept:name"].startswith("1. ")
    assert traces[1].findall("event") == []  # nothing claimed or done yet


def test_csv_log_and_the_period(alur, clock):
    first, second = _two_cases(alur, clock)
    rows = list(csv.reader(io.StringIO(_log(alur, "csv"))))
    assert rows[0] == eventlog.CSV_COLUMNS
    assert [(r[0], r[4], r[5]) for r in rows[1:]] == [
        (str(first), "start", "1"),
        (str(first), "complete", "1"),
    ]
    later = etree.fromstring(_log(alur, "xes", since=T0 + timedelta(hours=12)).encode())
    names = [t.find("string[@key='concept:name']").get("value") for t in later.iter("trace")]
    assert names == [str(second)]
    assert _log(alur, "csv", until=T0).count("\r\n") == 1


def test_who_may_read_it_and_an_unknown_process(alur):
    with pytest.raises(PermissionDenied):
        alur.event_log_page("sop_a", username=NOBODY)
    with pytest.raises(NotFound):
        alur.event_log_page("no_such_process")


def test_alur_export_log(cli_env, engine_cli, clock):
    alur = Alur(Settings.from_env(), clock)
    seed(alur)
    first, second = _two_cases(alur, clock)
    out = cli_env / "log.xes"
    result = engine_cli(
        "export-log", "sop_a", "--from", "2026-12-01", "--to", "2026-12-01", "-o", out
    )
    assert "1 instans" in result.output
    root = etree.parse(str(out)).getroot()
    XSD.assertValid(root)
    assert len(root.findall("trace")) == 1
    engine_cli("export-log", "sop_a", "-o", cli_env / "log.csv")
    assert (cli_env / "log.csv").read_text(encoding="utf-8").startswith("case_id,activity,")
    engine_cli("export-log", "sop_a", "-o", cli_env / "log.txt", code=2)
    assert "no_such" in engine_cli("export-log", "no_such", "-o", out, code=1).output
