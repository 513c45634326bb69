"""Tests for skill.core.alexa_intent: resolutions in the shape of Alexa's IntentRequest, read back
by ask-sdk's own deserialiser."""

from __future__ import annotations

import json

import pytest
from ask_sdk_core.serialize import DefaultSerializer

from skill.core.alexa_intent import to_alexa_intent, to_alexa_slots
from skill.core.resolver import Resolver


@pytest.fixture(scope="module")
def resolver() -> Resolver:
    return Resolver.for_locale("en-US")


def test_alexa_slots_have_the_shape_ask_sdk_reads(resolver: Resolver) -> None:
    resolution = resolver.resolve("start the piriformis release")
    envelope = to_alexa_intent(resolution, skill_id="amzn1.ask.skill.test")
    intent = DefaultSerializer().deserialize(json.dumps(envelope), "ask_sdk_model.intent.Intent")
    slot = intent.slots["routine"]
    authority = slot.resolutions.resolutions_per_authority[0]
    assert authority.status.code.value == "ER_SUCCESS_MATCH"
    assert authority.authority == "amzn1.er-authority.echo-sdk.amzn1.ask.skill.test.ROUTINE_NAME"
    assert (authority.values[0].value.id, authority.values[0].value.name) == (
        "piriformis-release",
        "Piriformis release",
    )
    assert slot.value == "piriformis release"


def test_alexa_slots_list_unfilled_slots_and_durations_without_resolutions(
    resolver: Resolver,
) -> None:
    assert to_alexa_slots(resolver.resolve("longer")) == {
        "duration": {"name": "duration", "confirmationStatus": "NONE"}
    }
    filled = to_alexa_slots(resolver.resolve("hold twenty seconds longer"))["duration"]
    assert filled["value"] == "PT20S"
    assert "resolutions" not in filled
    assert to_alexa_intent(resolver.resolve("skip")) == {
        "name": "SkipIntent",
        "confirmationStatus": "NONE",
    }
