"""Which side of each symbol every line uses, decided on columns and pages before any geometry.

Main flow enters a symbol at its top. It leaves at the bottom when the next symbol is in the
same column (or on another page, or is the end), else by the side facing the next column; a
side taken by participants or by a Tidak arrow sends it down and along the next row's top
margin instead ("track").

A Tidak arrow leaves a free side of its diamond (or, with both side vertices taken, the lower
slope beside the Ya line), runs up or down a lane of its own in a column gutter (see
gutters) and enters a free side of its target, or its top: joining the flow along the
row's top margin, or, where a start capsule or connector sits above, coming down beside it.
Across pages it goes into an off-page connector beside the diamond (or below it, when no free
column is beside) and comes out of one beside (or above) the target. No line is planned through
a participant's box or link, nor through a connector.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from engine.sop import Rule, Sop
from exporters.flowchart.gutters import OFFSETS, Lanes, Level, border, lane_column

END = 0  # pseudo step number of the end capsule
SIDES = ("left", "right")
TAKEN = 1000.0  # cost of a line through a participant or an off-page connector: never chosen
CROWDED = 500.0  # cost of a lane along another arrow's: only where every route is crowded
BOTTOM_EXIT = 95.0  # cost of leaving the lower slope: only when no side vertex will do
# rules an SOP may break and still be drawn: a box without a name, a column without a title
DRAWN_ANYWAY = frozenset({Rule.ACTIVITY, Rule.ACTOR_NAME, Rule.ACTOR_UNIQUE})


@dataclass
class Tidak:
    decision: int
    target: int  # step number, or END
    exit: str  # side of the diamond: "left", "right" or "bottom" (the lower slope)
    entry: str  # side of the target: "left", "right" or "top"
    cross: bool  # target on another page: an off-page connector pair
    lane: float | None = None  # gutter in column units (c - 0.5: left of column c); None: none
    offset: float = 0.0  # where in the gutter: points from its column border, + rightwards
    turn: str = ""  # side the line heads for: the exit side, or for "bottom" the lane's side
    below: bool = False  # page-crossing: the outgoing connector sits below the diamond
    join: bool = False  # entry "top" on the same page: merges with the flow coming in
    beside: str = ""  # entry "top", not joining: the side of the centre it comes down on


@dataclass
class Plan:
    out: dict[int, str] = field(default_factory=dict)  # "bottom", "left", "right", "track"
    tidak: list[Tidak] = field(default_factory=list)
    wants_top: set[int] = field(default_factory=set)  # targets short of a free side
    wants_below: set[int] = field(default_factory=set)  # decisions short of a free column
    above: dict[int, str] = field(default_factory=dict)  # side of a top a connector comes in


def _side(frm: float, to: float) -> str:
    return "right" if to > frm else "left"


def check(sop: Sop) -> None:
    """Refuse an SOP the flowchart cannot show (a rule of Sop.problems beyond DRAWN_ANYWAY)."""
    problems = [p for p in sop.problems() if p.rule not in DRAWN_ANYWAY]
    if problems:
        raise ValueError(f"SOP {sop.code}: " + "; ".join(map(str, problems)))


def plan(
    sop: Sop,
    column: Callable[[str], int],
    page_of: Callable[[int], int],
    top_ok: set[int] = frozenset(),
) -> Plan:
    """Decide exits and entries for every step; `column` maps an actor to its index.

    Steps in `top_ok` have room above their symbol for an incoming off-page connector.
    Raises ValueError for an SOP that `check` refuses.
    """
    check(sop)
    steps, result = sop.steps, Plan()
    lanes = Lanes(len(sop.actors))
    level = {s.no: i for i, s in enumerate(steps)} | {END: len(steps) - 1}  # row indexes
    col = {s.no: column(s.actor) for s in steps} | {END: column(steps[-1].actor)}
    page = {s.no: page_of(s.no) for s in steps} | {END: page_of(steps[-1].no)}
    nxt = {s.no: (steps[i + 1].no if i + 1 < len(steps) else END) for i, s in enumerate(steps)}
    # sides no Tidak may use: participants' dashed links, and diamonds' own Tidak exits
    blocked = {s.no: {_side(col[s.no], column(p)) for p in s.participants} for s in steps}
    blocked[END] = set()
    entries: dict[int, list[tuple[str, bool]]] = {}
    first = {s.no for i, s in enumerate(steps) if not i or page[steps[i - 1].no] != page[s.no]}
    # a same-page Tidak may join the flow into a step's top, unless something sits above it
    joinable = {s.no for s in steps} - first - set(top_ok)
    # beside a start capsule or connector above, or away from the flow coming in from the side
    for i, s in enumerate(steps):
        before = col[s.no] if s.no in first else col[steps[i - 1].no]
        result.above[s.no] = "right" if before <= col[s.no] else "left"
    kept: set[int] = set()  # first steps on a page whose `above` side a Tidak already took

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
        context = _Context(
            col,
            blocked,
            result.out,
            entries.get(target, []),
            len(sop.actors),
            result.above,
            kept,
            lanes,
            page[step.no],
            level,
        )
        if page[target] == page[step.no]:
            tidak = _same_page(step.no, target, flow_exit(step.no), target in joinable, context)
        else:
            tidak = _cross_page(step.no, target, flow_exit(step.no), target in top_ok, context)
            entry_cost = _entry_cost(tidak.target, tidak.entry, True, context)
            if tidak.entry != "top" and entry_cost >= 100:
                result.wants_top.add(target)
            if tidak.below:
                result.wants_below.add(step.no)
        result.tidak.append(tidak)
        if tidak.entry == "top" and not tidak.join and target in first:
            result.above[target] = tidak.beside or result.above[target]
            kept.add(target)  # later ones come down on the same side, the capsule on the other
        if tidak.lane is not None:
            lanes.take(page[step.no], tidak.lane, tidak.offset, *_lane_use(tidak, context))
        if tidak.exit in SIDES:
            blocked[step.no].add(tidak.exit)
        entries.setdefault(target, []).append((tidak.entry, tidak.cross))
        if result.out.get(target) == tidak.entry:
            result.out[target] = "track"  # the target's flow makes way by going down instead
        result.out[step.no] = flow_exit(step.no)
    return result


@dataclass
class _Context:
    col: dict[int, int]
    blocked: dict[int, set[str]]
    out: dict[int, str]
    entered: list[tuple[str, bool]]  # (side, crosses pages) of Tidak arrows already coming in
    n_actors: int
    above: dict[int, str]
    kept: set[int]  # first steps on a page: Tidak arrows come down on their `above` side
    lanes: Lanes
    page: int  # the diamond's
    level: dict[int, int]  # row index of each step (and of the end capsule's row)

    def lane(self, tidak: Tidak) -> float:
        """Cost of the lane the arrow needs (CROWDED: all taken there), and sets its offset."""
        span, joins = _lane_use(tidak, self)
        d, t = self.col[tidak.decision], self.col[tidak.target]
        home = t if abs(tidak.lane - t) == 0.5 and not tidak.cross else d
        offset = self.lanes.find(self.page, tidak.lane, home, span, joins)
        sign = 1 if home >= border(tidak.lane) else -1
        tidak.offset = sign * OFFSETS[0] if offset is None else offset
        return CROWDED if offset is None else 0.0

    def exit_cost(self, d: int, side: str, ya: str) -> float:
        """Leaving a side vertex: never across participants, rather not on Ya's side."""
        cost = TAKEN * (side in self.blocked[d]) + 2 * (side == ya)
        return cost + 0.1 * (side == "right")

    def beside(self, col: int, side: str) -> bool:
        return 0 <= col + (1 if side == "right" else -1) < self.n_actors


