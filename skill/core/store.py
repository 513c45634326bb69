"""Per-user records (session state and preferences) kept in one SQLite file.

Both the Alexa skill (through ``skill.alexa.persistence``) and the local coach read and write a
user's record through the small :class:`Store` interface. A record is a JSON-safe dict:
keys are strings, values are ``None``, bools, ints, finite floats, strings, lists and dicts.

:class:`SQLiteStore` is the embedded default. It is built to survive what a server sees:

- several processes (gunicorn workers) and threads at once: WAL journal, a busy timeout,
  one connection per thread and per process (a connection never crosses a ``fork``);
- ``kill -9`` at any moment: every save is one SQL statement, hence one atomic transaction,
  so a record is always either the old or the new version, never half of each; writes that
  belong together (a session's journal entry and the record beside it) go in one
  :meth:`SQLiteStore.transaction`, all or none of them;
- a damaged file: anything that is not this application's SQLite store (random bytes, a
  truncated database, a text file, another program's database, a newer schema) raises a
  :class:`StoreError` that names the file. The file is never deleted, replaced or "repaired".

The same file holds the pain journal in a table of its own (:mod:`skill.core.journal_store`,
which runs its statements through :meth:`SQLiteStore.execute`); the schema of both is versioned
here (:data:`MIGRATIONS`).
"""

from __future__ import annotations

import json
import math
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Final, Protocol, cast, runtime_checkable

__all__ = [
    "APPLICATION_ID",
    "DB_ENV_VAR",
    "LOCAL_USER_ID",
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "RecordError",
    "SQLiteStore",
    "Store",
    "StoreAccessError",
    "StoreCorruptError",
    "StoreError",
    "StoreVersionError",
    "Transaction",
    "check_user_id",
    "decode_json",
    "default_db_path",
    "encode_json",
    "migrate",
]

DB_ENV_VAR: Final = "MASSAGE_COACH_DB"
"""Environment variable that overrides the default database location."""

APP_NAME: Final = "massage-coach"

LOCAL_USER_ID: Final = "local"
"""The user id the local coach keeps its record under, beside the skill's Alexa users (and
whose journal `massage-coach history` shows by default)."""
DB_FILENAME: Final = "coach.sqlite3"

APPLICATION_ID: Final = 0x4D434F41
"""``PRAGMA application_id`` of our files ("MCOA"): tells our store from other SQLite files."""

BUSY_TIMEOUT_MS: Final = 10_000
"""How long a writer waits for another process's write lock before giving up."""


class StoreError(Exception):
    """Root of every error raised by a store. The message names the file and the cause."""


class StoreAccessError(StoreError):
    """The store file cannot be opened, read or written (a directory, permissions, I/O, locked)."""


class StoreCorruptError(StoreError):
    """The file is not a usable store: not SQLite, damaged, another program's, or a bad record."""


class StoreVersionError(StoreError):
    """The file was written by a newer version of massage-coach (its schema is unknown here)."""


class RecordError(StoreError, ValueError):
    """A record or user id given to the store is not acceptable (not a JSON-safe dict...)."""


@runtime_checkable
class Store(Protocol):
    """Where per-user records live. Implementations must be safe to share between threads."""

    def load(self, user_id: str) -> dict[str, Any] | None:
        """Return the user's record, or ``None`` if the user has none."""
        ...

    def save(self, user_id: str, record: dict[str, Any]) -> None:
        """Replace the user's record with ``record``, atomically."""
        ...

    def delete(self, user_id: str) -> None:
        """Forget the user's record. Deleting a missing record is not an error."""
        ...


def default_db_path(environ: Mapping[str, str] | None = None) -> Path:
    """Where the store lives unless told otherwise.

    ``$MASSAGE_COACH_DB`` when set and not empty (``~`` expanded), else ``coach.sqlite3`` in
    the user's data directory (``platformdirs.user_data_path("massage-coach")``).
    """
    env = os.environ if environ is None else environ
    override = env.get(DB_ENV_VAR, "").strip()
    if override:
        return Path(override).expanduser()
    # Imported here so that importing the store costs nothing when a path is given.
    import platformdirs

    return platformdirs.user_data_path(APP_NAME) / DB_FILENAME


