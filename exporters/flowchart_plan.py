"""Which side of each symbol every line uses, decided on columns and pages before any geometry.

Main flow enters a symbol at its top. It leaves at the bottom when the next symbol is in the
same column (or on another page, or is the end), else by the side facing the next column; a
side taken by participants or by a Tidak arrow sends it down and along the next row's top
margin instead ("track"). A Tidak arrow leaves a free side of its diamond, runs up or down a
lane in a column gutter and enters a free side of its target. Across pages it goes into an
off-page connector beside the diamond and comes out of one beside (or above) the target.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from engine.model import Sop

END = 0  # pseudo step number of the end capsule
SIDES = ("left", "right")


@dataclass
class Tidak:
    decision: int
    target: int  # step number, or END
    exit: str  # side of the diamond: "left" or "right"
    entry: str  # side of the target: "left", "right" or "top"
    cross: bool  # target on another page: an off-page connector pair


@dataclass
class Plan:
    out: dict[int, str] = field(default_factory=dict)  # "bottom", "left", "right", "track"
    tidak: list[Tidak] = field(default_factory=list)
    wants_top: set[int] = field(default_factory=set)  # targets short of a free side


def _side(frm: int, to: int) -> str:
    return "right" if to > frm else "left"


def plan(
    sop: Sop,
    column: Callable[[str], int],
    page_of: Callable[[int], int],
    top_ok: set[int] = frozenset(),
) -> Plan:
    """Decide exits and entries for every step; `column` maps an actor to its index.

    Steps in `top_ok` have room above their symbol for an incoming off-page connector.
    """
    steps, result = sop.steps, Plan()
    col = {s.no: column(s.actor) for s in steps} | {END: column(steps[-1].actor)}
    page = {s.no: page_of(s.no) for s in steps} | {END: page_of(steps[-1].no)}
    nxt = {s.no: (steps[i + 1].no if i + 1 < len(steps) else END) for i, s in enumerate(steps)}
    # sides no Tidak may use: participants' dashed links, and diamonds' own Tidak exits
    blocked = {s.no: {_side(col[s.no], column(p)) for p in s.participants} for s in steps}
    blocked[END] = set()
    entries: dict[int, list[tuple[str, bool]]] = {}
    # a same-page Tidak may join the flow into a step's top, unless something sits above it
    joinable = {
        s.no for i, s in enumerate(steps) if i and page[steps[i - 1].no] == page[s.no]
    } - set(top_ok)

    def flow_exit(no: int) -> str:
        after = nxt[no]
        if after == END or page[after] != page[no] or col[after] == col[no]:
            return "bottom"
        side = _side(col[no], col[after])
        taken = blocked[no] | {s for s, _ in entries.get(no, [])}
        return "track" if side in taken else side

    for step in steps:
        if step.decision is None:
            result.out[step.no] = flow_exit(step.no)
    for step in (s for s in steps if s.decision is not None):
        target = step.decision.no if step.decision.no is not None else END
        if target not in col:
            raise ValueError(f"langkah {step.no}: 'Tidak' menuju langkah {target} yang tidak ada")
        ya = flow_exit(step.no)
        context = _Context(col, page, blocked, result.out, entries.get(target, []), len(sop.actors))
        top_ok_here = target in (joinable if page[target] == page[step.no] else top_ok)
        tidak, wants_top = _choose_tidak(step.no, target, ya, top_ok_here, context)
        result.tidak.append(tidak)
        if wants_top:
            result.wants_top.add(target)
        blocked[step.no].add(tidak.exit)
        entries.setdefault(target, []).append((tidak.entry, tidak.cross))
        if result.out.get(target) == tidak.entry:
            result.out[target] = "track"  # the target's flow makes way by going down instead
        result.out[step.no] = flow_exit(step.no)
    return result


@dataclass
class _Context:
    col: dict[int, int]
    page: dict[int, int]
    blocked: dict[int, set[str]]
    out: dict[int, str]
    entered: list[tuple[str, bool]]  # (side, crosses pages) of Tidak arrows already coming in
    n_actors: int


def _choose_tidak(d: int, t: int, ya: str, top_ok: bool, c: _Context) -> tuple[Tidak, bool]:
    """The cheapest (exit, entry) pair: free sides first, then the shortest lane.

    Also says whether the arrow would rather come in from the top: a page-crossing arrow whose
    target has no free side with a column beside it for the incoming connector.
    """
    a, b = c.col[d], c.col[t]
    cross = c.page[d] != c.page[t]

    def beside(col: int, side: str) -> bool:
        return 0 <= col + (1 if side == "right" else -1) < c.n_actors

    def exit_cost(side: str) -> float:
        cost = 100 * (side in c.blocked[d]) + 2 * (side == ya)  # leave "Ya" its side
        return cost + 1000 * (cross and not beside(a, side)) + 0.1 * (side == "right")

    def entry_cost(side: str) -> float:
        if side == "top":  # off-page: a connector above; same page: join the flow coming in
            return (50 if cross else 60) if top_ok else 10_000
        cost = 100 * (side in c.blocked[t]) + 20 * (c.out.get(t) == side)
        for kind in (k for s, k in c.entered if s == side):  # page-crossers share a connector
            cost += (0 if cross else 30) if kind == cross else 100
        cost += 1000 * (cross and not beside(b, side))
        return cost + 0.1 * (side == "right")  # the reference's habit: Tidak comes in on the left

    best: tuple[float, str, str] | None = None
    for exit_ in SIDES:
        for entry in (*SIDES, "top"):
            lane = None if cross else _lane_column(a, b, exit_, exit_ if entry == "top" else entry)
            if not cross and lane is None:
                continue
            cost = exit_cost(exit_) + entry_cost(entry)
            cost += 0 if lane is None else abs(lane - a) + abs(lane - b)
            if best is None or cost < best[0]:
                best = (cost, exit_, entry)
    assert best is not None
    wants_top = cross and best[2] != "top" and entry_cost(best[2]) >= 100
    return Tidak(d, t, best[1], best[2], cross), wants_top


def _lane_column(a: int, b: int, exit_: str, entry: str) -> float | None:
    """Lane position in column units (c - 0.5: left gutter of c), or None if the pair can't work."""
    if exit_ == entry == "left":
        return min(a, b) - 0.5
    if exit_ == entry == "right":
        return max(a, b) + 0.5
    if exit_ == "left" and entry == "right":
        return b + 0.5 if b < a else None
    return b - 0.5 if b > a else None
