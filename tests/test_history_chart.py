"""`skill.cli.history_chart`: the terminal chart of pain before and after, as plain text."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from skill.cli.history_chart import AFTER, BEFORE, BOTH, COLUMN_WIDTH, draw_chart
from skill.cli.history_rows import PainPoint

START = datetime(2026, 11, 28, 8, 0, tzinfo=UTC)


def day(n: int) -> datetime:
    return START + timedelta(days=n)


def test_a_chart_draws_before_after_and_the_bar_between_on_a_0_to_10_scale() -> None:
    points = [
        PainPoint(day(0), 7, 4),
        PainPoint(day(0) + timedelta(hours=3), 5, 5),
        PainPoint(day(2), None, 2),
        PainPoint(day(4), 3, None),
    ]
    chart = draw_chart(points, 80)
    assert chart.lines == (
        "10 |",
        " 9 |",
        " 8 |",
        " 7 | o",
        " 6 | |",
        " 5 | |  #",
        " 4 | x",
        " 3 |          o",
        " 2 |       x",
        " 1 |",
        " 0 |",
        "   +------------",
        "    11-28 11-30",
    )
    assert (chart.shown, chart.first, chart.last) == (4, "2026-11-28", "2026-12-02")


def test_dates_label_the_axis_only_where_they_fit() -> None:
    points = [PainPoint(day(n), 5, 4) for n in range(6)]
    assert draw_chart(points, 80).lines[-1] == "    11-28 11-30 12-02"


def test_only_the_newest_sessions_that_fit_are_drawn_in_the_width() -> None:
    points = [PainPoint(day(n), n % 11, None) for n in range(40)]
    chart = draw_chart(points, 76)
    assert chart.shown == (76 - 6) // COLUMN_WIDTH
    assert max(len(line) for line in chart.lines) <= 76
    assert chart.last == day(39).date().isoformat()
    assert chart.first == day(40 - chart.shown).date().isoformat()


def test_every_rating_is_drawn_at_its_own_level() -> None:
    for before in range(11):
        for after in range(11):
            rows = draw_chart([PainPoint(day(0), before, after)], 80).lines[:11]
            marks = {10 - row: line[5] for row, line in enumerate(rows) if len(line) > 5}
            if before == after:
                assert marks == {before: BOTH}
            else:
                assert marks[before] == BEFORE
                assert marks[after] == AFTER
                assert len(marks) == abs(before - after) + 1
