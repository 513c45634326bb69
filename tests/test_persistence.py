"""Tests for skill.alexa.persistence: the SQLite adapter on real files, DynamoDB over HTTP
(moto)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from ask_sdk_core.attributes_manager import AbstractPersistenceAdapter
from ask_sdk_core.dispatch_components.request_components import AbstractRequestHandler
from ask_sdk_core.exceptions import PersistenceException
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.skill_builder import CustomSkillBuilder
from ask_sdk_model.context import Context
from ask_sdk_model.interfaces.system.system_state import SystemState
from ask_sdk_model.launch_request import LaunchRequest
from ask_sdk_model.request_envelope import RequestEnvelope
from ask_sdk_model.response import Response
from ask_sdk_model.ui.ssml_output_speech import SsmlOutputSpeech
from ask_sdk_model.user import User
from hypothesis import given
from hypothesis import strategies as st

from skill.alexa.persistence import (
    PersistenceConfigError,
    SQLitePersistenceAdapter,
    from_dynamodb,
    make_persistence_adapter,
    to_dynamodb,
    user_id_of,
)
from skill.core.store import DB_ENV_VAR, SQLiteStore, StoreCorruptError, StoreError
from tests.support.dynamodb import client, create_table

ALICE = "amzn1.ask.account.ALICE"
BOB = "amzn1.ask.account.BOB"

RECORD: dict[str, Any] = {
    "session": {"routine": "sciatica-gentle", "step": 3, "rep": 2, "paused": False},
    "prefs": {"hold_seconds": {"piriformis-stretch": 45}, "pace": 0.75},
    "history": [1, 2.5, -3, None, True, "é ✓ 🙂", ""],
    "big": 12345678901234567890,
}


def envelope(user_id: str | None) -> RequestEnvelope:
    """A LaunchRequest envelope from ``user_id`` (no user at all when None)."""
    user = None if user_id is None else User(user_id=user_id)
    return RequestEnvelope(
        version="1.0",
        context=Context(system=SystemState(user=user)),
        request=LaunchRequest(request_id=f"req-{uuid.uuid4()}", locale="en-US"),
    )


# -- the SQLite adapter ----------------------------------------------------------------


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "skill.sqlite3"


def test_user_id_comes_from_the_envelope() -> None:
    assert user_id_of(envelope(ALICE)) == ALICE
    for bad in (envelope(None), envelope(""), RequestEnvelope(version="1.0")):
        with pytest.raises(PersistenceException, match="no user id"):
            user_id_of(bad)


def test_sqlite_adapter_get_save_delete(db: Path) -> None:
    adapter = SQLitePersistenceAdapter(db)
    assert isinstance(adapter, AbstractPersistenceAdapter)
    assert adapter.get_attributes(envelope(ALICE)) == {}
    adapter.save_attributes(envelope(ALICE), RECORD)
    adapter.save_attributes(envelope(BOB), {"step": 1})
    assert adapter.get_attributes(envelope(ALICE)) == RECORD
    adapter.delete_attributes(envelope(ALICE))
    assert adapter.get_attributes(envelope(ALICE)) == {}
    assert adapter.get_attributes(envelope(BOB)) == {"step": 1}
    # Keyed by the Alexa user id in the one store file.
    assert SQLiteStore(db).user_ids() == [BOB]


def test_sqlite_adapter_accepts_a_store_or_the_default_path(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = SQLiteStore(db)
    assert SQLitePersistenceAdapter(store).store is store
    monkeypatch.setenv(DB_ENV_VAR, str(db))
    default = SQLitePersistenceAdapter()
    assert isinstance(default.store, SQLiteStore)
    assert default.store.path == db


def test_sqlite_adapter_needs_a_user_id(db: Path) -> None:
    adapter = SQLitePersistenceAdapter(db)
    with pytest.raises(PersistenceException, match="no user id"):
        adapter.save_attributes(envelope(None), {"a": 1})
    with pytest.raises(PersistenceException, match="no user id"):
        adapter.get_attributes(envelope(None))
    with pytest.raises(PersistenceException, match="no user id"):
        adapter.delete_attributes(envelope(None))
    assert SQLiteStore(db).user_ids() == []


def test_store_errors_become_persistence_exceptions(db: Path) -> None:
    adapter = SQLitePersistenceAdapter(db)
    with pytest.raises(PersistenceException, match="cannot save") as caught:
        adapter.save_attributes(envelope(ALICE), {"when": {1, 2}})
    assert isinstance(caught.value.__cause__, StoreError)
    adapter.save_attributes(envelope(ALICE), {"a": 1})
    raw = SQLiteStore(db)._connection()
    raw.execute("UPDATE records SET data = 'nonsense' WHERE user_id = ?", (ALICE,))
    with pytest.raises(PersistenceException, match="cannot read") as caught:
        adapter.get_attributes(envelope(ALICE))
    assert isinstance(caught.value.__cause__, StoreCorruptError)


def test_a_bad_file_fails_when_the_adapter_is_made(db: Path) -> None:
    db.write_text("not a database, but precious to someone\n" * 20, encoding="utf-8")
    before = db.read_bytes()
    with pytest.raises(StoreCorruptError):
        make_persistence_adapter(f"sqlite:{db}")
    assert db.read_bytes() == before


class _CountLaunches(AbstractRequestHandler):
    """Counts each user's launches in their persistent attributes."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return True

    def handle(self, handler_input: HandlerInput) -> Response:
        manager = handler_input.attributes_manager
        attributes: dict[str, Any] = manager.persistent_attributes
        attributes["launches"] = int(attributes.get("launches", 0)) + 1
        manager.save_persistent_attributes()
        response: Response = handler_input.response_builder.speak(
            str(attributes["launches"])
        ).response
        return response


