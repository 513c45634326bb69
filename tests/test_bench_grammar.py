"""`bench_grammar`'s routine grammar and its tally of the figures, on decodings made by hand."""

from __future__ import annotations

from skill.core.intents import IntentName
from skill.core.resolver import Resolver
from skill.local.run import voice_grammar
from speech.recognizer import Decoding, normalize
from tests.benchmarks.bench_grammar import ROUTINE_INTENTS, figures, routine_grammar
from tests.benchmarks.bench_recognition import Scored
from tests.support.recordings import Utterance


def test_the_routine_grammar_holds_every_routine_intent_and_nothing_else() -> None:
    grammar = voice_grammar(Resolver.for_locale("en-US"))
    small = routine_grammar(grammar)
    assert set(small.values()) == set(ROUTINE_INTENTS)
    assert all(grammar[phrase] == intent for phrase, intent in small.items())
    assert IntentName.START_ROUTINE not in small.values()
    assert len(small) < len(grammar)


INTENTS = {
    "next": IntentName.NEXT,
    "it hurts": IntentName.PAIN,
    "stop": IntentName.STOP,
}
"""A routine grammar of three phrases."""

INTENDED = {**INTENTS, "yes": IntentName.YES}
"""What the test commands mean: "yes" is outside the routine set."""


def _scored(text: str, phrase: str | None, accepted: bool, doubt: str | None = None) -> Scored:
    confidence = 0.9 if accepted else 0.1
    decoding = Decoding(phrase, -30.0, -30.0, 100, 4, confidence, doubt=doubt)
    intents = {normalize(p): i for p, i in INTENTS.items()}
    return Scored(Utterance(text, "en-us", 160, 30), decoding, 0.1, 1.0, intents)


def test_figures_count_each_kind_of_outcome() -> None:
    commands = [
        _scored("next", "next", accepted=True),
        _scored("stop", "next", accepted=True),  # wrong phrase
        _scored("stop", "stop", accepted=False),  # rejected
        _scored("it hurts", "next", accepted=True),  # heard as go-on, not asked
        _scored("it hurts", "next", accepted=True, doubt="it hurts"),  # asked
        _scored("yes", "stop", accepted=True),  # outside the set, accepted
        _scored("yes", "next", accepted=False),  # outside the set, rejected
    ]
    others = [
        _scored("pass me the remote", "stop", accepted=True),
        _scored("what time is it", None, accepted=False),
        _scored("the dog is barking", "next", accepted=False),
    ]
    result = figures(commands, others, INTENDED)
    assert (result.right, result.in_set) == (1, 5)
    assert (result.false_accepts, result.others) == (1, 3)
    assert (result.outside_accepted, result.outside) == (1, 2)
    assert result.unsafe == ("'it hurts'->next",)
    assert "commands right 0.200 (1/5)" in result.line("routine")


def test_a_decoding_with_no_phrase_is_neither_right_nor_a_false_accept() -> None:
    nothing = _scored("next", None, accepted=False)
    result = figures([nothing], [_scored("what time is it", None, accepted=True)], INTENDED)
    assert (result.right, result.in_set, result.false_accepts, result.unsafe) == (0, 1, 0, ())
