"""An instance's human tasks as the flowchart overlay: plain rows, then a real engine and `alur`."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner

from engine.alur import Alur
from engine.bpmn.reader import read_bpmn
from engine.config import Settings
from engine.inbox import InboxFilter
from engine.runtime.lifecycle import Completion
from exporters.cli.chart import chart as chart_command
from exporters.cli.document import document as document_command
from exporters.flowchart import render_flowchart
from exporters.progress import STATE_STYLE, StepState, latest_tasks, overlay_from_rows
from tests.conftest import BPMN_DIR, sop_path
from tests.exporters.flowchart.test_svg import Chart

PONTIANAK = ZoneInfo("Asia/Pontianak")  # UTC+7
NOW = datetime(2024, 3, 14, 9, 0, tzinfo=UTC)


def row(id, step_no, state, **more) -> dict:
    return {"id": id, "step_no": step_no, "state": state} | more


# --- plain data ---------------------------------------------------------------------------
def test_completed_open_and_overdue_steps():
    rows = [
        row(1, 1, "completed", completed_by="rina", completed_at=datetime(2024, 3, 12, 3, 0)),
        row(2, 2, "open", due_at=NOW + timedelta(hours=1), late=False),
        row(3, 3, "open", due_at=NOW - timedelta(minutes=1), late=True),
        row(4, 4, "open", due_at=None),
        row(5, None, "open"),  # a task that is no SOP step
    ]
    overlay = overlay_from_rows(rows, {"rina": "Rina Marlina"}, PONTIANAK, "Instans #7")
    assert overlay.title == "Instans #7"
    assert set(overlay.steps) == {1, 2, 3, 4}
    done = overlay.mark(1)
    assert (done.state, done.actor, done.date) == (
        StepState.DONE,
        "Rina Marlina",
        date(2024, 3, 12),
    )
    assert overlay.mark(2).state is StepState.CURRENT
    assert overlay.mark(3).state is StepState.OVERDUE
    assert overlay.mark(4).state is StepState.CURRENT  # no due time: never late


def test_the_date_is_the_office_day_and_unknown_users_keep_their_username():
    late_evening = datetime(2024, 3, 12, 18, 30, tzinfo=UTC)  # 01:30 on the 13th in Pontianak
    overlay = overlay_from_rows(
        [row(1, 1, "completed", completed_by="budi", completed_at=late_evening)], {}, PONTIANAK
    )
    assert overlay.mark(1).date == date(2024, 3, 13)
    assert overlay.mark(1).actor == "budi"
    assert overlay.mark(1).note() == ["budi", "13-03-2024"]


def test_the_latest_task_of_a_step_decides():
    rows = [
        row(1, 2, "completed", completed_by="a", completed_at=NOW),
        row(4, 2, "open", due_at=None),  # sent back: step 2 runs again
        row(2, 3, "completed", completed_by="b", completed_at=NOW),
        row(3, 5, "open", due_at=None),
        row(6, 5, "cancelled"),  # the instance was cancelled while step 5 was open
    ]
    overlay = overlay_from_rows(reversed(rows), {}, UTC)  # ids decide, not the order
    assert overlay.mark(2).state is StepState.CURRENT
    assert overlay.mark(3).state is StepState.DONE
    assert overlay.mark(5) is None
    assert {no: r["id"] for no, r in latest_tasks(rows).items()} == {2: 4, 3: 2, 5: 6}


def test_rows_may_be_objects_with_attributes():
    class Task:
        id, step_no, state, late = 1, 4, "open", True
        completed_by = completed_at = None

    assert overlay_from_rows([Task()], {}, UTC).mark(4).state is StepState.OVERDUE


# --- a real engine, end to end ------------------------------------------------------------
FILL = {state: style[0] for state, style in STATE_STYLE.items()}


@pytest.fixture
def engine_env(tmp_path, monkeypatch) -> Alur:
    """A fresh SQLite engine with bpmn/ deployed and one user per lane role (a full name each);
    the environment points `alur` at it."""
    url = f"sqlite:///{tmp_path / 'alur.sqlite3'}"
    monkeypatch.setenv("ALUR_DATABASE_URL", url)
    monkeypatch.setenv("ALUR_UPLOAD_DIR", str(tmp_path / "files"))
    for name in ("ALUR_USER", "ALUR_ROLE_MAP", "ALUR_CALENDAR"):
        monkeypatch.delenv(name, raising=False)
    alur = Alur(Settings.from_env())
    alur.upgrade()
    alur.deploy([BPMN_DIR], "analis")
    definition = alur.definition("sop_a")
    for number, actor in enumerate(definition.sop["actors"], start=1):
        role = alur.roles.role("sop_a", actor)
        alur.add_user(f"staf{number}", [role], full_name=f"Pegawai {number} {actor}")
    yield alur
    alur.db.dispose()


def _holder(alur: Alur, step_no: int) -> str:
    actors = alur.definition("sop_a").sop["actors"]
    step = next(s for s in alur.definition("sop_a").sop["steps"] if s["no"] == step_no)
    return f"staf{actors.index(step['actor']) + 1}"


def _complete_steps(alur: Alur, instance_id: int, count: int) -> list[int]:
    """Complete the open tasks one by one (answering Ya), `count` times; the steps done."""
    done = []
    for _ in range(count):
        task = alur.tasks(flt=InboxFilter(instance_id=instance_id))[0]
        step = next(s for s in alur.definition("sop_a").sop["steps"] if s["no"] == task.step_no)
        answer = Completion(decision="Ya" if step["decision"] else None)
        alur.complete(task.id, _holder(alur, task.step_no), answer)
        done.append(task.step_no)
    return done


def test_alur_chart_colours_an_instance(engine_env: Alur, tmp_path: Path):
    alur = engine_env
    instance = alur.start("sop_a", _holder(alur, 1), title="Asistensi Renja 2027")
    done = _complete_steps(alur, instance.id, 3)
    open_steps = {t.step_no for t in alur.tasks(flt=InboxFilter(instance_id=instance.id))}
    assert done and open_steps and not set(done) & open_steps
    history = alur.task_history(instance.id)
    assert [t.state for t in history].count("completed") == 3
    assert [t.id for t in history] == sorted(t.id for t in history)

    runner = CliRunner()
    for args in ([], [str(sop_path("A"))]):  # FILE may be left out, or name the same process
        out = tmp_path / "instans.svg"
        result = runner.invoke(chart_command, [*args, "-o", str(out), "--instance", instance.id])
        assert result.exit_code == 0, result.output
        chart = Chart(out.read_bytes())
        sop = alur.definition("sop_a").sop
        for step in sop["steps"]:
            fill = chart.by_id(f"step-{step['no']}").fill
            if step["no"] in done:
                assert fill == FILL[StepState.DONE], step["no"]
            elif step["no"] in open_steps:
                assert fill == FILL[StepState.CURRENT], step["no"]
            else:
                assert fill == "white", step["no"]
        notes = " ".join(t.content for n in chart.with_class("note") for t in n.texts)
        for task in (t for t in history if t.state == "completed"):
            assert f"Pegawai {task.completed_by[4:]}" in notes  # the full name, not the username
            day = task.completed_at.astimezone(PONTIANAK)  # the default office time zone
            assert day.strftime("%d-%m-%Y") in notes
        legend = {t.content for n in chart.with_class("legend") for t in n.texts}
        assert f"Instans #{instance.id}: Asistensi Renja 2027" in legend


def test_alur_document_draws_the_instance_too(engine_env: Alur, tmp_path: Path):
    alur = engine_env
    instance = alur.start("sop_a", _holder(alur, 1))
    done = _complete_steps(alur, instance.id, 1)
    out = tmp_path / "instans.html"
    result = CliRunner().invoke(document_command, ["-o", str(out), "--instance", instance.id])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert "PEMERINTAH KABUPATEN KETAPANG" in text and f"Instans #{instance.id}" in text
    assert FILL[StepState.DONE] in text and FILL[StepState.CURRENT] in text
    assert done == [1]


def test_alur_chart_refuses_an_unknown_instance_and_another_process(engine_env, tmp_path):
    runner = CliRunner()
    out = tmp_path / "x.svg"
    missing = runner.invoke(chart_command, ["-o", str(out), "--instance", "999"])
    assert missing.exit_code == 1 and "instans 999 tidak ada" in missing.output
    instance = engine_env.start("sop_a", _holder(engine_env, 1))
    other = runner.invoke(
        chart_command, [str(sop_path("B")), "-o", str(out), "--instance", instance.id]
    )
    assert other.exit_code == 1 and "sop_b" in other.output and "sop_a" in other.output
    neither = runner.invoke(chart_command, ["-o", str(out)])
    assert neither.exit_code == 2 and "--instance" in neither.output
    assert not out.exists()


def test_alur_chart_on_a_database_not_set_up(tmp_path, monkeypatch):
    monkeypatch.setenv("ALUR_DATABASE_URL", f"sqlite:///{tmp_path / 'kosong.sqlite3'}")
    result = CliRunner().invoke(chart_command, ["-o", str(tmp_path / "x.svg"), "--instance", "1"])
    assert result.exit_code == 1 and "alur db upgrade" in result.output


# --- a step done late keeps its lateness -------------------------------------------------
def test_a_step_done_past_its_standard_is_late_with_the_minutes_over():
    done = datetime(2024, 3, 12, 3, 0)
    rows = [
        row(1, 1, "completed", completed_by="rina", completed_at=done, working_minutes=95),
        row(2, 2, "completed", completed_by="budi", completed_at=done, working_minutes=60),
        row(3, 3, "completed", completed_by="budi", completed_at=done, working_minutes=500),
    ]
    overlay = overlay_from_rows(rows, {}, PONTIANAK, standards={1: 60, 2: 60, 3: None})
    assert overlay.mark(1).state is StepState.LATE and overlay.mark(1).over == 35
    assert overlay.mark(1).note() == ["rina", "12-03-2024", "terlambat 35 mnt"]
    assert overlay.mark(2).state is StepState.DONE and overlay.mark(2).over is None  # at it
    assert overlay.mark(3).state is StepState.DONE  # no standard: nothing to be late against


def test_the_svg_marks_the_late_step_dashed_and_labelled_and_the_legend_says_so():
    sop = read_bpmn(sop_path("A"))
    done = datetime(2024, 3, 12, 3, 0)
    rows = [
        row(1, 1, "completed", completed_by="rina", completed_at=done, working_minutes=95),
        row(2, 2, "completed", completed_by="budi", completed_at=done, working_minutes=30),
    ]
    overlay = overlay_from_rows(rows, {}, PONTIANAK, "Instans #7", {1: 60, 2: 60})
    chart = Chart(render_flowchart(sop, "svg", overlay))
    late, on_time = chart.by_id("step-1"), chart.by_id("step-2")
    assert "state-late" in late.classes and "state-late" not in on_time.classes
    assert "state-done" in on_time.classes
    assert late.dashed and not on_time.dashed
    notes = " ".join(t.content for n in chart.with_class("note") for t in n.texts)
    assert "terlambat 35 mnt" in notes and notes.count("terlambat") == 1
    legend = {t.content for n in chart.with_class("legend") for t in n.texts}
    assert "Selesai terlambat (garis putus, \u2713)" in legend
    assert late.text == on_time.text == "\u2713"  # the sign: done, on time or late


def test_a_step_done_by_an_acting_official_names_both():
    acting = {"user": "budi", "name": "budi", "role": "Kepala Badan", "title": "Plh"}
    row = {
        "id": 4, "step_no": 11, "state": "completed", "completed_by": "sari",
        "completed_at": datetime(2026, 6, 2, 3, 0, tzinfo=UTC), "data": {"acting_for": acting},
    }  # fmt: skip
    names = {"sari": "Sari Dewi", "budi": "Budi Santoso"}
    overlay = overlay_from_rows([row], names, PONTIANAK)
    assert overlay.steps[11].note()[0] == "Sari Dewi (Plh. Kepala Badan, a.n. Budi Santoso)"
