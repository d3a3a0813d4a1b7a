"""A long-running case's instance page: the first and newest events of its history and the
newest rows of its working time, the totals over all of them, links to everything."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from flask import session
from flask_babel import format_date, format_time

from engine.bpmn.writer import write_bpmn
from engine.files import Upload
from engine.inbox import InboxFilter
from engine.runtime.lifecycle import Completion
from engine.sop import Decision, Sop, Step
from tests.webui.conftest import post
from webui import demo
from webui.present import progress, timeline
from webui.templating import when

LOOP = Sop(
    code="UJI.ULANG",
    name="Revisi berulang",
    owner="Uji",
    actors=["Penyusun", "Pemeriksa"],
    steps=[
        Step(1, "Menyusun draf", "Penyusun"),
        Step(2, "Memeriksa draf", "Pemeriksa", decision=Decision("Draf benar?", yes=None, no=1)),
    ],
)
ROUNDS = 25  # 50 completed steps, about 150 events: longer than the page shows of either
ENTRY = re.compile(r'<li class="[^"]*\bevent-([a-z_]+)"')
NOTE = re.compile(r'<p class="note">([^<]*)</p>')
ROW = re.compile(r"<tr class=\"(?:overdue)?\">")


@pytest.fixture
def long_case(alur):
    """An instance of the draft/review loop sent back ROUNDS times, each send-back's note naming
    its round; the second and the last drafts carry a file."""
    alur.deploy_sources([("uji_ulang.bpmn", write_bpmn(LOOP))], "analis")
    alur.add_user("penyusun", LOOP.actors, password=demo.PASSWORD)
    instance = alur.start(LOOP.key, "penyusun", "Draf panjang")
    for i in range(1, ROUNDS + 1):
        (draft,) = alur.tasks(flt=InboxFilter(instance_id=instance.id))
        files = [Upload(f"draf-{i}.txt", b"draf", "text/plain")] if i in (2, ROUNDS) else []
        alur.complete(draft.id, "penyusun", Completion(), files)
        (review,) = alur.tasks(flt=InboxFilter(instance_id=instance.id))
        alur.complete(review.id, "penyusun", Completion(decision="Tidak", note=f"putaran {i}"))
    return instance


def _section(page: str, heading: str) -> str:
    start = page.index(f'id="{heading}"')
    return page[start : page.index("</section>", start)]


def test_a_long_history_shows_its_first_and_newest_events_in_order(login_as, long_case, alur):
    every = alur.history(long_case.id)
    shown = every[: timeline.FIRST] + every[-timeline.NEWEST :]
    hidden = len(every) - len(shown)
    page = login_as("penyusun").get(f"/instances/{long_case.id}").text
    history = _section(page, "timeline-title")

    assert ENTRY.findall(history) == [e.kind for e in shown]
    assert NOTE.findall(history) == [e.data["note"] for e in shown if e.data.get("note")]
    assert history.count('<ol class="timeline"') == 2
    assert f'<ol class="timeline" start="{len(every) - timeline.NEWEST + 1}">' in history
    assert f"{hidden} peristiwa sebelumnya tidak ditampilkan." in history
    assert f'href="/instances/{long_case.id}?riwayat=semua#earlier-events"' in history
    assert f'href="/instances/{long_case.id}/history.csv"' in history


def test_the_hidden_count_in_english(login_as, long_case, alur):
    hidden = len(alur.history(long_case.id)) - timeline.FIRST - timeline.NEWEST
    client = login_as("penyusun")
    post(client, "/language", {"lang": "en"})
    page = client.get(f"/instances/{long_case.id}").text
    assert f"{hidden} earlier events are not shown." in page and "Show the whole history" in page
    assert "earlier steps are not shown; the totals count every step." in page


def test_show_all_renders_every_event(login_as, long_case, alur):
    every = alur.history(long_case.id)
    page = login_as("penyusun").get(f"/instances/{long_case.id}?riwayat=semua").text
    history = _section(page, "timeline-title")
    assert ENTRY.findall(history) == [e.kind for e in every]
    assert NOTE.findall(history) == [f"putaran {i}" for i in range(1, ROUNDS + 1)]
    assert "tidak ditampilkan" not in history and f"Semua {len(every)} peristiwa" in history
    # the link lands on the first event the shorter page left out; one back to that page
    anchored = history.rindex("<li", 0, history.index('id="earlier-events"'))
    assert len(ENTRY.findall(history[:anchored])) == timeline.FIRST
    assert f'href="/instances/{long_case.id}#timeline-title"' in history


def test_file_links_of_the_shown_events(login_as, long_case, alur):
    second, last = alur.files_of(long_case.id)
    link = f'href="/instances/{long_case.id}/files/%s"'
    client = login_as("penyusun")
    page = client.get(f"/instances/{long_case.id}").text
    assert link % last.id in page and "draf-25.txt" in page
    assert link % second.id not in page  # its events lie in the gap
    page = client.get(f"/instances/{long_case.id}?riwayat=semua").text
    assert link % second.id in page and link % last.id in page


def test_working_time_shows_the_newest_rows_and_totals_over_all(login_as, long_case, alur):
    client = login_as("penyusun")
    table = _section(client.get(f"/instances/{long_case.id}").text, "timing-title")
    newest = progress.NEWEST_TIMINGS
    assert len(ROW.findall(table)) == newest
    assert f"{2 * ROUNDS - newest} langkah sebelumnya tidak ditampilkan" in table
    assert f'href="/instances/{long_case.id}?waktu=semua#timing-title"' in table
    # the totals count every step and every send-back, not only the rows shown
    footer = table[table.index("<tfoot>") :]
    assert f"{2 * ROUNDS} langkah, 0 melewati standar" in footer
    assert f"{ROUNDS} kali dikembalikan" in footer
    assert table.count("dikembalikan (Tidak)") == newest // 2

    whole = _section(client.get(f"/instances/{long_case.id}?waktu=semua").text, "timing-title")
    assert len(ROW.findall(whole)) == 2 * ROUNDS and "tidak ditampilkan" not in whole
    assert whole[whole.index("<tfoot>") :] == footer
    csv_lines = client.get(f"/instances/{long_case.id}/timings.csv").text.splitlines()
    assert len(csv_lines) == 1 + 2 * ROUNDS + 1  # header, every step, total


def test_both_choices_and_the_view_are_kept_by_the_links(login_as, long_case):
    page = login_as("penyusun").get(f"/instances/{long_case.id}?view=sop&waktu=semua").text
    assert f"/instances/{long_case.id}?view=sop&amp;riwayat=semua&amp;waktu=semua#" in page
    assert f'href="/instances/{long_case.id}?view=sop#timing-title"' in page
    assert f"/instances/{long_case.id}?view=bpmn&amp;waktu=semua" in page  # the diagram's tabs


def test_a_short_history_is_shown_whole(login_as, started, alur):
    instance = started()
    page = login_as("kabid").get(f"/instances/{instance.id}").text
    history = _section(page, "timeline-title")
    assert ENTRY.findall(history) == [e.kind for e in alur.history(instance.id)]
    assert history.count('<ol class="timeline">') == 1 and "start=" not in history
    assert "list-gap" not in page and "riwayat=semua" not in page and "waktu=semua" not in page


@pytest.mark.parametrize("language", ["id", "en"])
def test_when_reads_as_flask_babel_formats_it(app, language):
    with app.test_request_context():
        session["lang"] = language
        for moment in (
            datetime(2026, 11, 28, 7, 5, tzinfo=UTC),
            datetime(2026, 12, 31, 23, 59),  # naive: UTC, as SQLite gives it back
        ):
            expected = f"{format_date(moment, 'medium')} {format_time(moment, 'short')}"
            assert when(moment) == expected
