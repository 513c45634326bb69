"""Tests for skill.core.journal_store: the pain journal in real SQLite files."""

from __future__ import annotations

import multiprocessing
import shutil
import sqlite3
import threading
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from skill.core.journal import Journal, SessionEntry
from skill.core.journal_store import SQLiteJournal
from skill.core.store import (
    SCHEMA_VERSION,
    RecordError,
    SQLiteStore,
    StoreAccessError,
    StoreCorruptError,
)
from tests.support.journal import session_entry

ALICE = "amzn1.ask.account.ALICE"
BOB = "amzn1.ask.account.BOB"
DAY_ONE = datetime(2026, 11, 1, 8, 30, tzinfo=UTC)

VERSION_1_FILE = Path(__file__).parent / "data" / "store" / "version-1.sqlite3"
"""A store written by the code before the journal (schema version 1, from main at 52173e4):
records for ALICE and "local", no sessions table."""
VERSION_2_FILE = Path(__file__).parent / "data" / "store" / "version-2.sqlite3"
"""A store written by the code before a session was journaled once (schema version 2, from
perf at 522ade5): a record for ALICE; ALICE's sessions on 1 November, twice on 2 November
(the same foam-roller session journaled again, 20 minutes and rated 7 the second time), two
routines in the same second on 3 November, and four damaged rows (two alike) on 5 November;
BOB's session on 2 November."""


def entry(
    started: datetime,
    routine: str = "piriformis-release",
    *,
    pain: tuple[int | None, int | None] = (6, 4),
    symptoms: tuple[str, ...] = (),
) -> SessionEntry:
    return session_entry(
        started, routine=routine, pain_before=pain[0], pain_after=pain[1], symptoms=symptoms
    )


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "coach.sqlite3"


@pytest.fixture
def journal(db: Path) -> SQLiteJournal:
    return SQLiteJournal(db)


def _raw(db: Path) -> sqlite3.Connection:
    return sqlite3.connect(db, isolation_level=None)


# -- append and since ------------------------------------------------------------------


def test_append_then_since_reads_a_period_oldest_first(journal: SQLiteJournal) -> None:
    typed: Journal = journal  # the protocol, checked by mypy
    days = [entry(DAY_ONE + timedelta(days=n), pain=(n % 11, None)) for n in range(10)]
    for day in reversed(days):  # appended out of order: read back in time order
        typed.append(ALICE, day)
    typed.append(BOB, entry(DAY_ONE + timedelta(days=5), "foam-roller"))
    assert typed.since(ALICE, DAY_ONE) == days
    assert typed.since(ALICE, DAY_ONE + timedelta(days=7)) == days[7:]
    assert typed.since(ALICE, DAY_ONE + timedelta(days=10)) == []
    assert [e.routine for e in typed.since(BOB, DAY_ONE)] == ["foam-roller"]
    assert typed.since("nobody", DAY_ONE) == []


def test_two_sessions_may_start_in_the_same_second(journal: SQLiteJournal) -> None:
    first = entry(DAY_ONE, "piriformis-release")
    second = entry(DAY_ONE, "foam-roller")
    journal.append(ALICE, first)
    journal.append(ALICE, second)
    assert journal.since(ALICE, DAY_ONE) == [first, second]  # both kept, in append order


def test_a_session_is_journaled_once(journal: SQLiteJournal) -> None:
    first = entry(DAY_ONE, "foam-roller", pain=(6, 4))
    journal.append(ALICE, first)
    # The same stop retried, or a recorded dialog replayed: the same start and routine.
    journal.append(ALICE, first)
    journal.append(ALICE, entry(DAY_ONE, "foam-roller", pain=(7, None)))
    journal.append(BOB, first)  # another user's is theirs
    assert journal.since(ALICE, DAY_ONE) == [first]
    assert journal.since(BOB, DAY_ONE) == [first]
    # To the second: a start half a second later is the same session.
    later = replace(first, started_at="2026-11-01T08:30:00.5Z")
    journal.append(ALICE, later)
    assert journal.since(ALICE, DAY_ONE) == [first]


