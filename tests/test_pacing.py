"""Countdown pacing: checkpoints on absolute deadlines, the final count on its seconds, dropped
(never shifted) cues, reminders only where they fit, and whole prompts laid out in time."""

from __future__ import annotations

import itertools
import math
import zlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from routines.models import Side
from speech.pacing import (
    CueKind,
    Measure,
    PacingError,
    Segment,
    SpeechKind,
    TimedCue,
    checkpoints,
    plan_hold,
    schedule,
)
from speech.prompt import Hold, Pause, Prompt, Say


def words(rate: float = 0.4, overhead: float = 0.1) -> Measure:
    """A simple measure: `rate` seconds per word plus a fixed overhead."""
    return lambda text: overhead + rate * len(text.split())


def hold(seconds: int, *reminders: str) -> Hold:
    return Hold(seconds, "knee-hug", Side.RIGHT, 1, reminders, "And release.")


def said(cues: list[TimedCue]) -> list[tuple[float, str]]:
    return [(cue.at_s, cue.text) for cue in cues]


COUNT = [("five", 0), ("four", 1), ("three", 2), ("two", 3), ("one", 4)]


def count_at(seconds: int) -> list[tuple[float, str]]:
    return [(seconds - 5 + offset, text) for text, offset in COUNT]


@pytest.mark.parametrize(
    ("seconds", "expected"),
    [
        (5, []),
        (15, [(5, "ten seconds")]),
        (30, [(10, "twenty seconds left"), (20, "ten seconds")]),
        (
            60,
            [
                (15, "forty five seconds left"),
                (30, "thirty seconds left"),
                (45, "fifteen seconds left"),
                (50, "ten seconds"),
            ],
        ),
    ],
)
def test_checkpoints_start_when_their_seconds_remain(
    seconds: int, expected: list[tuple[float, str]]
) -> None:
    assert said(plan_hold(hold(seconds), words())) == [*expected, *count_at(seconds)]


def test_minutes_long_holds_count_each_minute_then_thirty_and_ten() -> None:
    cues = said(plan_hold(hold(300), words()))
    assert cues[:4] == [
        (60, "four minutes left"),
        (120, "three minutes left"),
        (180, "two minutes left"),
        (240, "one minute left"),
    ]
    assert cues[4:] == [(270, "thirty seconds left"), (290, "ten seconds"), *count_at(300)]
    assert checkpoints(1200)[:2] == [1140, 1080]


def test_no_checkpoint_crowds_the_start_of_a_hold() -> None:
    assert checkpoints(13) == [10]
    assert checkpoints(12) == []
    assert checkpoints(45) == [40, 30, 20, 10]
    assert checkpoints(44) == [40, 30, 20, 10]
    assert checkpoints(42) == [30, 20, 10]


def test_thinning_keeps_ten_seconds_and_drops_others() -> None:
    assert checkpoints(120) == [105, 90, 75, 60, 45, 30, 15, 10]
    assert checkpoints(120, thin=2) == [90, 60, 30, 10]
    assert checkpoints(600, thin=3) == [480, 300, 120, 10]


def test_a_cue_that_would_overlap_the_next_is_dropped_not_shifted() -> None:
    slow_ten = {"ten seconds": 6.0}

    def measure(text: str) -> float:
        return slow_ten.get(text, 0.5)

    cues = said(plan_hold(hold(30), measure))
    assert (20, "ten seconds") not in cues
    assert cues == [(10, "twenty seconds left"), *count_at(30)]


def test_a_number_too_long_for_its_second_is_dropped() -> None:
    cues = said(plan_hold(hold(20), lambda text: 1.5 if text == "three" else 0.4))
    assert [text for _, text in cues][-4:] == ["five", "four", "two", "one"]
    assert (19, "one") in cues


def test_reminders_go_into_gaps_that_fit_once_each_in_order() -> None:
    cues = plan_hold(hold(30, "Breathe slowly.", "Relax your shoulders.", "Keep going."), words())
    reminders = [(cue.at_s, cue.text) for cue in cues if cue.kind is CueKind.REMINDER]
    # One a second after the start, one a second after "twenty seconds left" (10 s to 11.3 s)
    # and one a second after "ten seconds" (20 s to 20.9 s): each ends a second before the next.
    assert reminders == [
        (1.0, "Breathe slowly."),
        (pytest.approx(12.3), "Relax your shoulders."),
        (pytest.approx(21.9), "Keep going."),
    ]
    tight = plan_hold(hold(30, "a", "b", "Six words are far too many."), words())
    # The third gap (20.9 s to 25 s) cannot take 1 s + 2.5 s + 1 s: it is left out.
    assert [c.text for c in tight if c.kind is CueKind.REMINDER] == ["a", "b"]
    assert not [c for c in plan_hold(hold(30, "x"), words(), reminders=False) if c.text == "x"]


def test_a_reminder_that_does_not_fit_anywhere_is_left_out() -> None:
    long = "Let your breath slow right down and feel the muscle soften with every single breath."
    cues = plan_hold(hold(15, long), words())
    assert all(cue.kind is not CueKind.REMINDER for cue in cues)


