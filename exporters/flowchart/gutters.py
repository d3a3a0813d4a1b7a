"""Lanes: the vertical runs of Tidak arrows beside the Pelaksana column borders.

A border between two columns has four lanes, two on either side of it; the outer borders of
the Pelaksana columns have the two on their inner side. A lane is taken over a span of rows on
one page. Arrows into the same place may share one; others get one of their own, if there is
one left.
"""

from __future__ import annotations

OFFSETS = (8.0, 4.0)  # points from the border, the preferred first
# Heights in a row, in their order down the page: (row index, 0 top margin, 1 centre line,
# 2 just below the symbol, 3 lower down: an off-page connector or the end capsule).
Level = tuple[int, int]
Span = tuple[Level, Level]


def lane_column(a: int, b: int, exit_: str, entry: str) -> float | None:
    """Lane from column a's `exit_` side to column b's `entry` side, in column units (c - 0.5:
    left of column c), or None if the pair can't work."""
    if exit_ == entry == "left":
        return min(a, b) - 0.5
    if exit_ == entry == "right":
        return max(a, b) + 0.5
    if exit_ == "left" and entry == "right":
        return b + 0.5 if b < a else None
    return b - 0.5 if b > a else None


def border(lane: float) -> int:
    """The column border a lane runs beside: border c is the left edge of column c."""
    return round(lane + 0.5)


class Lanes:
    """Which lanes are taken, per page and border."""

    def __init__(self, n_columns: int):
        self.n_columns = n_columns
        self.used: dict[tuple[int, int], list[tuple[float, Span, tuple]]] = {}

    def find(self, page: int, lane: float, home: int, span: Span, joins: tuple) -> float | None:
        """Offset from the border (points, + rightwards) of a lane free over `span`, on column
        `home`'s side if one is left there; shared with arrows that `joins` the same place."""
        edge = border(lane)
        sign = 1 if home >= edge else -1
        offsets = [sign * o for o in OFFSETS]
        if 0 < edge < self.n_columns:
            offsets += [-sign * o for o in reversed(OFFSETS)]
        used = self.used.get((page, edge), [])
        free = [
            o
            for o in offsets
            if all(j == joins or not _overlap(span, s) for uo, s, j in used if uo == o)
        ]
        shared = [o for o in free if any(uo == o and j == joins for uo, _, j in used)]
        return (shared or free or [None])[0]

    def take(self, page: int, lane: float, offset: float, span: Span, joins: tuple) -> None:
        self.used.setdefault((page, border(lane)), []).append((offset, span, joins))


def _overlap(one: Span, two: Span) -> bool:
    return one[0] <= two[1] and two[0] <= one[1]
