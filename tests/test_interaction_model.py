"""Tests for interaction_model: the generated skill package, its loading, and its packaging."""

from __future__ import annotations

import fnmatch
import json
import tomllib
from pathlib import Path

import pytest

import interaction_model
from interaction_model import build, source
from skill.core.intents import HANDLED_INTENTS
from skill.core.resolver import Resolver
from skill.core.samples import slot_only

ROOT = Path(__file__).resolve().parent.parent


def test_committed_json_equals_a_fresh_build() -> None:
    for relative, text in build.generated_files().items():
        committed = build.PACKAGE_DIR / relative
        assert committed.read_text(encoding="utf-8") == text, (
            f"{committed} is stale: run python -m interaction_model.build"
        )


def test_build_writes_then_check_passes_and_detects_a_stale_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert build.main(["--out", str(tmp_path)]) == 0
    assert (tmp_path / "interactionModels" / "custom" / "en-IN.json").is_file()
    assert build.main(["--check", "--out", str(tmp_path)]) == 0
    assert build.write(tmp_path) == []  # nothing changed, nothing rewritten

    stale = tmp_path / "interactionModels" / "custom" / "en-AU.json"
    stale.write_text("{}\n", encoding="utf-8")
    capsys.readouterr()
    assert build.main(["--check", "--out", str(tmp_path)]) == 1
    assert f"{stale}: stale" in capsys.readouterr().err


def test_every_locale_has_the_same_model_and_the_invocation_name() -> None:
    models = {locale: interaction_model.load(locale) for locale in interaction_model.LOCALES}
    assert set(models) == {"en-US", "en-GB", "en-CA", "en-AU", "en-IN"}
    reference = models["en-US"]["interactionModel"]["languageModel"]
    assert reference["invocationName"] == "massage coach"
    for model in models.values():
        assert model["interactionModel"]["languageModel"] == reference


def test_load_returns_a_fresh_dict_and_rejects_unknown_locales() -> None:
    first = interaction_model.load()
    first["interactionModel"]["languageModel"]["invocationName"] = "changed"
    assert interaction_model.load()["interactionModel"]["languageModel"]["invocationName"] == (
        "massage coach"
    )
    with pytest.raises(ValueError, match="no interaction model for locale 'fr-FR'"):
        interaction_model.load("fr-FR")
    with pytest.raises(ValueError, match="unknown locale"):
        build.build_interaction_model("de-DE")


def test_the_intents_named_in_the_issue_are_declared_with_their_slots() -> None:
    language = interaction_model.load()["interactionModel"]["languageModel"]
    slots = {
        intent["name"]: {slot["name"]: slot["type"] for slot in intent.get("slots", [])}
        for intent in language["intents"]
    }
    assert slots["StartRoutineIntent"] == {"routine": "ROUTINE_NAME"}
    assert slots["LongerHoldIntent"] == {"duration": "AMAZON.DURATION"}
    assert slots["SetHoldIntent"] == {"duration": "AMAZON.DURATION"}
    assert slots["PainIntent"] == {"symptom": "SYMPTOM"}
    for name in ("ListRoutinesIntent", "SkipIntent", "ProgressIntent", "ExplainIntent"):
        assert slots[name] == {}
    builtins = {name for name in slots if name.startswith("AMAZON.")}
    assert len(builtins) == 13


def test_the_source_names_exactly_the_intents_the_skill_handles() -> None:
    """The model is data and cannot import skill.core.intents: the two lists meet here."""
    declared = [spec.name for spec in source.INTENTS]
    assert len(declared) == len(set(declared)), "an intent is declared twice in source.py"
    assert set(declared) == HANDLED_INTENTS, (
        f"only in interaction_model/source.py: {sorted(set(declared) - HANDLED_INTENTS)}; "
        f"only in skill.core.intents.IntentName: {sorted(HANDLED_INTENTS - set(declared))}"
    )


@pytest.mark.parametrize(
    "intent",
    [
        "StartRoutineIntent",
        "ListRoutinesIntent",
        "LongerHoldIntent",
        "ShorterHoldIntent",
        "SetHoldIntent",
        "ProgressIntent",
        "ExplainIntent",
        "PainIntent",
    ],
)
def test_main_intents_have_rich_samples(intent: str) -> None:
    spec = next(spec for spec in source.INTENTS if spec.name == intent)
    assert len(spec.samples) >= 20


def test_slot_types_hold_the_routines_and_the_red_flags() -> None:
    routines = {value.id: value for value in source.SLOT_TYPES["ROUTINE_NAME"]}
    assert set(routines) == {
        "sciatica-quick-relief",
        "piriformis-release",
        "foam-roller",
        "trigger-points",
        "gentle-stretches",
    }
    assert "glute release" in routines["piriformis-release"].synonyms
    symptoms = {value.id for value in source.SLOT_TYPES["SYMPTOM"]}
    assert {"PAIN", "NUMBNESS", "TINGLING"} < symptoms
    assert {s for s in symptoms if s.startswith("RED_FLAG_")} == {
        "RED_FLAG_BLADDER",
        "RED_FLAG_SADDLE",
        "RED_FLAG_WEAKNESS",
        "RED_FLAG_BOTH_LEGS",
        "RED_FLAG_FALL",
        "RED_FLAG_FEVER",
    }
    # The safety detector's ids are the model's: a red flag it finds reaches Alexa as itself.
    assert {"BURNING", "SHOOTING", "CRAMP"} < symptoms