def _migrate_0_to_1(connection: sqlite3.Connection) -> None:
    # A rowid table rather than WITHOUT ROWID: records are often larger than the 1/20 of a
    # page that WITHOUT ROWID suits. data holds the record as UTF-8 JSON bytes.
    connection.execute(
        "CREATE TABLE records (user_id TEXT PRIMARY KEY NOT NULL, data BLOB NOT NULL)"
    )
    connection.execute(f"PRAGMA application_id = {APPLICATION_ID}")


def _migrate_1_to_2(connection: sqlite3.Connection) -> None:
    # The pain journal (skill.core.journal_store): one row per session, data the entry as
    # UTF-8 JSON bytes, started_at its start in the journal's form (format_time: UTC, whole
    # seconds, "Z"), which sorts as time does. The index makes a period an index range read.
    connection.execute(
        "CREATE TABLE sessions (user_id TEXT NOT NULL, started_at TEXT NOT NULL,"
        " data BLOB NOT NULL)"
    )
    connection.execute("CREATE INDEX sessions_by_user_and_start ON sessions (user_id, started_at)")


def _migrate_2_to_3(connection: sqlite3.Connection) -> None:
    # A session is journaled once (skill.core.journal_store: a retried or replayed stop is
    # not a second session): unique by user, start and routine. The routine gets a column of
    # its own, filled from the entries; a row that cannot be read keeps NULL there, which a
    # unique index never counts as a duplicate. Of the copies an older version journaled,
    # the first is kept, as an append now keeps the first.
    connection.execute("ALTER TABLE sessions ADD COLUMN routine TEXT")
    rows = connection.execute("SELECT rowid, data FROM sessions").fetchall()
    for rowid, data in rows:
        routine = _routine_of(data)
        if routine is not None:
            connection.execute("UPDATE sessions SET routine = ? WHERE rowid = ?", (routine, rowid))
    connection.execute(
        "DELETE FROM sessions WHERE routine IS NOT NULL AND rowid NOT IN"
        " (SELECT min(rowid) FROM sessions GROUP BY user_id, started_at, routine)"
    )
    connection.execute(
        "CREATE UNIQUE INDEX sessions_once ON sessions (user_id, started_at, routine)"
    )


def _routine_of(data: object) -> str | None:
    """The routine of a stored journal entry; None when the row cannot be read."""
    try:
        entry = decode_json(data)
    except (TypeError, ValueError):
        return None
    routine = entry.get("routine") if isinstance(entry, dict) else None
    return routine if isinstance(routine, str) else None


MIGRATIONS: Final[tuple[Callable[[sqlite3.Connection], None], ...]] = (
    _migrate_0_to_1,
    _migrate_1_to_2,
    _migrate_2_to_3,
)
"""``MIGRATIONS[n]`` takes the schema from version ``n`` to ``n + 1``. Append, never edit."""

SCHEMA_VERSION: Final = len(MIGRATIONS)
"""The schema version this code writes, kept in ``PRAGMA user_version``."""


def migrate(connection: sqlite3.Connection) -> int:
    """Bring the database on ``connection`` up to :data:`SCHEMA_VERSION`; return the old version.

    Runs in one ``BEGIN IMMEDIATE`` transaction, so concurrent processes opening a new file
    serialize here and a crash leaves the previous version. ``connection`` must be in
    autocommit mode (``isolation_level=None``).
    """
    connection.execute("BEGIN IMMEDIATE")
    try:
        # Re-read inside the write lock: another process may have migrated meanwhile.
        found = _read_int(connection, "PRAGMA user_version")
        if found > SCHEMA_VERSION:
            raise StoreVersionError(
                f"schema version {found} is newer than this program's {SCHEMA_VERSION}"
            )
        for step in MIGRATIONS[found:]:
            step(connection)
        if found != SCHEMA_VERSION:
            connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        connection.execute("COMMIT")
    except BaseException:
        if connection.in_transaction:
            connection.execute("ROLLBACK")
        raise
    return found