def test_since_takes_the_exact_start_and_naive_times_as_utc(journal: SQLiteJournal) -> None:
    journal.append(ALICE, entry(DAY_ONE))
    assert journal.since(ALICE, DAY_ONE + timedelta(microseconds=1)) == []
    assert len(journal.since(ALICE, DAY_ONE.replace(tzinfo=None))) == 1
    paris = DAY_ONE.astimezone(ZoneInfo("Europe/Paris"))
    assert len(journal.since(ALICE, paris)) == 1
    assert journal.since(ALICE, paris + timedelta(seconds=1)) == []


def test_an_entry_with_an_offset_is_found_by_its_utc_time(journal: SQLiteJournal) -> None:
    # 10:30 at +02:00 is 08:30 UTC: the key is the UTC time, so it sorts before 09:00 UTC.
    offset = SessionEntry(**{**entry(DAY_ONE).__dict__, "started_at": "2026-11-01T10:30:00+02:00"})
    later = entry(DAY_ONE + timedelta(minutes=30))
    journal.append(ALICE, later)
    journal.append(ALICE, offset)
    assert journal.since(ALICE, DAY_ONE) == [offset, later]
    assert journal.since(ALICE, DAY_ONE + timedelta(minutes=1)) == [later]


def test_entries_survive_reopening_and_share_the_file_with_records(db: Path) -> None:
    store = SQLiteStore(db)
    store.save(ALICE, {"prefs": {"brief": True}})
    SQLiteJournal(store).append(ALICE, entry(DAY_ONE, symptoms=("PAIN", "NUMBNESS")))
    store.close()
    again = SQLiteJournal(db)
    assert again.since(ALICE, DAY_ONE) == [entry(DAY_ONE, symptoms=("PAIN", "NUMBNESS"))]
    assert again.store.load(ALICE) == {"prefs": {"brief": True}}
    assert repr(again) == f"SQLiteJournal({str(db)!r})"


def test_since_is_an_index_range_read(journal: SQLiteJournal) -> None:
    from skill.core.journal_store import _SINCE

    plan = journal.store.execute(
        "explain", f"EXPLAIN QUERY PLAN {_SINCE}", (ALICE, "2026-11-01T00:00:00Z")
    )
    details = " | ".join(str(row[-1]) for row in plan)
    assert "SEARCH sessions USING INDEX sessions_by_user_and_start" in details
    assert "(user_id=? AND started_at>?)" in details
    assert "TEMP B-TREE" not in details  # ordered by the index, no sort


def test_count_and_record_reads_both_in_one_statement(journal: SQLiteJournal) -> None:
    for day in range(4):
        journal.append(ALICE, entry(DAY_ONE + timedelta(days=day)))
    journal.append(BOB, entry(DAY_ONE + timedelta(days=3)))
    start = DAY_ONE + timedelta(days=1)
    assert journal.count_and_record(ALICE, start) == (3, None)
    journal.store.save(ALICE, {"state": {"n": 1}, "journal_window": "[]"})
    assert journal.count_and_record(ALICE, start) == (
        3,
        {"state": {"n": 1}, "journal_window": "[]"},
    )
    assert journal.count_and_record(ALICE, start.replace(tzinfo=None)) == (
        journal.count_since(ALICE, start),
        journal.store.load(ALICE),
    )
    assert journal.count_and_record("nobody", start) == (0, None)

    from skill.core.journal_store import _COUNT_AND_RECORD

    plan = journal.store.execute(
        "explain", f"EXPLAIN QUERY PLAN {_COUNT_AND_RECORD}", (ALICE, "2026-11-01T00:00:00Z")
    )
    details = " | ".join(str(row[-1]) for row in plan)
    # Two index searches: the count an index range, the record a key lookup.
    assert "SEARCH sessions USING COVERING INDEX" in details
    assert "(user_id=? AND started_at>?)" in details
    assert "SEARCH records USING INDEX" in details
    assert "SCAN sessions" not in details


def test_count_and_record_finds_a_damaged_record_as_load_does(
    db: Path, journal: SQLiteJournal
) -> None:
    _raw(db).execute("INSERT INTO records VALUES (?, ?)", (ALICE, b"[1, 2"))
    with pytest.raises(StoreCorruptError, match="is not valid JSON"):
        journal.count_and_record(ALICE, DAY_ONE)
    with pytest.raises(StoreCorruptError, match="is not valid JSON"):
        journal.store.load(ALICE)


