"""Tests for speech.estimate: the words-per-minute model and its calibration on espeak-ng."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from speech.estimate import DEFAULT_WPM, FINAL_PAUSE_S, SECONDS_PER_WORD, estimate_seconds
from speech.tts import Pyttsx3Engine

WORD = st.sampled_from(["breathe", "slowly", "hold", "release", "five", "knee", "30", "it's"])
PUNCTUATION = st.sampled_from(["", "", "", ",", ".", "!", "?", ";"])
TEXT = st.lists(st.tuples(WORD, PUNCTUATION), max_size=30).map(
    lambda pairs: " ".join(word + mark for word, mark in pairs)
)


@pytest.mark.parametrize("text", ["", "   ", "\n\t", "...", " , . "])
def test_no_words_take_no_time(text: str) -> None:
    assert estimate_seconds(text) == 0.0


def test_one_word_is_the_word_plus_the_final_pause() -> None:
    assert estimate_seconds("release") == pytest.approx(SECONDS_PER_WORD + FINAL_PAUSE_S)


def test_pauses_add_time() -> None:
    plain = estimate_seconds("breathe in and breathe out")
    assert estimate_seconds("breathe in, and breathe out") > plain
    assert estimate_seconds("breathe in. And breathe out") > estimate_seconds(
        "breathe in, and breathe out"
    )
    # A full stop at the very end is part of the final pause, not an extra one.
    assert estimate_seconds("breathe in and breathe out.") == plain


def test_rate_scales_the_estimate() -> None:
    text = "Lie on your back, and hug your right knee."
    assert estimate_seconds(text, wpm=DEFAULT_WPM / 2) == pytest.approx(2 * estimate_seconds(text))
    assert estimate_seconds(text, wpm=350) < estimate_seconds(text)
    with pytest.raises(ValueError, match="positive"):
        estimate_seconds(text, wpm=0)


@given(TEXT, WORD, PUNCTUATION)
def test_adding_a_word_never_shortens_the_estimate(text: str, word: str, mark: str) -> None:
    longer = f"{text} {word}{mark}"
    assert estimate_seconds(longer) > estimate_seconds(text)


@given(st.lists(WORD, min_size=1, max_size=40))
def test_estimate_grows_linearly_with_words(words: list[str]) -> None:
    text = " ".join(words)
    expected = len(words) * SECONDS_PER_WORD + FINAL_PAUSE_S
    assert estimate_seconds(text) == pytest.approx(expected)


COACHING = [
    "five",
    "Twenty seconds left.",
    "Lie on your back with both knees bent.",
    "Breathe slowly. Let your hip sink into the floor.",
    "Rest for ten seconds, then we will repeat the stretch on the other side.",
    "Place the ball under your left buttock, beside the hip bone. Lean into it gently.",
]


@pytest.mark.parametrize("text", COACHING)
def test_estimate_matches_espeak_at_its_default_rate(text: str) -> None:
    engine = Pyttsx3Engine(rate=int(DEFAULT_WPM))
    spoken = engine.synthesize(text).duration_s
    assert estimate_seconds(text) == pytest.approx(spoken, rel=0.3, abs=0.3)


def test_estimate_follows_espeak_at_another_rate() -> None:
    text = COACHING[-1]
    spoken = Pyttsx3Engine(rate=250).synthesize(text).duration_s
    assert estimate_seconds(text, wpm=250) == pytest.approx(spoken, rel=0.3)