def _lane_use(tidak: Tidak, c: _Context) -> tuple[tuple[Level, Level], tuple]:
    """The span of rows the arrow's lane runs over, and what it joins (sharers join the same)."""
    start = (c.level[tidak.decision], 2 if tidak.exit == "bottom" else 1)
    if tidak.cross:
        return (start, (c.level[tidak.decision], 3)), ("out", tidak.decision)
    if tidak.target == END:
        end = (c.level[END], 3)
    else:
        end = (c.level[tidak.target], 0 if tidak.entry == "top" else 1)
    return (min(start, end), max(start, end)), ("in", tidak.target, tidak.entry)


def _entry_cost(t: int, side: str, cross: bool, c: _Context) -> float:
    """Coming into a side of the target, or (side "top") its top: cheaper is better."""
    cost = TAKEN * (side in c.blocked[t]) + 20 * (c.out.get(t) == side)
    for kind in (k for s, k in c.entered if s == side):  # page-crossers share a connector
        cost += (0 if cross else 30) if kind == cross else TAKEN
    cost += TAKEN * (cross and not c.beside(c.col[t], side))
    return cost + 0.1 * (side == "right")  # the reference's habit: Tidak comes in on the left


def _same_page(d: int, t: int, ya: str, joinable: bool, c: _Context) -> Tidak:
    """The cheapest route on one page: free sides first, then the shortest lane."""
    a, b = c.col[d], c.col[t]
    best: tuple[float, Tidak] | None = None
    for exit_ in (*SIDES, "bottom"):
        for entry in (*SIDES, "top"):
            if entry != "top":
                cost, sides = _entry_cost(t, entry, False, c), (entry,)
            elif t == END:
                continue
            elif joinable:  # along the row's top margin into the flow coming in
                cost, sides = 60.0, (exit_,) if exit_ in SIDES else SIDES
            else:  # down beside the flow coming in, on the side kept for it if one is
                cost, sides = 70.0, (c.above[t],) if t in c.kept else SIDES
            for into in sides:  # the side of the target the lane runs on
                if exit_ == "bottom":
                    lane = b + (0.5 if into == "right" else -0.5)
                    total = cost + BOTTOM_EXIT
                    turn = _side(a, lane)
                else:
                    lane = lane_column(a, b, exit_, into)
                    if lane is None:
                        continue
                    total, turn = cost + c.exit_cost(d, exit_, ya), exit_
                join = entry == "top" and joinable
                beside = into if entry == "top" and not joinable else ""
                tidak = Tidak(d, t, exit_, entry, False, lane, turn=turn, join=join, beside=beside)
                total += abs(lane - a) + abs(lane - b) + c.lane(tidak)
                if best is None or total < best[0]:
                    best = (total, tidak)
    assert best is not None
    return best[1]


