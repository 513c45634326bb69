"""The pain journal's part of a turn: the open entry, and the advice the journal calls for.

A routine under way has an open journal entry, kept in the session state's own fields
(`started_at`, `last_at`, `pain_before`, `pain_after`, `reported`), so that it lives wherever the
state lives (Alexa session attributes, the stored record) and survives a crash. After every
turn, `close_and_open`:

- opens an entry when a routine starts (closing the one it replaces, if any, as it stood);
- notes each symptom reported;
- closes it as ``red_flag`` when a red flag ended the session, ``stopped`` when the user
  stopped with the routine unfinished, ``finished`` when the routine is done and no pain check
  is waiting (an unanswered check closes at the next turn, whatever it is); a routine left
  before its first step, unrated and without a symptom, is dropped rather than journaled.

The trend rule (`skill.core.trend`) is applied when a session is journaled: the front-end reads
the journal's window then and `with_advice` notes the advice in the state, so that a launch
reads no journal unless it has advice to give (then it checks the rule again on the journal as
it stands, for time has passed). `advice_events` says it at a launch, at most once a week, and
`reminder_events` once more when that session's entry closes. `summary_event` answers "how am
I doing". Pure: the journal is read by the front-end and passed in.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any, Final

from routines import events as ev
from routines.models import SETUP_SECONDS, Routine
from routines.plan import Item, expand, hold_seconds, rest_before
from routines.session import IN_ROUTINE, Question, State, Status, restore
from skill.core import trend
from skill.core.journal import Ending, SessionEntry, parse_time

__all__ = [
    "ADVICE_EVERY",
    "advice_events",
    "advice_may_be_said",
    "advice_noted",
    "close_and_open",
    "reminder_events",
    "summary_event",
    "with_advice",
]

ADVICE_EVERY: Final = timedelta(days=7)
"""The advice to see a professional is given at most this often."""


def _entry(
    state: State, library: Mapping[str, Routine], ending: Ending, at: str, begun: bool
) -> SessionEntry:
    """The open entry of `state`, closed now with `ending` (`begun`: its first pass was
    presented, which waits for the pain check's answer)."""
    assert state.started_at is not None
    assert state.routine is not None
    routine = library[state.routine]
    items = expand(routine)
    if state.status is Status.FINISHED:
        passes, steps_done = len(items), len(routine.steps)
    elif begun:
        passes, steps_done = state.position, items[state.position].step_index + 1
    else:
        passes, steps_done = 0, 0
    seconds = _seconds_done(items, passes, state.holds, state.rest)
    return SessionEntry(
        started_at=state.started_at,
        ended_at=at,
        routine=routine.id,
        ended=ending,
        steps_done=steps_done,
        steps=len(routine.steps),
        minutes=round(seconds / 60, 1),
        pain_before=state.pain_before,
        pain_after=state.pain_after if state.status is Status.FINISHED else None,
        symptoms=tuple(state.reported),
    )


def _seconds_done(
    items: list[Item], passes: int, holds: Mapping[str, int], rest: int | None
) -> int:
    """``seconds_left(items, 0, ...) - seconds_left(items, passes, ...)`` in one walk over the
    passes done: their holds with their set-up, and the rests before each of them and before
    the next one (the routine's estimate counts a pass's rest with the pass before it)."""
    total = 0
    for index in range(passes):
        total += hold_seconds(items[index].step, holds) + SETUP_SECONDS
    for index in range(1, min(passes, len(items) - 1) + 1):
        total += rest_before(items, index, rest)
    return total


_MOVES: frozenset[type] = frozenset(
    {ev.Perform, ev.PainRated, ev.Paused, ev.Finished, ev.PainAdvice}
)
"""Events that mark the routine as touched (the time it was left, if it is never closed)."""


def _clear(state: State) -> None:
    state.started_at, state.last_at, state.reported = None, None, []


def _ending(state: State, present: set[type], events: Sequence[ev.Event]) -> Ending | None:
    """How the open entry ends in this turn, if it does (`present`: the events' types)."""
    if ev.RedFlag in present:
        return "red_flag"
    if state.status is Status.FINISHED and state.asking is None:
        return "finished"
    if ev.Stopped in present and any(isinstance(e, ev.Stopped) and e.resumable for e in events):
        return "stopped"
    if state.status not in IN_ROUTINE and state.status is not Status.FINISHED:
        return "stopped"
    return None


def close_and_open(
    before: Mapping[str, Any],
    after: State,
    events: Sequence[ev.Event],
    library: Mapping[str, Routine],
    at: str,
    reported: str | None,
) -> list[SessionEntry]:
    """Keep `after`'s open entry up to date (in place); return the entries closed this turn.

    `before` is the state the turn started from (stored form, read again only when a start
    replaces its open entry); `reported` the symptom id reported, if any.
    Nothing is kept without a time (`at` empty: `render` and `script`).
    """
    if not at:
        return []
    closed: list[SessionEntry] = []
    present = {type(event) for event in events}
    if ev.RoutineStarted in present:
        if before.get("started_at") is not None and before.get("routine") in library:
            replaced = restore(before, library)
            was: Ending = "finished" if replaced.status is Status.FINISHED else "stopped"
            begun = replaced.asking is not Question.PAIN_BEFORE
            closed.append(_entry(replaced, library, was, replaced.last_at or at, begun))
        after.started_at, after.last_at, after.reported = at, at, []
    if after.started_at is None:
        return closed
    if after.last_at is None or not present.isdisjoint(_MOVES):
        # A question ("how long is left") does not touch it: such a turn stays unsaved.
        after.last_at = at
    if reported is not None:
        after.reported.append(reported)
    ending = _ending(after, present, events)
    if ending is not None and after.routine in library:
        waiting = before.get("asking") == Question.PAIN_BEFORE
        waiting = waiting and before.get("routine") == after.routine
        begun = ev.Perform in present or not waiting
        closed.append(_entry(after, library, ending, at, begun))
    if ending is not None:
        _clear(after)
    return [entry for entry in closed if _happened(entry)] if closed else closed


def _happened(entry: SessionEntry) -> bool:
    """Whether a closed entry holds anything: a routine replaced or stopped before its first
    step, with no rating and no symptom, is not a session (it would count as one)."""
    return bool(entry.steps_done or entry.pain_before is not None or entry.symptoms) or (
        entry.ended == "red_flag"
    )


def advice_may_be_said(advised_at: Any, at: str) -> bool:
    """Whether advice last given at `advised_at` (ISO time or None) may be given again at `at`."""
    if not isinstance(advised_at, str) or not at:
        return True
    now = parse_time(at)
    return now - _time(advised_at, now) >= ADVICE_EVERY


def advice_events(
    state: State, journal: Sequence[SessionEntry] | None, at: str
) -> list[ev.SeeProfessional]:
    """At a launch: the trend rule's advice, when the last session's end called for it, it
    was not given in the last week, and the rule still holds on `journal` (the window as it
    stands; the front-end reads it only then, see `turn.needs_journal`). Notes in `state`
    when it was given, and that it is to be said again when the session ends."""
    state.advise_at_end = None
    if state.advice_due is None or not advice_may_be_said(state.advised_at, at):
        return []
    if journal is not None:
        found = trend.advice(journal, parse_time(at))
        state.advice_due = None if found is None else found.reason.value
    if state.advice_due is None:
        return []
    state.advised_at, state.advise_at_end = at, state.advice_due
    return [ev.SeeProfessional(state.advice_due)]


def with_advice(
    state: Mapping[str, Any], recent: Sequence[SessionEntry], at: str
) -> dict[str, Any]:
    """`state` (stored form) with the trend rule's advice on `recent`, the journal's window
    (`trend.WINDOW_DAYS`) just after a session was journaled, for the next launch to say."""
    return advice_noted(state, trend.advice(recent, parse_time(at)) if at else None)


def advice_noted(state: Mapping[str, Any], found: trend.Advice | None) -> dict[str, Any]:
    """`state` (stored form) with the rule's advice `found` (or none) noted for the next
    launch to say."""
    return {**state, "advice_due": None if found is None else found.reason.value}


def reminder_events(state: State, closed: Sequence[SessionEntry]) -> list[ev.SeeProfessional]:
    """When the session the advice was given in ends: the advice once more, briefly."""
    if state.advise_at_end is None or not closed:
        return []
    reason, state.advise_at_end = state.advise_at_end, None
    return [ev.SeeProfessional(reason, again=True)]


def _time(text: str, default: datetime) -> datetime:
    try:
        return parse_time(text)
    except ValueError:
        return default - ADVICE_EVERY


def summary_event(
    journal: Sequence[SessionEntry], at: str, under_way: bool = False
) -> list[ev.Event]:
    """How am I doing: the journal's summary, and the advice when the rule gives it
    (`under_way`: a routine is under way, not yet in the journal)."""
    found = trend.summary(journal, parse_time(at))
    points = tuple(
        (week.first_day.isoformat(), week.pain_before, week.pain_after) for week in found.weeks
    )
    events: list[ev.Event] = [
        ev.JournalSummary(
            sessions_week=found.sessions_this_week,
            streak=found.streak_days,
            trend=found.trend.value,
            first=found.first_before,
            latest=found.latest_before,
            points=points,
            under_way=under_way,
        )
    ]
    if found.advice is not None:
        events.append(ev.SeeProfessional(found.advice.reason.value))
    return events
