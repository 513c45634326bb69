"""The pain journal kept in DynamoDB, in the same table as the users' persistent attributes.

The Lambda deployment keeps attributes with ask-sdk's ``DynamoDbAdapter``: one item per user,
keyed by the Alexa user id in the table's partition key (``id`` by default).
:class:`DynamoDbJournal` adds, under the same partition key, items of its own:

- one item per user and month, ``"<user_id>#journal#2026-12"``, whose ``entries`` list holds
  that month's sessions (by their UTC start) in the order they were appended. An append is one
  ``UpdateItem`` with ``list_append``, atomic however many Lambdas append at once; the same
  item's ``sessions`` string set names each session appended (start to the second, and
  routine), and the append's condition that it is not there yet keeps a retried or replayed
  request's entry from being journaled twice (entries appended before that set was kept are
  not in it);
- one index item per user, ``"<user_id>#journal"``, whose ``months`` string set names the
  months that have an item (added with ``ADD``, atomic and idempotent, before the entry).

So ``since`` reads the index and the months it needs (a ``BatchGetItem``), never the whole
history, and ``forget`` deletes every month the index names, then the index. Alexa user ids
hold no ``#``, so these keys never meet an attributes item; a user id with one is refused.
A month's item holds about a thousand sessions before DynamoDB's 400 KB item limit.

``forget`` is not a transaction with ``append``: a session of the same user appended while
their journal is being forgotten (two devices at the same second) may outlive it. One
device's requests come one after another, so a user saying "delete my history" never races
their own session's end.

Numbers go through :func:`~skill.alexa.persistence.to_dynamodb` and
:func:`~skill.alexa.persistence.from_dynamodb`; entries that cannot be read are skipped
(:func:`~skill.core.journal.entry_of`). DynamoDB failures raise
:class:`~skill.core.store.StoreAccessError` naming the table.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any, Final

from botocore.exceptions import BotoCoreError, ClientError

from skill.alexa.persistence import from_dynamodb, to_dynamodb
from skill.core.journal import SessionEntry, entry_of, format_time
from skill.core.journal_store import check_entry
from skill.core.store import RecordError, StoreAccessError, check_user_id

__all__ = ["DynamoDbJournal"]

_SEPARATOR: Final = "#"
_ENTRIES: Final = "entries"
_MONTHS: Final = "months"
_ONCE: Final = "sessions"
_BATCH_GET_LIMIT: Final = 100
"""Keys per BatchGetItem request, DynamoDB's maximum."""


