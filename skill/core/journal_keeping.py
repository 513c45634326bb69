"""The pain journal's reads and writes around a turn, the same for every front-end.

Before a turn that `needs_journal`, `recent` reads the trend rule's window of the user's journal;
after a turn, `keep` appends the sessions that ended and notes the rule's advice on the journal
as it now stands in the state, or forgets the journal when the user asked. The rule reads the
copy of its window that the user's record keeps (`skill.core.journal_window`) when the copy is
in step with the journal, instead of the journal's rows, and the front-end keeps the new copy
in the record: Alexa and the local coach alike. `keep` raises `skill.core.store.StoreError`
when the journal's storage fails; each front-end says so its own way (a log line on Alexa, a
notice on the screen locally), never with the entries: ratings and symptoms stay out of logs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from skill.core import journal_window
from skill.core.journal import Journal, SessionEntry, parse_time
from skill.core.journal_turn import advice_noted
from skill.core.trend import advice_of_rated, window_start
from skill.core.turn import TurnResult

__all__ = ["Kept", "Read", "keep", "keep_reading", "recent"]


def recent(journal: Journal, user_id: str, at: str) -> list[SessionEntry]:
    """The user's sessions in the trend rule's window up to `at` (an ISO 8601 time)."""
    return journal.since(user_id, window_start(parse_time(at)))


@dataclass(frozen=True)
class Kept:
    """What `keep` leaves for the front-end to store."""

    state: dict[str, Any]
    """The state to keep."""
    window: str | None
    """The record's new copy of the rule's window (`journal_window.WINDOW_KEY`); None: leave
    the record's as it is (after `forget`, none; a journal that cannot count keeps none)."""


Read = Callable[[datetime], tuple[int | None, object]]
"""Reads, after a session's append, the journal's count of sessions since the given start of
the window (`Journal.count_since`; None: it cannot count) and the record's copy of the window
(its `journal_window.WINDOW_KEY` value, if any)."""


def keep(journal: Journal, user_id: str, result: TurnResult, at: str, stored: object) -> Kept:
    """After `result`'s turn at `at`: append the sessions that ended, then note the trend
    rule's advice in the state; or forget the journal. `stored` (the record's
    `journal_window.WINDOW_KEY` value, if any) is read for the rule instead of the journal's
    rows when it agrees with the journal (as many sessions since the window's start, counted
    after the append); otherwise the copy is rebuilt from the rows."""
    return keep_reading(
        journal, user_id, result, at, lambda start: (journal.count_since(user_id, start), stored)
    )


def keep_reading(journal: Journal, user_id: str, result: TurnResult, at: str, read: Read) -> Kept:
    """`keep`, with the count and the record's copy of the window read by `read` after the
    append (where the journal shares the record's file, both in one statement:
    `skill.core.journal_store.SQLiteJournal.count_and_record`)."""
    _write(journal, user_id, result)
    if result.forget or not (result.logged and at):
        return Kept(result.state, None)
    now = parse_time(at)
    start = window_start(now)
    count, stored = read(start)
    copy = None if count is None else journal_window.read(stored)
    window = None
    if copy is not None:
        window = journal_window.added(journal_window.since(copy, start), result.logged, start)
    if window is None or count != len(window):
        window = _rows(journal, user_id, start)
    state = advice_noted(result.state, advice_of_rated(journal_window.rated(window, now)))
    if count is None:
        return Kept(state, None)  # a journal that cannot count (DynamoDB) is read every time
    if window == copy and isinstance(stored, str):
        # Left as it was (a replayed request's session, journaled already, and nothing older
        # than the window): kept as it was written.
        return Kept(state, stored)
    return Kept(state, journal_window.text(window))


def _write(journal: Journal, user_id: str, result: TurnResult) -> None:
    """Append the sessions `result`'s turn ended, or forget the journal when the user asked."""
    for entry in result.logged:
        journal.append(user_id, entry)
    if result.forget:
        journal.forget(user_id)


def _rows(journal: Journal, user_id: str, start: datetime) -> journal_window.Window:
    """The copy of the window, rebuilt from the journal's rows since `start`."""
    return journal_window.of_entries(journal.since(user_id, start))