def _launch(adapter: AbstractPersistenceAdapter, user_id: str) -> str:
    builder = CustomSkillBuilder(persistence_adapter=adapter)
    builder.add_request_handler(_CountLaunches())
    envelope_out = builder.create().invoke(request_envelope=envelope(user_id), context=None)
    speech = envelope_out.response.output_speech if envelope_out.response else None
    assert isinstance(speech, SsmlOutputSpeech)
    return str(speech.ssml)


def test_a_real_skill_keeps_attributes_across_restarts(db: Path) -> None:
    assert _launch(SQLitePersistenceAdapter(db), ALICE) == "<speak>1</speak>"
    assert _launch(SQLitePersistenceAdapter(db), ALICE) == "<speak>2</speak>"
    assert _launch(SQLitePersistenceAdapter(db), BOB) == "<speak>1</speak>"
    assert SQLiteStore(db).load(ALICE) == {"launches": 2}


# -- choosing an adapter ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("spec", "relative"),
    [
        ("sqlite:{dir}/a.sqlite3", "a.sqlite3"),
        ("  SQLite: {dir}/b.sqlite3 ", "b.sqlite3"),
        ("{dir}/c.sqlite3", "c.sqlite3"),
        ("C:/d.sqlite3", "C:/d.sqlite3"),  # a Windows drive letter is not a kind
    ],
)
def test_sqlite_specs(
    spec: str, relative: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    adapter = make_persistence_adapter(spec.format(dir=tmp_path))
    assert isinstance(adapter, SQLitePersistenceAdapter)
    assert isinstance(adapter.store, SQLiteStore)
    assert adapter.store.path.resolve() == (tmp_path / relative).resolve()
    adapter.save_attributes(envelope(ALICE), {"ok": True})
    assert SQLiteStore(tmp_path / relative).load(ALICE) == {"ok": True}


@pytest.mark.parametrize("spec", ["", "sqlite:", "  "])
def test_empty_specs_use_the_default_path(
    spec: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(DB_ENV_VAR, str(tmp_path / "env.sqlite3"))
    adapter = make_persistence_adapter(spec)
    assert isinstance(adapter, SQLitePersistenceAdapter)
    assert isinstance(adapter.store, SQLiteStore)
    assert adapter.store.path == tmp_path / "env.sqlite3"


@pytest.mark.parametrize(
    ("spec", "complaint"),
    [
        ("redis:localhost", "unknown persistence 'redis'"),
        ("dynamodb:", "bad DynamoDB table name"),
        ("dynamodb:ab", "bad DynamoDB table name"),
        ("dynamodb:has space", "bad DynamoDB table name"),
    ],
)
def test_bad_specs_are_clear_errors(spec: str, complaint: str) -> None:
    with pytest.raises(PersistenceConfigError, match=complaint):
        make_persistence_adapter(spec)


def test_dynamodb_without_the_extra_installed_says_how_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "boto3", None)  # what an absent package looks like
    with pytest.raises(PersistenceConfigError, match=r"massage-coach\[dynamodb\]"):
        make_persistence_adapter("dynamodb:coach-users")


def test_dynamodb_without_a_region_is_a_clear_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    for name in ("AWS_REGION", "AWS_DEFAULT_REGION", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-config"))
    with pytest.raises(PersistenceConfigError, match="AWS_REGION"):
        make_persistence_adapter("dynamodb:coach-users")


# -- DynamoDB values -------------------------------------------------------------------


def test_dynamodb_value_conversion() -> None:
    stored = to_dynamodb(RECORD)
    assert stored["prefs"]["pace"] == Decimal("0.75")
    assert stored["history"][1] == Decimal("2.5")
    assert from_dynamodb(stored) == RECORD
    assert from_dynamodb({"n": Decimal("3"), "f": Decimal("3.5"), "e": Decimal("1E+2")}) == {
        "n": 3,
        "f": 3.5,
        "e": 100,
    }
    assert type(from_dynamodb(Decimal("3.0"))) is int  # DynamoDB would trim it to 3 anyway
    assert type(from_dynamodb(Decimal("-0.25"))) is float


@given(
    st.recursive(
        st.none()
        | st.booleans()
        | st.integers()
        # Beyond 2**53 a whole float and its decimal repr differ; no state holds such floats.
        | st.floats(min_value=-(2.0**53), max_value=2.0**53)
        | st.text(),
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
        max_leaves=20,
    )
)
def test_dynamodb_conversion_round_trips(value: Any) -> None:
    stored = to_dynamodb(value)
    assert float not in _types(stored)  # boto3 refuses floats
    back = from_dynamodb(stored)
    assert back == value  # a whole float may come back as the equal int


def _types(value: Any) -> set[type]:
    if isinstance(value, dict):
        return {dict}.union(*(_types(v) for v in value.values()))
    if isinstance(value, list):
        return {list}.union(*(_types(v) for v in value))
    return {type(value)}


# -- DynamoDB over HTTP against a local server -----------------------------------------


def test_dynamodb_adapter_over_http(aws_env: str) -> None:
    table = create_table(aws_env)
    adapter = make_persistence_adapter(f"dynamodb:{table}")
    # Imported only now: the module needs a region at import time.
    from ask_sdk_dynamodb.adapter import DynamoDbAdapter

    assert isinstance(adapter, DynamoDbAdapter)  # the official adapter
    assert adapter.get_attributes(envelope(ALICE)) == {}
    adapter.save_attributes(envelope(ALICE), RECORD)
    adapter.save_attributes(envelope(BOB), {"step": 1})
    # A second adapter (another Lambda instance, say) sees the same data.
    other = make_persistence_adapter(f"dynamodb:{table}")
    loaded = other.get_attributes(envelope(ALICE))
    assert loaded == RECORD
    assert json.dumps(loaded, sort_keys=True) == json.dumps(RECORD, sort_keys=True)
    # What is on the server is keyed by the Alexa user id, as the official adapter does it.
    item = client(aws_env).get_item(TableName=table, Key={"id": {"S": ALICE}})["Item"]
    assert item["attributes"]["M"]["prefs"]["M"]["pace"] == {"N": "0.75"}
    other.delete_attributes(envelope(ALICE))
    assert adapter.get_attributes(envelope(ALICE)) == {}
    assert adapter.get_attributes(envelope(BOB)) == {"step": 1}


def test_dynamodb_adapter_can_create_its_table(aws_env: str) -> None:
    table = f"coach-{uuid.uuid4().hex[:12]}"
    adapter = make_persistence_adapter(f"dynamodb:{table}", create_table=True)
    assert table in client(aws_env).list_tables()["TableNames"]
    adapter.save_attributes(envelope(ALICE), {"launches": 1})
    assert _launch(adapter, ALICE) == "<speak>2</speak>"


def test_dynamodb_missing_table_is_a_persistence_exception(aws_env: str) -> None:
    adapter = make_persistence_adapter("dynamodb:no-such-table")
    with pytest.raises(PersistenceException, match=r"no-such-table|ResourceNotFound"):
        adapter.get_attributes(envelope(ALICE))


def test_dynamodb_works_with_only_aws_region_set(aws_env: str) -> None:
    # Lambda sets AWS_REGION; the official adapter's module wants a region at import time.
    # A fresh interpreter, so that the import really happens here.
    table = create_table(aws_env)
    env = {key: value for key, value in os.environ.items() if key != "AWS_DEFAULT_REGION"}
    env["AWS_REGION"] = "us-east-1"
    code = f"""
import os
from ask_sdk_model.context import Context
from ask_sdk_model.interfaces.system.system_state import SystemState
from ask_sdk_model.request_envelope import RequestEnvelope
from ask_sdk_model.user import User
from skill.alexa.persistence import make_persistence_adapter
request = RequestEnvelope(context=Context(system=SystemState(user=User(user_id="u"))))
adapter = make_persistence_adapter("dynamodb:{table}")
adapter.save_attributes(request, {{"n": 1.5}})
print(adapter.get_attributes(request), "AWS_DEFAULT_REGION" in os.environ)
"""
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        cwd=Path(__file__).resolve().parents[1],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "{'n': 1.5} False"
