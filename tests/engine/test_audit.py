"""The audit trail is append-only in the database itself, whatever the caller does."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from tests.engine.helpers import complete_step, only_task, starter

KEY = "sop_a"


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE events SET actor = 'penyusup' WHERE kind = 'completed'",
        "UPDATE events SET data = '{}'",
        "DELETE FROM events WHERE kind = 'started'",
        "DELETE FROM events",
    ],
)
def test_raw_sql_cannot_change_or_remove_events(alur, statement):
    instance = alur.start(KEY, starter(alur, KEY))
    complete_step(alur, only_task(alur, instance.id))
    before = [(e.id, e.kind, e.actor, e.data) for e in alur.history(instance.id)]

    with pytest.raises(DBAPIError, match="append-only"), alur.db.begin() as connection:
        connection.execute(text(statement))

    assert [(e.id, e.kind, e.actor, e.data) for e in alur.history(instance.id)] == before
    with alur.db.begin() as connection:  # inserting stays possible
        connection.execute(
            text(
                "INSERT INTO events (instance_id, kind, actor, at, data) "
                "VALUES (:i, 'cancelled', 'admin', CURRENT_TIMESTAMP, '{}')"
            ),
            {"i": instance.id},
        )
    assert len(alur.history(instance.id)) == len(before) + 1


def test_the_instance_page_reads_the_two_ends_of_a_long_history(alur):
    instance = alur.start(KEY, (user := starter(alur, KEY)))
    for _ in range(3):
        complete_step(alur, only_task(alur, instance.id))
    every = alur.history(instance.id)
    assert len(every) > 5

    page = alur.instance_page(instance.id, user, window=(2, 3))
    assert page.history_count == len(every)
    assert [e.id for e in page.history] == [e.id for e in every[:2] + every[-3:]]

    whole = alur.instance_page(instance.id, user, window=(len(every), 0))  # no longer: all
    assert [e.id for e in whole.history] == [e.id for e in every]
    assert alur.instance_page(instance.id, user).history == whole.history
