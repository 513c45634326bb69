"""`massage-coach history --png FILE`: the pain chart as an image, drawn with matplotlib.

matplotlib is an optional extra (``pip install 'massage-coach[charts]'``): it is heavy, so it
is imported only here, only when an image is asked for, and its absence is a clear error that
names the extra. It draws with the non-interactive Agg backend on a `Figure` of its own (no
pyplot, no global state, no window), at a fixed size and resolution, so every image is exactly
`PIXELS` wide and high.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from skill.cli.history_rows import PainPoint
from skill.core.journal import MAX_RATING

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["DPI", "EXTRA", "PIXELS", "ChartsMissingError", "draw_figure", "write_png"]

FIGURE_INCHES: Final = (10.0, 5.0)
DPI: Final = 100
PIXELS: Final = (int(FIGURE_INCHES[0] * DPI), int(FIGURE_INCHES[1] * DPI))
"""Every image's width and height."""

EXTRA: Final = "massage-coach[charts]"
"""The optional extra that installs matplotlib."""


class ChartsMissingError(RuntimeError):
    """matplotlib is not installed."""


def draw_figure(points: Sequence[PainPoint], title: str, zone: tzinfo) -> Figure:
    """The chart of pain before and after each session (oldest first) over time, with dates in
    the time zone `zone`: a ring for each rating before, a square for each one after (lines
    labelled "before" and "after"), and a grey bar between the two of a session.

    Raises:
        ChartsMissingError: matplotlib is not installed.
    """
    try:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.dates import AutoDateLocator, ConciseDateFormatter, date2num
        from matplotlib.figure import Figure
    except ImportError as error:
        raise ChartsMissingError(
            f"--png needs matplotlib, which is not installed: pip install '{EXTRA}'"
        ) from error

    figure = Figure(figsize=FIGURE_INCHES, dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    days = [float(date2num(point.when)) for point in points]
    for day, point in zip(days, points, strict=True):
        if point.before is not None and point.after is not None:
            axes.plot([day, day], [point.before, point.after], color="0.75", lw=2)
    # A ring for before and a smaller square for after: when both are the same, both show.
    styles: tuple[tuple[str, dict[str, Any]], ...] = (
        ("before", {"marker": "o", "ms": 11, "mfc": "none", "mew": 2, "color": "tab:red"}),
        ("after", {"marker": "s", "ms": 6, "color": "tab:blue"}),
    )
    for (label, style), ratings in zip(
        styles, ([p.before for p in points], [p.after for p in points]), strict=True
    ):
        rated = [
            (day, rating) for day, rating in zip(days, ratings, strict=True) if rating is not None
        ]
        if rated:
            xs, ys = zip(*rated, strict=True)
            axes.plot(xs, ys, linestyle="none", label=label, **style)
    axes.set_ylim(-0.5, MAX_RATING + 0.5)
    axes.set_yticks(range(MAX_RATING + 1))
    axes.set_ylabel("pain (0 none, 10 worst)")
    axes.grid(axis="y", alpha=0.3)
    axes.set_title(title)
    if points:
        locator = AutoDateLocator(tz=zone)
        axes.xaxis.set_major_locator(locator)
        axes.xaxis.set_major_formatter(ConciseDateFormatter(locator, tz=zone))
        figure.legend(loc="outside right upper")
    else:
        axes.set_xticks([])
        axes.text(0.5, 0.5, "no pain ratings", transform=axes.transAxes, ha="center")
    return figure


def write_png(points: Sequence[PainPoint], path: Path, title: str, zone: tzinfo) -> None:
    """Draw `draw_figure`'s chart into a PNG file at `path`, exactly `PIXELS` in size.

    Raises:
        ChartsMissingError: matplotlib is not installed.
        OSError: the file cannot be written.
    """
    draw_figure(points, title, zone).savefig(path, format="png", dpi=DPI)
