"""skill.core.journal_window: the record's copy of the trend rule's window gives the rule's own
answer (hypothesis), is refused when damaged, and is kept in step with a real SQLite journal
(`journal_keeping.keep`), rebuilt from it when it is not, and deleted with it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from random import Random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from routines.commands import Command
from routines.commands import CommandKind as K
from routines.models import Routine
from skill.core import journal_keeping, journal_window
from skill.core.journal import SessionEntry, format_time
from skill.core.journal_store import SQLiteJournal
from skill.core.journal_turn import with_advice
from skill.core.journal_window import WINDOW_KEY
from skill.core.store import LOCAL_USER_ID, SQLiteStore
from skill.core.trend import advice, advice_of_rated, window_start
from skill.core.turn import TurnContext, TurnResult, take_turn
from skill.local.coach import Coach, Outcome, Startup
from skill.local.inputs import Ended, InputQueue, Source
from speech.audio import NullSink
from speech.clock import FakeClock
from speech.player import Player
from speech.tts import TextOnlyEngine
from tests.support.journal import session_entry
from tests.test_coach import Recorder
from tests.test_coach import command as key_command

NOW = datetime(2026, 12, 1, 20, 0, tzinfo=UTC)
FIRST = NOW - timedelta(days=6)
USER = "someone"

ratings = st.none() | st.integers(0, 10)


@st.composite
def entries(draw: st.DrawFn, earliest: datetime, minutes: int) -> SessionEntry:
    """Any entry that started within `minutes` of `earliest` (whole minutes, or a few
    microseconds past), of one of two routines."""
    at = earliest + timedelta(minutes=draw(st.integers(0, minutes)))
    at += timedelta(microseconds=draw(st.sampled_from([0, 0, 1, 500_000])))
    ended = draw(st.sampled_from(["finished", "stopped", "red_flag"]))
    return session_entry(
        at,
        routine=draw(st.sampled_from(["small", "foam-roller"])),
        ended=ended,
        started_at=at.isoformat(),
        pain_before=draw(ratings),
        pain_after=draw(ratings) if ended == "finished" else None,
    )


START = window_start(NOW)
histories = st.lists(
    entries(START - timedelta(days=20), 60 * 24 * 50)  # before the window, in it, after now
    | entries(NOW - timedelta(minutes=3), 3),  # sessions that start together
    max_size=30,
)


def copy_advice(window: journal_window.Window) -> object:
    return advice_of_rated(journal_window.rated(journal_window.since(window, START), NOW))


@given(histories)
def test_the_copy_gives_the_rules_own_advice(history: list[SessionEntry]) -> None:
    since = [entry for entry in history if entry.started >= START]
    window = journal_window.of_entries(since)
    assert copy_advice(window) == advice(history, NOW)
    assert journal_window.read(journal_window.text(window)) == window


def journaled_once(history: list[SessionEntry]) -> list[SessionEntry]:
    """What the journal keeps of `history` appended in order: the first of each session (the
    same start to the second, and routine)."""
    kept: dict[tuple[str, str], SessionEntry] = {}
    for entry in history:
        kept.setdefault((format_time(entry.started), entry.routine), entry)
    return list(kept.values())


@given(histories, st.randoms(use_true_random=False))
def test_sessions_added_one_at_a_time_make_the_same_copy_or_ask_for_a_rebuild(
    history: list[SessionEntry], random: Random
) -> None:
    random.shuffle(history)
    window: journal_window.Window | None = []
    for entry in history:
        assert window is not None
        window = journal_window.added(window, [entry], START)
        if window is None:
            # Only a session that starts at the very moment another does asks for it.
            assert any(other.started == entry.started and other is not entry for other in history)
            return
    expected = [entry for entry in journaled_once(history) if entry.started >= START]
    assert window == journal_window.of_entries(expected)


@pytest.mark.parametrize(
    "stored",
    [
        None,
        42,
        "not json",
        "{}",
        '[[1,"small",6]]',
        '[[1,"small",11,null]]',
        '[[1,"small",-1,null]]',
        '[[1,"small",true,null]]',
        '[[1,"small",null,false]]',
        '[[true,"small",6,null]]',
        '[[1.5,"small",6,null]]',
        "[[1,2,6,null]]",
        '[[1,"small",[6],null]]',
        '[{"a":1}]',
    ],
    ids=repr,
)
def test_a_damaged_copy_is_refused(stored: object) -> None:
    assert journal_window.read(stored) is None


# -- kept beside a real SQLite journal ---------------------------------------------------


class CountingJournal(SQLiteJournal):
    """The real journal, counting its reads of rows."""

    reads = 0

    def since(self, user_id: str, start: datetime) -> list[SessionEntry]:
        self.reads += 1
        return super().since(user_id, start)


def stopped_session(library: dict[str, Routine], at: datetime, rating: int) -> TurnResult:
    """A session of the small routine rated `rating` before, stopped at `at`."""
    when, state = format_time(at), None
    for command in (Command(K.START, routine="small"), Command(K.RATE_PAIN, rating=rating)):
        state = take_turn(state, command, library, TurnContext(at=when)).state
    return take_turn(state, Command(K.STOP), library, TurnContext(at=when))


def from_rows(
    journal: SQLiteJournal | UncountedJournal, result: TurnResult, at: datetime
) -> object:
    """The state with the rule's advice read from the journal's own rows (no copy)."""
    return with_advice(result.state, journal.since(USER, window_start(at)), format_time(at))


def test_the_copy_is_read_instead_of_the_rows_while_it_agrees_with_the_journal(
    library: dict[str, Routine], tmp_path: Path
) -> None:
    journal = CountingJournal(tmp_path / "coach.sqlite3")
    for days in (40, 16, 11):
        journal.append(USER, session_entry(NOW - timedelta(days=days), pain_before=5))
    first = stopped_session(library, FIRST, 6)
    kept = journal_keeping.keep(journal, USER, first, format_time(FIRST), None)
    assert journal.reads == 1  # no copy yet: built from the rows
    assert kept.window is not None
    assert kept.state["advice_due"] is None  # 5, 5, 6 over ten days

    second = stopped_session(library, NOW, 6)
    again = journal_keeping.keep(journal, USER, second, format_time(NOW), kept.window)
    assert journal.reads == 1  # the copy, in step with the journal, was read instead
    assert again.state["advice_due"] == "persists"  # 5, 5, 6, 6 over sixteen days
    assert again.state == from_rows(journal, second, NOW)
    rows = journal.since(USER, window_start(NOW))
    assert again.window == journal_window.text(journal_window.of_entries(rows))

    replayed = journal_keeping.keep(journal, USER, second, format_time(NOW), again.window)
    assert replayed == again  # journaled once: the copy as it was
    assert len(journal.since(USER, window_start(NOW))) == 4


@pytest.mark.parametrize("damage", ["out of step", "damaged", "stale"])
def test_a_copy_that_does_not_agree_with_the_journal_is_rebuilt_from_it(
    library: dict[str, Routine], tmp_path: Path, damage: str
) -> None:
    journal = CountingJournal(tmp_path / "coach.sqlite3")
    for days in (16, 11):
        journal.append(USER, session_entry(NOW - timedelta(days=days), pain_before=5))
    first = stopped_session(library, FIRST, 5)
    kept = journal_keeping.keep(journal, USER, first, format_time(FIRST), None)
    assert kept.window is not None
    stored: object = kept.window
    if damage == "out of step":  # journaled by another device, or the record's save lost
        journal.append(USER, session_entry(NOW - timedelta(days=3), pain_before=2))
    elif damage == "damaged":
        stored = kept.window[:-2]
    else:  # a copy written before sessions that it does not list
        stored = journal_window.text([])
    reads = journal.reads
    second = stopped_session(library, NOW, 6)
    again = journal_keeping.keep(journal, USER, second, format_time(NOW), stored)
    assert journal.reads == reads + 1
    assert again.state == from_rows(journal, second, NOW)
    rows = journal.since(USER, window_start(NOW))
    assert again.window == journal_window.text(journal_window.of_entries(rows))


def test_forgetting_the_journal_deletes_the_copy_in_the_record_and_nothing_else(
    tmp_path: Path,
) -> None:
    journal = SQLiteJournal(tmp_path / "coach.sqlite3")
    journal.append(USER, session_entry(NOW, routine="quokka-routine"))
    window = journal_window.of_entries(journal.since(USER, START))
    journal.store.save(USER, {"state": {"a": 1}, WINDOW_KEY: journal_window.text(window)})
    journal.store.save("other", {WINDOW_KEY: "[]"})
    journal.forget(USER)
    assert journal.store.load(USER) == {"state": {"a": 1}}
    assert journal.store.load("other") == {WINDOW_KEY: "[]"}
    assert b"quokka-routine" not in b"".join(
        p.read_bytes() for p in tmp_path.glob("coach.sqlite3*")
    )


class UncountedJournal:
    """The real journal, saying it cannot count (as DynamoDB's does)."""

    def __init__(self, path: Path) -> None:
        self.rows = CountingJournal(path)

    def append(self, user_id: str, entry: SessionEntry) -> None:
        self.rows.append(user_id, entry)

    def since(self, user_id: str, start: datetime) -> list[SessionEntry]:
        return self.rows.since(user_id, start)

    def count_since(self, user_id: str, start: datetime) -> None:
        return None

    def forget(self, user_id: str) -> None:
        self.rows.forget(user_id)


def test_a_journal_that_cannot_count_is_read_and_no_copy_is_kept(
    library: dict[str, Routine], tmp_path: Path
) -> None:
    journal = UncountedJournal(tmp_path / "coach.sqlite3")
    for days in (16, 11, 6):
        journal.append(USER, session_entry(NOW - timedelta(days=days), pain_before=5))
    stopped = stopped_session(library, NOW, 6)
    stored = journal_window.text(journal_window.of_entries(journal.since(USER, START)))
    reads = journal.rows.reads
    kept = journal_keeping.keep(journal, USER, stopped, format_time(NOW), stored)
    assert journal.rows.reads == reads + 1
    assert kept.window is None
    assert kept.state == from_rows(journal, stopped, NOW)
    assert kept.state["advice_due"] == "persists"


def local_session(
    library: dict[str, Routine], store: SQLiteStore, journal: SQLiteJournal, at: datetime
) -> None:
    """One session of the small routine on the local coach at `at`: rated 6, then stopped."""
    clock, inputs = FakeClock(), InputQueue()
    player = Player(TextOnlyEngine(), NullSink(), clock)
    coach = Coach(
        library,
        store,
        player,
        Recorder(),
        inputs,
        clock,
        sources=frozenset({Source.KEY}),
        journal=journal,
        wall_clock=lambda: at,
    )
    for text in ("rate 6", "next", "stop"):
        inputs.put(key_command(text))
    inputs.put(Ended(Source.KEY))
    assert coach.run(Startup(routine="small")) is Outcome.STOPPED


def test_the_local_coach_keeps_the_copy_in_its_record_and_reads_it_instead_of_the_rows(
    library: dict[str, Routine], tmp_path: Path
) -> None:
    store = SQLiteStore(tmp_path / "coach.sqlite3")
    journal = CountingJournal(store)
    for days in (16, 11):
        journal.append(LOCAL_USER_ID, session_entry(NOW - timedelta(days=days), pain_before=5))
    local_session(library, store, journal, FIRST)
    assert journal.reads == 1  # no copy yet: built from the rows
    record = store.load(LOCAL_USER_ID)
    assert record is not None
    rows = journal.since(LOCAL_USER_ID, window_start(FIRST))
    assert record[WINDOW_KEY] == journal_window.text(journal_window.of_entries(rows))

    reads = journal.reads
    local_session(library, store, journal, NOW)
    assert journal.reads == reads  # the copy, in step with the journal, was read instead
    record = store.load(LOCAL_USER_ID)
    assert record is not None
    assert record["state"]["advice_due"] == "persists"  # 5, 5, 6, 6 over sixteen days
    rows = journal.since(LOCAL_USER_ID, window_start(NOW))
    assert record[WINDOW_KEY] == journal_window.text(journal_window.of_entries(rows))