class DynamoDbJournal:
    """A :class:`~skill.core.journal.Journal` in a DynamoDB table shared with the attributes."""

    def __init__(self, table_name: str, resource: Any, partition_key_name: str = "id") -> None:
        """Keep journals in ``table_name`` through the boto3 DynamoDB ``resource``, keyed by
        ``partition_key_name`` (the attributes adapter's)."""
        self.table_name: Final = table_name
        self.partition_key_name: Final = partition_key_name
        self._resource = resource
        self._table = resource.Table(table_name)

    def __repr__(self) -> str:
        return f"DynamoDbJournal({self.table_name!r})"

    def append(self, user_id: str, entry: SessionEntry) -> None:
        """Add ``entry`` to its month's item, the month to the index first (so an interrupted
        append leaves at worst an empty month listed, never an entry that is not)."""
        _check_user_id(user_id)
        check_entry(user_id, entry)
        month = _month_of(entry.started)
        with self._errors(f"add to the journal of {user_id!r}"):
            self._table.update_item(
                Key=self._key(_index_id(user_id)),
                UpdateExpression="ADD #months :month",
                ExpressionAttributeNames={"#months": _MONTHS},
                ExpressionAttributeValues={":month": {month}},
            )
            try:
                self._table.update_item(
                    Key=self._key(_month_id(user_id, month)),
                    UpdateExpression=(
                        "SET #entries = list_append(if_not_exists(#entries, :none), :new)"
                        " ADD #once :sessions"
                    ),
                    ConditionExpression="NOT contains(#once, :session)",
                    ExpressionAttributeNames={"#entries": _ENTRIES, "#once": _ONCE},
                    ExpressionAttributeValues={
                        ":none": [],
                        ":new": [to_dynamodb(entry.to_json())],
                        ":sessions": {_session_key(entry)},
                        ":session": _session_key(entry),
                    },
                )
            except ClientError as err:
                if err.response.get("Error", {}).get("Code") != "ConditionalCheckFailedException":
                    raise
                # That session is in the month already: a retried or replayed request's.

    def since(self, user_id: str, start: datetime) -> list[SessionEntry]:
        """The user's entries that started at or after ``start`` (naive: UTC), oldest first,
        read from the index and the months from ``start``'s on."""
        _check_user_id(user_id)
        start = start if start.tzinfo is not None else start.replace(tzinfo=UTC)
        doing = f"read the journal of {user_id!r}"
        with self._errors(doing):
            months = [month for month in self._months(user_id) if month >= _month_of(start)]
            items = self._get_all([_month_id(user_id, month) for month in months])
        entries = [
            entry
            for month in months
            for entry in _entries_of(items.get(_month_id(user_id, month)))
            if entry.started >= start
        ]
        # Stable: sessions that start in the same second stay in the order they were appended.
        return sorted(entries, key=lambda entry: entry.started)

    def count_since(self, user_id: str, start: datetime) -> None:
        """None: counting the sessions would read the months' items, as `since` does (so the
        trend rule reads them at every stop, one read as before, and the record keeps no copy
        of its window)."""
        _check_user_id(user_id)
        return None

    def forget(self, user_id: str) -> None:
        """Delete every month item of the user and their index (nothing else of theirs)."""
        _check_user_id(user_id)
        with self._errors(f"forget the journal of {user_id!r}"):
            months = self._months(user_id)
            with self._table.batch_writer() as batch:
                for month in months:
                    batch.delete_item(Key=self._key(_month_id(user_id, month)))
                batch.delete_item(Key=self._key(_index_id(user_id)))

    def has_entries(self, user_id: str) -> bool:
        """Whether the user's journal names any month (one read of the index)."""
        _check_user_id(user_id)
        with self._errors(f"read the journal of {user_id!r}"):
            return bool(self._months(user_id))

    # -- DynamoDB ------------------------------------------------------------------------

    def _key(self, partition: str) -> dict[str, str]:
        return {self.partition_key_name: partition}

    def _months(self, user_id: str) -> list[str]:
        """The months listed in the user's index, oldest first."""
        found = self._table.get_item(Key=self._key(_index_id(user_id)), ConsistentRead=True)
        months = found.get("Item", {}).get(_MONTHS, set())
        return sorted(str(month) for month in months)

    def _get_all(self, partitions: list[str]) -> dict[str, dict[str, Any]]:
        """The items of ``partitions`` that exist, by partition key value."""
        items: dict[str, dict[str, Any]] = {}
        for first in range(0, len(partitions), _BATCH_GET_LIMIT):
            chunk = partitions[first : first + _BATCH_GET_LIMIT]
            request: dict[str, Any] = {
                self.table_name: {"Keys": [self._key(p) for p in chunk], "ConsistentRead": True}
            }
            while request:
                answer = self._resource.batch_get_item(RequestItems=request)
                for item in answer.get("Responses", {}).get(self.table_name, []):
                    items[str(item[self.partition_key_name])] = item
                # Keys DynamoDB did not get to (throttling, size) are asked for again.
                request = answer.get("UnprocessedKeys") or {}
        return items

    @contextmanager
    def _errors(self, doing: str) -> Iterator[None]:
        try:
            yield
        except (BotoCoreError, ClientError) as err:
            raise StoreAccessError(
                f"DynamoDB table {self.table_name!r}: cannot {doing}: {err}"
            ) from err


def _check_user_id(user_id: str) -> None:
    check_user_id(user_id)
    if _SEPARATOR in user_id:
        raise RecordError(f"a journal's user id cannot hold {_SEPARATOR!r}: {user_id!r}")


def _index_id(user_id: str) -> str:
    return f"{user_id}{_SEPARATOR}journal"


def _month_id(user_id: str, month: str) -> str:
    return f"{_index_id(user_id)}{_SEPARATOR}{month}"


def _month_of(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m")


def _session_key(entry: SessionEntry) -> str:
    """What tells one session from another: its start, to the second, and its routine."""
    return f"{format_time(entry.started)} {entry.routine}"


def _entries_of(item: dict[str, Any] | None) -> Iterator[SessionEntry]:
    stored = (item or {}).get(_ENTRIES)
    for data in stored if isinstance(stored, list) else ():
        entry = entry_of(from_dynamodb(data))
        if entry is not None:
            yield entry
