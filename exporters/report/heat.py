"""The SOP AP flowchart coloured by each step's share over standard (the analytics' heat)."""

from __future__ import annotations

from exporters.progress import InstanceOverlay, StepMark, StepState
from exporters.report.charts import HEAT_STOPS, NO_DATA, heat_colour, percent


def heat_overlay(
    shares: dict[int, float | None],
    title: str = "Porsi melebihi baku",
    no_data: str = "tanpa data",
    over: str = "lebih baku",
) -> InstanceOverlay:
    """Per step number its share of completions over standard (None: no figures): each step
    filled on the heat scale and labelled with the share, so no state rests on colour alone."""
    steps = {
        no: StepMark(StepState.DONE, fill=heat_colour(share), lines=(f"{percent(share)} {over}",))
        for no, share in shares.items()
    }
    legend = tuple((heat_colour(s), f"{round(s * 100)}%") for s, _ in HEAT_STOPS)
    return InstanceOverlay(steps, title, legend + ((NO_DATA, no_data),))


def heat_flowchart(sop, data: dict, **words) -> str:
    """The SOP AP flowchart pages as inline SVG, steps coloured by data's shares over standard."""
    from exporters.document import inline_svg
    from exporters.flowchart import render_pages

    shares = {s["step_no"]: s["over_standard_share"] for s in data["steps"]}
    overlay = heat_overlay(shares, **words)
    pages = render_pages(sop, "svg", overlay=overlay)
    return "".join(
        f'<div class="heat-page">{inline_svg(svg, n)}</div>' for n, svg in enumerate(pages, 1)
    )
