"""One read transaction for many reads (Alur.one_read): what a page's reads share, and what a
write in the middle of them must not hide."""

from __future__ import annotations

import pytest

from engine.alur import Alur
from engine.errors import NotFound
from tests.engine.helpers import starter
from tests.transactions import transactions


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