def test_users_and_has_entries(journal: SQLiteJournal) -> None:
    journal.store.save("only-a-record", {"a": 1})
    assert journal.users() == []
    assert not journal.has_entries(ALICE)
    journal.append(BOB, entry(DAY_ONE))
    journal.append(ALICE, entry(DAY_ONE))
    journal.append(ALICE, entry(DAY_ONE + timedelta(days=1)))
    assert journal.users() == [ALICE, BOB]
    assert journal.has_entries(ALICE)
    assert not journal.has_entries("only-a-record")


# -- what is refused and what is skipped -----------------------------------------------


@pytest.mark.parametrize("user_id", ["", None, 42])
def test_bad_user_ids_are_refused(journal: SQLiteJournal, user_id: object) -> None:
    with pytest.raises(RecordError, match="user id"):
        journal.append(user_id, entry(DAY_ONE))  # type: ignore[arg-type]
    with pytest.raises(RecordError, match="user id"):
        journal.since(user_id, DAY_ONE)  # type: ignore[arg-type]
    with pytest.raises(RecordError, match="user id"):
        journal.forget(user_id)  # type: ignore[arg-type]
    assert journal.users() == []


@pytest.mark.parametrize(
    "bad",
    [
        {"started_at": "yesterday"},
        {"pain_before": 11},
        {"ended": "exploded"},
        {"minutes": float("nan")},
        {"symptoms": ["XYZZY"]},  # a list would come back a tuple: another entry
        {"ended": ["finished"]},
    ],
    ids=repr,
)
def test_an_invalid_entry_is_refused_and_nothing_stored(
    journal: SQLiteJournal, bad: dict[str, object]
) -> None:
    invalid = SessionEntry(**{**entry(DAY_ONE, symptoms=("XYZZY",)).__dict__, **bad})
    with pytest.raises(RecordError, match="not a valid journal entry") as caught:
        journal.append(ALICE, invalid)
    assert "XYZZY" not in str(caught.value)  # symptoms and ratings never reach a log
    assert not journal.has_entries(ALICE)


@pytest.mark.parametrize(
    "data",
    [
        b"{not json",
        b"\xff\xfe",
        b'["a", "list"]',
        b'{"started_at": "2026-11-02T08:30:00Z"}',
        b'{"started_at": "2026-11-02T08:30:00Z", "ended_at": "2026-11-02T08:40:00Z",'
        b' "routine": "x", "ended": "finished", "steps_done": -1, "steps": 5, "minutes": 1}',
        b'{"started_at": "2026-11-02T08:30:00Z", "ended_at": "2026-11-02T08:40:00Z",'
        b' "routine": "x", "ended": [], "steps_done": 1, "steps": 5, "minutes": 1}',
        b'{"a": 1}, {"b": 2}',  # two values in one row: not read as two rows' entries
        42,
    ],
    ids=repr,
)
def test_damaged_entries_are_skipped(db: Path, journal: SQLiteJournal, data: object) -> None:
    journal.append(ALICE, entry(DAY_ONE))
    journal.append(ALICE, entry(DAY_ONE + timedelta(days=2)))
    raw = _raw(db)
    raw.execute(
        "INSERT INTO sessions (user_id, started_at, data) VALUES (?, ?, ?)",
        (ALICE, "2026-11-02T08:30:00Z", data),
    )
    raw.close()
    assert journal.since(ALICE, DAY_ONE) == [entry(DAY_ONE), entry(DAY_ONE + timedelta(days=2))]


def test_a_missing_sessions_table_is_a_clear_error(db: Path) -> None:
    SQLiteJournal(db).store.close()
    raw = _raw(db)
    raw.execute("DROP TABLE sessions")
    raw.close()
    before = db.read_bytes()
    with pytest.raises(StoreCorruptError, match="sessions table is missing"):
        SQLiteJournal(db)
    assert db.read_bytes() == before


