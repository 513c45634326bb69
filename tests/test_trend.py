"""The trend rule and the progress summary (skill.core.trend): the cases the issue names, each
threshold on both sides, and properties over any history (hypothesis)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from random import Random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from skill.core.journal import Ending, SessionEntry
from skill.core.trend import (
    CHART_WEEKS,
    WINDOW_DAYS,
    Advice,
    Reason,
    Trend,
    WeekPoint,
    advice,
    day_of,
    summary,
    window_start,
)
from tests.support.journal import session_entry

DAY0 = datetime(2026, 11, 1, 8, 30, tzinfo=UTC)
"""The first day of the histories written by hand."""
NOW = datetime(2026, 12, 1, 20, 0, tzinfo=UTC)
"""When the properties ask."""


def session(
    at: datetime,
    before: int | None = None,
    after: int | None = None,
    ended: Ending = "finished",
    minutes: float = 10.0,
) -> SessionEntry:
    """One journal entry that started at `at`."""
    return session_entry(
        at,
        lasting=minutes,
        routine="small",
        ended=ended,
        steps_done=2 if ended == "finished" else 1,
        steps=2,
        minutes=minutes,
        pain_before=before,
        pain_after=after,
    )


def on_day(day: int, before: int | None = None, after: int | None = None) -> SessionEntry:
    """A finished session on day `day` of the hand-written histories."""
    return session(DAY0 + timedelta(days=day), before, after)


def history(*days_and_ratings: tuple[int, int]) -> list[SessionEntry]:
    """Finished sessions rated before only, on the given days."""
    return [on_day(day, rating) for day, rating in days_and_ratings]


def evening_of(day: int) -> datetime:
    """Asking on the evening of day `day`."""
    return DAY0 + timedelta(days=day, hours=11)


# The cases the issue names.


def test_starting_ratings_5_5_6_6_over_15_days_persist() -> None:
    entries = history((0, 5), (5, 5), (10, 6), (14, 6))
    assert advice(entries, evening_of(14)) == Advice(Reason.PERSISTS, 5.0, 6.0, 14)


def test_3_and_then_6_within_a_week_worsens() -> None:
    entries = history((0, 3), (4, 6))
    assert advice(entries, evening_of(4)) == Advice(Reason.WORSENS, 3, 6, 4)


def test_two_finished_sessions_in_a_row_that_ended_worse_advise() -> None:
    entries = [on_day(0, 4, 5), on_day(1, 4, 6)]
    assert advice(entries, evening_of(1)) == Advice(Reason.WORSE_AFTER_SESSIONS, 4, 6, 1)


def test_7_6_4_3_over_15_days_is_improving_and_quiet() -> None:
    entries = history((0, 7), (5, 6), (10, 4), (14, 3))
    assert advice(entries, evening_of(14)) is None


@pytest.mark.parametrize(
    "ratings",
    [[6], [5, 5, 5], [6, 6, 6, 6, 6, 6], [8, 7, 7, 6], [4, 5, 4], [9, 9, 9, 9, 9, 9, 9]],
)
def test_a_history_shorter_than_a_week_that_is_not_worsening_is_quiet(ratings: list[int]) -> None:
    entries = history(*enumerate(ratings))
    assert advice(entries, evening_of(len(ratings) - 1)) is None


# Persists: two weeks, moderate, not clearly falling.


def test_moderate_pain_for_exactly_two_weeks_persists_and_thirteen_days_does_not() -> None:
    assert advice(history((0, 4), (14, 4)), evening_of(14)) == Advice(Reason.PERSISTS, 4.0, 4.0, 14)
    assert advice(history((0, 4), (13, 4)), evening_of(13)) is None


def test_mild_pain_however_long_is_quiet() -> None:
    entries = history((0, 3), (7, 3), (14, 3), (21, 3), (27, 3))
    assert advice(entries, evening_of(27)) is None


def test_one_good_day_does_not_silence_persisting_pain() -> None:
    entries = history((0, 6), (4, 6), (8, 6), (12, 6), (14, 3))
    assert advice(entries, evening_of(14)) == Advice(Reason.PERSISTS, 6.0, 5.0, 14)


def test_a_two_point_fall_between_first_and_last_week_is_improving() -> None:
    assert advice(history((0, 8), (3, 8), (11, 7), (12, 6), (14, 5)), evening_of(14)) is None


def test_a_one_point_fall_with_ups_and_downs_still_persists() -> None:
    entries = history((0, 7), (3, 8), (11, 7), (14, 7))
    assert advice(entries, evening_of(14)) == Advice(Reason.PERSISTS, 7.5, 7.0, 14)


def test_pain_lower_at_every_session_is_improving_even_slowly() -> None:
    assert advice(history((0, 9), (20, 8)), evening_of(20)) is None


# Worsens: a rise of 3 from the window's best, to moderate pain.


def test_a_rise_of_two_points_is_quiet_and_of_three_advises() -> None:
    assert advice(history((0, 4), (2, 6)), evening_of(2)) is None
    assert advice(history((0, 4), (2, 7)), evening_of(2)) == Advice(Reason.WORSENS, 4, 7, 2)


def test_a_rise_to_mild_pain_is_quiet() -> None:
    assert advice(history((0, 0), (1, 3)), evening_of(1)) is None


def test_worsening_is_measured_from_the_best_rating_of_the_window() -> None:
    entries = history((0, 2), (3, 8), (4, 2), (5, 6), (6, 5))
    assert advice(entries, evening_of(6)) == Advice(Reason.WORSENS, 2, 5, 2)


def test_pain_back_down_after_a_flare_is_quiet() -> None:
    assert advice(history((0, 3), (1, 7), (2, 3)), evening_of(2)) is None


def test_worsening_wins_over_the_other_reasons() -> None:
    entries = [*history((0, 6), (7, 6), (14, 6)), on_day(15, 3, 4), on_day(16, 6, 7)]
    assert advice(entries, evening_of(16)) == Advice(Reason.WORSENS, 3, 6, 1)


# Worse after sessions.


def test_a_session_that_ended_better_in_between_breaks_the_row() -> None:
    entries = [on_day(0, 4, 5), on_day(1, 4, 2), on_day(2, 4, 6)]
    assert advice(entries, evening_of(2)) is None


def test_stopped_and_unrated_sessions_in_between_are_passed_over() -> None:
    entries = [
        on_day(0, 4, 5),
        session(DAY0 + timedelta(days=1), 4, ended="stopped"),
        on_day(2),
        session(DAY0 + timedelta(days=3), 5, 5, ended="red_flag"),
        on_day(4, 4, 6),
    ]
    assert advice(entries, evening_of(4)) == Advice(Reason.WORSE_AFTER_SESSIONS, 4, 6, 4)


def test_a_session_that_ended_as_it_began_is_not_worse() -> None:
    assert advice([on_day(0, 4, 5), on_day(1, 4, 4)], evening_of(1)) is None


def test_one_session_that_ended_worse_is_not_a_row() -> None:
    assert advice([on_day(0, 4, 6)], evening_of(0)) is None


# The window.


def test_the_window_starts_at_midnight_utc_four_weeks_back_today_included() -> None:
    assert window_start(NOW) == datetime(2026, 11, 4, tzinfo=UTC)
    assert (day_of(NOW) - window_start(NOW).date()).days == WINDOW_DAYS - 1


def test_a_low_rating_just_outside_the_window_no_longer_counts() -> None:
    start = window_start(NOW)
    inside = [session(start, 2), session(NOW - timedelta(hours=1), 6)]
    assert advice(inside, NOW) == Advice(Reason.WORSENS, 2, 6, WINDOW_DAYS - 1)
    outside = [session(start - timedelta(seconds=1), 2), inside[1]]
    assert advice(outside, NOW) is None


def test_sessions_timed_after_now_are_left_out() -> None:
    entries = [session(NOW - timedelta(days=1), 2), session(NOW + timedelta(minutes=1), 7)]
    assert advice(entries, NOW) is None
    assert summary(entries, NOW).sessions_this_week == 1


def test_unrated_sessions_count_as_sessions_not_as_ratings() -> None:
    entries = [on_day(0, 3), on_day(1), on_day(2), on_day(3, 6)]
    assert advice(entries, evening_of(3)) == Advice(Reason.WORSENS, 3, 6, 3)
    assert summary(entries, evening_of(3)).sessions_this_week == 4


# The summary.


def test_an_empty_journal_sums_up_as_nothing_yet() -> None:
    result = summary([], NOW)
    assert (result.sessions_this_week, result.minutes_this_week, result.streak_days) == (0, 0, 0)
    assert (result.trend, result.latest_before, result.latest_after) == (Trend.UNKNOWN, None, None)
    assert result.advice is None
    assert [point.sessions for point in result.weeks] == [0] * CHART_WEEKS
    assert result.weeks[-1] == WeekPoint(date(2026, 11, 25), date(2026, 12, 1), 0, None, None)


def test_this_week_is_today_and_the_six_days_before() -> None:
    entries = [
        session(NOW - timedelta(days=7), minutes=5),
        session(NOW - timedelta(days=6, hours=19), minutes=12.5),
        session(NOW - timedelta(hours=20), minutes=20, ended="stopped"),
        session(NOW, minutes=1),
    ]
    result = summary(entries, NOW)
    assert (result.sessions_this_week, result.minutes_this_week) == (3, 33.5)


def test_the_streak_ends_today_or_yesterday_and_counts_each_day_once() -> None:
    days = [0, 1, 1, 2, 4, 5, 6]
    entries = [on_day(day) for day in days]
    assert summary(entries, evening_of(6)).streak_days == 3
    assert summary(entries, evening_of(7)).streak_days == 3
    assert summary(entries, evening_of(8)).streak_days == 0
    assert summary(entries, evening_of(2)).streak_days == 3


def test_the_streak_is_counted_within_the_window() -> None:
    entries = [session(NOW - timedelta(days=back)) for back in range(40)]
    assert summary(entries, NOW).streak_days == WINDOW_DAYS
    assert summary(entries[1:], NOW).streak_days == WINDOW_DAYS - 1


def test_the_streak_is_counted_in_utc_days() -> None:
    late = datetime(2026, 11, 30, 23, 59, tzinfo=UTC)
    entries = [session(late), session(late + timedelta(minutes=2))]
    assert summary(entries, late + timedelta(minutes=3)).streak_days == 2


@pytest.mark.parametrize(
    ("ratings", "trend"),
    [
        ([6, 6, 4, 4], Trend.IMPROVING),
        ([5, 5, 6, 5], Trend.STEADY),
        ([3, 3, 4, 4], Trend.WORSE),
        ([5, 9, 5], Trend.STEADY),
        ([6, 5, 5], Trend.IMPROVING),
        ([6, 4], Trend.UNKNOWN),
        ([3, 6], Trend.WORSE),
    ],
)
def test_the_trend_compares_the_later_half_of_the_ratings_with_the_earlier(
    ratings: list[int], trend: Trend
) -> None:
    entries = [*history(*enumerate(ratings)), on_day(len(ratings))]
    assert summary(entries, evening_of(len(ratings))).trend is trend


def test_the_trend_is_worse_whenever_the_rule_says_the_pain_worsens() -> None:
    entries = history((0, 8), (1, 8), (2, 8), (3, 2), (4, 2), (5, 5))
    result = summary(entries, evening_of(5))
    assert result.advice == Advice(Reason.WORSENS, 2, 5, 1)
    assert result.trend is Trend.WORSE


def test_the_latest_ratings_belong_to_the_same_session() -> None:
    entries = [
        on_day(0, 6, 3),
        session(DAY0 + timedelta(days=1), 5, ended="stopped"),
        on_day(2),
    ]
    result = summary(entries, evening_of(2))
    assert (result.latest_before, result.latest_after) == (5, None)


def test_the_first_rating_is_one_the_user_gave_not_a_weeks_average() -> None:
    # 3, then 6 five days later: the same chart week, whose average (4.5) no one said.
    entries = [*history((0, 3), (5, 6)), on_day(6)]
    result = summary(entries, evening_of(6))
    assert (result.first_before, result.latest_before) == (3, 6)
    assert summary([on_day(0), on_day(1)], evening_of(1)).first_before is None


def test_the_chart_has_a_point_per_week_with_the_average_ratings() -> None:
    entries = [
        session(NOW - timedelta(days=20), 8, 6),
        session(NOW - timedelta(days=3), 6, 3),
        session(NOW - timedelta(days=1), 5, ended="stopped"),
        session(NOW, 4, 2),
    ]
    weeks = summary(entries, NOW).weeks
    assert weeks == (
        WeekPoint(date(2026, 11, 4), date(2026, 11, 10), 0, None, None),
        WeekPoint(date(2026, 11, 11), date(2026, 11, 17), 1, 8.0, 6.0),
        WeekPoint(date(2026, 11, 18), date(2026, 11, 24), 0, None, None),
        WeekPoint(date(2026, 11, 25), date(2026, 12, 1), 3, 5.0, 2.5),
    )
    assert weeks[0].first_day == window_start(NOW).date()


def test_the_summary_carries_the_rules_advice() -> None:
    entries = history((0, 5), (5, 5), (10, 6), (14, 6))
    result = summary(entries, evening_of(14))
    assert result.advice == advice(entries, evening_of(14))
    assert result.advice is not None


# Properties over any history.

ratings = st.none() | st.integers(0, 10)
endings: st.SearchStrategy[Ending] = st.sampled_from(["finished", "stopped", "red_flag"])


@st.composite
def entries_at(draw: st.DrawFn, earliest: datetime, latest: datetime) -> SessionEntry:
    """Any entry that started between `earliest` and `latest` (whole minutes)."""
    minutes = int((latest - earliest).total_seconds() // 60)
    at = earliest + timedelta(minutes=draw(st.integers(0, minutes)))
    ended = draw(endings)
    after = draw(ratings) if ended == "finished" else None
    return session(at, draw(ratings), after, ended, draw(st.sampled_from([0.0, 4.5, 12.0])))


recent_entries = st.lists(entries_at(window_start(NOW), NOW + timedelta(days=1)), max_size=25)
older_entries = st.lists(
    entries_at(window_start(NOW) - timedelta(days=60), window_start(NOW) - timedelta(minutes=1)),
    min_size=1,
    max_size=10,
)


tied_entries = st.lists(entries_at(NOW - timedelta(minutes=2), NOW), max_size=8)
"""Sessions started in the same few minutes: the order must not hang on the start alone."""


@given(recent_entries | tied_entries, st.randoms(use_true_random=False))
def test_the_order_of_the_entries_never_matters(
    entries: list[SessionEntry], random: Random
) -> None:
    shuffled = list(entries)
    random.shuffle(shuffled)
    assert advice(shuffled, NOW) == advice(entries, NOW)
    assert summary(shuffled, NOW) == summary(entries, NOW)
    assert summary(entries, NOW).advice == advice(entries, NOW)


@given(recent_entries, older_entries)
def test_entries_older_than_the_window_never_change_the_answer(
    recent: list[SessionEntry], older: list[SessionEntry]
) -> None:
    assert advice(older + recent, NOW) == advice(recent, NOW)
    assert summary(older + recent, NOW) == summary(recent, NOW)


@st.composite
def falling_histories(draw: st.DrawFn) -> list[SessionEntry]:
    """Sessions whose ratings before fall at every rated session, unrated ones in between."""
    levels = (
        st.sets(st.integers(0, 10), min_size=1)
        | st.sets(st.integers(4, 10), min_size=1)
        | st.integers(5, 10).map(lambda high: {high, high - 1})
    )
    falling = sorted(draw(levels), reverse=True)
    gaps = draw(
        st.lists(st.integers(1, 10 * 24 * 60), min_size=len(falling) * 2, max_size=len(falling) * 2)
    )
    at, entries = window_start(NOW), []
    for index, gap in enumerate(gaps):
        at += timedelta(minutes=gap)
        rated = index % 2 == 0
        before = falling[index // 2] if rated else None
        entries.append(session(at, before, draw(ratings), "finished"))
    return entries


@given(falling_histories())
def test_ratings_falling_at_every_session_never_persist_or_worsen(
    entries: list[SessionEntry],
) -> None:
    now = max(entry.started for entry in entries)
    advised = advice(entries, now)
    assert advised is None or advised.reason is Reason.WORSE_AFTER_SESSIONS


@st.composite
def short_never_rising_histories(draw: st.DrawFn) -> tuple[list[SessionEntry], datetime]:
    """Less than 7 days of sessions whose ratings (before, then after, session after session)
    never rise, and a time to ask after the last one."""
    first = NOW - timedelta(days=10)
    times = sorted(
        draw(st.lists(st.integers(0, 7 * 24 * 60 - 1), min_size=1, max_size=12, unique=True))
    )
    level, entries = draw(st.integers(0, 10)), []
    for minute in times:
        ended = draw(endings)
        before = draw(st.none() | st.integers(0, level))
        level = level if before is None else before
        after = draw(st.none() | st.integers(0, level)) if ended == "finished" else None
        level = level if after is None else after
        entries.append(session(first + timedelta(minutes=minute), before, after, ended))
    asked = entries[-1].started + timedelta(minutes=draw(st.integers(0, 3 * 24 * 60)))
    return entries, asked


@given(short_never_rising_histories())
def test_a_history_shorter_than_a_week_whose_ratings_never_rise_never_advises(
    case: tuple[list[SessionEntry], datetime],
) -> None:
    entries, now = case
    assert advice(entries, now) is None


@st.composite
def worsening_histories(draw: st.DrawFn) -> list[SessionEntry]:
    """Any sessions, one of them rated low, then a latest one rated at least 3 points higher
    and at least moderate: pain that worsens."""
    earlier = entries_at(window_start(NOW), NOW - timedelta(days=2))
    entries = draw(st.lists(earlier, max_size=20))
    low = draw(st.integers(0, 7))
    entries.append(session(draw(earlier).started, low))
    entries.append(session(NOW - timedelta(days=1), draw(st.integers(max(4, low + 3), 10))))
    return entries


@given(worsening_histories(), st.integers(0, 10), st.integers(1, 24 * 60))
def test_a_later_session_rated_higher_never_turns_worsening_advice_off(
    entries: list[SessionEntry], rise: int, minutes_later: int
) -> None:
    advised = advice(entries, NOW)
    assert advised is not None
    assert advised.reason is Reason.WORSENS
    rating = min(10, int(advised.to_pain) + rise)
    later = session(NOW - timedelta(days=1, minutes=-minutes_later), rating)
    again = advice([*entries, later], NOW)
    assert again is not None
    assert again.reason is Reason.WORSENS


def brute_force_streak(entries: list[SessionEntry], now: datetime) -> int:
    """The longest run of days, each with a session in the window, ending today or yesterday."""
    today = day_of(now)
    days = {day_of(e.started) for e in entries if window_start(now) <= e.started <= now}
    longest = 0
    for end in (today, today - timedelta(days=1)):
        for length in range(WINDOW_DAYS + 1):
            if all(end - timedelta(days=back) in days for back in range(length)):
                longest = max(longest, length)
    return longest


dense_entries = st.lists(entries_at(NOW - timedelta(days=12), NOW), max_size=30)
daily_entries = st.builds(
    lambda end, length, others: [
        session(NOW - timedelta(days=back)) for back in {*range(end, end + length), *others}
    ],
    st.integers(0, 2),
    st.integers(0, WINDOW_DAYS + 5),
    st.sets(st.integers(0, WINDOW_DAYS + 5), max_size=10),
)
"""A run of daily sessions ending today, yesterday or the day before, and a few other days."""


@given(recent_entries | dense_entries | daily_entries)
def test_the_streak_equals_a_brute_force_count(entries: list[SessionEntry]) -> None:
    assert summary(entries, NOW).streak_days == brute_force_streak(entries, NOW)
