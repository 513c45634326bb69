"""The trend rule and the progress summary, read from the pain journal. Pure: no I/O, no clock.

The source material's one firm instruction is to see a healthcare professional when the pain
persists or worsens. `advice` acts on it from the user's own ratings; `summary` is what "how am
I doing" says. Both read only the recent window and take `now` as a parameter.

The rule, in plain words
------------------------
Pain is rated from 0 (none) to 10. Only the last four weeks count (`WINDOW_DAYS`: today and the
27 days before it, in UTC days); older sessions never change the answer, and sessions timed
after `now` (a wrong clock) are left out. The *rating* of a session is the pain the user gave
when it started; a session without one still counts as a session, but not as a rating. (The
rating at the end is kept apart: it measures what the session did, not how the week went.)

The coach advises seeing a professional when any of these holds, checked in this order:

1. **Worsens**: the latest rating is at least moderate (4 or more, `MODERATE_PAIN`) and at least
   3 points (`WORSENS_RISE`) above the lowest rating of the four weeks: for example 3, then 6.
2. **Worse after sessions**: the last two finished sessions that were rated both before and
   after each ended with more pain than they began. Sessions stopped early, or not rated, are
   passed over, not counted as good ones.
3. **Persists**: the ratings cover two weeks or more (the first and the latest are at least 14
   days apart, `PERSISTS_DAYS`), the average of the last week of ratings (the latest and those
   up to 6 days before it) is at least moderate (4 or more), and the pain is not clearly
   falling. Clearly falling means either the last week's average is at least 2 points
   (`CLEAR_FALL`) below the first week's, or every rating has been lower than the one before.

Otherwise it stays quiet: pain that is mild (below 4), clearly falling, or only a few days old
and not rising. Worsening is judged on any length of history; persisting needs two weeks.
When in doubt it advises: a single good day does not silence persisting pain (the last week's
average counts, not the latest rating), and worsening is measured from the best rating of the
four weeks, so a slow climb is caught too. Red flags (bladder or bowel control, saddle
numbness, fast-worsening weakness) are handled at once by the safety detector, not here.

The summary
-----------
Sessions and minutes in the last 7 days (today and the 6 days before), the streak (consecutive
UTC days with at least one session of any ending, ending today or yesterday; counted within the
window), the ratings of the most recent rated session, weekly points for a chart of the window,
the trend, and the advice above. The trend compares the average of the later half of the
ratings with the earlier half (the middle one of an odd number left out): 1 point or more lower
(`TREND_STEP`) is improving, 1 point or more higher is worse, anything between is steady; fewer
than 3 ratings (`TREND_MIN_RATINGS`) is unknown. The trend is worse whenever the rule advises
because the pain worsens, so the two never contradict each other.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from itertools import pairwise
from statistics import fmean
from typing import Final, NamedTuple

from skill.core.journal import SessionEntry, parse_time

__all__ = [
    "CHART_WEEKS",
    "CLEAR_FALL",
    "MODERATE_PAIN",
    "PERSISTS_DAYS",
    "TREND_MIN_RATINGS",
    "TREND_STEP",
    "WEEK_DAYS",
    "WINDOW_DAYS",
    "WORSENS_RISE",
    "Advice",
    "Rated",
    "Reason",
    "Summary",
    "Trend",
    "WeekPoint",
    "advice",
    "advice_of_rated",
    "day_of",
    "in_order",
    "rated_of",
    "summary",
    "window_start",
]

WINDOW_DAYS: Final = 28
"""The rule and the summary read only this many UTC days, today included; callers read the
journal from `window_start(now)`."""
WEEK_DAYS: Final = 7
"""A week, for "this week", the first and last week of ratings and the chart's points."""
MODERATE_PAIN: Final = 4
"""A rating at or above this is moderate pain (below it, mild): the level worth acting on."""
PERSISTS_DAYS: Final = 14
"""Ratings at least this many days apart, first to latest, show how the pain persists."""
CLEAR_FALL: Final = 2
"""A fall of this many points, first week's average to last week's, is clearly improving."""
WORSENS_RISE: Final = 3
"""A rise of this many points, from the window's lowest rating to the latest, is worsening."""
TREND_MIN_RATINGS: Final = 3
"""Fewer ratings than this make the summary's trend unknown."""
TREND_STEP: Final = 1
"""The change between halves of the ratings (in points) that the trend calls a change."""
CHART_WEEKS: Final = WINDOW_DAYS // WEEK_DAYS
"""The chart's points: one per week of the window, the last one ending today."""


class Reason(StrEnum):
    """Why the rule advises seeing a professional."""

    WORSENS = "worsens"
    """The latest rating rose well above the lowest of the window, to moderate pain or more."""
    WORSE_AFTER_SESSIONS = "worse_after_sessions"
    """The last two rated finished sessions each ended with more pain than they began."""
    PERSISTS = "persists"
    """Moderate pain or more for two weeks or longer, not clearly falling."""


