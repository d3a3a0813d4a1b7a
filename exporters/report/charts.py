"""Small server-rendered SVG charts of plain numbers: bars against a standard, a monthly line, a
histogram, and the heat scale that colours steps by their share over standard.

Every mark carries its number as text too (no state by colour alone); sizes are in viewBox units
so the SVG scales to a phone's width and prints crisply.
"""

from __future__ import annotations

from html import escape

# share over standard -> colour: 0 green, 0.25 yellow, 0.5 orange, 0.75 and up red
HEAT_STOPS = (
    (0.0, (26, 152, 80)),
    (0.25, (254, 224, 139)),
    (0.5, (244, 109, 67)),
    (0.75, (165, 0, 38)),
)
NO_DATA = "#d9d9d9"
FONT = 'font-family="DejaVu Sans, Arial, sans-serif"'


def heat_colour(share: float | None) -> str:
    """The heat scale's colour for a share over standard (0..1); grey without figures."""
    if share is None:
        return NO_DATA
    share = min(max(share, 0.0), 1.0)
    for (low, a), (high, b) in zip(HEAT_STOPS, HEAT_STOPS[1:], strict=False):
        if share <= high:
            t = (share - low) / (high - low)
            return _hex(tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True)))
    return _hex(HEAT_STOPS[-1][1])


def _hex(rgb: tuple[int, ...]) -> str:
    return "#" + "".join(f"{c:02x}" for c in rgb)


def heat_text_colour(share: float | None) -> str:
    """Black or white, whichever has the higher WCAG contrast ratio on heat_colour(share)."""
    background = _luminance(heat_colour(share))
    on_white = 1.05 / (background + 0.05)
    on_black = (background + 0.05) / 0.05
    return "#ffffff" if on_white > on_black else "#000000"


def _luminance(colour: str) -> float:
    """WCAG 2.1 relative luminance of #rrggbb."""
    channels = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def percent(share: float | None) -> str:
    return "–" if share is None else f"{round(share * 100):d}%"


def minutes(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:g}"


def _svg(width: int, height: int, body: list[str], title: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="{escape(title)}" class="chart" {FONT} font-size="11">'
        f"<title>{escape(title)}</title>{''.join(body)}</svg>"
    )


def _text(x, y, text, anchor="start", size=11, weight="normal", fill="#000") -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" '
        f'font-weight="{weight}" fill="{fill}">{escape(str(text))}</text>'
    )


def heat_legend(title: str, no_data: str) -> str:
    """The heat scale: a gradient from 0% to 100% over standard, and grey for no figures."""
    stops = "".join(
        f'<stop offset="{round(s * 100 / 0.75)}%" stop-color="{heat_colour(s)}"/>'
        for s, _ in HEAT_STOPS
    )
    body = [
        f'<defs><linearGradient id="heat">{stops}</linearGradient></defs>',
        _text(0, 12, title, weight="bold"),
        '<rect x="0" y="18" width="200" height="12" fill="url(#heat)" stroke="#555"/>',
        *[
            _text(
                200 * f,
                44,
                f"{round(f * 75)}%" if f < 1 else "≥75%",
                "middle" if 0 < f < 1 else ("start" if f == 0 else "end"),
                10,
            )
            for f in (0, 1 / 3, 2 / 3, 1)
        ],
        f'<rect x="230" y="18" width="16" height="12" fill="{NO_DATA}" stroke="#555"/>',
        _text(252, 28, no_data, size=10),
    ]
    return _svg(360, 50, body, title)