def _read_int(connection: sqlite3.Connection, sql: str) -> int:
    row = connection.execute(sql).fetchone()
    return int(row[0])


_PLAIN: Final[frozenset[type]] = frozenset({str, int, bool, type(None)})
"""The exact types of most values in a record: accepted without a call of their own."""
_SCALARS: Final = (str, bool, int)
"""A tuple rather than ``str | bool | int``: isinstance takes half the time with it."""


def _is_json_safe(value: object, depth: int = 0) -> bool:
    # json.dumps alone would turn int keys into strings and tuples into lists, so a record
    # would come back different from what was saved; reject those instead. Exact types first,
    # with plain loops (a generator per container cost twice as much): most records hold
    # nothing else; subclasses are then checked the slow way.
    kind = type(value)
    if kind in _PLAIN:
        return True
    if kind is float:
        return math.isfinite(cast(float, value))
    if depth > 100:
        return False
    if kind is list:
        items: Iterable[object] = cast(list[object], value)
    elif kind is dict:
        mapping = cast(dict[object, object], value)
        for key in mapping:
            if type(key) is not str and not isinstance(key, str):
                return False
        items = mapping.values()
    else:
        return _is_json_safe_subclass(value, depth)
    for item in items:
        if type(item) not in _PLAIN and not _is_json_safe(item, depth + 1):
            return False
    return True


def _is_json_safe_subclass(value: object, depth: int) -> bool:
    """`_is_json_safe` for values of other types than the exact JSON ones (subclasses)."""
    if isinstance(value, _SCALARS):
        return True
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, list):
        items: Iterable[object] = value
    elif isinstance(value, dict):
        if not all(isinstance(key, str) for key in value):
            return False
        items = value.values()
    else:
        return False
    return all(_is_json_safe(item, depth + 1) for item in items)


def encode_json(record: dict[str, Any]) -> bytes:
    """``record`` as the store keeps it: compact UTF-8 JSON bytes (it must be JSON-safe)."""
    # surrogatepass: strings decoded from JSON may hold lone surrogates (\ud800); they must
    # come back exactly as saved, which \u escapes would not do for two adjacent ones.
    return _ENCODER.encode(record).encode("utf-8", "surrogatepass")


_ENCODER: Final = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False)
"""What json.dumps would build anew on every save for these options."""


def decode_json(data: object) -> Any:
    """The JSON value stored as ``data``. Raises TypeError or ValueError when it is none."""
    if isinstance(data, bytes):
        data = data.decode("utf-8", "surrogatepass")
    if not isinstance(data, str):
        raise TypeError(f"stored as SQL {type(data).__name__}, not JSON text")
    # What json.loads does, without its two regular-expression scans for whitespace: a
    # journal read decodes a row per session.
    text = data.strip(_JSON_WHITESPACE)
    value, end = _DECODER.raw_decode(text)
    if end != len(text):
        raise json.JSONDecodeError("Extra data", text, end)
    return value


_DECODER: Final = json.JSONDecoder()
_JSON_WHITESPACE: Final = " \t\n\r"


def check_user_id(user_id: object) -> str:
    """``user_id`` when it is a non-empty string; raises RecordError otherwise."""
    if not isinstance(user_id, str) or not user_id:
        raise RecordError(f"user id must be a non-empty string, got {user_id!r}")
    return user_id


class _Local(threading.local):
    """The calling thread's connection, tagged with the process that opened it."""

    pid: int = -1
    connection: sqlite3.Connection | None = None


