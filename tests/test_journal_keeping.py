"""skill.core.journal_keeping: the journal read and kept around a turn, on a real SQLite file."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from routines.commands import Command
from routines.commands import CommandKind as K
from routines.models import Routine
from skill.core import journal_keeping
from skill.core.journal import format_time
from skill.core.journal_store import SQLiteJournal
from skill.core.turn import TurnContext, take_turn
from tests.support.journal import session_entry

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
USER = "someone"


def test_a_session_that_ends_is_kept_and_the_rule_noted(
    library: dict[str, Routine], tmp_path: Path
) -> None:
    journal = SQLiteJournal(tmp_path / "coach.sqlite3")
    for days, rating in ((16, 5), (11, 5), (6, 6)):
        journal.append(USER, session_entry(NOW - timedelta(days=days), pain_before=rating))
    at = format_time(NOW)
    state = None
    for command in (Command(K.START, routine="small"), Command(K.RATE_PAIN, rating=6)):
        state = take_turn(state, command, library, TurnContext(at=at)).state
    stopped = take_turn(state, Command(K.STOP), library, TurnContext(at=at))
    (entry,) = stopped.logged
    kept = journal_keeping.keep(journal, USER, stopped, at, None).state
    assert journal_keeping.recent(journal, USER, at)[-1] == entry
    assert kept["advice_due"] == "persists"  # 5, 5, 6, 6 over sixteen days
    assert stopped.state["advice_due"] is None  # the turn itself reads no journal


def test_forgetting_deletes_the_journal_and_nothing_is_read(
    library: dict[str, Routine], tmp_path: Path
) -> None:
    journal = SQLiteJournal(tmp_path / "coach.sqlite3")
    journal.append(USER, session_entry(NOW - timedelta(days=1)))
    asked = take_turn(None, Command(K.FORGET_JOURNAL), library)
    done = take_turn(asked.state, Command(K.YES), library, TurnContext(at=format_time(NOW)))
    kept = journal_keeping.keep(journal, USER, done, format_time(NOW), None)
    assert kept == journal_keeping.Kept(done.state, None)
    assert journal_keeping.recent(journal, USER, format_time(NOW)) == []