@pytest.mark.parametrize("bad", [-0.1, math.nan, math.inf])
def test_an_impossible_measure_is_an_error(bad: float) -> None:
    with pytest.raises(PacingError, match="measure gave"):
        plan_hold(hold(30), lambda text: bad)


def test_holds_and_pauses_refuse_nonsense() -> None:
    with pytest.raises(ValueError, match="at least one second"):
        hold(0)
    with pytest.raises(ValueError, match="negative"):
        Pause(-1)


@st.composite
def measures(draw: st.DrawFn) -> Measure:
    """Any plausible-or-not measure: seconds per word, a fixed overhead, and a jitter that
    depends on the text (so equal texts measure alike, as real audio does)."""
    rate = draw(st.floats(0.0, 1.5))
    overhead = draw(st.floats(0.0, 1.0))
    jitter = draw(st.floats(0.0, 2.0))

    def measure(text: str) -> float:
        spread = (zlib.crc32(text.encode()) % 1000) / 1000
        return overhead + rate * len(text.split()) + jitter * spread

    return measure


REMINDERS = ("Breathe slowly.", "Relax your shoulders and keep the knee close.", "Good.")


@settings(max_examples=300)
@given(st.integers(5, 1200), measures(), st.integers(1, 4), st.booleans())
def test_cues_never_overlap_and_the_count_is_on_time(
    seconds: int, measure: Measure, thin: int, with_reminders: bool
) -> None:
    cues = plan_hold(hold(seconds, *REMINDERS), measure, thin=thin, reminders=with_reminders)
    for before, after in itertools.pairwise(cues):
        assert before.at_s < after.at_s
        assert before.end_s <= after.at_s + 1e-9
    assert all(cue.at_s >= 0 and cue.end_s <= seconds + 1e-9 for cue in cues)
    for cue in cues:
        if cue.kind is CueKind.CHECKPOINT:
            assert cue.at_s == int(cue.at_s)
            assert cue.at_s >= 3
    counts = [cue for cue in cues if cue.kind is CueKind.COUNT]
    if measure("one") <= 1.0:
        assert cues[-1] == TimedCue(seconds - 1, "one", measure("one"), CueKind.COUNT)
    for cue in counts:
        assert seconds - cue.at_s in {1, 2, 3, 4, 5}


def test_schedule_lays_a_prompt_on_absolute_offsets() -> None:
    measure = words()
    the_hold = hold(30, "Breathe slowly.")
    prompt = Prompt(
        (
            Say("Rest for five seconds."),
            Pause(5.0),
            Say("Hold for thirty seconds. Begin."),
            the_hold,
            Say("And release."),
        )
    )
    timeline = schedule(prompt, measure)
    first, begin = timeline.utterances[0], timeline.utterances[1]
    assert first.start_s == 0.0
    assert first.end_s == pytest.approx(1.7)
    assert timeline.pauses[0].start_s == first.end_s
    assert begin.start_s == pytest.approx(6.7)
    (span,) = timeline.holds
    assert span.start_s == begin.end_s
    assert span.end_s == span.start_s + 30
    release = timeline.utterances[-1]
    assert (release.text, release.start_s) == ("And release.", span.end_s)
    assert release.kind is SpeechKind.SAY
    inside = [u for u in timeline.utterances if span.start_s <= u.start_s < span.end_s]
    offsets = [u.start_s - span.start_s for u in inside]
    assert offsets == pytest.approx([cue.at_s for cue in span.cues])
    assert inside[-1].text == "one"
    assert inside[-1].start_s == pytest.approx(span.end_s - 1)
    assert timeline.end_s == release.end_s == timeline.duration_s


def test_segments_cover_the_timeline_without_gaps_and_shift_together() -> None:
    prompt = Prompt((Say("Go."), Pause(2.0), Say("Hold for fifteen seconds. Begin."), hold(15)))
    timeline = schedule(prompt, words())
    segments = timeline.segments()
    assert segments[0] == Segment("speech", 0.0, 0.5, "Go.")
    assert segments[1].kind == "silence"
    for before, after in itertools.pairwise(segments):
        assert before.end_s == pytest.approx(after.start_s)
    assert segments[-1].end_s == timeline.end_s
    later = timeline.shifted(100.0)
    assert later.start_s == 100.0
    assert later.duration_s == pytest.approx(timeline.duration_s)
    assert later.holds[0].end_s == pytest.approx(timeline.holds[0].end_s + 100)
    assert later.utterances[-1].start_s == pytest.approx(timeline.utterances[-1].start_s + 100)
    assert later.pauses[0].start_s == pytest.approx(timeline.pauses[0].start_s + 100)


def test_schedule_starts_where_it_is_told() -> None:
    timeline = schedule(Prompt((Say("Hi."),)), words(), start_s=12.5)
    assert timeline.utterances[0].start_s == 12.5
    assert timeline.start_s == 12.5
    assert timeline.end_s == pytest.approx(13.0)
