"""The pain journal kept in SQLite, in the same file as the users' records.

:class:`SQLiteJournal` is the :class:`skill.core.journal.Journal` of the local coach and of the
self-hosted skill. It keeps one row per session in the ``sessions`` table that the store's
schema migrations create (``skill.core.store.MIGRATIONS``), indexed by user and start time,
so a period is an index range read however long the history. A session is journaled once:
unique by user, start (to the second) and routine, so a retried or replayed request's entry
is not added again (the first is kept). It shares the
:class:`~skill.core.store.SQLiteStore`'s connections (one per thread and per process, WAL,
busy timeout) and error mapping, so it is as safe across threads and processes as the store,
and its failures are :class:`~skill.core.store.StoreError` naming the file.

Forgetting a user deletes their rows (the store zeroes what is deleted: ``secure_delete``) and
the copy of the trend rule's window in their record (`skill.core.journal_window`), then
checkpoints the WAL and truncates it, so no copy of the entries is left in the database file
or beside it.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from typing import Any, Final

from skill.core.journal import SessionEntry, entry_of, format_time, is_entry
from skill.core.store import (
    RecordError,
    SQLiteStore,
    StoreAccessError,
    StoreCorruptError,
    check_user_id,
    decode_json,
    encode_json,
)
from skill.core.symptom_log import FORGOTTEN_KEYS, without_history

__all__ = ["SQLiteJournal", "check_entry"]

_APPEND: Final = (
    "INSERT INTO sessions (user_id, started_at, routine, data) VALUES (?, ?, ?, ?)"
    " ON CONFLICT (user_id, started_at, routine) DO NOTHING"
)
_COUNT_SINCE: Final = "SELECT count(*) FROM sessions WHERE user_id = ? AND started_at >= ?"
_COUNT_AND_RECORD: Final = (
    "SELECT (SELECT count(*) FROM sessions WHERE user_id = ?1 AND started_at >= ?2),"
    " (SELECT data FROM records WHERE user_id = ?1)"
)
_SINCE: Final = (
    "SELECT data FROM sessions WHERE user_id = ? AND started_at >= ? ORDER BY started_at, rowid"
)


class SQLiteJournal:
    """A :class:`~skill.core.journal.Journal` in a :class:`~skill.core.store.SQLiteStore`'s file."""

    def __init__(self, store: SQLiteStore | str | os.PathLike[str] | None = None) -> None:
        """Use ``store``'s file and connections, or open the store at that path (the default
        path when None); the file is checked and migrated at once, as the store does."""
        self.store: Final[SQLiteStore] = (
            store if isinstance(store, SQLiteStore) else SQLiteStore(store)
        )

    def __repr__(self) -> str:
        return f"SQLiteJournal({str(self.store.path)!r})"

    def append(self, user_id: str, entry: SessionEntry) -> None:
        """Add ``entry`` to the user's journal: one INSERT, atomic even under ``kill -9``;
        nothing when the journal holds that session already (the same start, to the second,
        and routine: a retried or replayed request's).

        Raises RecordError, storing nothing, when ``entry`` is not a valid entry.
        """
        check_entry(user_id, entry)
        self.store.execute(
            f"add to the journal of {user_id!r}",
            _APPEND,
            (user_id, format_time(entry.started), entry.routine, encode_json(entry.to_json())),
        )

    def since(self, user_id: str, start: datetime) -> list[SessionEntry]:
        """The user's entries that started at or after ``start`` (a naive time is UTC), oldest
        first; entries that cannot be read (damaged, from a newer version) are left out."""
        check_user_id(user_id)
        start = start if start.tzinfo is not None else start.replace(tzinfo=UTC)
        rows = self.store.execute(
            f"read the journal of {user_id!r}", _SINCE, (user_id, format_time(start))
        )
        entries = _entries_of_rows([row[0] for row in rows])
        # The key is whole seconds; the exact start decides within the first second.
        return [entry for entry in entries if entry is not None and entry.started >= start]

    def count_since(self, user_id: str, start: datetime) -> int:
        """How many rows the user's journal holds from ``start``'s second on (a naive time is
        UTC), readable or not: an index range counted."""
        check_user_id(user_id)
        start = start if start.tzinfo is not None else start.replace(tzinfo=UTC)
        rows = self.store.execute(
            f"read the journal of {user_id!r}", _COUNT_SINCE, (user_id, format_time(start))
        )
        count: int = rows[0][0]
        return count

    def count_and_record(self, user_id: str, start: datetime) -> tuple[int, dict[str, Any] | None]:
        """`count_since` and the user's record (`SQLiteStore.load`: None when there is none)
        in one statement: a session's end reads both after its append.

        Raises StoreCorruptError, as the store's load does, when the record is damaged.
        """
        check_user_id(user_id)
        start = start if start.tzinfo is not None else start.replace(tzinfo=UTC)
        ((count, data),) = self.store.execute(
            f"read the journal and the record of {user_id!r}",
            _COUNT_AND_RECORD,
            (user_id, format_time(start)),
        )
        return count, None if data is None else self.store.record_of(user_id, data)

    def forget(self, user_id: str) -> None:
        """Delete every entry of the user, leaving no copy in the file, its WAL or its index.

        Raises StoreAccessError when another connection keeps the WAL from being emptied
        within the busy timeout (the entries are deleted; the old pages may remain in the WAL
        until the next checkpoint).
        """
        check_user_id(user_id)
        self.store.execute(
            f"forget the journal of {user_id!r}",
            "DELETE FROM sessions WHERE user_id = ?",
            (user_id,),
        )
        self._forget_in_record(user_id)
        # TRUNCATE waits (busy handler) for readers to leave the WAL, copies it into the
        # database file and cuts it to zero bytes: the deleted rows' old pages go with it.
        busy, _, _ = self.store.execute(
            f"forget the journal of {user_id!r}", "PRAGMA wal_checkpoint(TRUNCATE)"
        )[0]
        if busy:
            raise StoreAccessError(
                f"{self.store.path}: the journal of {user_id!r} is deleted, but the WAL could "
                "not be emptied while other connections use it; forget again later"
            )

    def _forget_in_record(self, user_id: str) -> None:
        """Take the history the user's record holds out of it (`symptom_log.without_history`:
        the symptom log, the copy of the trend rule's window), before the checkpoint, so that
        the WAL keeps no copy of it either; a record that cannot be read is left as it is."""
        try:
            record = self.store.load(user_id)
        except StoreCorruptError:
            return
        if record is not None and not FORGOTTEN_KEYS.isdisjoint(record):
            self.store.save(user_id, without_history(record))

    def users(self) -> list[str]:
        """Every user id with at least one entry, sorted."""
        rows = self.store.execute(
            "list the journal's users", "SELECT DISTINCT user_id FROM sessions ORDER BY user_id"
        )
        return [row[0] for row in rows]

    def has_entries(self, user_id: str) -> bool:
        """Whether the user has any entry (an index lookup)."""
        check_user_id(user_id)
        rows = self.store.execute(
            f"read the journal of {user_id!r}",
            "SELECT 1 FROM sessions WHERE user_id = ? LIMIT 1",
            (user_id,),
        )
        return bool(rows)


def check_entry(user_id: str, entry: SessionEntry) -> None:
    """Raise RecordError unless ``user_id`` is a user id and ``entry`` a valid entry (as
    :func:`~skill.core.journal.entry_of` would read it back). Every journal checks this first."""
    check_user_id(user_id)
    if not is_entry(entry):
        # The entry is not in the message: ratings and symptoms never reach a log.
        raise RecordError(f"not a valid journal entry for {user_id!r}")


def _entries_of_rows(rows: list[object]) -> list[SessionEntry | None]:
    """The entry of each row (None where it cannot be read). The rows are decoded as one JSON
    array (a stop reads four weeks: one parse instead of one a row), and one by one when
    that fails or does not give one value a row (a damaged row among them)."""
    try:
        values = decode_json(b"[" + b",".join(rows) + b"]")  # type: ignore[arg-type]
    except (TypeError, ValueError):
        values = None
    if not isinstance(values, list) or len(values) != len(rows):
        return [_entry_of_row(row) for row in rows]
    return [entry_of(value) for value in values]


def _entry_of_row(data: object) -> SessionEntry | None:
    try:
        return entry_of(decode_json(data))
    except (TypeError, ValueError):
        return None