class SQLiteStore(Store):
    """A :class:`Store` over one SQLite file, safe for many threads and processes.

    The file and its parent directory are created if missing. The constructor opens and
    checks the file at once, so a bad store is reported at startup, not on the first request.
    Each thread gets its own connection, opened on first use; a process that inherits the
    store through ``fork`` opens fresh connections rather than reusing the parent's.
    """

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        """Open (creating if needed) the store at ``path``, default :func:`default_db_path`."""
        self.path: Final[Path] = Path(path) if path is not None else default_db_path()
        self._local = _Local()
        # Connections inherited through fork must stay referenced: garbage-collecting one
        # would close it in the child, and closing the last handle of a WAL database may
        # checkpoint and delete the WAL under the parent's feet.
        self._inherited: list[sqlite3.Connection] = []
        self._connection()

    def __repr__(self) -> str:
        return f"SQLiteStore({str(self.path)!r})"

    # -- the Store interface -------------------------------------------------------------

    def load(self, user_id: str) -> dict[str, Any] | None:
        """Return the user's record, or ``None``. Raises StoreCorruptError for a bad row."""
        check_user_id(user_id)
        with self._errors(f"read the record of {user_id!r}"):
            row = (
                self._connection()
                .execute("SELECT data FROM records WHERE user_id = ?", (user_id,))
                .fetchone()
            )
        return None if row is None else self.record_of(user_id, row[0])

    def record_of(self, user_id: str, data: object) -> dict[str, Any]:
        """The user's record stored as ``data`` (the ``records`` table's column, read by
        another statement). Raises StoreCorruptError when it is not a JSON object."""
        try:
            record = decode_json(data)
        except (TypeError, ValueError) as err:
            raise StoreCorruptError(
                f"{self.path}: the record of {user_id!r} is not valid JSON ({err}); "
                "the file was left as it is"
            ) from err
        if type(record) is not dict:
            raise StoreCorruptError(
                f"{self.path}: the record of {user_id!r} is a JSON {type(record).__name__}, "
                "not an object; the file was left as it is"
            )
        return record

    def save(self, user_id: str, record: dict[str, Any]) -> None:
        """Replace the user's record. One statement: atomic, even under ``kill -9``."""
        check_user_id(user_id)
        if not isinstance(record, dict) or not _is_json_safe(record):
            raise RecordError(
                f"the record of {user_id!r} is not a JSON-safe dict (string keys; values None, "
                "bool, int, finite float, str, list or dict): "
                f"{_shorten(repr(record))}"
            )
        data = encode_json(record)
        with self._errors(f"save the record of {user_id!r}"):
            self._connection().execute(
                "INSERT INTO records (user_id, data) VALUES (?, ?)"
                " ON CONFLICT (user_id) DO UPDATE SET data = excluded.data",
                (user_id, data),
            )

    def delete(self, user_id: str) -> None:
        """Forget the user's record (no error if there is none)."""
        check_user_id(user_id)
        with self._errors(f"delete the record of {user_id!r}"):
            self._connection().execute("DELETE FROM records WHERE user_id = ?", (user_id,))

    # -- extras --------------------------------------------------------------------------

    def execute(self, doing: str, sql: str, parameters: Sequence[object] = ()) -> list[Any]:
        """Run one SQL statement (its own transaction) on the calling thread's connection and
        return its rows. For the other tables of this file (the journal,
        :mod:`skill.core.journal_store`): sqlite3 errors become :class:`StoreError` naming the
        file and ``doing`` ("read the journal of 'u'"), as the store's own do.
        """
        with self._errors(doing):
            return self._connection().execute(sql, parameters).fetchall()

    def transaction(self, doing: str) -> Transaction:
        """The calling thread's statements in the ``with`` block, the store's and its
        journal's (:mod:`skill.core.journal_store`, which shares this store), as one
        transaction: ``BEGIN IMMEDIATE`` takes the write lock at once (waiting for another
        writer up to the busy timeout), ``COMMIT`` at the end, ``ROLLBACK`` when the block
        raises. A block inside another joins it. ``doing`` names it in errors, as
        :meth:`execute`'s does.

        What that means for a crash: a process killed before the commit leaves none of the
        block's writes; after it, all of them. The durability of a commit is that of any
        statement here (``synchronous = NORMAL`` in WAL mode): a killed process loses
        nothing committed, a power cut may lose the latest commits, each one whole.
        """
        return Transaction(self, doing)

    def user_ids(self) -> list[str]:
        """Every user id that has a record, sorted."""
        with self._errors("list the users"):
            cursor = self._connection().execute("SELECT user_id FROM records ORDER BY user_id")
            rows = cursor.fetchall()
        return [row[0] for row in rows]

    def schema_version(self) -> int:
        """The schema version recorded in the file (``PRAGMA user_version``)."""
        with self._errors("read the schema version"):
            return _read_int(self._connection(), "PRAGMA user_version")

    def check(self) -> None:
        """Run SQLite's full integrity check; raise StoreCorruptError if it finds damage.

        Reads the whole file, so it is for a ``doctor`` command, not for every request.
        """
        with self._errors("check the file"):
            rows = self._connection().execute("PRAGMA integrity_check").fetchall()
        problems = [str(row[0]) for row in rows]
        if problems != ["ok"]:
            raise StoreCorruptError(
                f"{self.path}: damaged store: {_shorten('; '.join(problems))}; "
                "the file was left as it is"
            )

    def close(self) -> None:
        """Close the calling thread's connection; the next call opens a new one."""
        connection = self._local.connection
        if connection is not None and self._local.pid == os.getpid():
            connection.close()
        self._local.connection = None
        self._local.pid = -1

    def __enter__(self) -> SQLiteStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- connections ---------------------------------------------------------------------

    def _connection(self) -> sqlite3.Connection:
        local = self._local
        pid = os.getpid()
        connection = local.connection
        if connection is not None and local.pid == pid:
            return connection
        if connection is not None:
            self._inherited.append(connection)
        connection = self._open()
        local.connection = connection
        local.pid = pid
        return connection

    def _open(self) -> sqlite3.Connection:
        path = self.path
        if path.is_dir():
            raise StoreAccessError(f"{path}: is a directory, not a store file")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise StoreAccessError(f"{path}: cannot create its directory: {err}") from err
        try:
            # Autocommit (isolation_level=None): each statement is its own transaction,
            # and migrate() issues BEGIN IMMEDIATE itself. timeout sets SQLite's busy timeout.
            connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        except sqlite3.Error as err:
            raise StoreAccessError(f"{path}: cannot open the store: {err}") from err
        try:
            with self._errors("open the store"):
                self._prepare_when_free(connection)
        except BaseException:
            connection.close()
            raise
        return connection

    def _prepare_when_free(self, connection: sqlite3.Connection) -> None:
        # Switching a new file to WAL returns SQLITE_BUSY at once, without the busy handler,
        # while another connection opens the same file; opening is idempotent, so retry.
        deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
        delay = 0.001
        while True:
            try:
                self._prepare(connection)
                return
            except sqlite3.OperationalError as err:
                busy = getattr(err, "sqlite_errorcode", 0) & 0xFF == sqlite3.SQLITE_BUSY
                if not busy or time.monotonic() + delay > deadline:
                    raise
            time.sleep(delay)
            delay = min(delay * 2, 0.05)

    def _prepare(self, connection: sqlite3.Connection) -> None:
        # Read-only checks first, in one read transaction: nothing is written to a file that
        # is not ours, and a process creating the same new file right now is seen either
        # before or after its migration, never in between.
        connection.execute("BEGIN")
        try:
            version = self._check_ours(connection)
        finally:
            if connection.in_transaction:
                connection.execute("ROLLBACK")
        mode = connection.execute("PRAGMA journal_mode").fetchone()[0]
        if str(mode).lower() != "wal":
            # WAL: readers never block the writer and the writer never blocks readers.
            connection.execute("PRAGMA journal_mode = WAL")
        # NORMAL in WAL mode survives a killed process (only a power cut can lose the
        # latest commits, never consistency) and saves an fsync on every request.
        connection.execute("PRAGMA synchronous = NORMAL")
        # Deleted rows are overwritten with zeros, and so are the pages they free, so that
        # forgetting a user's data leaves no copy of it in the file (the journal's forget).
        connection.execute("PRAGMA secure_delete = ON")
        if version < SCHEMA_VERSION:
            migrate(connection)

    def _check_ours(self, connection: sqlite3.Connection) -> int:
        """Raise unless the file is empty or our store at a known version; return the version."""
        application_id = _read_int(connection, "PRAGMA application_id")
        version = _read_int(connection, "PRAGMA user_version")
        if application_id not in (0, APPLICATION_ID):
            raise StoreCorruptError(
                f"{self.path}: this SQLite file belongs to another program "
                f"(application_id {application_id:#x}); it was left as it is"
            )
        if version > SCHEMA_VERSION:
            raise StoreVersionError(
                f"{self.path}: written by a newer massage-coach (schema version {version}, "
                f"this one knows up to {SCHEMA_VERSION}); upgrade massage-coach. "
                "The file was left as it is"
            )
        if application_id == 0 and _read_int(connection, "SELECT count(*) FROM sqlite_master"):
            raise StoreCorruptError(
                f"{self.path}: this SQLite file is not a massage-coach store (it holds other "
                "tables); it was left as it is. Choose another path"
            )
        if application_id == APPLICATION_ID:
            self._check_table(connection, "records", {"user_id", "data"})
        if application_id == APPLICATION_ID and version >= 2:
            columns = {"user_id", "started_at", "data"} | ({"routine"} if version >= 3 else set())
            self._check_table(connection, "sessions", columns)
        return version

    def _check_table(self, connection: sqlite3.Connection, table: str, needed: set[str]) -> None:
        rows = connection.execute(f"PRAGMA table_info({table})").fetchall()
        if not needed <= {str(row[1]) for row in rows}:
            raise StoreCorruptError(
                f"{self.path}: the {table} table is missing or malformed; "
                "the file was left as it is"
            )

    def _errors(self, doing: str) -> _SQLiteErrors:
        return _SQLiteErrors(self.path, doing)


