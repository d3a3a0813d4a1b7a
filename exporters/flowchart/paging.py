"""Splitting the steps over pages and lettering the off-page connector pairs A, B, C ..."""

from __future__ import annotations

from collections.abc import Callable
from string import ascii_uppercase

from engine.sop import Sop
from exporters.flowchart.plan import Tidak

_NAMES = [*ascii_uppercase] + [a + b for a in ascii_uppercase for b in ascii_uppercase]


def paginate(
    n: int, height: Callable[[int, bool, bool], float], per_page: int | None, room: float
) -> list[list[int]]:
    """Row indexes per page: `per_page` each, or as many as fit `room` (at least one).

    height(i, first, last) is row i's height when it is first or last on its page.
    """
    groups, start = [], 0
    while start < n:
        end = min(n, start + per_page) if per_page else start + 1
        while not per_page and end < n:
            if sum(height(i, i == start, i == end) for i in range(start, end + 1)) > room:
                break
            end += 1
        groups.append(list(range(start, end)))
        start = end
    return groups


def letters(sop: Sop, groups: list[list[int]], tidaks: list[Tidak], page_of: dict) -> dict:
    """A letter per connector pair, in the order the pairs start.

    Keys: ("flow", n) for the flow leaving step n at a page's foot; ("tidak", target, side)
    for page-crossing Tidak arrows, which share a letter when they come into the same side.
    """
    starts = {("flow", sop.steps[g[-1]].no): (p, g[-1] + 0.5) for p, g in enumerate(groups[:-1])}
    index = {s.no: i for i, s in enumerate(sop.steps)}
    for t in (t for t in tidaks if t.cross):
        key, at = ("tidak", t.target, t.entry), (page_of[t.decision], index[t.decision])
        starts[key] = min(starts.get(key, at), at)
    ordered = sorted(starts, key=starts.__getitem__)
    return {key: _NAMES[k] for k, key in enumerate(ordered)}
