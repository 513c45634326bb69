"""Tests for skill.core.guess: a guess at the command a sentence no sample reads most likely
means, on a small inline model and on the project's own (through the resolver)."""

from __future__ import annotations

import pytest

from skill.core.alexa_intent import to_alexa_intent
from skill.core.guess import Guesser, features
from skill.core.intents import GUESSED_INTENTS, IntentName
from skill.core.resolution import Resolution, guess_question
from skill.core.resolver import Resolver
from skill.core.words import normalize

_PHRASES = [
    ("Longer", "make the hold longer"),
    ("Longer", "hold it longer"),
    ("Longer", "give me more time"),
    ("Shorter", "make the hold shorter"),
    ("Shorter", "less time please"),
    ("Progress", "how many are left"),
    ("Progress", "how much is left"),
    ("Start", "start the foam roller routine"),
    ("Start", "start the stretches"),
]


def _guesser(offered: frozenset[str] = frozenset({"Longer", "Shorter", "Progress"})) -> Guesser:
    return Guesser(((intent, normalize(text)) for intent, text in _PHRASES), offered)


@pytest.fixture(scope="module")
def resolver() -> Resolver:
    return Resolver.for_locale()


def test_features_are_stemmed_content_words_and_their_pairs() -> None:
    words, scored = features(normalize("the holds are holding longer for forty seconds"))
    assert words == ["hold", "hold", "longer", "#number", "#unit"]
    assert "hold longer" in scored
    assert "#number #unit" in scored


def test_the_intent_whose_words_a_sentence_shares_is_guessed() -> None:
    guess = _guesser().guess(normalize("the hold could be more longer"))
    assert guess is not None
    assert guess.intent == "Longer"
    assert guess.lead > 0
    found = _guesser().guess(normalize("how many more are left now"))
    assert found is not None
    assert found.intent == "Progress"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "the weather is lovely",  # no word of the samples
        "my hold was longer yesterday",  # a story's opening
        "hold",  # a word of two intents' samples alike: no lead
        "make the hold longer at the garden centre with the grandchildren",  # words of chat
    ],
)
def test_no_guess_without_clear_evidence(text: str) -> None:
    assert _guesser().guess(normalize(text)) is None


def test_only_offered_intents_are_guessed() -> None:
    sentence = normalize("start the stretches now")
    assert _guesser(frozenset({"Longer", "Shorter", "Progress", "Start"})).guess(sentence)
    assert _guesser().guess(sentence) is None


def test_the_guessed_intents_are_the_routines_commands_never_pain_nor_a_start() -> None:
    assert IntentName.PAIN not in GUESSED_INTENTS
    assert IntentName.START_ROUTINE not in GUESSED_INTENTS
    assert IntentName.LONGER_HOLD in GUESSED_INTENTS


# --- through the resolver, on the project's model ------------------------------------------


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("Make the hold more longer.", IntentName.LONGER_HOLD),
        ("The time is too short for the hold, give more.", IntentName.LONGER_HOLD),
        ("how many stretches we still have", IntentName.PROGRESS),
        ("go back go back i missed that one", IntentName.PREVIOUS),
        ("tell me how exactly I should do it", IntentName.EXPLAIN),
    ],
)
def test_the_fallback_carries_the_guess(resolver: Resolver, text: str, intent: str) -> None:
    resolution = resolver.resolve(text)
    assert resolution.is_fallback
    assert resolution.guess is not None
    assert resolution.guess.intent == intent
    assert resolution.guess.guess is None
    # Alexa's NLU sends no text with its fallback: the guess never reaches it.
    assert to_alexa_intent(resolution)["name"] == IntentName.FALLBACK


def test_a_guess_of_a_hold_carries_the_duration_the_words_give(resolver: Resolver) -> None:
    guess = resolver.guess("I want hold of fifteen seconds only.")
    assert guess is not None
    assert guess.intent == IntentName.SET_HOLD
    assert guess.value("duration") == "PT15S"


def test_the_question_names_the_guess(resolver: Resolver) -> None:
    guess = resolver.guess("Make the hold more longer.")
    assert guess is not None
    assert guess_question(guess) == "Should I make the hold longer? Say yes or no."


@pytest.mark.parametrize("intent", sorted(GUESSED_INTENTS))
def test_every_command_a_guess_may_name_has_its_offer(intent: str) -> None:
    question = guess_question(Resolution(intent))
    assert question.startswith("Should I ")
    assert question.endswith("? Say yes or no.")


@pytest.mark.parametrize(
    "text",
    [
        "okay next please",  # the samples read it: no guess
        "could you make the hold a bit longer",
        "the weather is lovely today",  # chat
        "it's been raining nonstop since last week",
        "my hip is killing me, make the hold longer",  # pain: the safety detector's own path
        "I can't hold my pee any longer",  # a red flag
    ],
)
def test_no_guess_for_commands_chat_or_anything_about_pain(resolver: Resolver, text: str) -> None:
    resolution = resolver.resolve(text)
    assert resolution.guess is None


def test_a_guess_needs_a_safety_detector_to_have_found_nothing() -> None:
    import interaction_model

    bare = Resolver.from_model(interaction_model.load("en-US"))
    assert bare.resolve("Make the hold more longer.").guess is None