def test_a_storage_failure_is_a_store_error_naming_the_file(journal: SQLiteJournal) -> None:
    journal.store.execute("break the table", "ALTER TABLE sessions RENAME TO gone")
    with pytest.raises(StoreAccessError, match=r"coach\.sqlite3: cannot add to the journal"):
        journal.append(ALICE, entry(DAY_ONE))
    with pytest.raises(StoreAccessError, match="cannot read the journal of"):
        journal.since(ALICE, DAY_ONE)


# -- forget ----------------------------------------------------------------------------

MARKERS = (b"quokka-zebra-routine", b"XYZZY_TINGLE")
"""Strings that only Alice's entries hold, to look for in the raw files."""


def _raw_bytes(db: Path) -> bytes:
    """The database file and whatever lies beside it (-wal, -shm, -journal)."""
    return b"".join(p.read_bytes() for p in sorted(db.parent.glob(db.name + "*")))


def test_forget_deletes_only_that_user_and_leaves_no_copy(db: Path) -> None:
    journal = SQLiteJournal(db)
    journal.store.save(ALICE, {"prefs": {"brief": True}})
    kept = [entry(DAY_ONE + timedelta(hours=n), "foam-roller") for n in range(300)]
    for n, bobs in enumerate(kept):
        # Interleaved and many: Alice's rows share pages with Bob's, which split and move.
        journal.append(
            ALICE, entry(bobs.started, "quokka-zebra-routine", symptoms=("XYZZY_TINGLE",))
        )
        journal.append(BOB, bobs)
        if n == 150:
            journal.store.save(ALICE, {"prefs": {"brief": False}, "pad": "x" * 5000})
    other = SQLiteJournal(db)  # a second connection, as another worker would hold
    assert len(other.since(ALICE, DAY_ONE)) == 300
    assert all(marker in _raw_bytes(db) for marker in MARKERS)  # there before: the test can fail

    journal.forget(ALICE)

    assert journal.since(ALICE, DAY_ONE) == []
    assert other.since(ALICE, DAY_ONE) == []
    assert not journal.has_entries(ALICE)
    assert journal.since(BOB, DAY_ONE) == kept
    assert journal.store.load(ALICE) == {"prefs": {"brief": False}, "pad": "x" * 5000}
    files = {p.name: p.stat().st_size for p in db.parent.glob(db.name + "*")}
    assert files[db.name + "-wal"] == 0  # checkpointed and truncated
    found = [marker for marker in MARKERS if marker in _raw_bytes(db)]
    assert found == []
    journal.forget(ALICE)  # forgetting an empty journal is fine
    journal.store.check()


def test_forget_leaves_no_copy_after_the_file_is_reopened(db: Path) -> None:
    journal = SQLiteJournal(db)
    for n in range(50):
        journal.append(ALICE, entry(DAY_ONE + timedelta(days=n), "quokka-zebra-routine"))
    journal.store.close()
    SQLiteJournal(db).forget(ALICE)
    assert MARKERS[0] not in _raw_bytes(db)


# -- the schema migration --------------------------------------------------------------


def test_a_version_1_file_upgrades_and_keeps_its_records(tmp_path: Path) -> None:
    db = tmp_path / "old.sqlite3"
    shutil.copyfile(VERSION_1_FILE, db)
    raw = _raw(db)
    assert raw.execute("PRAGMA user_version").fetchone()[0] == 1
    assert raw.execute("SELECT name FROM sqlite_master WHERE name = 'sessions'").fetchall() == []
    raw.close()

    journal = SQLiteJournal(db)

    assert SCHEMA_VERSION == 3
    assert journal.store.schema_version() == SCHEMA_VERSION
    assert journal.store.user_ids() == [ALICE, "local"]
    assert journal.store.load(ALICE) == {
        "session": {"routine": "piriformis-release", "step": 2},
        "prefs": {"hold_seconds": {"figure-four": 30}},
        "symptoms": ["NUMBNESS"],
    }
    assert journal.store.load("local") == {"prefs": {"brief": True}, "pace": 0.75}
    assert journal.users() == []
    journal.append(ALICE, entry(DAY_ONE))
    assert SQLiteJournal(db).since(ALICE, DAY_ONE) == [entry(DAY_ONE)]
    journal.store.check()


