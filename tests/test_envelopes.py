"""Tests for skill.devtools.envelopes: complete Alexa envelopes, sessions carried as Alexa carries
them,
slots with entity resolution from the interaction model, and envelopes the ask-sdk model reads
without a difference from a device's."""

from __future__ import annotations

import itertools
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model.intent_request import IntentRequest
from ask_sdk_model.request_envelope import RequestEnvelope
from hypothesis import given
from hypothesis import strategies as st

import interaction_model
from skill.alexa.apl import has_screen
from skill.alexa.skill import check_envelope, slot_values
from skill.devtools.envelopes import (
    SCREEN_INTERFACES,
    SESSION_END_REASONS,
    AlexaSide,
    Caller,
    EnvelopeError,
    alexa_timestamp,
    intent_request,
    launch_request,
    session_ended_request,
)

START = datetime(2024, 5, 1, 12, 0, 0, tzinfo=UTC)
MODEL = interaction_model.load("en-US")
USER = "amzn1.ask.account.ENVELOPE-TEST"


class Clock:
    """A clock that moves only when told to."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now


def make_side(*, screen: bool = False, clock: Clock | None = None) -> AlexaSide:
    counter = itertools.count(1)
    caller = Caller(
        user_id=USER,
        interfaces=dict(SCREEN_INTERFACES) if screen else {"AudioPlayer": {}},
        locale="en-GB",
    )
    return AlexaSide(caller, clock=clock or Clock(), ids=lambda: f"id-{next(counter)}")


def answer(attributes: dict[str, Any], ends: bool | None = False) -> dict[str, Any]:
    response: dict[str, Any] = {"outputSpeech": {"type": "SSML", "ssml": "<speak>ok</speak>"}}
    if ends is not None:
        response["shouldEndSession"] = ends
    return {"version": "1.0", "sessionAttributes": attributes, "response": response}


def as_sdk(envelope: dict[str, Any]) -> RequestEnvelope:
    sdk: RequestEnvelope = DefaultSerializer().deserialize(json.dumps(envelope), RequestEnvelope)
    return sdk


def test_a_launch_envelope_is_complete() -> None:
    side = make_side()
    envelope = side.envelope(launch_request())
    assert envelope["version"] == "1.0"
    session = envelope["session"]
    assert session["new"] is True
    assert session["sessionId"] == "amzn1.echo-api.session.id-1"
    assert session["application"] == {"applicationId": side.caller.skill_id}
    assert session["user"] == {"userId": USER}
    assert "attributes" not in session
    system = envelope["context"]["System"]
    assert system["application"]["applicationId"] == side.caller.skill_id
    assert system["user"]["userId"] == USER
    assert system["device"] == {
        "deviceId": "amzn1.ask.device.REPLAY",
        "supportedInterfaces": {"AudioPlayer": {}},
    }
    assert system["apiEndpoint"] == "https://api.amazonalexa.com"
    assert system["apiAccessToken"]
    assert "Viewport" not in envelope["context"]
    request = envelope["request"]
    assert request["type"] == "LaunchRequest"
    assert request["requestId"].startswith("amzn1.echo-api.request.id-")
    assert request["timestamp"] == "2024-05-01T12:00:00Z"
    assert request["locale"] == "en-GB"
    check_envelope(envelope)


def test_the_sdk_reads_a_built_envelope_like_a_devices() -> None:
    side = make_side(screen=True)
    sdk = as_sdk(side.envelope(intent_request("SetHoldIntent", {"duration": "PT45S"}, MODEL)))
    session, context, request = sdk.session, sdk.context, sdk.request
    assert session is not None
    assert session.new is True
    assert context is not None
    assert context.system is not None
    assert context.system.user is not None
    assert context.system.user.user_id == USER
    assert has_screen(sdk)
    assert context.viewport is not None
    assert isinstance(request, IntentRequest)
    assert request.intent is not None
    assert request.timestamp == START
    assert request.intent.name == "SetHoldIntent"
    assert slot_values(request.intent) == {"duration": "PT45S"}


def test_session_attributes_carry_to_the_next_request() -> None:
    clock = Clock()
    side = make_side(clock=clock)
    first = side.envelope(launch_request())
    side.receive(first, answer({"state": {"position": 3}}))
    clock.now += timedelta(seconds=30)
    second = side.envelope(intent_request("AMAZON.NextIntent", None, MODEL))
    assert second["session"]["new"] is False
    assert second["session"]["sessionId"] == first["session"]["sessionId"]
    assert second["session"]["attributes"] == {"state": {"position": 3}}
    assert second["request"]["requestId"] != first["request"]["requestId"]
    assert second["request"]["timestamp"] == "2024-05-01T12:00:30Z"


def test_an_answer_that_ends_the_session_makes_the_next_request_a_new_session() -> None:
    side = make_side()
    first = side.envelope(launch_request())
    side.receive(first, answer({"state": {"position": 3}}, ends=True))
    assert not side.is_open
    second = side.envelope(launch_request())
    assert second["session"]["new"] is True
    assert second["session"]["sessionId"] != first["session"]["sessionId"]
    assert "attributes" not in second["session"]


def test_without_an_explicit_answer_a_speaker_closes_the_session_and_a_screen_keeps_it() -> None:
    speaker = make_side()
    speaker.receive(speaker.envelope(launch_request()), answer({}, ends=None))
    assert not speaker.is_open
    show = make_side(screen=True)
    show.receive(show.envelope(launch_request()), answer({}, ends=None))
    assert show.is_open


def test_a_session_ended_request_closes_the_session() -> None:
    side = make_side()
    side.receive(side.envelope(launch_request()), answer({"a": 1}))
    ended = side.envelope(session_ended_request("EXCEEDED_MAX_REPROMPTS"))
    assert ended["session"]["new"] is False
    assert ended["session"]["attributes"] == {"a": 1}
    assert ended["request"]["reason"] == "EXCEEDED_MAX_REPROMPTS"
    assert "error" not in ended["request"]
    side.receive(ended, {"version": "1.0", "response": {}})
    assert not side.is_open


def test_an_error_ending_carries_an_error_object() -> None:
    request = session_ended_request("ERROR", "the speaker lost its network")
    assert request["error"] == {
        "type": "INTERNAL_SERVICE_ERROR",
        "message": "the speaker lost its network",
    }
    assert set(SESSION_END_REASONS) == {"USER_INITIATED", "ERROR", "EXCEEDED_MAX_REPROMPTS"}
    with pytest.raises(EnvelopeError, match="TIMEOUT"):
        session_ended_request("TIMEOUT")


def test_new_session_forgets_the_attributes() -> None:
    side = make_side()
    side.receive(side.envelope(launch_request()), answer({"a": 1}))
    side.new_session()
    envelope = side.envelope(launch_request())
    assert envelope["session"]["new"] is True
    assert "attributes" not in envelope["session"]


def test_a_custom_slot_synonym_resolves_to_its_id_and_canonical_name() -> None:
    request = intent_request("StartRoutineIntent", {"routine": "piriformis release"}, MODEL)
    slot = request["intent"]["slots"]["routine"]
    assert slot["value"] == "piriformis release"
    (authority,) = slot["resolutions"]["resolutionsPerAuthority"]
    assert authority["status"]["code"] == "ER_SUCCESS_MATCH"
    assert authority["values"][0]["value"] == {
        "name": "Piriformis release",
        "id": "piriformis-release",
    }
    assert authority["authority"].endswith(".ROUTINE_NAME")


def test_a_custom_value_named_by_its_id_is_sent_as_its_spoken_name() -> None:
    slot = intent_request("StartRoutineIntent", {"routine": "foam-roller"}, MODEL)["intent"][
        "slots"
    ]["routine"]
    assert slot["value"] == "Foam roller"
    assert slot["resolutions"]["resolutionsPerAuthority"][0]["values"][0]["value"]["id"] == (
        "foam-roller"
    )


def test_unknown_words_in_a_custom_slot_are_no_match() -> None:
    slot = intent_request("StartRoutineIntent", {"routine": "unicorn"}, MODEL)["intent"]["slots"][
        "routine"
    ]
    assert slot["value"] == "unicorn"
    (authority,) = slot["resolutions"]["resolutionsPerAuthority"]
    assert authority["status"]["code"] == "ER_SUCCESS_NO_MATCH"
    assert "values" not in authority


@pytest.mark.parametrize(
    ("given_value", "sent"),
    [("PT45S", "PT45S"), ("forty five seconds", "PT45S"), ("a minute and a half", "PT1M30S")],
)
def test_durations_are_sent_in_iso_8601(given_value: str, sent: str) -> None:
    slot = intent_request("SetHoldIntent", {"duration": given_value}, MODEL)["intent"]["slots"][
        "duration"
    ]
    assert slot["value"] == sent
    assert "resolutions" not in slot


def test_every_declared_slot_is_present_even_unfilled() -> None:
    slots = intent_request("PainIntent", None, MODEL)["intent"]["slots"]
    assert slots == {"symptom": {"name": "symptom", "confirmationStatus": "NONE"}}
    assert "slots" not in intent_request("AMAZON.HelpIntent", None, MODEL)["intent"]


def test_an_intent_or_slot_the_model_does_not_declare_is_refused() -> None:
    with pytest.raises(EnvelopeError, match="no intent 'DanceIntent'"):
        intent_request("DanceIntent", None, MODEL)
    with pytest.raises(EnvelopeError, match=r"no slot 'colour' \(its slots: duration\)"):
        intent_request("SetHoldIntent", {"colour": "red"}, MODEL)


def test_a_recorded_envelope_is_restamped_into_the_conversation() -> None:
    side = make_side()
    side.receive(side.envelope(launch_request()), answer({"state": {"position": 1}}))
    recorded = {
        "version": "1.0",
        "session": {"new": True, "sessionId": "old", "user": {"userId": "someone-else"}},
        "context": {
            "System": {
                "user": {"userId": "someone-else"},
                "device": {"deviceId": "recorded-device", "supportedInterfaces": {}},
            }
        },
        "request": {
            "type": "IntentRequest",
            "requestId": "old-request",
            "timestamp": "2019-01-01T00:00:00Z",
            "locale": "en-US",
            "intent": {"name": "AMAZON.NextIntent"},
        },
    }
    envelope = side.restamp(recorded)
    assert envelope["session"]["new"] is False
    assert envelope["session"]["attributes"] == {"state": {"position": 1}}
    assert envelope["session"]["user"]["userId"] == USER
    assert envelope["context"]["System"]["user"]["userId"] == USER
    assert envelope["context"]["System"]["device"]["deviceId"] == "recorded-device"
    assert envelope["request"]["intent"] == {"name": "AMAZON.NextIntent"}
    assert envelope["request"]["locale"] == "en-US"
    assert envelope["request"]["requestId"] != "old-request"
    assert envelope["request"]["timestamp"] == "2024-05-01T12:00:00Z"
    with pytest.raises(EnvelopeError, match="no request"):
        side.restamp({"version": "1.0"})


def test_a_recorded_envelope_can_be_said_to_the_callers_device() -> None:
    recorded = {
        "session": {"new": True, "sessionId": "old", "user": {"userId": "someone-else"}},
        "context": {
            "System": {"device": {"deviceId": "recorded-dot", "supportedInterfaces": {}}},
            "Alexa.Presentation.APL": {"token": "recorded"},
        },
        "request": {"type": "LaunchRequest", "locale": "en-US"},
    }
    envelope = make_side(screen=True).restamp(recorded, caller_device=True)
    context = envelope["context"]
    assert sorted(context) == ["System", "Viewport"]
    assert context["System"]["device"]["deviceId"] == "amzn1.ask.device.REPLAY"
    assert context["System"]["device"]["supportedInterfaces"] == dict(SCREEN_INTERFACES)
    assert context["System"]["user"]["userId"] == USER
    assert has_screen(DefaultSerializer().deserialize(json.dumps(envelope), RequestEnvelope))
    kept = make_side(screen=True).restamp(recorded)["context"]
    assert kept["System"]["device"]["deviceId"] == "recorded-dot"
    assert "Viewport" not in kept


def test_timestamps_need_an_aware_clock() -> None:
    assert alexa_timestamp(datetime(2024, 5, 1, 14, 0, 5, 999, tzinfo=UTC)) == (
        "2024-05-01T14:00:05Z"
    )
    with pytest.raises(ValueError, match="timezone-aware"):
        alexa_timestamp(datetime(2024, 5, 1))


# Whatever the skill answers, Alexa's bookkeeping holds: a session starts "new" with no
# attributes, continues with the last answer's attributes, and gets a new id only when it opens.

turns = st.lists(
    st.tuples(st.sampled_from(["launch", "intent", "end", "new"]), st.sampled_from([True, False])),
    min_size=1,
    max_size=12,
)


@given(turns)
def test_sessions_follow_alexas_rules(script: list[tuple[str, bool]]) -> None:
    side = make_side()
    previous_id = ""
    last_attributes: dict[str, Any] | None = None
    for number, (kind, ends) in enumerate(script):
        if kind == "new":
            side.new_session()
            last_attributes = None
            continue
        if kind == "end" and not side.is_open:
            continue
        was_open = side.is_open
        request = {
            "launch": launch_request(),
            "intent": intent_request("AMAZON.NextIntent", None, MODEL),
            "end": session_ended_request(),
        }[kind]
        envelope = side.envelope(request)
        session = envelope["session"]
        assert session["new"] is (not was_open)
        assert (session["sessionId"] != previous_id) is (not was_open)
        if was_open:
            assert session["attributes"] == last_attributes
        else:
            assert "attributes" not in session
        previous_id = session["sessionId"]
        attributes = {"turn": number}
        side.receive(envelope, answer(attributes, ends=ends))
        last_attributes = attributes
        if kind == "end" or ends:
            assert not side.is_open