def test_manifest_publishes_every_locale_with_phrases_the_model_understands() -> None:
    packaged = interaction_model.skill_package() / "skill.json"
    manifest = json.loads(packaged.read_text(encoding="utf-8"))["manifest"]
    locales = manifest["publishingInformation"]["locales"]
    assert set(locales) == set(interaction_model.LOCALES)
    endpoint = manifest["apis"]["custom"]["endpoint"]["uri"]
    assert endpoint == build.ENDPOINT_PLACEHOLDER
    assert endpoint.startswith("https://")
    resolver = Resolver.for_locale()
    for info in locales.values():
        assert info["name"]
        assert info["summary"]
        assert info["description"]
        phrases = info["examplePhrases"]
        assert 1 <= len(phrases) <= 3
        assert phrases[0] == "Alexa, open massage coach"
        for phrase in phrases[1:]:
            assert phrase.startswith("Alexa, ask massage coach to ")
            assert not resolver.resolve(phrase).is_fallback, phrase


def test_ask_resources_points_at_the_skill_package() -> None:
    resources = json.loads((ROOT / "ask-resources.json").read_text(encoding="utf-8"))
    assert resources["askcliResourcesVersion"] == "2020-03-31"
    package = ROOT / resources["profiles"]["default"]["skillMetadata"]["src"]
    assert package.resolve() == build.PACKAGE_DIR
    assert (package / "skill.json").is_file()


def test_the_generated_files_are_package_data_of_the_wheel() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = pyproject["tool"]["setuptools"]["package-data"]["interaction_model"]
    for relative in build.generated_files():
        path = f"skill-package/{relative}"
        assert any(fnmatch.fnmatch(path, pattern) for pattern in patterns), path


def test_packaged_resources_are_readable_through_importlib() -> None:
    names = {entry.name for entry in interaction_model.skill_package().iterdir()}
    assert {"skill.json", "interactionModels"} <= names
    assert interaction_model.model_file("en-CA").is_file()


@pytest.mark.parametrize(
    ("text", "symptom"),
    [
        ("it hurts a lot", "PAIN"),
        ("ow that hurts", None),
        ("it stings", "PAIN"),
        ("my hip is killing me", None),
        ("shooting pain down my leg", "SHOOTING"),
        ("it burns", "BURNING"),
        ("that is too deep", None),
        ("pins and needles", "TINGLING"),
        ("my foot went numb", "NUMBNESS"),
        ("cramp", "CRAMP"),
        ("I've got cramp down my leg", "CRAMP"),
        ("I can't control my bladder", "RED_FLAG_BLADDER"),
        ("I wet myself", "RED_FLAG_BLADDER"),
        ("I pooed myself", "RED_FLAG_BLADDER"),
        ("I can't hold my pee", "RED_FLAG_BLADDER"),
        ("my privates are numb", "RED_FLAG_SADDLE"),
        ("numbness in my groin", "RED_FLAG_SADDLE"),
        ("my bum is numb", "RED_FLAG_SADDLE"),
        ("my foot drags when i walk", "RED_FLAG_WEAKNESS"),
        ("my leg keeps giving way", "RED_FLAG_WEAKNESS"),
        ("pain in both legs", "RED_FLAG_BOTH_LEGS"),
        ("both legs are numb", "RED_FLAG_BOTH_LEGS"),
        ("I slipped and fell", "RED_FLAG_FALL"),
        ("it started after a fall", "RED_FLAG_FALL"),
        ("I'm burning up", "RED_FLAG_FEVER"),
        ("I have a fever", "RED_FLAG_FEVER"),
    ],
)
def test_everyday_ways_of_saying_it_hurts_match_a_pain_sample_whole(
    text: str, symptom: str | None
) -> None:
    # A whole-utterance match (confidence 1.0) is what Alexa's literal samples also cover; Alexa
    # has no safety detector in front of its model, so the samples alone are asked.
    resolution = Resolver.from_model(interaction_model.load("en-US")).resolve(text)
    assert (resolution.intent, resolution.value("symptom")) == ("PainIntent", symptom)
    assert resolution.confidence == 1.0


def test_no_sample_is_a_slot_with_filler_words_only_except_closed_ones() -> None:
    for intent in source.INTENTS:
        slots = dict(intent.slots)
        for sample in intent.samples:
            if slot_only(sample):
                assert all(
                    slots[name] in ("SYMPTOM", "ROUTINE_NAME", "AMAZON.DURATION", "AMAZON.NUMBER")
                    for name in slots
                    if f"{{{name}}}" in sample
                ), sample
    pain = next(intent for intent in source.INTENTS if intent.name == "PainIntent")
    start = next(intent for intent in source.INTENTS if intent.name == "StartRoutineIntent")
    assert "the {routine}" not in start.samples
    assert not {"i feel {symptom}", "it's {symptom}", "there's {symptom}"} & set(pain.samples)


def test_the_manifest_names_the_permission_and_task_the_skill_uses() -> None:
    from skill.core.timers import TASK_NAME, TASK_VERSION, TIMER_SCOPE

    manifest = build.build_manifest()["manifest"]
    assert manifest["permissions"] == [{"name": TIMER_SCOPE}]
    assert manifest["apis"]["custom"]["tasks"] == [{"name": TASK_NAME, "version": TASK_VERSION}]
    definition = build.build_task_definition()
    assert list(definition["paths"]) == [f"/{TASK_NAME}"]
    assert definition["info"]["version"] == TASK_VERSION
    position = definition["components"]["schemas"]["Input"]["properties"]["position"]
    assert position == {**position, "type": "integer", "minimum": 0}
