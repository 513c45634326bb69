"""Tests for skill.alexa.lambda_function: the Lambda handler configured by its environment, with a
SQLite file and with DynamoDB served over HTTP by a local moto server started here."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from skill.alexa.config import EnvironmentConfigError
from skill.alexa.lambda_function import DEFAULT_DB, LambdaConfig, handler, skill_for
from skill.alexa.skill import AlexaRequestError
from skill.core.store import SQLiteStore
from tests.conftest import OTHER_ROUTINE
from tests.support.certs import TEST_SKILL_ID
from tests.support.envelopes import RECORDED_USER, Conversation, catch_all_records, recorded, speech


@pytest.fixture(autouse=True)
def fresh_containers(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """Each test starts as a cold container, and none may reach the catch-all handler."""
    caplog.set_level(logging.INFO)
    skill_for.cache_clear()
    yield
    skill_for.cache_clear()
    assert catch_all_records(caplog) == []


def lambda_conversation() -> Conversation:
    return Conversation(lambda event: handler(event, None))


def test_the_configuration_comes_from_the_environment() -> None:
    assert LambdaConfig.from_env({}) == LambdaConfig(db=DEFAULT_DB)
    config = LambdaConfig.from_env(
        {
            "MASSAGE_COACH_DB": "sqlite:/tmp/x.db",
            "MASSAGE_COACH_CREATE_TABLE": "1",
            "MASSAGE_COACH_SKILL_IDS": "a, b,",
            "MASSAGE_COACH_ROUTINES": "/srv/routines",
        }
    )
    assert config == LambdaConfig("sqlite:/tmp/x.db", True, ("a", "b"), (Path("/srv/routines"),))


def test_a_journey_with_sqlite_reuses_the_warm_skill(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, small_routines: None
) -> None:
    monkeypatch.setenv("MASSAGE_COACH_DB", str(tmp_path / "coach.db"))
    monkeypatch.setenv("MASSAGE_COACH_SKILL_IDS", TEST_SKILL_ID)
    talk = lambda_conversation()
    assert "not a substitute" in speech(talk.say("launch"))
    assert "Quick relief" in speech(talk.say("yes"))
    assert "Thanks, five" in speech(talk.say("rate-pain"))
    talk.say("next")
    assert skill_for.cache_info().misses == 1
    assert skill_for.cache_info().hits == 3
    with SQLiteStore(tmp_path / "coach.db") as store:
        record = store.load(RECORDED_USER)
    assert record is not None
    assert record["state"]["position"] == 1


def test_a_bad_environment_fails_the_invocation_with_its_name(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("MASSAGE_COACH_CREATE_TABLE", "sometimes")
    with pytest.raises(EnvironmentConfigError, match="MASSAGE_COACH_CREATE_TABLE"):
        handler(recorded("launch"), None)


def test_requests_for_another_skill_or_of_unknown_types_are_refused(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("MASSAGE_COACH_DB", str(tmp_path / "coach.db"))
    monkeypatch.setenv("MASSAGE_COACH_SKILL_IDS", "amzn1.ask.skill.someone-else")
    with pytest.raises(AlexaRequestError) as caught:
        handler(recorded("launch"), None)
    assert caught.value.reason == "wrong_application_id"
    monkeypatch.delenv("MASSAGE_COACH_SKILL_IDS")
    event: dict[str, Any] = recorded("launch")
    event["request"]["type"] = "Alexa.Presentation.APL.UserEvent"
    with pytest.raises(AlexaRequestError, match="unsupported_request_type"):
        handler(event, None)
    with SQLiteStore(tmp_path / "coach.db") as store:
        assert store.user_ids() == []


@pytest.fixture
def small_routines(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The default routine replaced by the small test one, through MASSAGE_COACH_ROUTINES."""
    (tmp_path / "routines").mkdir()
    (tmp_path / "routines" / "default.yaml").write_text(OTHER_ROUTINE, encoding="utf-8")
    monkeypatch.setenv("MASSAGE_COACH_ROUTINES", str(tmp_path / "routines"))


@pytest.fixture
def dynamodb(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A DynamoDB-compatible server (moto) on loopback; the environment points at it."""
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_REGION": "eu-west-1",
        "MASSAGE_COACH_DYNAMODB_ENDPOINT": f"http://{host}:{port}",
        "MASSAGE_COACH_DB": "dynamodb:massage-coach-test",
        "MASSAGE_COACH_CREATE_TABLE": "1",
    }.items():
        monkeypatch.setenv(name, value)
    yield f"http://{host}:{port}"
    server.stop()


def test_a_journey_with_dynamodb_over_http(dynamodb: str, small_routines: None) -> None:
    import boto3

    talk = lambda_conversation()
    talk.say("launch")
    talk.say("yes")
    talk.say("set-hold")
    talk.say("stop")
    skill_for.cache_clear()  # a new container
    again = lambda_conversation()
    welcome = again.say("launch")
    assert "carry on" in speech(welcome)
    again.say("yes")
    assert again.attributes["hold_seconds"] == 25

    table = boto3.resource("dynamodb", endpoint_url=dynamodb, region_name="eu-west-1").Table(
        "massage-coach-test"
    )
    item = table.get_item(Key={"id": RECORDED_USER})["Item"]
    assert item["attributes"]["state"]["holds"] == {"knee-hug": 25}
