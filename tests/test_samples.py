"""Tests for skill.core.samples: compiling a small inline model (the project's own model is
read through the resolver in tests/test_resolver.py and tests/test_interaction_model.py)."""

from __future__ import annotations

from typing import Any

import pytest

from skill.core.samples import BUILTIN_PHRASES, ModelError, SlotRef, compile_model, slot_only

MODEL: dict[str, Any] = {
    "interactionModel": {
        "languageModel": {
            "invocationName": "test coach",
            "intents": [
                {
                    "name": "StartIntent",
                    "slots": [{"name": "routine", "type": "ROUTINE"}],
                    "samples": ["start the {routine} routine", "the {routine}"],
                },
                {"name": "AMAZON.StopIntent", "samples": []},
            ],
            "types": [
                {
                    "name": "ROUTINE",
                    "values": [
                        {"id": "FOAM", "name": {"value": "Foam roller", "synonyms": ["Roller"]}}
                    ],
                }
            ],
        }
    }
}


def test_a_sample_compiles_to_its_words_and_slots() -> None:
    compiled = compile_model(MODEL)
    start, slot_alone = compiled.samples[:2]
    routine = SlotRef("routine", "ROUTINE")
    assert start.elements == ("start", "the", routine, "routine")
    assert (start.literal_count, start.rank, start.strong) == (3, 0, True)
    assert start.open_slots == frozenset({2})  # words on both sides: it takes unknown words
    assert slot_alone.elements == ("the", routine)
    assert (slot_alone.strong, slot_alone.open_slots) == (False, frozenset())
    assert compiled.intent_slots == {
        "StartIntent": (("routine", "ROUTINE"),),
        "AMAZON.StopIntent": (),
    }
    assert compiled.invocation_name == "test coach"


def test_custom_values_and_builtin_phrasings_join_the_model() -> None:
    compiled = compile_model(MODEL)
    roller = compiled.types["ROUTINE"]
    assert roller.lookup == {
        "foam roller": ("FOAM", "Foam roller"),
        "roller": ("FOAM", "Foam roller"),
    }
    assert roller.name_of("FOAM") == "Foam roller"
    assert roller.name_of("NONE") is None
    builtin = [s.text for s in compiled.samples if s.intent == "AMAZON.StopIntent"]
    assert builtin == list(BUILTIN_PHRASES["AMAZON.StopIntent"])
    assert [s.rank for s in compiled.samples] == list(range(len(compiled.samples)))


def test_a_sample_of_an_undeclared_slot_is_a_model_error() -> None:
    bad = {"intents": [{"name": "X", "samples": ["go {where}"]}]}
    with pytest.raises(ModelError, match="undeclared slot"):
        compile_model(bad)
    assert compile_model({"intents": []}).samples == ()


def test_slot_only_samples_are_recognised() -> None:
    assert slot_only("{symptom}")
    assert slot_only("the {routine}")
    assert slot_only("i feel {x}")
    assert not slot_only("start {routine}")
    assert not slot_only("hello")
