"""Tests for skill.core.store: real SQLite files, real processes, real kill -9."""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import signal
import sqlite3
import threading
import warnings
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import platformdirs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from skill.core.store import (
    APPLICATION_ID,
    DB_ENV_VAR,
    SCHEMA_VERSION,
    RecordError,
    SQLiteStore,
    Store,
    StoreAccessError,
    StoreCorruptError,
    StoreError,
    StoreVersionError,
    default_db_path,
    migrate,
)

SPAWN = multiprocessing.get_context("spawn")


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "coach.sqlite3"


@pytest.fixture
def store(db: Path) -> SQLiteStore:
    return SQLiteStore(db)


def _snapshot(directory: Path) -> dict[str, bytes]:
    """Every file in ``directory`` with its bytes, to prove a failed open touched nothing.

    The ``-shm`` file is left out: it is SQLite's shared-memory index, rebuilt by any reader.
    """
    return {
        p.name: p.read_bytes()
        for p in sorted(directory.iterdir())
        if p.is_file() and not p.name.endswith("-shm")
    }


def _raw(db: Path) -> sqlite3.Connection:
    return sqlite3.connect(db, isolation_level=None)


# -- location --------------------------------------------------------------------------


def test_default_path_is_in_the_user_data_dir() -> None:
    expected = platformdirs.user_data_path("massage-coach") / "coach.sqlite3"
    assert default_db_path({}) == expected
    assert default_db_path({DB_ENV_VAR: "   "}) == expected


def test_env_var_overrides_default_path(tmp_path: Path) -> None:
    assert default_db_path({DB_ENV_VAR: str(tmp_path / "x.db")}) == tmp_path / "x.db"
    assert default_db_path({DB_ENV_VAR: "~/y.db"}) == Path.home() / "y.db"