def _cross_page(d: int, t: int, ya: str, top_ok: bool, c: _Context) -> Tidak:
    """Into an off-page connector beside the diamond, or below it down its own gutter."""
    a = c.col[d]
    entries = [(_entry_cost(t, side, True, c), side) for side in SIDES]
    if top_ok:
        entries.append((50.0, "top"))  # the connector above the target
    entry = min(entries)[1]
    exits: list[tuple[float, str, str]] = []  # cost, exit, turn; below: "" when beside
    for side in SIDES:
        if side in c.blocked[d]:
            continue  # the connector or the line would sit on a participant's box or link
        cost = c.exit_cost(d, side, ya)
        if c.beside(a, side):
            exits.append((cost, side, ""))
        exits.append((cost + 40, side, side))
    exits.append((BOTTOM_EXIT, "bottom", "left"))  # Ya's label stays on its right
    best: tuple[float, Tidak] | None = None
    for cost, exit_, turn in exits:
        if not turn:
            tidak = Tidak(d, t, exit_, entry, True, turn=exit_)
        else:  # down its own gutter into a connector below
            lane = a + (0.5 if turn == "right" else -0.5)
            tidak = Tidak(d, t, exit_, entry, True, lane, turn=turn, below=True)
            cost += c.lane(tidak)
        if best is None or cost < best[0]:
            best = (cost, tidak)
    assert best is not None
    return best[1]
