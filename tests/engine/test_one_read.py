"""One read transaction for many reads (Alur.one_read): what a page's reads share, and what a
write in the middle of them must not hide."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import event

from engine.alur import Alur
from engine.errors import NotFound
from tests.engine.helpers import starter
from tests.transactions import statements, transactions


def test_the_reads_inside_share_one_transaction(alur: Alur):
    user = starter(alur, "sop_b")
    with transactions(alur) as apart:
        alur.user(user)
        alur.processes()
        alur.tasks(user)
    with transactions(alur) as together, alur.one_read():
        alur.user(user)
        alur.processes()
        alur.tasks(user)
    assert (apart.write, apart.read) == (0, 3)
    assert (together.write, together.read) == (0, 1)


def test_a_write_inside_ends_the_read_so_the_next_read_sees_it(alur: Alur):
    user = starter(alur, "sop_b")
    with alur.one_read():
        assert alur.user(user).email_digest is False
        alur.set_digest(user, True)
        assert alur.user(user).email_digest is True  # not the copy read before the write


def test_a_failed_read_inside_leaves_the_next_read_working(alur: Alur):
    user = starter(alur, "sop_b")
    with alur.one_read():
        before = alur.user(user)
        with pytest.raises(NotFound):
            alur.instance(987654)
        assert alur.user(user).username == user
    assert before.username == user  # what was read stays readable after the read ends


def test_the_person_is_read_once_inside_and_again_after_a_write(alur: Alur):
    user = starter(alur, "sop_b")
    with alur.one_read():
        with statements(alur) as sent:
            first = alur.person(user)
            assert alur.person(user) is first  # the sign-in check's, the navigation's, ...
        assert len(_reads(sent)) == 1
        alur.update_user(user, "Nama Baru", ["kabid perencanaan"], False, by="admin")
        again = alur.person(user)  # the write ended the read: its person is read anew
        assert again.full_name == "Nama Baru"
        assert again.role_names == {"kabid perencanaan"}
    with statements(alur) as sent:
        alur.person(user)
        alur.person(user)
    assert len(_reads(sent)) == 2  # outside one_read nothing is kept between reads


def test_a_delegation_made_inside_is_seen_by_the_next_read_of_the_person(alur: Alur):
    official, deputy = starter(alur, "sop_b"), "wakil"
    alur.add_user(deputy, ["staf"])
    with alur.one_read():
        assert alur.person(deputy).acting_for == {}
        alur.delegate(official, deputy, alur.clock() + timedelta(days=3), by=official)
        acting = alur.person(deputy).acting_for
    assert set(acting) == alur.person(official).role_names


def _reads(sent: list[str]) -> list[str]:
    return [s for s in sent if s.lstrip().upper().startswith("SELECT")]  # not BEGIN, COMMIT


def test_reads_end_with_commit_so_the_connection_keeps_its_prepared_statements(alur: Alur):
    # psycopg forgets every prepared statement of a connection at each ROLLBACK
    user = starter(alur, "sop_b")
    ended: list[str] = []
    hooks = [("commit", lambda _c: ended.append("commit"))]
    hooks.append(("rollback", lambda _c: ended.append("rollback")))
    for name, fn in hooks:
        event.listen(alur.db, name, fn)
    try:
        with alur.one_read():
            alur.person(user)
            alur.processes()
            alur.set_digest(user, True)  # ends the read
            alur.person(user)
        assert ended == ["commit", "commit", "commit"]  # the read, the write, the read after
        ended.clear()
        with alur.one_read():
            with pytest.raises(NotFound):
                alur.instance(987654)
            alur.person(user)
        assert ended == ["rollback", "commit"]  # a read that failed is rolled back
    finally:
        for name, fn in hooks:
            event.remove(alur.db, name, fn)
