"""The analytics page's pictures: the report's SVG charts with the page's (translated) words."""

from __future__ import annotations

from flask_babel import gettext as _
from markupsafe import Markup

from engine.views import Analytics, analytics_json
from exporters.report.charts import (
    bar_chart,
    heat_colour,
    heat_legend,
    heat_text_colour,
    histogram,
    line_chart,
    percent,
)
from exporters.report.heat import heat_flowchart


def pictures(figures: Analytics) -> dict[str, Markup]:
    """Bars of the steps' medians against their standards, the monthly trend of the share over
    standard, the histogram of lead times and the heat scale's legend, as inline SVG."""
    data = analytics_json(figures)
    steps = data["steps"]
    svg = {
        "bars": bar_chart(
            [
                (
                    f"{s['step_no']}. {s['activity']}",
                    s["median_work_min"],
                    s["standard_min"],
                    s["over_standard_share"],
                )
                for s in steps
            ],  # fmt: skip
            _("Median working time per step against the Mutu Baku"),
            _("median"),
            _("Mutu Baku"),
        ),
        "trend": line_chart(
            [(m["month"], m["over_standard_share"]) for m in data["months"]],
            _("Share of tasks over standard per month"),
        ),
        "histogram": histogram(
            [(b["from_min"], b["to_min"], b["instances"]) for b in data["lead_histogram"]],
            _("Lead times of completed instances (office minutes)"),
            data["instances"]["standard_total_min"],
            _("sum of standards"),
        ),
        "legend": heat_legend(_("Share over standard"), _("no figures")),
    }
    svg["flowchart"] = heat_flowchart(
        figures.sop, data, title=_("Share over standard"), no_data=_("no figures"),
        over=_("over standard"),
    )  # fmt: skip
    return {name: Markup(text) for name, text in svg.items()}  # built from escaped text only


def heat_attrs(share: float | None) -> Markup:
    """A cell's colours by its share over standard, as data attributes heat-diagram.js applies
    (the CSP refuses inline styles); the cell prints the share itself."""
    return Markup('data-heat-fill="{}" data-heat-text="{}"').format(
        heat_colour(share), heat_text_colour(share)
    )


def share_text(share: float | None) -> str:
    return percent(share)


def bpmn_heat(figures: Analytics) -> list[dict]:
    """The BPMN diagram's heat marks: per step its task's element id, the share over standard
    (and its label, drawn on the element so the colour is never the only cue), the fill and the
    text colour that reads on it; also the text alternative's lines, in step order."""
    marks = []
    for step in figures.steps:
        found = figures.sop.find(step.step_no)
        share = step.figures.over_share
        label = percent(share) if share is not None else _("no figures")
        marks.append(
            {
                "id": (found.element_id or found.task_id) if found else f"Langkah_{step.step_no}",
                "share": share,
                "label": label,
                "fill": heat_colour(share),
                "text": heat_text_colour(share),
                "line": _(
                    "%(no)s. %(activity)s (%(actor)s): %(label)s over standard, %(over)s of "
                    "%(with)s completions",
                    no=step.step_no,
                    activity=step.activity,
                    actor=step.actor,
                    label=label,
                    over=step.figures.over,
                    **{"with": step.figures.with_standard},
                )
                if share is not None
                else _(
                    "%(no)s. %(activity)s (%(actor)s): no completion with a standard",
                    no=step.step_no,
                    activity=step.activity,
                    actor=step.actor,
                ),
            }
        )
    return marks
