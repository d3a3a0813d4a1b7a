"""Spawned processes that meet at a barrier before each call, so the calls of a test overlap."""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator
from contextlib import contextmanager
from multiprocessing.pool import Pool
from multiprocessing.synchronize import Barrier

_barrier: Barrier | None = None


def _init(barrier: Barrier) -> None:
    global _barrier
    _barrier = barrier


def meet() -> None:
    """In a pool process: wait until every process of the pool has come here too (60 s at most)."""
    _barrier.wait(timeout=60)


@contextmanager
def barrier_pool(size: int) -> Iterator[Pool]:
    """size spawned processes sharing one barrier (see meet); terminated at the end."""
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(size)
    pool = context.Pool(size, initializer=_init, initargs=(barrier,))
    try:
        yield pool
    finally:
        pool.terminate()
        pool.join()
