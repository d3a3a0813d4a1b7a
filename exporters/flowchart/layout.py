"""Lay an SOP out as SOP AP flowchart pages (plain data, no Graphviz): table, symbols, lines."""

from __future__ import annotations

import math
from dataclasses import replace

from engine.sop import Sop
from exporters.flowchart.drawing import Kind, Page, Symbol
from exporters.flowchart.frame import (
    LEGEND_HEIGHT,
    add_legend,
    add_mark_legend,
    add_title,
    title_height,
    title_lines,
)
from exporters.flowchart.paging import letters, paginate
from exporters.flowchart.plan import END, Plan, check, plan
from exporters.flowchart.routes import main_flow, participant_links
from exporters.flowchart.send_back import tidak_off_page, tidak_route
from exporters.flowchart.symbols import BELOW_OFFSET, OFFSET, Row, band_height, note_lines, place
from exporters.flowchart.table import (
    ACTOR_WIDTH,
    body_cells,
    columns,
    header_cells,
    header_height,
    text_height,
)
from exporters.marks import StepMarks
from exporters.progress import InstanceOverlay

MARGIN = 20.0
PAGE_RATIO = math.sqrt(2)  # A4 landscape: width / height


def layout_pages(
    sop: Sop,
    overlay: InstanceOverlay | None = None,
    rows_per_page: int | None = None,
    marks: StepMarks | None = None,
) -> list[Page]:
    """Pages of the flowchart; rows_per_page None fills each page to A4 landscape proportions;
    marks: steps a comparison marks (added, changed, removed), with their legend."""
    return _Sheet(sop, overlay, marks).pages(rows_per_page)


