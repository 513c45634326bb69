"""The trend rule's window of a user's journal, kept small in their record beside the state.

When a session ends, the rule (`skill.core.trend`) reads the user's last four weeks. Reading
them from the journal means decoding and checking a row per session, which cost more than the
rest of the request; so the user's record keeps what the rule reads of those weeks under
`WINDOW_KEY`, as one JSON text: for each session of the journal since the window's start, its
start (whole microseconds since the epoch, UTC), routine, the pain rated before it, and the
pain rated after it when it finished (None otherwise), in the rule's order. A few weeks of
daily sessions is about a kilobyte.

The journal stays the source of truth, and the copy is trusted only when it agrees with it:

- before a session is added, the journal is asked how many sessions it holds since the
  window's start (`Journal.count_since`, an index count) and the copy must list as many;
  a copy that is missing, damaged, or out of step with the journal (a crash between the
  journal's write and the record's, a history deleted on the command line, a session journaled
  by another device or a damaged row) is rebuilt from the journal's rows (`of_entries`);
- a session the copy holds already (the same start to the second and routine: the journal
  keeps it once) is not added twice (`added`);
- the rule orders sessions that start at the same moment by every field of their entries,
  which the copy does not keep: adding one that starts with another asks for a rebuild.

A journal that cannot count without reading its entries (DynamoDB's) is read at every stop, as
before, and no copy is kept.

Deleting the journal deletes the copy (`skill.core.journal_store.SQLiteJournal.forget`, and
the Alexa skill's "delete my history"). Pure: the journal is read and written by the caller.
"""

from __future__ import annotations

import bisect
import json
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Final

from skill.core.journal import MAX_RATING, SessionEntry
from skill.core.trend import Rated, in_order

__all__ = [
    "WINDOW_KEY",
    "Window",
    "added",
    "of_entries",
    "rated",
    "read",
    "since",
    "text",
]

WINDOW_KEY: Final = "journal_window"
"""The key of the copy in a user's record (beside ``state``)."""

Window = list[tuple[int, str, int | None, int | None]]
"""The copy: (start in microseconds since the epoch, routine, pain before, pain after when
finished) per session, in the rule's order."""

_EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND: Final = timedelta(microseconds=1)
_SECOND: Final = 1_000_000
_DAY: Final = 86_400 * _SECOND
_EPOCH_DAY: Final = _EPOCH.date().toordinal()


def _micros(moment: datetime) -> int:
    return (moment - _EPOCH) // _MICROSECOND


def _session(entry: SessionEntry) -> tuple[int, str, int | None, int | None]:
    after = entry.pain_after if entry.ended == "finished" else None
    return (_micros(entry.started), entry.routine, entry.pain_before, after)


_RATINGS: Final = frozenset({None, *range(MAX_RATING + 1)})
"""What a rating in the copy may be. JSON's true and false would pass as 1 and 0 (equal
values), so `read` refuses a copy that holds either after a comma, where a rating stands (a
routine named so, in quotes, is refused too: its copy is then rebuilt at every stop)."""


def read(stored: object) -> Window | None:
    """The copy in `stored` (a record's `WINDOW_KEY` value); None when there is none or it
    cannot be read."""
    if not isinstance(stored, str) or ",true" in stored or ",false" in stored:
        return None
    try:
        sessions = json.loads(stored)
    except ValueError:
        return None
    if type(sessions) is not list:
        return None
    window: Window = []
    try:
        for moment, routine, before, after in sessions:
            if type(moment) is not int or type(routine) is not str:
                return None
            if before not in _RATINGS or after not in _RATINGS:
                return None
            window.append((moment, routine, before, after))
    except (TypeError, ValueError):  # a session that is not a list of four
        return None
    return window


def since(window: Window, start: datetime) -> Window:
    """The sessions of `window` that started at or after `start`."""
    moment = _micros(start)
    return [session for session in window if session[0] >= moment]


def of_entries(entries: Sequence[SessionEntry]) -> Window:
    """The copy of a journal's `entries` (the window's rows, read back)."""
    return [_session(entry) for entry in in_order(entries)]


def added(window: Window, entries: Sequence[SessionEntry], start: datetime) -> Window | None:
    """`window` with the `entries` just journaled that started since `start`, each in its
    place; None when one starts at the same moment as another session (rebuild the copy)."""
    since = _micros(start)
    window = list(window)
    for entry in entries:
        session = _session(entry)
        moment, routine = session[0], session[1]
        if moment < since:
            continue
        second = moment // _SECOND
        if any(s[0] // _SECOND == second and s[1] == routine for s in window):
            continue  # the journal holds it already, and kept the first
        at = bisect.bisect_left(window, moment, key=_moment)
        if at < len(window) and window[at][0] == moment:
            return None
        window.insert(at, session)
    return window


def _moment(session: tuple[int, str, int | None, int | None]) -> int:
    return session[0]


def rated(window: Window, now: datetime) -> list[Rated]:
    """What the rule reads of the copy up to `now`: its rated sessions, in order."""
    end = _micros(now)
    return [
        Rated(_EPOCH_DAY + moment // _DAY, before, after)
        for moment, _, before, after in window
        if before is not None and moment <= end
    ]


def text(window: Window) -> str:
    """The copy as the record keeps it."""
    return json.dumps(window, separators=(",", ":"))
