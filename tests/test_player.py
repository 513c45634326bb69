"""The real-time player: absolute deadlines, exact holds, events, interrupts, real espeak-ng audio.

Every test but one runs on a `FakeClock` (instant); the one that checks the hold error against
the monotonic clock plays a 2-second hold in real time, because that is what it measures.
"""

from __future__ import annotations

import threading

import pytest

from routines.models import Side
from speech.audio import DEFAULT_SILENCE_THRESHOLD, Audio, AudioDeviceError, NullSink
from speech.clock import FakeClock, MonotonicClock
from speech.estimate import estimate_seconds
from speech.pacing import SpeechKind
from speech.player import (
    DEFAULT_SENTENCE_GAP_S,
    HoldEnded,
    HoldStarted,
    HoldTick,
    Player,
    PlayEvent,
    SayStarted,
)
from speech.prompt import Hold, Pause, Prompt, Say
from speech.tts import Pyttsx3Engine, TextOnlyEngine, TTSEngine


@pytest.fixture(scope="module")
def espeak() -> Pyttsx3Engine:
    engine = Pyttsx3Engine()
    engine.start()
    return engine


class TimedRecorder:
    """A `TimedSink` that keeps what it was given, and when."""

    def __init__(self) -> None:
        self.played: list[tuple[float, Audio]] = []
        self.stops = 0

    def play_at(self, audio: Audio, at_s: float) -> None:
        self.played.append((at_s, audio))

    def play(self, audio: Audio) -> None:
        raise AssertionError("a TimedSink must get play_at")

    def stop(self) -> None:
        self.stops += 1

    def close(self) -> None:
        pass


class LateClock(FakeClock):
    """A fake clock whose every wait overshoots by `late_s`, like a busy operating system."""

    def __init__(self, late_s: float) -> None:
        super().__init__()
        self.late_s = late_s

    def sleep_until(self, deadline: float, interrupt: threading.Event | None = None) -> bool:
        return super().sleep_until(deadline + self.late_s, interrupt)


def hold_prompt(seconds: int = 12, reminders: tuple[str, ...] = ()) -> Prompt:
    hold = Hold(seconds, "knee-hug", Side.LEFT, 1, reminders=reminders, release="Let go.")
    return Prompt((Say("Hold it. Begin."), hold, Say("And release. Let go.")))


def test_a_hold_lasts_exactly_its_seconds_from_begin_to_release(espeak: Pyttsx3Engine) -> None:
    clock = FakeClock(100.0)
    player = Player(espeak, TimedRecorder(), clock)
    result = player.play(hold_prompt(12))
    assert result.completed
    (held,) = result.holds
    begin, release = result.speech[0], result.speech[-1]
    assert held.start_s == begin.end_s
    assert release.start_s == held.end_s
    assert held.done_s == pytest.approx(12.0, abs=1e-9)
    assert held.completed
    assert result.ended_s == pytest.approx(release.end_s)


def test_speech_inside_the_hold_never_shifts_the_release(espeak: Pyttsx3Engine) -> None:
    reminders = ("Breathe slowly and let the muscle soften.", "Keep your shoulders relaxed.")
    result = Player(espeak, TimedRecorder(), FakeClock()).play(hold_prompt(45, reminders))
    (held,) = result.holds
    inside = [s for s in result.speech if held.start_s <= s.start_s < held.end_s]
    assert {s.kind for s in inside} >= {SpeechKind.CHECKPOINT, SpeechKind.REMINDER}
    assert all(s.end_s <= held.end_s for s in inside)
    assert held.done_s == pytest.approx(45.0, abs=1e-9)


def test_late_wakeups_do_not_add_up_into_drift(espeak: Pyttsx3Engine) -> None:
    # Every wait is 7 ms late. On absolute deadlines each action is 7 ms late and no more;
    # waiting "duration after the previous one" would be 7 ms later per action.
    parts: list[Say | Hold | Pause] = []
    for rep in range(1, 21):
        parts += [Say("Begin."), Hold(30, "knee-hug", Side.BOTH, rep), Say("Release.")]
    prompt = Prompt(tuple(parts))
    on_time = Player(espeak, TimedRecorder(), FakeClock()).play(prompt)
    late = Player(espeak, TimedRecorder(), LateClock(0.007)).play(prompt)
    assert len(late.holds) == 20
    for exact, held in zip(on_time.holds, late.holds, strict=True):
        assert held.start_s - exact.start_s == pytest.approx(0.007, abs=1e-9)
        assert held.done_s == pytest.approx(30.0, abs=1e-9)
    assert late.speech[-1].start_s - on_time.speech[-1].start_s == pytest.approx(0.007, abs=1e-9)


