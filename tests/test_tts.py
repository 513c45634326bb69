"""Tests for speech.tts on real espeak-ng audio (through pyttsx3), plus the fallbacks."""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from typing import Any

import pytest

from speech import tts
from speech.audio import Audio
from speech.estimate import estimate_seconds
from speech.tts import (
    Pyttsx3Engine,
    TextOnlyEngine,
    TTSEngine,
    TTSUnavailableError,
    UnknownVoiceError,
    Voice,
    find_voice,
    open_engine,
)

SENTENCE = "Lie on your back with both knees bent, and breathe slowly."
PARAGRAPH = (
    "Place the ball under your right buttock, just beside the hip bone. Lean into it until "
    "the pressure is firm but comfortable. Breathe out slowly and let the muscle soften."
)


@pytest.fixture
def renders(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every text the pyttsx3 worker really renders, in order."""
    seen: list[str] = []
    original: Callable[..., Audio] = tts._Worker._render

    def spy(self: Any, text: str, voice_id: str | None, rate: int | None) -> Audio:
        seen.append(text)
        return original(self, text, voice_id, rate)

    monkeypatch.setattr(tts._Worker, "_render", spy)
    return seen


# -- real speech ------------------------------------------------------------------------------


def test_speech_is_audible_and_lasts_a_plausible_time() -> None:
    engine = Pyttsx3Engine()
    audio = engine.synthesize("release")
    assert audio.sample_rate == engine.sample_rate == 22050
    assert audio.peak() > 5000
    assert 0.3 < audio.duration_s < 1.5
    # The speech is in the middle: the trimmed audio is shorter but still there.
    voiced = audio.trim_silence()
    assert 0.2 < voiced.duration_s < audio.duration_s


def test_longer_text_takes_longer() -> None:
    engine = Pyttsx3Engine()
    word, sentence, paragraph = (engine.synthesize(t) for t in ("five", SENTENCE, PARAGRAPH))
    assert word.duration_s < sentence.duration_s < paragraph.duration_s
    assert 2.0 < sentence.duration_s < 6.0
    assert paragraph.duration_s > 2 * sentence.duration_s


def test_rate_changes_the_speed_even_between_calls() -> None:
    slow, fast = Pyttsx3Engine(rate=120), Pyttsx3Engine(rate=300)
    # Alternate on the shared worker: each render must apply its own engine's rate.
    slow_first = slow.synthesize("Breathe in slowly.").duration_s
    fast_first = fast.synthesize("Breathe in slowly.").duration_s
    slow_second = slow.synthesize("Breathe out slowly.").duration_s
    fast_second = fast.synthesize("Breathe out slowly.").duration_s
    assert slow_first > 1.8 * fast_first
    assert slow_second > 1.8 * fast_second


def test_voice_by_language_tag_and_output_rate() -> None:
    engine = Pyttsx3Engine(voice="en-us", sample_rate=16000)
    audio = engine.synthesize("Switch to your left side.")
    assert audio.sample_rate == 16000
    assert audio.peak() > 5000


def test_nothing_reaches_stdout_or_stderr(capfd: pytest.CaptureFixture[str]) -> None:
    engine = Pyttsx3Engine()
    engine.synthesize("Nothing printed for this one, please.")
    engine.synthesize("Nor for this one.")
    captured = capfd.readouterr()
    assert captured.out == ""
    assert captured.err == ""


def test_blank_text_is_empty_audio_without_synthesis(renders: list[str]) -> None:
    engine = Pyttsx3Engine()
    assert engine.synthesize("   ").frames == 0
    assert renders == []


# -- cache ------------------------------------------------------------------------------------


def test_recurring_phrases_come_from_the_cache(renders: list[str]) -> None:
    engine = Pyttsx3Engine()
    first = engine.synthesize("five")
    again = engine.synthesize(" five ")
    assert again is first
    assert renders == ["five"]
    info = engine.cache_info()
    assert (info.hits, info.misses, info.entries) == (1, 1, 1)
    assert info.bytes == len(first.pcm)


def test_cache_is_keyed_by_rate(renders: list[str]) -> None:
    Pyttsx3Engine(rate=150).synthesize("four")
    Pyttsx3Engine(rate=250).synthesize("four")
    assert renders == ["four", "four"]


def test_cache_evicts_the_least_recently_used(renders: list[str]) -> None:
    engine = Pyttsx3Engine()
    one = engine.synthesize("one")
    # Room for about two short words: "one" and "two" stay, then "three" evicts the oldest.
    engine = Pyttsx3Engine(cache_bytes=len(one.pcm) * 2 + 8000)
    engine.synthesize("one")
    engine.synthesize("two")
    engine.synthesize("one")  # now "two" is the least recently used
    engine.synthesize("three")
    engine.synthesize("one")
    engine.synthesize("two")
    assert renders == ["one", "one", "two", "three", "two"]
    assert engine.cache_info().bytes <= len(one.pcm) * 2 + 8000


def test_many_threads_share_one_engine(renders: list[str]) -> None:
    engine = Pyttsx3Engine()
    phrases = ["ten", "nine", "eight", "and release", "ten seconds left", "nine"]
    expected = {text: Pyttsx3Engine().synthesize(text).duration_s for text in set(phrases)}
    renders.clear()
    barrier = threading.Barrier(6)
    results: dict[tuple[int, str], float] = {}
    errors: list[BaseException] = []

    def work(index: int) -> None:
        try:
            barrier.wait(timeout=10)
            for text in phrases[index:] + phrases[:index]:
                results[index, text] = engine.synthesize(text).duration_s
        except BaseException as error:  # reported below, on the test's thread
            errors.append(error)

    threads = [threading.Thread(target=work, args=(index,)) for index in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert len(results) == 6 * len(set(phrases))
    for (_, text), duration in results.items():
        assert duration == pytest.approx(expected[text], rel=0.05)
    # Six threads asked for five phrases 36 times: each was rendered once.
    assert sorted(renders) == sorted(set(phrases))


def test_engines_with_different_rates_on_several_threads() -> None:
    text = "Roll slowly from the hip to the knee."
    reference = {rate: Pyttsx3Engine(rate=rate).synthesize(text).duration_s for rate in (130, 260)}
    results: list[tuple[int, float]] = []

    def work(rate: int) -> None:
        for _ in range(3):
            results.append((rate, Pyttsx3Engine(rate=rate).synthesize(text).duration_s))

    threads = [threading.Thread(target=work, args=(rate,)) for rate in (130, 260, 130, 260)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(results) == 12
    for rate, duration in results:
        assert duration == pytest.approx(reference[rate], rel=0.05)


# -- voices -----------------------------------------------------------------------------------


def test_list_voices_offers_english() -> None:
    voices = Pyttsx3Engine().list_voices()
    assert len(voices) > 10
    assert all(isinstance(voice, Voice) for voice in voices)
    assert any("en-us" in voice.languages for voice in voices)


VOICES = (
    Voice("gmw/en-us", "English (America)", ("en-us",), "Male"),
    Voice("gmw/en", "English (Great Britain)", ("en-gb",), "Male"),
    Voice("roa/fr", "French (France)", ("fr-fr",), "Male"),
)


@pytest.mark.parametrize(
    ("wanted", "found"),
    [
        ("gmw/en-us", "gmw/en-us"),
        ("EN-US", "gmw/en-us"),
        ("english (great britain)", "gmw/en"),
        ("en-gb", "gmw/en"),
        ("fr", "roa/fr"),
        (" fr-fr ", "roa/fr"),
    ],
)
def test_find_voice_by_id_name_or_language(wanted: str, found: str) -> None:
    assert find_voice(wanted, VOICES).id == found


def test_unknown_voice_lists_english_ones() -> None:
    with pytest.raises(UnknownVoiceError, match=r"'martian'.*gmw/en-us, gmw/en \(3 in all"):
        find_voice("martian", VOICES)
    with pytest.raises(UnknownVoiceError, match="martian"):
        Pyttsx3Engine(voice="martian").synthesize("hello")


def test_bad_rate_is_rejected() -> None:
    with pytest.raises(ValueError, match="rate"):
        Pyttsx3Engine(rate=0)


def test_an_unknown_driver_fails_only_when_used() -> None:
    engine = Pyttsx3Engine(driver_name="nosuchdriver")  # lazy: nothing starts yet
    assert engine.name == "pyttsx3:nosuchdriver"
    with pytest.raises(TTSUnavailableError, match="nosuchdriver"):
        engine.synthesize("hello")
    with pytest.raises(TTSUnavailableError, match="nosuchdriver"):  # tried again, fails again
        engine.start()


# -- text only and open_engine ----------------------------------------------------------------


def test_text_only_engine_is_silence_of_the_estimated_length() -> None:
    engine = TextOnlyEngine(wpm=150)
    audio = engine.synthesize(SENTENCE)
    assert audio.peak() == 0
    assert audio.sample_rate == engine.sample_rate
    assert audio.duration_s == pytest.approx(estimate_seconds(SENTENCE, 150), abs=1e-3)
    assert engine.name == "text-only"
    with pytest.raises(ValueError, match="words per minute must be positive, not -5"):
        TextOnlyEngine(wpm=-5)


def test_open_engine_gives_real_speech_here() -> None:
    engine, notice = open_engine()
    assert notice is None
    assert isinstance(engine, Pyttsx3Engine)
    assert engine.name == "pyttsx3:espeak"
    assert engine.synthesize("Good.").peak() > 5000


def test_open_engine_text_only_on_request() -> None:
    engine, notice = open_engine(enabled=False, rate=160)
    assert isinstance(engine, TextOnlyEngine)
    assert engine.wpm == 160
    assert notice is None


def test_open_engine_without_pyttsx3(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pyttsx3", None)
    engine, notice = open_engine()
    assert isinstance(engine, TextOnlyEngine)
    assert notice is not None
    assert "pyttsx3 is not installed" in notice
    assert "as text" in notice


def test_open_engine_when_the_driver_fails() -> None:
    engine, notice = open_engine(driver_name="nosuchdriver")
    assert isinstance(engine, TextOnlyEngine)
    assert notice is not None
    assert "nosuchdriver speech driver did not start" in notice


def test_open_engine_with_an_unknown_voice_keeps_speaking() -> None:
    engine, notice = open_engine(voice="martian")
    assert isinstance(engine, Pyttsx3Engine)
    assert engine.voice is None
    assert notice is not None
    assert "martian" in notice
    assert "default voice" in notice


@pytest.mark.parametrize("engine", [TextOnlyEngine(), Pyttsx3Engine()], ids=["text", "pyttsx3"])
def test_engines_satisfy_the_protocol(engine: TTSEngine) -> None:
    audio = engine.synthesize("three")
    assert audio.sample_rate == engine.sample_rate
    assert audio.duration_s > 0.2
    assert engine.name