def test_a_version_2_file_upgrades_keeping_each_session_once(tmp_path: Path) -> None:
    db = tmp_path / "old.sqlite3"
    shutil.copyfile(VERSION_2_FILE, db)
    raw = _raw(db)
    assert raw.execute("PRAGMA user_version").fetchone()[0] == 2
    assert raw.execute("SELECT count(*) FROM sessions").fetchone()[0] == 10
    raw.close()

    journal = SQLiteJournal(db)

    assert journal.store.schema_version() == SCHEMA_VERSION
    assert journal.store.load(ALICE) == {"prefs": {"brief": True}}
    day = DAY_ONE
    assert journal.since(ALICE, day) == [
        session_entry(day),
        session_entry(day + timedelta(days=1), routine="foam-roller"),  # the first copy
        session_entry(day + timedelta(days=2)),
        session_entry(day + timedelta(days=2), routine="foam-roller"),
    ]
    assert journal.since(BOB, day) == [
        session_entry(day + timedelta(days=1), routine="foam-roller")
    ]
    raw = _raw(db)
    damaged = raw.execute("SELECT data FROM sessions WHERE started_at = '2026-11-05T08:30:00Z'")
    assert sorted(map(repr, damaged.fetchall())) == sorted(
        map(repr, [(b"{not json",), (b"{not json",), (b'["a", "list"]',), (42,)])
    )  # rows that cannot be read are left as they are
    raw.close()
    # And from now on, once.
    journal.append(ALICE, session_entry(day + timedelta(days=1), routine="foam-roller"))
    journal.append(ALICE, session_entry(day + timedelta(days=9)))
    assert len(journal.since(ALICE, day)) == 5
    journal.store.check()


# -- threads ---------------------------------------------------------------------------


def test_appends_from_many_threads_are_all_kept(db: Path) -> None:
    shared = SQLiteJournal(db)
    threads_count, per_thread = 8, 25
    barrier = threading.Barrier(threads_count)
    errors: list[BaseException] = []

    def work(n: int) -> None:
        # Half the threads share one object, half open their own (as separate workers do).
        journal = shared if n % 2 else SQLiteJournal(db)
        try:
            barrier.wait()
            for i in range(per_thread):
                journal.append(f"user-{n % 3}", entry(DAY_ONE + timedelta(minutes=i), f"r{n}-{i}"))
        except BaseException as err:  # reported below, in the test's thread
            errors.append(err)
        finally:
            journal.store.close()

    threads = [threading.Thread(target=work, args=(n,)) for n in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    routines = sorted(e.routine for user in shared.users() for e in shared.since(user, DAY_ONE))
    expected = sorted(f"r{n}-{i}" for n in range(threads_count) for i in range(per_thread))
    assert routines == expected


# -- processes -------------------------------------------------------------------------

SPAWN = multiprocessing.get_context("spawn")


def _append_in_a_process(db: str, writer: int, barrier: Any) -> None:
    barrier.wait()
    journal = SQLiteJournal(db)  # every process upgrades the old file, or sees it upgraded
    for i in range(20):
        journal.append(ALICE, entry(DAY_ONE + timedelta(hours=i), f"p{writer}-{i}"))


def test_processes_upgrade_an_old_file_and_append_at_once(tmp_path: Path) -> None:
    db = tmp_path / "old.sqlite3"
    shutil.copyfile(VERSION_1_FILE, db)
    processes = 3
    barrier = SPAWN.Barrier(processes)
    children = [
        SPAWN.Process(target=_append_in_a_process, args=(str(db), p, barrier))
        for p in range(processes)
    ]
    for child in children:
        child.start()
    for child in children:
        child.join(timeout=120)
    assert [child.exitcode for child in children] == [0] * processes
    journal = SQLiteJournal(db)
    routines = sorted(e.routine for e in journal.since(ALICE, DAY_ONE))
    assert routines == sorted(f"p{p}-{i}" for p in range(processes) for i in range(20))
    assert journal.store.load("local") == {"prefs": {"brief": True}, "pace": 0.75}
    journal.store.check()
