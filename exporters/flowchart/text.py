"""DejaVu Sans text metrics and word wrapping, so table cells are sized before Graphviz runs."""

from __future__ import annotations

import re

FONT = "DejaVu Sans"

# Advance widths (units per em 2048) of DejaVu Sans Book and Bold for U+0020..U+007E.
_BOOK = (
    "651 821 942 1716 1303 1946 1597 563 799 799 1024 1716 651 739 651 690 1303 1303 1303 1303 "
    "1303 1303 1303 1303 1303 1303 690 690 1716 1716 1716 1087 2048 1401 1405 1430 1577 1294 "
    "1178 1587 1540 604 604 1343 1141 1767 1532 1612 1235 1612 1423 1300 1251 1499 1401 2025 "
    "1403 1251 1403 799 690 799 1716 1024 1024 1255 1300 1126 1300 1260 721 1300 1298 569 569 "
    "1186 569 1995 1298 1253 1300 1300 842 1067 803 1298 1212 1675 1212 1212 1075 1303 690 1303 "
    "1716"
)
_BOLD = (
    "713 934 1067 1716 1425 2052 1786 627 936 936 1071 1716 778 850 778 748 1425 1425 1425 1425 "
    "1425 1425 1425 1425 1425 1425 819 819 1716 1716 1716 1188 2048 1585 1561 1503 1700 1399 "
    "1399 1681 1714 762 762 1587 1305 2038 1714 1741 1501 1741 1577 1475 1397 1663 1585 2259 "
    "1579 1483 1485 936 748 936 1716 1024 1024 1382 1466 1214 1466 1389 891 1466 1458 702 702 "
    "1362 702 2134 1458 1407 1466 1466 1010 1219 979 1458 1335 1892 1321 1335 1192 1458 748 1458 "
    "1716"
)
_WIDTHS = {False: [int(w) for w in _BOOK.split()], True: [int(w) for w in _BOLD.split()]}
_OTHER = 1600  # any character outside ASCII: wider than most letters, to stay on the safe side
_PX = 72 / 96  # Graphviz measures with pango at 96 dpi and rounds each glyph to whole pixels
_BREAK_AFTER = re.compile(r"(?<=[/\-,;])")


def text_width(text: str, size: float, bold: bool = False) -> float:
    """Width in points of one line as Graphviz will lay it out (an upper bound, within ~2 pt)."""
    widths = _WIDTHS[bold]
    pixels = 0
    for char in text:
        code = ord(char) - 32
        units = widths[code] if 0 <= code < len(widths) else _OTHER
        pixels += round(units / 2048 * size / _PX)
    return pixels * _PX + 1.0


def line_height(size: float) -> float:
    """Distance between baselines; Graphviz uses ~1.13 em for DejaVu Sans, this leaves room."""
    return size * 1.2


def wrap(text: str, width: float, size: float, bold: bool = False) -> list[str]:
    """Greedy word wrap to `width` points; a word too long for a line breaks after / - , ;
    or, failing that, between any two characters."""
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        line = ""
        for word in paragraph.split():
            candidate = f"{line} {word}" if line else word
            if text_width(candidate, size, bold) <= width:
                line = candidate
                continue
            if line:
                lines.append(line)
            pieces = _split_long(word, width, size, bold)
            lines.extend(pieces[:-1])
            line = pieces[-1]
        lines.append(line)
    while len(lines) > 1 and not lines[-1]:
        lines.pop()
    return lines


def _split_long(word: str, width: float, size: float, bold: bool) -> list[str]:
    """Cut a word wider than `width`: at punctuation when it helps, else between characters."""
    pieces: list[str] = []
    current = ""
    for part in _BREAK_AFTER.split(word):
        for char in part if text_width(part, size, bold) > width else [part]:
            if current and text_width(current + char, size, bold) > width:
                pieces.append(current)
                current = ""
            current += char
    pieces.append(current)
    return pieces