@dataclass(frozen=True)
class Advice:
    """The rule fired: see a professional, and the figures that prompted it."""

    reason: Reason
    """Which part of the rule fired."""
    from_pain: float
    """Where the pain was: the lowest rating (worsens), the last session's rating before it
    (worse after sessions), or the first week's average (persists)."""
    to_pain: float
    """Where it is: the latest rating (worsens), the last session's rating after it (worse
    after sessions), or the last week's average (persists)."""
    days: int
    """Over how many days: from the lowest rating to the latest (worsens), between the two
    sessions (worse after sessions), or from the first rating to the latest (persists)."""


class Trend(StrEnum):
    """Which way the ratings go, as the summary says it."""

    IMPROVING = "improving"
    """The later half of the ratings averages at least `TREND_STEP` lower than the earlier."""
    STEADY = "steady"
    """Less than `TREND_STEP` between the halves either way."""
    WORSE = "worse"
    """At least `TREND_STEP` higher, or the rule says the pain worsens."""
    UNKNOWN = "unknown"
    """Fewer than `TREND_MIN_RATINGS` ratings: too few to tell."""


@dataclass(frozen=True)
class WeekPoint:
    """One week of the chart."""

    first_day: date
    """The week's first UTC day."""
    last_day: date
    """Its last UTC day (included)."""
    sessions: int
    """Sessions started that week."""
    pain_before: float | None
    """The average pain rated before sessions that week; None when none was rated."""
    pain_after: float | None
    """The average pain rated after sessions that week; None when none was rated."""


@dataclass(frozen=True)
class Summary:
    """What "how am I doing" says."""

    sessions_this_week: int
    """Sessions started in the last 7 UTC days, today included (any ending)."""
    minutes_this_week: float
    """Minutes of technique in those sessions."""
    streak_days: int
    """Consecutive UTC days with a session, ending today or yesterday; 0 when neither."""
    trend: Trend
    """Which way the ratings go."""
    first_before: int | None
    """The pain rated before the earliest session of the window rated before it (what "from
    ... to ..." starts from: a rating the user gave, not a week's average)."""
    latest_before: int | None
    """The pain rated before the most recent session with any rating."""
    latest_after: int | None
    """The pain rated after that same session (None when not rated, as when stopped)."""
    weeks: tuple[WeekPoint, ...]
    """`CHART_WEEKS` points, oldest first, the last one ending today."""
    advice: Advice | None
    """`advice(entries, now)`: the rule's advice, or None when it stays quiet."""


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC) if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def day_of(moment: datetime) -> date:
    """The UTC day of `moment` (a time without an offset is taken as UTC)."""
    return _utc(moment).date()


def window_start(now: datetime) -> datetime:
    """The start of the window: midnight UTC, `WINDOW_DAYS` - 1 days before `now`'s day."""
    first_day = day_of(now) - timedelta(days=WINDOW_DAYS - 1)
    return datetime.combine(first_day, time(), tzinfo=UTC)


def _order(entry: SessionEntry) -> tuple[object, ...]:
    """A total order: by start, then by every other field, so input order never matters."""
    return (
        entry.started,
        parse_time(entry.ended_at),
        entry.started_at,
        entry.ended_at,
        entry.routine,
        entry.ended,
        entry.steps_done,
        entry.steps,
        entry.minutes,
        -1 if entry.pain_before is None else entry.pain_before,
        -1 if entry.pain_after is None else entry.pain_after,
        entry.symptoms,
    )


def _started(entry: SessionEntry) -> datetime:
    return entry.started


def in_order(entries: Sequence[SessionEntry]) -> list[SessionEntry]:
    """`entries` in the rule's order: by start, and by every other field (`_order`) among
    those that start at the same moment, so input order never matters."""
    ordered = sorted(entries, key=_started)
    # The start alone orders sessions that start at different times; the whole of `_order`
    # (a dozen fields, the end parsed again) is needed only to order those that do not.
    if any(a.started == b.started for a, b in pairwise(ordered)):
        ordered.sort(key=_order)
    return ordered


def _recent(entries: Sequence[SessionEntry], now: datetime) -> list[SessionEntry]:
    """The entries of the window up to `now`, oldest first (in `_order`)."""
    start, end = window_start(now), _utc(now)
    return in_order([e for e in entries if start <= e.started <= end])


class Rated(NamedTuple):
    """A session the user rated before it, as the rule reads it (the rule reads nothing else:
    an unrated session is neither a rating nor a finished session rated before and after)."""

    day: int
    """The UTC day it started, as its ordinal (`date.toordinal`: days count as numbers)."""
    before: int
    """The pain rated when it started."""
    after: int | None
    """The pain rated when it finished; None when not rated, or not finished."""