def test_audio_reaches_the_sink_at_the_planned_times(espeak: Pyttsx3Engine) -> None:
    sink = TimedRecorder()
    clock = FakeClock(5.0)
    result = Player(espeak, sink, clock).play(hold_prompt(12))
    assert [at for at, _ in sink.played] == [u.start_s for u in result.planned.utterances]
    assert [s.start_s for s in result.speech] == [u.start_s for u in result.planned.utterances]
    assert result.planned.start_s == 5.0


def test_phrases_are_trimmed_so_a_cue_ends_when_the_voice_stops(espeak: Pyttsx3Engine) -> None:
    player = Player(espeak, TimedRecorder(), FakeClock())
    raw = espeak.synthesize("Hold it. Begin.")
    played = player.audio_for("Hold it. Begin.")
    samples = abs(played.samples().astype(int))
    assert samples[0] > DEFAULT_SILENCE_THRESHOLD
    assert samples[-1] > DEFAULT_SILENCE_THRESHOLD
    assert played.duration_s < raw.duration_s - 0.1  # espeak-ng's padding is gone
    assert player.measure("Hold it. Begin.") == played.duration_s


def test_two_sentences_in_a_row_get_a_gap_and_a_cue_before_a_hold_does_not(
    espeak: Pyttsx3Engine,
) -> None:
    prompt = Prompt((Say("Sit down."), Say("Begin."), Hold(8, "x", Side.BOTH, 1), Say("Stop.")))
    result = Player(espeak, TimedRecorder(), FakeClock()).play(prompt)
    first, second = result.speech[0], result.speech[1]
    assert second.start_s - first.end_s == pytest.approx(DEFAULT_SENTENCE_GAP_S)
    assert result.holds[0].start_s == second.end_s


def test_text_only_engine_keeps_the_estimated_length() -> None:
    engine = TextOnlyEngine()
    player = Player(engine, NullSink(), FakeClock())
    text = "Lie on your back and hug your knee."
    assert player.measure(text) == pytest.approx(estimate_seconds(text), abs=1e-4)


def test_events_tell_a_screen_about_speech_and_every_second_of_the_hold(
    espeak: Pyttsx3Engine,
) -> None:
    seen: list[PlayEvent] = []
    clock = FakeClock()
    result = Player(espeak, TimedRecorder(), clock).play(hold_prompt(8), on_event=seen.append)
    (held,) = result.holds
    started = [e for e in seen if isinstance(e, HoldStarted)]
    assert started == [HoldStarted(held.hold, 8, held.start_s, held.start_s + 8)]
    ticks = [e for e in seen if isinstance(e, HoldTick)]
    assert [(t.elapsed_s, t.remaining_s) for t in ticks] == [(n, 8 - n) for n in range(1, 8)]
    assert [t.at_s for t in ticks] == [held.start_s + n for n in range(1, 8)]
    ended = [e for e in seen if isinstance(e, HoldEnded)]
    # Seconds done are end minus start on the clock: exact but for float rounding, which
    # depends on where the hold starts (after speech whose length is measured, not fixed).
    (end,) = ended
    assert (end.hold, end.completed, end.at_s) == (held.hold, True, held.end_s)
    assert end.done_s == pytest.approx(8.0, abs=1e-9)
    says = [e for e in seen if isinstance(e, SayStarted)]
    assert [e.text for e in says] == [s.text for s in result.speech]
    assert [e.text for e in says if e.kind is SpeechKind.COUNT] == [
        "five",
        "four",
        "three",
        "two",
        "one",
    ]
    # Order: the hold ends before the release is said.
    assert seen.index(ended[0]) < seen.index(says[-1])


