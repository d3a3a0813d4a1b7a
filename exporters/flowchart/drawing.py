"""Plain data of a laid-out SOP AP flowchart page: cells, symbols, routes and labels, in points.

Coordinates have their origin at the page's top-left corner and grow rightwards and downwards;
only the DOT writer turns them into Graphviz's upward y.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from exporters.marks import MarkKind
from exporters.progress import StepState

Point = tuple[float, float]


class Kind(StrEnum):
    START = "start"
    END = "end"
    PROCESS = "process"
    DECISION = "decision"
    PARTICIPANT = "participant"
    CONNECTOR = "connector"


# Width and height of each symbol; 72 pt actor columns leave a gutter of >= 15 pt beside each.
SIZES: dict[Kind, tuple[float, float]] = {
    Kind.START: (38, 16),
    Kind.END: (38, 16),
    Kind.PROCESS: (38, 22),
    Kind.DECISION: (42, 28),
    Kind.PARTICIPANT: (34, 18),
    Kind.CONNECTOR: (18, 18),
}
CONNECTOR_SHOULDER = 0.809  # Graphviz's invhouse: the flat top sits at 0.809 of the half height


@dataclass
class Symbol:
    name: str
    kind: Kind
    cx: float
    cy: float
    step: int | None = None
    letter: str = ""  # off-page connectors only
    direction: str = ""  # off-page connectors: "out" (flow leaves the page) or "in"
    state: StepState | None = None
    mark: MarkKind | None = None  # a comparison's mark (exporters/marks.py)
    fill: str = ""  # overrides the state's fill colour

    @property
    def size(self) -> tuple[float, float]:
        return SIZES[self.kind]

    def top_at(self, x: float) -> float:
        """Where a vertical line at x meets the top of the outline (diamonds slope)."""
        w, h = self.size
        if self.kind is Kind.DECISION:
            return self.cy - h / 2 * (1 - abs(x - self.cx) / (w / 2))
        return self.cy - h / 2 * (CONNECTOR_SHOULDER if self.kind is Kind.CONNECTOR else 1)

    def bottom_at(self, x: float) -> float:
        """Where a vertical line at x leaves the bottom of a box or diamond."""
        w, h = self.size
        if self.kind is Kind.DECISION:
            return self.cy + h / 2 * (1 - abs(x - self.cx) / (w / 2))
        return self.cy + h / 2

    def port(self, side: str) -> Point:
        """The point on the outline where a line leaves or enters: top, bottom, left, right."""
        w, h = self.size
        top = h / 2 * (CONNECTOR_SHOULDER if self.kind is Kind.CONNECTOR else 1)
        return {
            "top": (self.cx, self.cy - top),
            "bottom": (self.cx, self.cy + h / 2),
            "left": (self.cx - w / 2, self.cy),
            "right": (self.cx + w / 2, self.cy),
        }[side]


@dataclass
class Cell:
    """A table cell (or a legend swatch): its box, wrapped lines and look."""

    name: str
    x: float
    y: float
    w: float
    h: float
    lines: list[str] = field(default_factory=list)
    size: float = 7.5
    align: str = "center"  # or "left": lines flush left inside the text block
    fill: str = ""
    bold: bool = False
    role: str = "cell"  # "header", "cell" or "swatch"
    dashed: bool = False  # a swatch of a state drawn with a dashed outline
    outline: str = ""  # a swatch's Graphviz outline style instead ("dotted", "dashed", "solid")
    pen: float = 0.0  # a swatch's outline width, 0: the default


@dataclass
class Label:
    """Free text centred on (cx, cy): titles, Ya/Tidak, the overlay's small print, the legend."""

    name: str
    cx: float
    cy: float
    w: float
    h: float
    lines: list[str]
    size: float
    align: str = "center"
    bold: bool = False
    background: bool = False  # white box behind the text, lines pass under it
    role: str = "label"


@dataclass
class Route:
    """A polyline of right-angle segments from one symbol's outline to another's."""

    name: str
    source: str
    target: str
    points: list[Point]
    arrow: bool = True
    dashed: bool = False
    role: str = "flow"  # "flow", "tidak" or "participant"


@dataclass
class Page:
    number: int  # 1-based
    count: int
    width: float
    height: float
    steps: list[int] = field(default_factory=list)
    cells: list[Cell] = field(default_factory=list)
    symbols: list[Symbol] = field(default_factory=list)
    routes: list[Route] = field(default_factory=list)
    labels: list[Label] = field(default_factory=list)

    def symbol(self, name: str) -> Symbol:
        return next(s for s in self.symbols if s.name == name)