def test_store_without_path_opens_the_env_path(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    target = tmp_path / "deep" / "dir" / "env.sqlite3"
    monkeypatch.setenv(DB_ENV_VAR, str(target))
    store = SQLiteStore()
    store.save("u", {"a": 1})
    assert store.path == target
    assert SQLiteStore(target).load("u") == {"a": 1}


# -- basic behaviour -------------------------------------------------------------------


def test_sqlite_store_is_a_store(store: SQLiteStore) -> None:
    assert isinstance(store, Store)


def test_save_load_delete(store: SQLiteStore) -> None:
    assert store.load("amzn1.ask.account.A") is None
    store.save("amzn1.ask.account.A", {"step": 1, "prefs": {"hold": {"piriformis": 40}}})
    store.save("amzn1.ask.account.B", {"step": 7})
    store.save("amzn1.ask.account.A", {"step": 2})
    assert store.load("amzn1.ask.account.A") == {"step": 2}
    assert store.user_ids() == ["amzn1.ask.account.A", "amzn1.ask.account.B"]
    store.delete("amzn1.ask.account.A")
    store.delete("amzn1.ask.account.A")  # deleting nothing is fine
    assert store.load("amzn1.ask.account.A") is None
    assert store.load("amzn1.ask.account.B") == {"step": 7}


def test_records_survive_reopening(db: Path) -> None:
    with SQLiteStore(db) as first:
        first.save("u", {"progress": [1, 2, 3], "done": False})
    assert SQLiteStore(db).load("u") == {"progress": [1, 2, 3], "done": False}


def test_load_returns_a_fresh_copy(store: SQLiteStore) -> None:
    record: dict[str, Any] = {"list": [1]}
    store.save("u", record)
    record["list"].append(2)
    loaded = store.load("u")
    assert loaded == {"list": [1]}
    assert loaded is not None
    loaded["list"].append(3)
    assert store.load("u") == {"list": [1]}


def test_close_then_use_reopens(store: SQLiteStore) -> None:
    store.save("u", {"a": 1})
    store.close()
    store.close()
    assert store.load("u") == {"a": 1}


@pytest.mark.parametrize(
    "record",
    [
        {"a": {1, 2}},
        {1: "int key"},
        {"nested": {2: "int key"}},
        {"x": float("nan")},
        {"x": float("inf")},
        {"t": (1, 2)},
        {"b": b"bytes"},
        {"o": object()},
        ["not", "a", "dict"],
        None,
    ],
    ids=repr,
)
def test_save_rejects_records_that_are_not_json_safe(store: SQLiteStore, record: Any) -> None:
    store.save("u", {"kept": True})
    with pytest.raises(RecordError, match="not a JSON-safe dict"):
        store.save("u", record)
    assert store.load("u") == {"kept": True}


@pytest.mark.parametrize("user_id", ["", None, 42, "lone \ud800 surrogate"], ids=repr)
def test_bad_user_ids_are_rejected(store: SQLiteStore, user_id: Any) -> None:
    with pytest.raises(RecordError):
        store.save(user_id, {})
    assert store.user_ids() == []


# -- schema ----------------------------------------------------------------------------


def test_new_file_gets_schema_version_wal_and_application_id(store: SQLiteStore, db: Path) -> None:
    assert SCHEMA_VERSION >= 1
    assert store.schema_version() == SCHEMA_VERSION
    raw = _raw(db)
    assert raw.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert raw.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    store.check()


def test_migrate_takes_an_empty_file_to_the_current_version(db: Path) -> None:
    raw = _raw(db)
    assert migrate(raw) == 0
    assert migrate(raw) == SCHEMA_VERSION  # already current: nothing to do
    assert raw.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    raw.close()
    SQLiteStore(db).save("u", {"ok": True})


def test_a_newer_schema_is_refused_and_left_alone(db: Path) -> None:
    SQLiteStore(db).save("u", {"a": 1})
    raw = _raw(db)
    raw.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    raw.close()
    before = _snapshot(db.parent)
    with pytest.raises(StoreVersionError, match="newer massage-coach"):
        SQLiteStore(db)
    with pytest.raises(StoreVersionError):
        migrate(_raw(db))
    assert _snapshot(db.parent) == before


# -- damaged and foreign files ---------------------------------------------------------


def _random_bytes(db: Path) -> None:
    db.write_bytes(os.urandom(3 * 4096))


def _text_file(db: Path) -> None:
    db.write_text("these are my notes\nabout my back\n" * 50, encoding="utf-8")


def _tiny_text_file(db: Path) -> None:
    db.write_text("hi", encoding="utf-8")


def _truncated(size: int) -> Callable[[Path], None]:
    def make(db: Path) -> None:
        with SQLiteStore(db) as store:
            for i in range(100):
                store.save(f"user-{i}", {"i": i, "pad": "x" * 2000})
        data = db.read_bytes()
        assert len(data) > 100_000  # the records really span many pages
        db.write_bytes(data[: size if size > 0 else len(data) // 2])

    return make


def _other_programs_db(db: Path) -> None:
    raw = _raw(db)
    raw.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY, name TEXT)")
    raw.execute("INSERT INTO photos (name) VALUES ('beach')")
    raw.close()


def _other_application_id(db: Path) -> None:
    raw = _raw(db)
    raw.execute("PRAGMA application_id = 12345")
    raw.execute("CREATE TABLE records (user_id TEXT, data TEXT)")
    raw.close()


def _records_table_missing(db: Path) -> None:
    SQLiteStore(db).close()
    raw = _raw(db)
    raw.execute("DROP TABLE records")
    raw.close()


@pytest.mark.parametrize(
    "damage",
    [
        _random_bytes,
        _text_file,
        _tiny_text_file,
        _truncated(60),
        _truncated(4096),
        _truncated(5000),
        _truncated(0),
        _other_programs_db,
        _other_application_id,
        _records_table_missing,
    ],
    ids=[
        "random-bytes",
        "text-file",
        "tiny-text-file",
        "truncated-header",
        "truncated-one-page",
        "truncated-mid-page",
        "truncated-half",
        "other-programs-db",
        "other-application-id",
        "records-table-missing",
    ],
)
def test_a_damaged_or_foreign_file_is_a_clear_error_and_left_untouched(
    db: Path, damage: Callable[[Path], None]
) -> None:
    damage(db)
    before = _snapshot(db.parent)
    with pytest.raises(StoreCorruptError) as caught:
        _open_and_load_users(db)
    assert str(db) in str(caught.value)
    assert "left as it is" in str(caught.value)
    assert _snapshot(db.parent) == before


def _open_and_load_users(db: Path) -> None:
    """Open the store at `db` and load a hundred users from it."""
    store = SQLiteStore(db)
    for i in range(100):
        store.load(f"user-{i}")


@pytest.mark.parametrize(
    ("stored", "complaint"),
    [
        ("{not json", "not valid JSON"),
        (b"{not json", "not valid JSON"),
        (b"\xff\xfe", "not valid JSON"),
        ("[1, 2]", "not an object"),
        ("", "not valid JSON"),
        (5, "not valid JSON"),
    ],
)
def test_a_bad_record_is_a_clear_error_and_left_untouched(
    store: SQLiteStore, db: Path, stored: object, complaint: str
) -> None:
    store.save("good", {"a": 1})
    store.save("bad", {"b": 2})
    raw = _raw(db)
    raw.execute("UPDATE records SET data = ? WHERE user_id = 'bad'", (stored,))
    raw.close()
    with pytest.raises(StoreCorruptError, match=complaint) as caught:
        store.load("bad")
    assert "'bad'" in str(caught.value)
    assert store.load("good") == {"a": 1}
    assert _raw(db).execute("SELECT data FROM records WHERE user_id = 'bad'").fetchone() == (
        stored,
    )


def test_check_reports_damage_that_opening_does_not_see(db: Path) -> None:
    with SQLiteStore(db) as store:
        for i in range(200):
            store.save(f"user-{i}", {"pad": "y" * 1000})
    raw = _raw(db)
    raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page_size = raw.execute("PRAGMA page_size").fetchone()[0]
    raw.close()
    data = bytearray(db.read_bytes())
    # Scribble over a page in the middle: records live there, the header and schema do not.
    middle = (len(data) // page_size // 2) * page_size
    data[middle : middle + page_size] = os.urandom(page_size)
    db.write_bytes(bytes(data))
    store = SQLiteStore(db)
    with pytest.raises(StoreCorruptError, match="damaged"):
        store.check()


def test_a_directory_is_not_a_store(tmp_path: Path) -> None:
    with pytest.raises(StoreAccessError, match="is a directory"):
        SQLiteStore(tmp_path)


def test_a_path_below_a_file_cannot_be_created(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x", encoding="utf-8")
    with pytest.raises(StoreAccessError, match="cannot create its directory"):
        SQLiteStore(tmp_path / "file" / "coach.sqlite3")


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_an_unreadable_file_is_a_clear_error(db: Path) -> None:
    SQLiteStore(db).save("u", {"a": 1})
    db.chmod(0)
    try:
        with pytest.raises(StoreError, match=str(db)):
            SQLiteStore(db).load("u")
    finally:
        db.chmod(0o600)
    assert SQLiteStore(db).load("u") == {"a": 1}


# -- any JSON-safe record round-trips --------------------------------------------------

_scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text()
    | st.text(st.characters(categories=["Cs"]))  # lone surrogates arrive in JSON input
)
_json = st.recursive(
    _scalars,
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(), inner, max_size=5),
    max_leaves=30,
)


@pytest.fixture(scope="module")
def shared_store(tmp_path_factory: pytest.TempPathFactory) -> SQLiteStore:
    # One file for all examples: opening a store per example would dominate the run time.
    return SQLiteStore(tmp_path_factory.mktemp("hypothesis") / "h.sqlite3")


@settings(max_examples=100)
@given(user_id=st.text(min_size=1), record=st.dictionaries(st.text(), _json, max_size=8))
def test_any_json_safe_record_round_trips(
    shared_store: SQLiteStore, user_id: str, record: dict[str, Any]
) -> None:
    shared_store.save(user_id, record)
    assert shared_store.load(user_id) == record


# -- concurrency -----------------------------------------------------------------------

ROUNDS = 25
OWN_USERS = 4


def _shared_record(writer: str, round_: int) -> dict[str, Any]:
    return {"writer": writer, "round": round_, "blob": [writer] * 200}


def _consistent_shared(record: dict[str, Any] | None) -> bool:
    return record is None or record["blob"] == [record["writer"]] * 200


def _hammer(store: SQLiteStore, writer: str, errors: list[str]) -> None:
    """Write own users and the one shared user, reading the shared one back each round."""
    try:
        for round_ in range(ROUNDS):
            for k in range(OWN_USERS):
                store.save(f"{writer}/{k}", {"writer": writer, "k": k, "round": round_})
            store.save("shared", _shared_record(writer, round_))
            if not _consistent_shared(store.load("shared")):
                errors.append(f"{writer}: inconsistent shared record")
    except Exception as err:  # reported to the parent, which fails the test
        errors.append(f"{writer}: {type(err).__name__}: {err}")


def _process_main(path: str, process: int, threads: int, barrier: Any) -> None:
    errors: list[str] = []
    barrier.wait()  # every process opens the (new) file at the same moment
    store = SQLiteStore(path)
    workers = [
        threading.Thread(target=_hammer, args=(store, f"p{process}t{t}", errors))
        for t in range(threads)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    if errors:
        raise SystemExit("; ".join(errors[:5]))


def _check_final_state(store: SQLiteStore, writers: list[str]) -> None:
    for writer in writers:
        for k in range(OWN_USERS):
            assert store.load(f"{writer}/{k}") == {"writer": writer, "k": k, "round": ROUNDS - 1}
    shared = store.load("shared")
    assert shared is not None
    assert shared["writer"] in writers
    assert shared == _shared_record(shared["writer"], ROUNDS - 1)
    assert len(store.user_ids()) == len(writers) * OWN_USERS + 1
    store.check()


def test_threads_share_one_store(store: SQLiteStore) -> None:
    errors: list[str] = []
    writers = [f"t{t}" for t in range(8)]
    workers = [threading.Thread(target=_hammer, args=(store, w, errors)) for w in writers]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert errors == []
    _check_final_state(store, writers)


def test_processes_and_threads_write_one_new_file_at_once(db: Path) -> None:
    processes, threads = 4, 3
    barrier = SPAWN.Barrier(processes)
    children = [
        SPAWN.Process(target=_process_main, args=(str(db), p, threads, barrier))
        for p in range(processes)
    ]
    for child in children:
        child.start()
    for child in children:
        child.join(timeout=120)
    assert [child.exitcode for child in children] == [0] * processes
    writers = [f"p{p}t{t}" for p in range(processes) for t in range(threads)]
    _check_final_state(SQLiteStore(db), writers)


def _fork_child(store: SQLiteStore) -> None:
    store.save("child", {"from": "child", "before": store.load("parent")})


def test_a_forked_process_opens_its_own_connection(store: SQLiteStore) -> None:
    store.save("parent", {"from": "parent"})
    with warnings.catch_warnings():
        # Python 3.12+ warns about fork in a process with threads; gunicorn forks regardless,
        # and forking with an open store is exactly what this test is about.
        warnings.simplefilter("ignore", DeprecationWarning)
        child = multiprocessing.get_context("fork").Process(target=_fork_child, args=(store,))
        child.start()
    child.join(timeout=60)
    assert child.exitcode == 0
    assert store.load("child") == {"from": "child", "before": {"from": "parent"}}
    store.save("parent", {"from": "parent", "again": True})  # our connection still works
    assert store.load("parent") == {"from": "parent", "again": True}
    store.check()


# -- transactions ----------------------------------------------------------------------


def test_a_transaction_commits_its_writes_together(store: SQLiteStore, db: Path) -> None:
    outside = _raw(db)
    with store.transaction("write two records"):
        store.save("a", {"n": 1})
        store.execute("add a row", "INSERT INTO sessions VALUES ('a', 'x', '{}', 'r')")
        # Another connection sees neither until the commit.
        assert outside.execute("SELECT count(*) FROM records").fetchone() == (0,)
        assert outside.execute("SELECT count(*) FROM sessions").fetchone() == (0,)
    assert outside.execute("SELECT count(*) FROM records").fetchone() == (1,)
    assert outside.execute("SELECT count(*) FROM sessions").fetchone() == (1,)
    assert store.load("a") == {"n": 1}


def _write_then_fail(store: SQLiteStore) -> None:
    with store.transaction("write two records"):
        store.save("a", {"n": 1})
        store.save("b", {"bad": float("nan")})


def test_a_transaction_that_raises_writes_nothing(store: SQLiteStore) -> None:
    store.save("a", {"n": 0})
    with pytest.raises(RecordError):
        _write_then_fail(store)
    assert store.load("a") == {"n": 0}
    assert store.load("b") is None
    store.save("c", {"n": 2})  # the connection is out of the transaction
    assert _raw(store.path).execute("SELECT count(*) FROM records").fetchone() == (2,)


def _inner_then_outer_fails(store: SQLiteStore) -> None:
    with store.transaction("outer"):
        with store.transaction("inner"):
            store.save("a", {"n": 1})
        assert store.load("a") == {"n": 1}
        raise KeyError("the outer block fails after the inner one ended")


def test_a_transaction_inside_another_joins_it(store: SQLiteStore) -> None:
    with pytest.raises(KeyError):
        _inner_then_outer_fails(store)
    assert store.load("a") is None


# -- kill -9 in the middle of writing --------------------------------------------------

CRASH_USERS = 12


def _versioned(user: str, generation: int) -> dict[str, Any]:
    # Big enough to span dozens of pages, so the kill often lands inside a write.
    pad = hashlib.sha256(f"{user}:{generation}".encode()).hexdigest() * 1500
    return {"user": user, "generation": generation, "pad": pad}


def _generations(store: SQLiteStore) -> list[int]:
    """Each user's stored generation, after checking that every record is whole."""
    generations = []
    for i in range(CRASH_USERS):
        record = store.load(f"user-{i}")
        assert record is not None, "a record vanished"
        assert record == _versioned(f"user-{i}", record["generation"]), "half-written record"
        generations.append(record["generation"])
    return generations


def _crash_writer(path: str, progress: Connection, die_in_step: int) -> None:
    """Write generation after generation of every user, resuming where a killed one stopped.

    With ``die_in_step`` > 0 the writer SIGKILLs itself from SQLite's progress handler, that
    is from inside a running write statement, after that many handler calls.
    """
    store = SQLiteStore(path)
    generations = _generations(store)
    generation = generations[0]
    i = next((i for i, g in enumerate(generations) if g < generation), CRASH_USERS)
    if die_in_step > 0:
        steps = iter(range(die_in_step, 0, -1))

        def countdown() -> int:
            if next(steps, 0) == 1:
                os.kill(os.getpid(), signal.SIGKILL)
            return 0

        store._connection().set_progress_handler(countdown, 20)
    while True:
        if i == CRASH_USERS:
            i, generation = 0, generation + 1
        store.save(f"user-{i}", _versioned(f"user-{i}", generation))
        progress.send((i, generation))
        i += 1


def _run_and_kill(db: Path, acknowledged: int, die_in_step: int) -> dict[int, int]:
    """Start a writer and kill -9 it (itself, or after some acknowledged saves).

    Returns the saves it acknowledged, each of which was committed.
    """
    receiver, sender = SPAWN.Pipe(duplex=False)
    child = SPAWN.Process(target=_crash_writer, args=(str(db), sender, die_in_step))
    child.start()
    sender.close()
    committed: dict[int, int] = {}
    try:
        for _ in range(acknowledged):
            user, generation = receiver.recv()
            committed[user] = generation
    except EOFError:  # the writer killed itself
        assert die_in_step > 0
    assert child.pid is not None
    if die_in_step == 0:
        os.kill(child.pid, signal.SIGKILL)
    child.join(timeout=60)
    assert child.exitcode == -signal.SIGKILL
    receiver.close()
    return committed


@pytest.mark.parametrize(
    ("acknowledged", "die_in_step"),
    [(1, 0), (41, 0), (10**9, 5), (10**9, 400)],
)
def test_kill_9_mid_write_leaves_every_record_old_or_new(
    tmp_path: Path, acknowledged: int, die_in_step: int
) -> None:
    db = tmp_path / "crash.sqlite3"
    with SQLiteStore(db) as store:
        for i in range(CRASH_USERS):
            store.save(f"user-{i}", _versioned(f"user-{i}", 0))
    for _ in range(2):  # the second writer resumes from the first one's crash
        committed = _run_and_kill(db, acknowledged, die_in_step)
        store = SQLiteStore(db)
        generations = _generations(store)
        for user, generation in committed.items():
            assert generations[user] >= generation, "an acknowledged save was lost"
        # Users are written in order, generation by generation: the stored generations
        # step down by one at most once, where the writer was when it died.
        assert generations == sorted(generations, reverse=True)
        assert generations[0] - generations[-1] <= 1
        store.check()
        store.close()
    store = SQLiteStore(db)
    store.save("user-0", _versioned("user-0", 99))  # the store goes on working
    assert store.load("user-0") == _versioned("user-0", 99)