def rated_of(sessions: Sequence[SessionEntry]) -> list[Rated]:
    """What the rule reads of `sessions` (in order): each rated one, in the same order."""
    return [
        Rated(
            day_of(e.started).toordinal(),
            e.pain_before,
            e.pain_after if e.ended == "finished" else None,
        )
        for e in sessions
        if e.pain_before is not None
    ]


def _worsens(rated: Sequence[Rated]) -> Advice | None:
    if len(rated) < 2:
        return None
    latest, earlier = rated[-1], rated[:-1]
    low = min(r.before for r in earlier)
    low_day = max(r.day for r in earlier if r.before == low)
    if latest.before < MODERATE_PAIN or latest.before - low < WORSENS_RISE:
        return None
    return Advice(Reason.WORSENS, low, latest.before, latest.day - low_day)


def _worse_after_sessions(rated: Sequence[Rated]) -> Advice | None:
    finished: list[tuple[int, int, int]] = []
    for r in rated:
        if r.after is not None:
            finished.append((r.day, r.before, r.after))
    if len(finished) < 2 or not all(after > before for _, before, after in finished[-2:]):
        return None
    (previous_day, _, _), (last_day, before, after) = finished[-2:]
    return Advice(Reason.WORSE_AFTER_SESSIONS, before, after, last_day - previous_day)


def _persists(rated: Sequence[Rated]) -> Advice | None:
    if not rated:
        return None
    first_day, last_day = rated[0].day, rated[-1].day
    span = last_day - first_day
    if span < PERSISTS_DAYS:
        return None
    first_week = fmean([r.before for r in rated if r.day - first_day < WEEK_DAYS])
    last_week = fmean([r.before for r in rated if last_day - r.day < WEEK_DAYS])
    always_lower = all(later.before < earlier.before for earlier, later in pairwise(rated))
    if last_week < MODERATE_PAIN or first_week - last_week >= CLEAR_FALL or always_lower:
        return None
    return Advice(Reason.PERSISTS, first_week, last_week, span)


def advice_of_rated(rated: Sequence[Rated]) -> Advice | None:
    """The rule's advice on the rated sessions of the window up to now, in the rule's order
    (`rated_of(_recent(...))`, or the journal's compact copy of them)."""
    return _worsens(rated) or _worse_after_sessions(rated) or _persists(rated)


def advice(entries: Sequence[SessionEntry], now: datetime) -> Advice | None:
    """The rule's advice to see a professional (see the module's docstring), or None."""
    return advice_of_rated(rated_of(_recent(entries, now)))


def _trend(rated: Sequence[Rated], advised: Advice | None) -> Trend:
    if advised is not None and advised.reason is Reason.WORSENS:
        return Trend.WORSE
    ratings = [r.before for r in rated]
    if len(ratings) < TREND_MIN_RATINGS:
        return Trend.UNKNOWN
    half = len(ratings) // 2
    change = fmean(ratings[-half:]) - fmean(ratings[:half])
    if change <= -TREND_STEP:
        return Trend.IMPROVING
    return Trend.WORSE if change >= TREND_STEP else Trend.STEADY


def _streak(days: set[date], today: date) -> int:
    end = today if today in days else today - timedelta(days=1)
    count = 0
    while end - timedelta(days=count) in days:
        count += 1
    return count


def _mean(ratings: Sequence[int | None]) -> float | None:
    rated = [rating for rating in ratings if rating is not None]
    return fmean(rated) if rated else None


def _week(sessions: Sequence[SessionEntry], last_day: date) -> WeekPoint:
    first_day = last_day - timedelta(days=WEEK_DAYS - 1)
    week = [e for e in sessions if first_day <= day_of(e.started) <= last_day]
    return WeekPoint(
        first_day,
        last_day,
        len(week),
        _mean([e.pain_before for e in week]),
        _mean([e.pain_after for e in week]),
    )


def summary(entries: Sequence[SessionEntry], now: datetime) -> Summary:
    """What "how am I doing" says, from the window's entries (see the module's docstring)."""
    sessions = _recent(entries, now)
    today = day_of(now)
    rated = rated_of(sessions)
    advised = advice_of_rated(rated)
    weeks = tuple(
        _week(sessions, today - timedelta(days=WEEK_DAYS * back))
        for back in reversed(range(CHART_WEEKS))
    )
    this_week = [e for e in sessions if (today - day_of(e.started)).days < WEEK_DAYS]
    with_any = [e for e in sessions if e.pain_before is not None or e.pain_after is not None]
    latest = with_any[-1] if with_any else None
    return Summary(
        sessions_this_week=len(this_week),
        minutes_this_week=sum(e.minutes for e in this_week),
        streak_days=_streak({day_of(e.started) for e in sessions}, today),
        trend=_trend(rated, advised),
        first_before=rated[0].before if rated else None,
        latest_before=latest.pain_before if latest else None,
        latest_after=latest.pain_after if latest else None,
        weeks=weeks,
        advice=advised,
    )
