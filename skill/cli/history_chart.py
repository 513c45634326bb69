"""The terminal chart of `massage-coach history`: pain before and after each session, as text.

Pure: points in, lines out. One column per rated session, oldest on the left, on a 0..10 scale:
``o`` marks the pain before, ``x`` the pain after, ``#`` both when they are the same, and ``|``
joins the two, so a session's change reads as the length of its bar. Dates label the axis
where there is room. It is plain ASCII inside the panel, so it reads the same without colour,
piped to a file, or in 80 columns (the newest sessions that fit are drawn, and the caption
says how many).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from skill.cli.history_rows import PainPoint
from skill.core.journal import MAX_RATING

__all__ = ["AFTER", "BEFORE", "BOTH", "COLUMN_WIDTH", "LEGEND", "Chart", "draw_chart"]

BEFORE: Final = "o"
AFTER: Final = "x"
BOTH: Final = "#"
"""Before and after, the same rating."""
JOIN: Final = "|"
LEGEND: Final = f"{BEFORE} before  {AFTER} after  {BOTH} both the same"

COLUMN_WIDTH: Final = 3
"""Characters per session: the marker with a space on each side."""

AXIS_WIDTH: Final = 4
"""The scale's labels and the axis line: ``10 |``."""

DATE_FORMAT: Final = "%m-%d"


@dataclass(frozen=True)
class Chart:
    """A drawn chart."""

    lines: tuple[str, ...]
    """The chart's text, top (10) to bottom (the dates); no line ends in a space."""
    shown: int
    """How many sessions it draws (the newest, when not all of them fit)."""
    first: str
    """The date of the first session drawn (``2026-12-01``), empty when none is."""
    last: str
    """The date of the last session drawn."""


def _marker(point: PainPoint, level: int) -> str:
    before, after = point.before, point.after
    if level == before and level == after:
        return BOTH
    if level == before:
        return BEFORE
    if level == after:
        return AFTER
    if before is not None and after is not None and min(before, after) < level < max(before, after):
        return JOIN
    return " "


def _date_line(points: Sequence[PainPoint]) -> str:
    line = " " * AXIS_WIDTH
    previous = ""
    for index, point in enumerate(points):
        label = point.when.strftime(DATE_FORMAT)
        start = AXIS_WIDTH + index * COLUMN_WIDTH
        # A label goes under its session when it is a new day and does not touch the last one.
        if label != previous and start > len(line.rstrip()):
            line = line.ljust(start) + label
            previous = label
    return line


def draw_chart(points: Sequence[PainPoint], width: int) -> Chart:
    """The chart of `points` (oldest first) in at most `width` characters a line."""
    fits = max(1, (width - AXIS_WIDTH - 2) // COLUMN_WIDTH)
    drawn = list(points[-fits:])
    lines = []
    for level in range(MAX_RATING, -1, -1):
        cells = "".join(f" {_marker(point, level)} " for point in drawn)
        lines.append(f"{level:>2} |{cells}".rstrip())
    lines.append("   +" + "-" * (COLUMN_WIDTH * len(drawn)))
    lines.append(_date_line(drawn).rstrip())
    first = drawn[0].when.strftime("%Y-%m-%d") if drawn else ""
    last = drawn[-1].when.strftime("%Y-%m-%d") if drawn else ""
    return Chart(lines=tuple(lines), shown=len(drawn), first=first, last=last)
