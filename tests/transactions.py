"""Counting the database transactions a request opens, write and read-only apart."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import event

from engine.alur import Alur


@dataclass
class Begun:
    write: int = 0
    read: int = 0


@contextmanager
def transactions(alur: Alur) -> Iterator[Begun]:
    """Within: every transaction begun on alur's database, counted by kind."""
    begun = Begun()

    def count(connection) -> None:
        if connection.get_execution_options().get("read_only"):
            begun.read += 1
        else:
            begun.write += 1

    event.listen(alur.db, "begin", count)
    try:
        yield begun
    finally:
        event.remove(alur.db, "begin", count)


@contextmanager
def statements(alur: Alur) -> Iterator[list[str]]:
    """Within: the text of every statement sent to alur's database, in order."""
    sent: list[str] = []

    def record(_conn, _cursor, statement, *_args) -> None:
        sent.append(statement)

    event.listen(alur.db, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        event.remove(alur.db, "before_cursor_execute", record)