class _Sheet:
    """Sizes shared by every page, and the page-by-page assembly."""

    def __init__(self, sop: Sop, overlay: InstanceOverlay | None, marks: StepMarks | None = None):
        check(sop)
        self.sop, self.overlay, self.steps = sop, overlay, sop.steps
        self.marks = marks if marks and marks.steps else None
        self.cols = columns(sop)
        self.table_w = self.cols[-1].x + self.cols[-1].w
        self.width = self.table_w + 2 * MARGIN
        self.title = title_lines(sop.code, sop.name, self.table_w)
        self.title_h = math.ceil(title_height(self.title))
        self.fixed = 2 * MARGIN + self.title_h + header_height(self.cols)
        self.fixed += LEGEND_HEIGHT * ((overlay is not None) + (self.marks is not None))
        self.notes = {s.no: note_lines(s, overlay, ACTOR_WIDTH - 14) for s in self.steps}
        self.reserved: set[int] = set()  # steps (and END) with room above for an incoming
        # Tidak's off-page connector
        self.reserved_below: set[int] = set()  # diamonds with room below for their connector
        self.actor_cols = [replace(c, x=c.x + MARGIN) for c in self.cols if c.key == "actor"]
        self.index = {actor: i for i, actor in enumerate(sop.actors)}

    def items(self, i: int, first: bool, last: bool) -> tuple[Kind | None, Kind | None]:
        """What sits above and below row i's symbol: start/end capsule or off-page connector."""
        top = Kind.START if i == 0 else (Kind.CONNECTOR if first else None)
        final = len(self.steps) - 1
        return top, Kind.END if i == final else (Kind.CONNECTOR if last else None)

    def height(self, i: int, first: bool, last: bool) -> float:
        top, bottom = self.items(i, first, last)
        if self.steps[i].no in self.reserved:
            top = Kind.CONNECTOR  # at least as tall as the start capsule beside it
        no = self.steps[i].no
        stacked = (no in self.reserved_below) + (bottom is Kind.END and END in self.reserved)
        band = band_height(self.steps[i], top, bottom, self.notes[no], stacked)
        return math.ceil(max(text_height(self.steps[i], self.cols), band))  # whole points

    def pages(self, rows_per_page: int | None) -> list[Page]:
        """Paginate and plan until every Tidak that wants room above its target has it."""
        room = self.width / PAGE_RATIO - self.fixed
        while True:
            groups = paginate(len(self.steps), self.height, rows_per_page, room)
            page_of = {self.steps[i].no: p for p, group in enumerate(groups) for i in group}
            page_of[END] = page_of[self.steps[-1].no]
            the_plan = plan(
                self.sop,
                self.index.__getitem__,
                page_of.__getitem__,
                self.reserved,
            )
            wanted = the_plan.wants_top
            if wanted <= self.reserved and the_plan.wants_below <= self.reserved_below:
                break
            self.reserved |= wanted
            self.reserved_below |= the_plan.wants_below
        marks = letters(self.sop, groups, the_plan.tidak, page_of)
        return [
            self.page(p, group, groups, the_plan, marks, page_of) for p, group in enumerate(groups)
        ]

    def page(
        self, p: int, group: list[int], groups: list, the_plan: Plan, marks: dict, page_of: dict
    ) -> Page:
        steps, edge = self.steps, (group[0], group[-1])
        content = self.fixed + sum(self.height(i, i == edge[0], i == edge[1]) for i in group)
        page = Page(
            p + 1,
            len(groups),
            self.width,
            max(content, self.width / PAGE_RATIO),
            [steps[i].no for i in group],
        )
        add_title(page, self.title, MARGIN, MARGIN, self.table_w)
        y = MARGIN + self.title_h
        page.cells += header_cells(self.cols, MARGIN, y, "hdr_")
        y += header_height(self.cols)
        rows: dict[int, Row] = {}
        by_actor = dict(zip(self.sop.actors, self.actor_cols, strict=True))
        # Tidak arrows coming down beside the symbol's centre, and connectors below diamonds
        from_above = {t.target for t in the_plan.tidak if t.entry == "top" and not t.join}
        below = {t.decision: t for t in the_plan.tidak if t.below}
        for i in group:
            no, h = steps[i].no, self.height(i, i == edge[0], i == edge[1])
            top = OFFSET if the_plan.above[no] == "right" else -OFFSET
            out = below.get(no)
            low = BELOW_OFFSET if out and out.turn == "right" else -BELOW_OFFSET
            rows[no] = row = Row(
                steps[i],
                y,
                h,
                *self.items(i, i == edge[0], i == edge[1]),
                tidak_top=top if no in from_above else 0.0,
                tidak_below=low if out else 0.0,
                end_in=END in self.reserved,
            )
            page.cells += body_cells(steps[i], self.cols, MARGIN, y, h)
            pair = (
                marks.get(("flow", steps[i - 1].no), "") if i else "",
                marks.get(("flow", no), ""),
                marks.get(("tidak", no, "top"), ""),
                marks.get(("tidak", out.target, out.entry), "") if out else "",
                marks.get(("tidak", END, "top"), ""),
            )
            symbols, labels = place(row, by_actor, self.overlay, pair, self.marks)
            page.symbols += symbols
            page.labels += labels
            y += h
        following = {
            s.no: (steps[k + 1].no if k + 1 < len(steps) else END) for k, s in enumerate(steps)
        }
        main_flow(page, rows, the_plan, following)
        participant_links(page)
        tops = {no: row.top for no, row in rows.items()}
        self._tidak(page, p, the_plan, marks, page_of, tops)
        if self.overlay:
            add_legend(page, self.overlay, MARGIN, y + 8)
            y += LEGEND_HEIGHT
        if self.marks:
            add_mark_legend(page, self.marks, MARGIN, y + 8)
        return page

    def _tidak(
        self, page: Page, p: int, the_plan: Plan, marks: dict, page_of: dict, tops: dict
    ) -> None:
        def column_of(symbol: Symbol) -> int:
            return next(i for i, c in enumerate(self.actor_cols) if c.x <= symbol.cx < c.x + c.w)

        for tidak in the_plan.tidak:
            letter = marks.get(("tidak", tidak.target, tidak.entry), "")
            if page_of[tidak.decision] == p:
                if tidak.cross:
                    tidak_off_page(page, tidak, letter, "out", self.actor_cols, column_of)
                else:
                    tidak_route(page, tidak, self.actor_cols, tops.get(tidak.target, 0.0))
            if tidak.cross and page_of[tidak.target] == p:
                tidak_off_page(page, tidak, letter, "in", self.actor_cols, column_of)
