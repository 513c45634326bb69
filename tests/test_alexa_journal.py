"""The pain journal on Alexa (skill.alexa.skill over skill.core.journal_store): a skill built over
a real SQLite file, talked to in envelopes stamped over several days.

Each request is stamped by the conversation's clock, a minute after the one before; a new day
is a jump of the clock. The journal is read back as the next launch would read it, with
`SQLiteJournal(path).since(...)`.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from ask_sdk_core.exceptions import PersistenceException
from ask_sdk_core.skill import CustomSkill
from ask_sdk_model.request_envelope import RequestEnvelope

from routines.models import Routine
from skill.alexa.persistence import SQLitePersistenceAdapter
from skill.alexa.skill import STATE_ATTRIBUTE, build_skill, handle_envelope
from skill.core import journal_window
from skill.core.journal import SessionEntry
from skill.core.journal_store import SQLiteJournal
from skill.core.journal_window import WINDOW_KEY
from skill.core.store import SQLiteStore, StoreError
from skill.core.symptom_log import SYMPTOMS_KEY
from tests.support.envelopes import (
    RECORDED_USER,
    Conversation,
    catch_all_records,
    ends_session,
    speech,
)

DAY_1 = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)
"""A Monday morning: the first day of the journeys here."""
PASSES = 5
"""Passes of the default routine in the test library (tests/conftest.py): 2 reps x 2 sides, 1."""
RENDER = "Alexa.Presentation.APL.RenderDocument"


class Clock:
    """The conversation's clock: each request a minute after the one before."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        stamped = self.now
        self.now += timedelta(minutes=1)
        return stamped

    def day(self, number: int) -> None:
        """Jump to 8 am on day `number` of the journey (day 1 is `DAY_1`)."""
        self.now = DAY_1 + timedelta(days=number - 1)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "coach.sqlite3"


@pytest.fixture
def store(db: Path) -> Iterator[SQLiteStore]:
    with SQLiteStore(db) as opened:
        yield opened


@pytest.fixture
def skill(library: dict[str, Routine], store: SQLiteStore) -> CustomSkill:
    return build_skill(library, SQLitePersistenceAdapter(store))


@pytest.fixture
def clock() -> Clock:
    return Clock(DAY_1)


def conversation(skill: CustomSkill, clock: Clock, *, screen: bool = False) -> Conversation:
    talk = Conversation(lambda envelope: handle_envelope(skill, envelope), screen=screen)
    talk.alexa.clock = clock
    return talk


@pytest.fixture
def talk(skill: CustomSkill, clock: Clock) -> Conversation:
    return conversation(skill, clock)


