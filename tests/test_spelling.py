"""Tests for skill.core.spelling (a typed slip corrected onto the model's words) and the list of
English words it never corrects (skill.devtools.near_words)."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from typing import Any

import pytest

from skill.core.resolver import Resolver
from skill.core.spelling import NEAR_WORDS_FILE, Speller, shipped_near_words
from skill.devtools.near_words import english_words, near_words
from skill.devtools.near_words import main as near_words_main

VOCABULARY = ("pause", "pass", "stop", "repeat", "longer", "long", "next", "hold", "bake", "bike")


@pytest.fixture(scope="module")
def resolver() -> Resolver:
    return Resolver.for_locale("en-US")


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("stpo", "stop"),  # two neighbours swapped
        ("repaet", "repeat"),
        ("nxet", "next"),
        ("paus", "pause"),  # a letter missing: likelier than "pass" with a letter wrong
        ("longr", "longer"),  # likelier than "long" with a letter too many
        ("holdd", "hold"),  # a letter doubled
        ("stoop", "stop"),  # no English word in this speller's list: a doubled letter
        ("repeet", "repeat"),  # a letter wrong
        ("nexts", "next"),  # a letter too many
    ],
)
def test_a_slip_of_each_kind_is_corrected_onto_the_word(typed: str, meant: str) -> None:
    assert Speller(VOCABULARY).word(typed) == meant


@pytest.mark.parametrize(
    ("typed", "why"),
    [
        ("nxt", "three letters: too near too many words"),
        ("stp", "three letters"),
        ("bqke", "as near to bake as to bike"),
        ("paused", "two edits from pause? no: one, but a known word"),
        ("stopping", "more than one edit"),
        ("st0p", "not letters"),
        ("pause", "a word of the model"),
    ],
)
def test_what_is_not_corrected(typed: str, why: str) -> None:
    speller = Speller(VOCABULARY, known={"paused"})
    assert speller.word(typed) == typed, why


def test_english_words_near_the_model_are_never_taken_for_slips(resolver: Resolver) -> None:
    known = shipped_near_words()
    # One edit from "next", "pause", "stop", "skip", "hold": English words, not slips.
    for word in ("text", "cause", "stoop", "shop", "ship", "skin", "cold", "told"):
        assert word in known, word
        assert resolver.resolve(f"the {word} was fine").text == f"the {word} was fine", word


def test_the_near_words_file_is_not_stale(resolver: Resolver) -> None:
    fresh = near_words(resolver.words, english_words())
    assert fresh == sorted(shipped_near_words()), (
        "skill/core/near_words.txt is stale: run python -m skill.devtools.near_words"
    )


def test_the_list_holds_words_of_the_safety_data_and_none_of_the_model(resolver: Resolver) -> None:
    known = shipped_near_words()
    assert not known & resolver.words
    assert {"hurtz", "owch", "herts"} <= known  # the safety data's own forms of "hurts", "ouch"


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("repaet", "AMAZON.RepeatIntent"),
        ("say that agian?", "AMAZON.RepeatIntent"),
        ("stpo the session", "AMAZON.StopIntent"),
        ("paus pls", "AMAZON.PauseIntent"),
        ("wiat wait wait", "AMAZON.PauseIntent"),  # corrected, then said once
        ("longr hold", "LongerHoldIntent"),
        ("skpi this one", "SkipIntent"),
        ("lets contnue", "AMAZON.ResumeIntent"),
        ("how mcuh longer", "ProgressIntent"),
        ("got my water, lets contineu", "AMAZON.ResumeIntent"),  # a clause reads them too
    ],
)
def test_typed_slips_resolve(resolver: Resolver, text: str, intent: str) -> None:
    assert resolver.resolve(text).intent == intent


@pytest.mark.parametrize(
    "text",
    [
        "rain stoped at last, suns out",  # "stopped", and still no command
        "I skipt the gym on mondays",
        "my dgo is staring at me",
        "Work wnet on forever today",
        "the rians finally stopped",
        "the text I got was long",
        "cause I said so",
    ],
)
def test_chat_with_slips_stays_unresolved(resolver: Resolver, text: str) -> None:
    assert resolver.resolve(text).is_fallback


@pytest.mark.parametrize(
    ("text", "symptom"),
    [
        ("my leg is nmub", "NUMBNESS"),
        ("pins and needlse", "TINGLING"),
        ("it burnss", "BURNING"),
        ("i have a fevr", "RED_FLAG_FEVER"),
    ],
)
def test_a_symptom_typed_with_a_slip_the_detector_misses_is_read_by_the_samples(
    resolver: Resolver, text: str, symptom: str
) -> None:
    # The safety detector reads the raw text; the model's pain samples read it corrected.
    assert resolver.safety is not None
    assert resolver.safety.detect(text) is None
    resolution = resolver.resolve(text)
    assert (resolution.intent, resolution.value("symptom")) == ("PainIntent", symptom)


def test_a_slip_the_safety_data_knows_is_read_by_the_detector_itself(resolver: Resolver) -> None:
    # "needels" is common enough in the safety corpus (batch 82) to be a rewrite of its own.
    assert resolver.safety is not None
    found = resolver.safety.detect("pins and needels")
    assert found is not None
    assert found.symptom_id == "TINGLING"
    resolution = resolver.resolve("pins and needels")
    assert (resolution.intent, resolution.value("symptom")) == ("PainIntent", "TINGLING")


@pytest.mark.parametrize("text", ["i dont have a fevr", "my leg isnt nmub anymore"])
def test_a_denied_symptom_typed_with_a_slip_is_no_report(resolver: Resolver, text: str) -> None:
    assert resolver.resolve(text).is_fallback


def _corpus() -> Any:
    path = Path(__file__).parent / "data" / "resolver" / "corpus.py"
    spec = importlib.util.spec_from_file_location("resolver_corpus", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("resolver_corpus", module)
    spec.loader.exec_module(module)
    return module


def _slips(word: str) -> list[str]:
    """One slip of each kind in the middle of `word`: missing, doubled, swapped, wrong."""
    i = len(word) // 2
    wrong = "e" if word[i] != "e" else "a"
    return [
        word[:i] + word[i + 1 :],
        word[:i] + word[i] + word[i:],
        word[: i - 1] + word[i] + word[i - 1] + word[i + 1 :],
        word[:i] + wrong + word[i + 1 :],
    ]


def test_the_tuning_corpus_reads_alike_with_a_slip_in_any_word(resolver: Resolver) -> None:
    # Every word of four letters or more of every line of the first corpus's tuning half, with
    # each kind of slip in turn: of the commands read right, 286 of the 700 slipped ones were
    # still right before corrections, 583 then, 579 with the fourth blind corpus's phrasings
    # (their words are one edit from a few more slips); the chat that stays unresolved still
    # does but for 4, as before: typos of "baby" that the safety detector reads as a symptom.
    corpus = _corpus()
    right = commands = resolved = 0
    for case in corpus.load("tuning"):
        clean = resolver.resolve(case.text)
        if clean.intent != (case.intent or "AMAZON.FallbackIntent"):
            continue
        for found in re.finditer(r"[A-Za-z]{4,}", case.text):
            for slip in _slips(found.group(0).lower()):
                reading = resolver.resolve(
                    case.text[: found.start()] + slip + case.text[found.end() :]
                )
                if case.intent is None:
                    resolved += not reading.is_fallback
                else:
                    commands += 1
                    right += reading.intent == case.intent
    print(f"commands with a slip right: {right}/{commands}; chat with a slip resolved: {resolved}")
    assert right >= 579
    assert resolved <= 4


def test_the_generator_s_help_writes_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    before = NEAR_WORDS_FILE.stat().st_mtime_ns
    with pytest.raises(SystemExit) as exited:
        near_words_main(["--help"])
    assert exited.value.code == 0
    assert "near_words.txt" in capsys.readouterr().out
    assert NEAR_WORDS_FILE.stat().st_mtime_ns == before