def test_an_interrupt_in_a_hold_stops_at_once_and_says_how_far_it_got(
    espeak: Pyttsx3Engine,
) -> None:
    clock = FakeClock()
    sink = TimedRecorder()
    player = Player(espeak, sink, clock)
    begin_s = player.measure("Hold it. Begin.")
    interrupt = threading.Event()
    clock.call_at(begin_s + 4.5, interrupt.set)
    seen: list[PlayEvent] = []
    result = player.play(hold_prompt(12), interrupt=interrupt, on_event=seen.append)
    assert not result.completed
    held = result.interrupted_hold
    assert held is not None
    assert not held.completed
    assert held.done_s == pytest.approx(4.5)
    assert result.ended_s == pytest.approx(begin_s + 4.5)
    assert all(s.start_s <= result.ended_s for s in result.speech)
    assert "And release. Let go." not in [s.text for s in result.speech]
    assert isinstance(seen[-1], HoldEnded)
    assert not seen[-1].completed
    assert sink.stops >= 1


def test_an_interrupt_during_speech_cuts_the_utterance(espeak: Pyttsx3Engine) -> None:
    clock = FakeClock()
    interrupt = threading.Event()
    clock.call_at(0.3, interrupt.set)
    result = Player(espeak, TimedRecorder(), clock).play(hold_prompt(12), interrupt=interrupt)
    (said,) = result.speech
    assert not said.completed
    assert said.end_s == pytest.approx(0.3)
    assert result.holds == ()
    assert result.interrupted_hold is None
    assert result.segments()[-1].end_s == pytest.approx(0.3)


def test_an_interrupt_already_set_plays_nothing(espeak: Pyttsx3Engine) -> None:
    interrupt = threading.Event()
    interrupt.set()
    sink = TimedRecorder()
    result = Player(espeak, sink, FakeClock()).play(hold_prompt(12), interrupt=interrupt)
    assert not result.completed
    assert result.speech == ()
    assert sink.played == []


class BlockingSink:
    """Like a sound device: `play` blocks until the audio is heard, or until `stop`."""

    def __init__(self) -> None:
        self.started = threading.Event()
        self._stop = threading.Event()
        self.stopped_early = False

    def play(self, audio: Audio) -> None:
        self.started.set()
        # A device would return after audio.duration_s; this one only returns on stop,
        # so the test fails by timing out if the player never stops it.
        self.stopped_early = self._stop.wait(30)

    def stop(self) -> None:
        self._stop.set()

    def close(self) -> None:
        pass


def test_an_interrupt_stops_a_device_that_is_still_playing() -> None:
    clock = FakeClock()
    interrupt = threading.Event()
    sink = BlockingSink()
    prompt = Prompt((Say("A long sentence that is still being heard."), Say("Next.")))
    player = Player(TextOnlyEngine(), sink, clock)

    def interrupt_once_playing() -> None:
        assert sink.started.wait(5)
        interrupt.set()

    clock.call_at(0.5, interrupt_once_playing)
    result = player.play(prompt, interrupt=interrupt)
    assert sink.stopped_early
    assert not result.completed
    assert [s.text for s in result.speech] == ["A long sentence that is still being heard."]


class FailingSink(NullSink):
    def play(self, audio: Audio) -> None:
        raise AudioDeviceError("the device went away")


def test_a_sink_failure_reaches_the_caller() -> None:
    player = Player(TextOnlyEngine(), FailingSink(), FakeClock())
    with pytest.raises(AudioDeviceError, match="went away"):
        player.play(Prompt((Say("Hello."),)))


def test_a_prompt_without_holds_or_words_plays_its_pauses() -> None:
    clock = FakeClock()
    result = Player(TextOnlyEngine(), NullSink(), clock).play(Prompt((Pause(3.0),)))
    assert result.completed
    assert result.elapsed_s == 3.0
    assert result.speech == ()
    assert [s.kind for s in result.segments()] == ["silence"]


def real_hold_error(engine: TTSEngine, seconds: int) -> tuple[float, float]:
    """Play a hold in real time on the monotonic clock; (hold error, begin-to-release error)."""
    prompt = Prompt((Say("Go."), Hold(seconds, "knee-hug", Side.BOTH, 1), Say("Stop.")))
    result = Player(engine, NullSink(), MonotonicClock()).play(prompt)
    (held,) = result.holds
    begin, release = result.speech[0], result.speech[-1]
    return held.error_s, (release.start_s - begin.end_s) - seconds


def test_a_real_two_second_hold_is_within_20_ms_of_the_monotonic_clock(
    espeak: Pyttsx3Engine,
) -> None:
    hold_error, release_error = real_hold_error(espeak, 2)
    assert abs(hold_error) < 0.020
    assert abs(release_error) < 0.020