def bar_chart(
    rows: list[tuple[str, float | None, int | None, float | None]],
    title: str,
    median_label: str,
    standard_label: str,
) -> str:
    """Horizontal bars, one per step: (label, median minutes, standard minutes, share over).

    The bar is the median, coloured by the share over standard; a black tick marks the standard;
    both numbers are written at the bar's end.
    """
    top, row_h, left, width = 34, 26, 150, 660
    top_value = max([v for _, m, s, _ in rows for v in (m, s) if v] or [1])
    scale = (width - left - 120) / top_value
    body = [
        _text(0, 14, title, weight="bold"),
        f'<rect x="{left}" y="20" width="10" height="10" fill="{heat_colour(0.3)}"/>',
        _text(left + 14, 29, median_label, size=10),
        f'<rect x="{left + 150}" y="19" width="3" height="12" fill="#000"/>',
        _text(left + 158, 29, standard_label, size=10),
    ]
    for i, (label, median, standard, share) in enumerate(rows):
        y = top + i * row_h
        body.append(_text(left - 6, y + 16, label[:24], "end", 10))
        length = (median or 0) * scale
        body.append(
            f'<rect x="{left}" y="{y + 5}" width="{max(length, 1):.1f}" height="15" '
            f'fill="{heat_colour(share)}" stroke="#555" stroke-width="0.5"/>'
        )
        if standard:
            x = left + standard * scale
            body.append(f'<rect x="{x - 1:.1f}" y="{y + 1}" width="3" height="23" fill="#000"/>')
        far = left + max(length, (standard or 0) * scale) + 6
        note = f"{minutes(median)} / {minutes(standard)} mnt · {percent(share)}"
        body.append(_text(far, y + 17, note, size=10))
    return _svg(width, top + len(rows) * row_h + 6, body, title)


def line_chart(points: list[tuple[str, float | None]], title: str, unit: str = "%") -> str:
    """A monthly trend of a share (0..1): a line with each month's value written by its point."""
    width, height, left, top, bottom = 660, 200, 40, 28, 40
    plot_h = height - top - bottom
    step = (width - left - 20) / max(len(points) - 1, 1)
    body = [_text(0, 14, title, weight="bold")]
    for f in (0, 0.5, 1):
        y = top + plot_h * (1 - f)
        body.append(
            f'<line x1="{left}" x2="{width - 10}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ccc"/>'
        )
        body.append(_text(left - 4, y + 4, f"{round(f * 100)}{unit}", "end", 9))
    path = []
    for i, (month, value) in enumerate(points):
        x = left + i * step
        body.append(_text(x, height - bottom + 16, month, "middle", 9))
        if value is None:
            body.append(_text(x, top + plot_h - 4, "–", "middle", 9))
            continue
        y = top + plot_h * (1 - min(value, 1))
        path.append(f"{'M' if not path else 'L'}{x:.1f},{y:.1f}")
        body.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{heat_colour(value)}" stroke="#000"/>'
        )
        body.append(_text(x, y - 7, percent(value), "middle", 9))
    if path:
        body.insert(1, f'<path d="{" ".join(path)}" fill="none" stroke="#333" stroke-width="1.5"/>')
    return _svg(width, height, body, title)


def histogram(
    bins: list[tuple[int, int, int]],
    title: str,
    standard: int | None = None,
    standard_label: str = "",
) -> str:
    """Instances per lead-time bin (minutes); a dashed line marks the sum of the standards."""
    width, height, left, top, bottom = 660, 210, 40, 28, 48
    plot_h = height - top - bottom
    most = max([n for *_, n in bins] or [1])
    bar_w = (width - left - 20) / max(len(bins), 1)
    body = [_text(0, 14, title, weight="bold")]
    high = bins[-1][1] if bins else 1
    low = bins[0][0] if bins else 0
    for i, (lo, hi, n) in enumerate(bins):
        x = left + i * bar_w
        h = plot_h * n / most
        fill = "#4575b4" if standard is None or hi <= standard else "#d73027"
        body.append(
            f'<rect x="{x + 1:.1f}" y="{top + plot_h - h:.1f}" width="{bar_w - 2:.1f}" '
            f'height="{h:.1f}" fill="{fill}"/>'
        )
        body.append(_text(x + bar_w / 2, top + plot_h - h - 3, n, "middle", 9))
        body.append(_text(x + bar_w / 2, height - bottom + 14, f"{lo}", "middle", 8))
    if bins:
        body.append(_text(width - 10, height - bottom + 14, f"{high}", "end", 8))
    if standard is not None and bins and low <= standard <= high:
        x = left + (standard - low) / max(high - low, 1) * bar_w * len(bins)
        body.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top}" y2="{top + plot_h}" stroke="#000" '
            'stroke-dasharray="4 3" stroke-width="1.5"/>'
        )
        body.append(_text(x + 3, top + 10, standard_label, size=9))
    body.append(_text(left, height - 6, "mnt", size=9))
    return _svg(width, height, body, title)
