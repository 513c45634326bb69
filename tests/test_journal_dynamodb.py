"""Tests for skill.alexa.journal_dynamodb and journal_for: a real moto server over HTTP."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import boto3
import pytest
from ask_sdk_core.attributes_manager import AbstractPersistenceAdapter
from ask_sdk_model.context import Context
from ask_sdk_model.interfaces.system.system_state import SystemState
from ask_sdk_model.request_envelope import RequestEnvelope
from ask_sdk_model.user import User

from skill.alexa.journal_dynamodb import DynamoDbJournal
from skill.alexa.persistence import (
    PersistenceConfigError,
    SQLitePersistenceAdapter,
    journal_for,
    make_persistence_adapter,
)
from skill.core.journal import Journal, SessionEntry
from skill.core.journal_store import SQLiteJournal
from skill.core.store import RecordError, Store, StoreAccessError
from tests.support.dynamodb import REGION, client, create_table
from tests.support.journal import session_entry

ALICE = "amzn1.ask.account.ALICE"
BOB = "amzn1.ask.account.BOB"
DAY_ONE = datetime(2026, 10, 30, 8, 30, tzinfo=UTC)


def entry(started: datetime, routine: str = "piriformis-release", **extra: Any) -> SessionEntry:
    fields: dict[str, Any] = {"routine": routine, "minutes": 12.75, "symptoms": ("PAIN",)}
    return session_entry(started, **{**fields, **extra})


def envelope(user_id: str) -> RequestEnvelope:
    return RequestEnvelope(version="1.0", context=Context(system=SystemState(user=User(user_id))))


def resource(endpoint: str) -> Any:
    return boto3.resource("dynamodb", region_name=REGION, endpoint_url=endpoint)


@pytest.fixture
def table(aws_env: str) -> str:
    return create_table(aws_env)


@pytest.fixture
def journal(aws_env: str, table: str) -> DynamoDbJournal:
    return DynamoDbJournal(table, resource(aws_env))


def _ids(endpoint: str, table: str) -> list[str]:
    items = client(endpoint).scan(TableName=table, ConsistentRead=True)["Items"]
    return sorted(item["id"]["S"] for item in items)


def test_entries_are_kept_in_month_items_with_an_index(
    aws_env: str, table: str, journal: DynamoDbJournal
) -> None:
    typed: Journal = journal  # the protocol, checked by mypy
    days = [entry(DAY_ONE + timedelta(days=n), pain_before=n % 11) for n in range(40)]
    for day in days:
        typed.append(ALICE, day)
    typed.append(BOB, entry(DAY_ONE, "foam-roller"))
    assert _ids(aws_env, table) == [
        f"{ALICE}#journal",
        f"{ALICE}#journal#2026-10",
        f"{ALICE}#journal#2026-11",
        f"{ALICE}#journal#2026-12",
        f"{BOB}#journal",
        f"{BOB}#journal#2026-10",
    ]
    raw = client(aws_env).get_item(TableName=table, Key={"id": {"S": f"{ALICE}#journal"}})
    assert sorted(raw["Item"]["months"]["SS"]) == ["2026-10", "2026-11", "2026-12"]
    month = client(aws_env).get_item(
        TableName=table, Key={"id": {"S": f"{ALICE}#journal#2026-10"}}
    )["Item"]
    assert len(month["entries"]["L"]) == 2  # October 30 and 31
    assert month["entries"]["L"][0]["M"]["minutes"] == {"N": "12.75"}
    assert month["entries"]["L"][0]["M"]["pain_after"] == {"N": "4"}

    assert typed.since(ALICE, DAY_ONE) == days  # numbers back as ints and floats
    assert typed.since(ALICE, DAY_ONE + timedelta(days=35)) == days[35:]
    assert typed.since(ALICE, DAY_ONE + timedelta(days=40)) == []
    assert typed.since(BOB, DAY_ONE) == [entry(DAY_ONE, "foam-roller")]
    assert typed.since("nobody", DAY_ONE) == []
    assert journal.has_entries(ALICE)
    assert not journal.has_entries("nobody")
    assert repr(journal) == f"DynamoDbJournal({table!r})"


def test_since_reads_only_the_months_it_needs(
    aws_env: str, table: str, journal: DynamoDbJournal, monkeypatch: pytest.MonkeyPatch
) -> None:
    for n in range(0, 395, 3):
        journal.append(ALICE, entry(DAY_ONE + timedelta(days=n)))
    asked: list[list[str]] = []
    real = journal._resource.batch_get_item

    def spy(**kwargs: Any) -> Any:
        asked.append(sorted(key["id"] for key in kwargs["RequestItems"][table]["Keys"]))
        return real(**kwargs)

    monkeypatch.setattr(journal._resource, "batch_get_item", spy)
    start = DAY_ONE + timedelta(days=365)
    got = journal.since(ALICE, start)
    assert got == [entry(DAY_ONE + timedelta(days=n)) for n in range(0, 395, 3) if n >= 365]
    assert asked == [[f"{ALICE}#journal#2027-10", f"{ALICE}#journal#2027-11"]]


def test_entries_come_back_in_time_order_whatever_the_order_of_appends(
    journal: DynamoDbJournal,
) -> None:
    late, early = entry(DAY_ONE + timedelta(days=3)), entry(DAY_ONE)
    same_second = entry(DAY_ONE, "foam-roller")
    for each in (late, early, same_second):
        journal.append(ALICE, each)
    assert journal.since(ALICE, DAY_ONE - timedelta(days=1)) == [early, same_second, late]
    assert journal.since(ALICE, DAY_ONE.replace(tzinfo=None) + timedelta(seconds=1)) == [late]


def test_damaged_entries_are_skipped(aws_env: str, table: str, journal: DynamoDbJournal) -> None:
    journal.append(ALICE, entry(DAY_ONE))
    client(aws_env).update_item(
        TableName=table,
        Key={"id": {"S": f"{ALICE}#journal#2026-10"}},
        UpdateExpression="SET entries = list_append(entries, :bad)",
        ExpressionAttributeValues={
            ":bad": {"L": [{"S": "not a map"}, {"M": {"routine": {"S": "x"}}}, {"NULL": True}]}
        },
    )
    journal.append(ALICE, entry(DAY_ONE + timedelta(hours=1)))
    assert journal.since(ALICE, DAY_ONE) == [entry(DAY_ONE), entry(DAY_ONE + timedelta(hours=1))]
    client(aws_env).put_item(
        TableName=table, Item={"id": {"S": f"{ALICE}#journal#2026-10"}, "entries": {"S": "?"}}
    )
    assert journal.since(ALICE, DAY_ONE) == []


def test_forget_deletes_every_item_of_that_journal_only(
    aws_env: str, table: str, journal: DynamoDbJournal
) -> None:
    adapter = make_persistence_adapter(f"dynamodb:{table}")
    adapter.save_attributes(envelope(ALICE), {"prefs": {"brief": True}})
    for n in range(0, 120, 4):
        journal.append(ALICE, entry(DAY_ONE + timedelta(days=n)))
    journal.append(BOB, entry(DAY_ONE))
    journal.forget(ALICE)
    assert _ids(aws_env, table) == [ALICE, f"{BOB}#journal", f"{BOB}#journal#2026-10"]
    assert journal.since(ALICE, DAY_ONE) == []
    assert adapter.get_attributes(envelope(ALICE)) == {"prefs": {"brief": True}}
    journal.forget(ALICE)  # an empty journal is fine
    journal.forget("nobody")


def test_a_session_is_journaled_once(journal: DynamoDbJournal) -> None:
    first = entry(DAY_ONE, "foam-roller")
    journal.append(ALICE, first)
    journal.append(ALICE, first)  # the same stop retried, or a dialog replayed
    journal.append(ALICE, entry(DAY_ONE, "foam-roller", pain_before=7))  # the same session
    journal.append(ALICE, entry(DAY_ONE, "piriformis-release"))  # another, the same second
    journal.append(BOB, first)
    assert journal.since(ALICE, DAY_ONE) == [first, entry(DAY_ONE, "piriformis-release")]
    assert journal.since(BOB, DAY_ONE) == [first]


def test_appends_from_separate_instances_are_all_kept(aws_env: str, table: str) -> None:
    # Separate resources, as separate Lambda instances would have, appending in turn: each
    # append is one UpdateItem with list_append on the server, never a read-modify-write of a
    # copy, so none overwrites another's. (Real DynamoDB applies each UpdateItem atomically;
    # threads against moto would test moto's own locking, and under load it loses updates.)
    count = 6
    instances = [DynamoDbJournal(table, resource(aws_env)) for _ in range(count)]
    for i in range(5):
        for n, mine in enumerate(instances):
            mine.append(ALICE, entry(DAY_ONE + timedelta(days=i * 7), f"r{n}-{i}"))
    got = DynamoDbJournal(table, resource(aws_env)).since(ALICE, DAY_ONE)
    assert sorted(e.routine for e in got) == sorted(
        f"r{n}-{i}" for n in range(count) for i in range(5)
    )
    # And an append reads nothing: it cannot lose what another instance wrote meanwhile.
    watched = resource(aws_env)
    calls: list[str] = []
    watched.meta.client.meta.events.register(
        "before-call.dynamodb.*", lambda model, **_: calls.append(model.name)
    )
    DynamoDbJournal(table, watched).append(ALICE, entry(DAY_ONE, "watched"))
    assert calls == ["UpdateItem", "UpdateItem"]


def test_refusals_and_failures(aws_env: str, journal: DynamoDbJournal) -> None:
    with pytest.raises(RecordError, match="cannot hold '#'"):
        journal.append("a#b", entry(DAY_ONE))
    with pytest.raises(RecordError, match="user id"):
        journal.since("", DAY_ONE)
    with pytest.raises(RecordError, match="not a valid journal entry"):
        journal.append(ALICE, entry(DAY_ONE, pain_before=12))
    assert not journal.has_entries(ALICE)
    missing = DynamoDbJournal("no-such-table", resource(aws_env))
    with pytest.raises(StoreAccessError, match="'no-such-table': cannot add to the journal"):
        missing.append(ALICE, entry(DAY_ONE))
    with pytest.raises(StoreAccessError, match="cannot read the journal"):
        missing.since(ALICE, DAY_ONE)


# -- journal_for -----------------------------------------------------------------------


def test_journal_for_a_dynamodb_adapter_uses_its_table(aws_env: str, table: str) -> None:
    adapter = make_persistence_adapter(f"dynamodb:{table}")
    journal = journal_for(adapter)
    assert isinstance(journal, DynamoDbJournal)
    assert journal.table_name == table
    journal.append(ALICE, entry(DAY_ONE))
    assert DynamoDbJournal(table, resource(aws_env)).since(ALICE, DAY_ONE) == [entry(DAY_ONE)]


def test_journal_for_a_sqlite_adapter_shares_its_store(tmp_path: Path) -> None:
    adapter = make_persistence_adapter(f"sqlite:{tmp_path / 'skill.sqlite3'}")
    assert isinstance(adapter, SQLitePersistenceAdapter)
    journal = journal_for(adapter)
    assert isinstance(journal, SQLiteJournal)
    assert journal.store is adapter.store
    journal.append(ALICE, entry(DAY_ONE))
    assert SQLiteJournal(tmp_path / "skill.sqlite3").since(ALICE, DAY_ONE) == [entry(DAY_ONE)]


class _MemoryStore(Store):
    def load(self, user_id: str) -> dict[str, Any] | None:
        return None

    def save(self, user_id: str, record: dict[str, Any]) -> None:
        return None

    def delete(self, user_id: str) -> None:
        return None


class _OtherAdapter(AbstractPersistenceAdapter):
    def get_attributes(self, request_envelope: RequestEnvelope) -> dict[str, Any]:
        return {}

    def save_attributes(self, request_envelope: RequestEnvelope, attributes: Any) -> None:
        return None

    def delete_attributes(self, request_envelope: RequestEnvelope) -> None:
        return None


@pytest.mark.parametrize(
    "adapter", [SQLitePersistenceAdapter(_MemoryStore()), _OtherAdapter()], ids=repr
)
def test_journal_for_another_adapter_is_a_clear_error(adapter: AbstractPersistenceAdapter) -> None:
    with pytest.raises(PersistenceConfigError, match="no journal can be kept beside"):
        journal_for(adapter)


def test_the_month_is_the_utc_month_of_the_start(
    aws_env: str, table: str, journal: DynamoDbJournal
) -> None:
    # 01:30 on November 1st at +02:00 is still October 31st in UTC: October's item.
    offset = entry(DAY_ONE, started_at="2026-11-01T01:30:00+02:00")
    journal.append(ALICE, offset)
    assert _ids(aws_env, table) == [f"{ALICE}#journal", f"{ALICE}#journal#2026-10"]
    assert journal.since(ALICE, datetime(2026, 10, 31, 23, tzinfo=UTC)) == [offset]
    assert journal.since(ALICE, datetime(2026, 11, 1, tzinfo=UTC)) == []