@pytest.fixture(autouse=True)
def catch_all_not_reached(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """Every test here fails if the catch-all handler ran (or the skill logged an error that
    the test did not check and clear)."""
    caplog.set_level(logging.INFO)
    yield
    assert catch_all_records(caplog) == []


def session(talk: Conversation, before: int | None, after: int | None) -> dict[str, Any]:
    """Open the skill, start the routine offered, rate the pain ("six", or "I don't know"
    for None), say next to the end and rate it again; the last answer."""
    talk.start_session()
    talk.say("launch")
    assert "from zero to ten" in speech(talk.say("yes"))
    talk.ask("PainRatingIntent", rating=before)
    for _ in range(PASSES):
        finished = talk.say("next")
    assert "How is your pain now" in speech(finished)
    assert not ends_session(finished)
    return talk.ask("PainRatingIntent", rating=after)


def entries(db: Path, since: datetime = DAY_1 - timedelta(days=1)) -> list[SessionEntry]:
    return SQLiteJournal(db).since(RECORDED_USER, since)


def test_each_finished_session_is_appended_to_the_journal_at_its_time(
    talk: Conversation, clock: Clock, db: Path
) -> None:
    closed = session(talk, 6, 4)
    assert "Thanks, four, down from six." in speech(closed)
    assert ends_session(closed)
    clock.day(3)
    session(talk, 5, None)
    clock.day(5)
    talk.start_session()
    talk.say("launch")
    talk.say("yes")
    talk.ask("PainRatingIntent", rating=3)
    talk.say("next")
    stopped = talk.say("stop")  # stopping early never asks
    assert ends_session(stopped)
    assert "from zero to ten" not in speech(stopped)

    journal = entries(db)
    assert [(e.routine, e.ended, e.pain_before, e.pain_after) for e in journal] == [
        ("sciatica-quick-relief", "finished", 6, 4),
        ("sciatica-quick-relief", "finished", 5, None),
        ("sciatica-quick-relief", "stopped", 3, None),
    ]
    # Started when the routine was (the yes, a minute after the launch), on its own day.
    assert [e.started.date().day for e in journal] == [2, 4, 6]
    assert journal[0].started == DAY_1 + timedelta(minutes=1)
    assert journal[0].ended_at > journal[0].started_at
    assert [(e.steps_done, e.steps) for e in journal] == [(2, 2), (2, 2), (1, 2)]
    # The journal reads a period: from day 3 on, only the later two.
    assert len(entries(db, since=DAY_1 + timedelta(days=2))) == 2
    # And the state keeps no open entry once a session is journaled.
    assert talk.state["started_at"] is None


def test_delete_my_history_empties_the_journal_and_the_symptom_log_but_keeps_the_state(
    talk: Conversation, clock: Clock, db: Path, store: SQLiteStore
) -> None:
    session(talk, 7, 5)
    clock.day(2)
    talk.start_session()
    talk.say("launch")
    talk.say("yes")
    talk.ask("PainRatingIntent", rating=6)
    talk.say("longer-hold")  # a preference, which the deletion must keep
    talk.say("pain")  # "my leg is numb": the symptom log gets a report
    talk.say("stop")
    record = store.load(RECORDED_USER)
    assert record is not None
    assert SYMPTOMS_KEY in record
    assert len(entries(db)) == 2

    clock.day(3)
    talk.start_session()
    talk.say("launch")
    asked = talk.ask("ForgetJournalIntent")
    assert not ends_session(asked)
    assert len(entries(db)) == 2  # nothing is deleted before the yes
    done = talk.say("yes")
    assert "deleted" in speech(done)

    assert entries(db) == []
    assert not SQLiteJournal(db).has_entries(RECORDED_USER)
    record = store.load(RECORDED_USER)
    assert record is not None
    assert SYMPTOMS_KEY not in record
    state = record[STATE_ATTRIBUTE]
    assert state["holds"] == {"knee-hug": 30}
    assert (state["routine"], state["disclaimed"]) == ("sciatica-quick-relief", True)


def test_the_record_keeps_the_rules_window_beside_the_state_until_the_history_is_deleted(
    talk: Conversation, clock: Clock, db: Path, store: SQLiteStore
) -> None:
    session(talk, 7, 5)
    clock.day(2)
    session(talk, 6, 6)
    record = store.load(RECORDED_USER)
    assert record is not None
    rows = entries(db)
    # The copy the next stop reads instead of the rows: what the journal holds, in brief.
    assert record[WINDOW_KEY] == journal_window.text(journal_window.of_entries(rows))
    assert [before for _, _, before, _ in journal_window.read(record[WINDOW_KEY]) or []] == [7, 6]

    clock.day(3)
    talk.start_session()
    talk.say("launch")
    talk.ask("ForgetJournalIntent")
    talk.say("yes")
    record = store.load(RECORDED_USER)
    assert record is not None
    assert WINDOW_KEY not in record
    assert STATE_ATTRIBUTE in record


class SaveThenFail(SQLitePersistenceAdapter):
    """Saves the record, then fails while `failing` (as a request cut short after its writes
    would, before their commit)."""

    failing = False

    def save_attributes(
        self, request_envelope: RequestEnvelope, attributes: dict[str, Any]
    ) -> None:
        super().save_attributes(request_envelope, attributes)
        if self.failing:
            raise PersistenceException("cut short after the record's write")


def test_a_sessions_entry_and_the_record_are_kept_together_or_not_at_all(
    library: dict[str, Routine],
    store: SQLiteStore,
    clock: Clock,
    db: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    adapter = SaveThenFail(store)
    talk = conversation(build_skill(library, adapter), clock)
    talk.say("launch")
    talk.say("yes")
    talk.ask("PainRatingIntent", rating=6)
    for _ in range(PASSES):
        talk.say("next")
    before = store.load(RECORDED_USER)

    adapter.failing = True
    assert "Thanks" not in speech(talk.ask("PainRatingIntent", rating=4))
    assert len(catch_all_records(caplog)) == 1
    caplog.clear()
    # Neither the session's entry nor the record's new state (nor its window) was kept.
    assert entries(db) == []
    assert store.load(RECORDED_USER) == before

    adapter.failing = False
    assert "Thanks, four, down from six." in speech(talk.ask("PainRatingIntent", rating=4))
    (entry,) = entries(db)
    assert (entry.pain_before, entry.pain_after) == (6, 4)
    record = store.load(RECORDED_USER)
    assert record is not None
    assert record[WINDOW_KEY] == journal_window.text(journal_window.of_entries([entry]))
    assert record[STATE_ATTRIBUTE]["status"] == "finished"


def test_how_am_i_doing_on_a_screen_charts_the_weeks(
    skill: CustomSkill, clock: Clock, db: Path
) -> None:
    show = conversation(skill, clock, screen=True)
    session(show, 6, 4)
    clock.day(3)
    session(show, 5, 3)
    clock.day(9)  # the next week
    session(show, 4, 2)
    clock.day(10)
    show.start_session()
    show.say("launch")
    answer = show.ask("JournalIntent")
    assert "In the last seven days you&apos;ve done one session" in speech(answer)
    directives = answer["response"].get("directives") or []
    charts = [d for d in directives if d["type"] == RENDER and "journal" in d["datasources"]]
    (chart,) = charts
    journal = chart["datasources"]["journal"]
    assert journal["title"]
    # Four weeks, the last ending today (11 Nov): the first two days' sessions average in
    # the week before it; a week without a rating has no bars.
    assert [(week["label"], week["before"], week["after"]) for week in journal["weeks"]] == [
        ("15 Oct", 0, 0),
        ("22 Oct", 0, 0),
        ("29 Oct", 5.5, 3.5),
        ("5 Nov", 4, 2),
    ]
    assert len(entries(db)) == 3

    # A speaker without a screen hears the same and gets no chart.
    dot = conversation(skill, clock)
    dot.say("launch")
    spoken = dot.ask("JournalIntent")
    assert "In the last seven days you&apos;ve done one session" in speech(spoken)
    assert not spoken["response"].get("directives")


class UnreadableJournal:
    """A journal whose reads fail (StoreError, with a rating in its message, which must not
    reach the log); what is appended is kept."""

    def __init__(self) -> None:
        self.appended: list[SessionEntry] = []

    def append(self, user_id: str, entry: SessionEntry) -> None:
        self.appended.append(entry)

    def since(self, user_id: str, start: datetime) -> list[SessionEntry]:
        raise StoreError("cannot read: pain 9 out of 10 before")

    def count_since(self, user_id: str, start: datetime) -> int:
        raise StoreError("cannot read: pain 9 out of 10 before")

    def forget(self, user_id: str) -> None:
        raise StoreError("cannot delete")


def test_a_journal_that_cannot_be_read_still_answers_and_logs_no_rating(
    library: dict[str, Routine],
    store: SQLiteStore,
    clock: Clock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    journal = UnreadableJournal()
    skill = build_skill(library, SQLitePersistenceAdapter(store), journal=journal)
    talk = conversation(skill, clock)
    opened = talk.say("launch")
    assert "Welcome to Massage Coach" in speech(opened)
    talk.say("yes")
    assert "Thanks, nine." in speech(talk.ask("PainRatingIntent", rating=9))
    for _ in range(PASSES):
        talk.say("next")
    closed = talk.ask("PainRatingIntent", rating=7)
    assert "Thanks, seven, down from nine." in speech(closed)
    assert ends_session(closed)
    talk.start_session()
    talk.say("launch")
    doing = talk.ask("JournalIntent")
    assert "look at your history right now" in speech(doing)
    assert not ends_session(doing)

    (entry,) = journal.appended
    assert (entry.pain_before, entry.pain_after) == (9, 7)
    # Read after the session was journaled (for the trend rule's advice: logged with the
    # writes it follows), and for "how am I doing"; each failure by its kind only.
    errors = catch_all_records(caplog)
    assert [r.getMessage() for r in errors] == [
        "cannot keep the journal (write it, or read it back for the rule): StoreError",
        "cannot read the journal: StoreError",
    ]
    logged = " ".join(r.getMessage() for r in caplog.records)
    assert "out of 10" not in logged
    assert not re.search(r"\b(9|7|nine|seven|pain_before|pain_after|rating)\b", logged)
    # The rest of the user's record is kept as ever.
    record = store.load(RECORDED_USER)
    assert record is not None
    assert record[STATE_ATTRIBUTE]["status"] == "finished"
    caplog.clear()