class Transaction:
    """:meth:`SQLiteStore.transaction`'s context manager."""

    def __init__(self, store: SQLiteStore, doing: str) -> None:
        self._store = store
        self._doing = doing
        self._connection: sqlite3.Connection | None = None

    def __enter__(self) -> None:
        connection = self._store._connection()
        if connection.in_transaction:
            return  # inside another block: its commit is this one's
        with self._store._errors(self._doing):
            connection.execute("BEGIN IMMEDIATE")
        self._connection = connection

    def __exit__(self, exc_type: object, exc: BaseException | None, tb: object) -> None:
        connection, self._connection = self._connection, None
        # SQLite ends a transaction itself on some errors (a full disk, an I/O error): the
        # statements after one ran on their own, and there is nothing left to end.
        if connection is None or not connection.in_transaction:
            return
        if exc is not None:
            connection.execute("ROLLBACK")
            return
        try:
            with self._store._errors(self._doing):
                connection.execute("COMMIT")
        except BaseException:
            if connection.in_transaction:
                connection.execute("ROLLBACK")
            raise


class _SQLiteErrors:
    """Turns sqlite3 exceptions into StoreErrors that name the file and what was being done."""

    def __init__(self, path: Path, doing: str) -> None:
        self._path = path
        self._doing = doing

    def __enter__(self) -> None:
        return None

    def __exit__(self, exc_type: object, exc: BaseException | None, tb: object) -> None:
        if exc is None or isinstance(exc, StoreError):
            return
        prefix = f"{self._path}: cannot {self._doing}"
        if isinstance(exc, sqlite3.DatabaseError) and _is_corruption(exc):
            raise StoreCorruptError(
                f"{prefix}: the file is damaged or not a massage-coach store ({exc}); "
                "it was left as it is"
            ) from exc
        if isinstance(exc, sqlite3.Error):
            raise StoreAccessError(f"{prefix}: {exc}") from exc
        if isinstance(exc, UnicodeEncodeError):
            raise RecordError(f"{prefix}: the user id cannot be stored as text ({exc})") from exc


def _is_corruption(exc: sqlite3.DatabaseError) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB)
    text = str(exc).lower()
    return "not a database" in text or "malformed" in text


def _shorten(text: str, limit: int = 200) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."
