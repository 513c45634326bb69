"""The pain journal's reads and writes around a turn, the same for every front-end.

Before a turn that `needs_journal`, `recent` reads the trend rule's window of the user's journal;
after a turn, `keep` appends the sessions that ended and notes the rule's advice on the journal
as it now stands in the state (`journal_turn.with_advice`), or forgets the journal when the
user asked. Both raise `skill.core.store.StoreError` when the journal's storage fails; each
front-end says so its own way (a log line on Alexa, a notice on the screen locally), never with
the entries: ratings and symptoms stay out of logs.
"""

from __future__ import annotations

from typing import Any

from skill.core.journal import Journal, SessionEntry, parse_time
from skill.core.journal_turn import with_advice
from skill.core.trend import window_start
from skill.core.turn import TurnResult

__all__ = ["keep", "recent"]


def recent(journal: Journal, user_id: str, at: str) -> list[SessionEntry]:
    """The user's sessions in the trend rule's window up to `at` (an ISO 8601 time)."""
    return journal.since(user_id, window_start(parse_time(at)))


def keep(journal: Journal, user_id: str, result: TurnResult, at: str) -> dict[str, Any]:
    """After `result`'s turn at `at`: append the sessions that ended, then note the trend
    rule's advice in the state; or forget the journal. The state to keep."""
    for entry in result.logged:
        journal.append(user_id, entry)
    if result.forget:
        journal.forget(user_id)
    elif result.logged and at:
        return with_advice(result.state, recent(journal, user_id, at), at)
    return result.state
