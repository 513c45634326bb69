"""Whole-session rendering, proved on real espeak-ng audio.

Each routine is rendered once per module (a few hundred milliseconds) and then checked against
the file it wrote:

- the timeline matches the audio: every speech segment is loud (RMS well above the noise
  floor), every silence segment is digital silence, the segments tile the file;
- every hold lasts its planned length within 20 ms, measured on the audio alone. The hold
  starts where the voice of the "begin" cue stops: the sample after the last one louder than
  the silence threshold in a window from 0.5 s before to 0.1 s after the start the timeline
  claims. It ends where the voice of the release starts: the first loud sample in a window
  from 0.1 s before to 0.5 s after the claimed end. The windows reach 0.1 s into the hold on
  each side, so a timeline that is wrong in either direction shows up as a hold of the wrong
  length; pacing says nothing in the first and last 0.1 s of a hold of 6 s or more (no
  checkpoint in the first 3 s, reminders 1 s from any edge, the count's "one" ends well
  before the release), so nothing else falls in a window.
"""

from __future__ import annotations

import itertools
import json
import math
import time
import wave
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

import numpy as np
import numpy.typing as npt
import pytest

from routines import events as ev
from routines.commands import CommandKind
from routines.loader import builtin_library, parse_routine
from routines.models import Routine
from routines.plan import expand, seconds_left
from skill.core.session_script import session_turns
from speech.audio import DEFAULT_SILENCE_THRESHOLD, Audio, AudioError
from speech.prompt import Part, Say
from speech.prompts import build_prompt
from speech.render import (
    ClockedWavSink,
    RenderError,
    SessionTimeline,
    render_session,
    script_session,
)
from speech.ssml import MAX_BREAK_MS, MAX_SSML_CHARS
from speech.tts import Pyttsx3Engine, TextOnlyEngine
from tests.conftest import SMALL_ROUTINE

SPEECH_RMS = 1000.0
"""Every trimmed espeak-ng phrase has an RMS far above this (the quietest is about 2,500)."""

HOLD_TOLERANCE_S = 0.020
EDGE_WINDOW_S = (0.5, 0.1)
"""How far outside and inside a claimed hold edge the voice is looked for."""


def small_routine() -> Routine:
    return parse_routine(SMALL_ROUTINE, "small.yaml")


@dataclass(frozen=True)
class Rendered:
    routine: Routine
    wav: Path
    timeline: SessionTimeline
    json: dict[str, object]
    audio: Audio
    wall_s: float


@pytest.fixture(scope="module", params=["small", "foam-roller"])
def rendered(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Rendered:
    routine = small_routine() if request.param == "small" else builtin_library()[request.param]
    folder = tmp_path_factory.mktemp(routine.id)
    engine = Pyttsx3Engine()
    engine.start()
    began = time.perf_counter()
    timeline = render_session(session_turns(routine), engine, folder / "s.wav", folder / "s.json")
    wall = time.perf_counter() - began
    data = json.loads((folder / "s.json").read_text())
    return Rendered(routine, folder / "s.wav", timeline, data, read_wav(folder / "s.wav"), wall)


def read_wav(path: Path) -> Audio:
    """The rendered file as it is on disk (mono 16-bit, read without conversion)."""
    with wave.open(str(path), "rb") as reader:
        assert (reader.getnchannels(), reader.getsampwidth()) == (1, 2)
        return Audio(reader.readframes(reader.getnframes()), reader.getframerate())


def window(audio: Audio, start_s: float, end_s: float) -> npt.NDArray[np.float64]:
    """Samples strictly inside [start_s, end_s] (one sample in from each edge, because an edge
    between speech and silence falls between two samples)."""
    rate = audio.sample_rate
    first, last = math.ceil(start_s * rate) + 1, math.floor(end_s * rate) - 1
    return audio.samples()[first : max(first, last)].astype(np.float64)


def loud(audio: Audio, start_s: float, end_s: float) -> npt.NDArray[np.intp]:
    """Sample indices (from the file's start) louder than the silence threshold in a window."""
    rate = audio.sample_rate
    first = max(0, round(start_s * rate))
    samples = np.abs(audio.samples()[first : round(end_s * rate)].astype(np.int32))
    return np.flatnonzero(samples > DEFAULT_SILENCE_THRESHOLD) + first


def test_the_timeline_file_has_the_documented_fields(rendered: Rendered) -> None:
    data = rendered.json
    assert set(data) == {"duration_s", "segments", "holds"}
    assert SessionTimeline.from_dict(data).to_dict() == data
    segments = data["segments"]
    assert isinstance(segments, list)
    assert segments
    assert all(set(s) == {"kind", "text", "start_s", "end_s"} for s in segments)
    assert {s["kind"] for s in segments} == {"speech", "silence"}
    holds = data["holds"]
    assert isinstance(holds, list)
    passes = expand(rendered.routine)
    assert [(h["step"], h["side"], h["rep"], h["planned_s"]) for h in holds] == [
        (item.step.id, item.side.value, item.rep, item.step.hold.default) for item in passes
    ]


def test_the_segments_tile_the_whole_file(rendered: Rendered) -> None:
    segments = rendered.timeline.segments
    assert segments[0].start_s == 0.0
    for before, after in itertools.pairwise(segments):
        assert after.start_s == pytest.approx(before.end_s, abs=1e-6)
        assert after.end_s > after.start_s
    assert segments[-1].end_s == pytest.approx(rendered.timeline.duration_s)
    assert rendered.audio.duration_s == pytest.approx(rendered.timeline.duration_s, abs=1e-4)


def test_speech_is_where_the_timeline_says_speech(rendered: Rendered) -> None:
    speech = [s for s in rendered.timeline.segments if s.kind == "speech"]
    assert speech
    assert all(s.text for s in speech)
    for segment in speech:
        samples = window(rendered.audio, segment.start_s, segment.end_s)
        rms = float(np.sqrt(np.mean(samples**2)))
        assert rms > SPEECH_RMS, (segment, rms)


def test_silence_is_where_the_timeline_says_silence(rendered: Rendered) -> None:
    silences = [s for s in rendered.timeline.segments if s.kind == "silence"]
    assert silences
    for segment in silences:
        samples = window(rendered.audio, segment.start_s, segment.end_s)
        assert not samples.any(), segment


SAFETY_NOTE = "Before we begin: I'm a guide for gentle self-care"


def said_once(routine: Routine) -> list[str]:
    """The lines a whole session says exactly once: its opening (the safety note, the
    routine's announcement, its safety notes, what to have at hand) and its closing words."""
    items = expand(routine)
    seconds = seconds_left(items, 0, {})
    opening = build_prompt([ev.Disclaimer(), ev.RoutineStarted(routine, len(items), seconds)])
    closing = build_prompt([ev.Finished(routine, seconds)], variant=len(items) - 1)
    return [part.text for part in (*opening.parts, *closing.parts) if isinstance(part, Say)]


def unwanted_repeats(lines: list[str], routine: Routine) -> list[str]:
    """What breaks the rule for repeats in a rendered session's spoken lines, in order.

    The rule: each line of the opening and the closing (`said_once`) is said exactly once, and
    no line is said twice in a row. Everything else may recur from pass to pass: the countdown
    (checkpoints, "ten seconds", five to one), a step's cues (begin, reminders, pressure,
    release), side switches, rests, other reps and the encouragement.
    """
    counts = {line: lines.count(line) for line in said_once(routine)}
    problems = [f"{line!r} said {count} times" for line, count in counts.items() if count != 1]
    problems += [f"{a!r} twice in a row" for a, b in itertools.pairwise(lines) if a == b]
    return problems


def spoken_lines(timeline: SessionTimeline) -> list[str]:
    """The text of each speech segment of a timeline, in order."""
    return [segment.text for segment in timeline.segments if segment.kind == "speech"]


def test_the_rendered_session_says_the_safety_note_once(rendered: Rendered) -> None:
    lines = spoken_lines(rendered.timeline)
    assert sum(line.startswith(SAFETY_NOTE) for line in lines) == 1
    assert lines[0].startswith(SAFETY_NOTE)


def test_no_line_of_the_rendered_session_repeats_where_it_should_not(rendered: Rendered) -> None:
    assert unwanted_repeats(spoken_lines(rendered.timeline), rendered.routine) == []


@pytest.mark.parametrize("routine", builtin_library().values(), ids=lambda r: r.id)
def test_no_built_in_session_repeats_a_line_where_it_should_not(
    routine: Routine, tmp_path: Path
) -> None:
    timeline = render_session(session_turns(routine), TextOnlyEngine(), tmp_path / "t.wav")
    assert unwanted_repeats(spoken_lines(timeline), routine) == []


def test_the_repeat_rule_catches_a_doubled_safety_note_and_a_stutter() -> None:
    routine = small_routine()
    lines = [line for turn in session_turns(routine) for line in said_lines(turn.prompt.parts)]
    assert unwanted_repeats(lines, routine) == []
    doubled = [lines[0], *lines]
    assert unwanted_repeats(doubled, routine) == [
        f"{lines[0]!r} said 2 times",
        f"{lines[0]!r} twice in a row",
    ]
    encouragement = said_lines(session_turns(routine)[1].prompt.parts)[-1]
    at = lines.index(encouragement)
    stutter = [*lines[: at + 1], *lines[at:]]
    assert unwanted_repeats(stutter, routine) == [f"{encouragement!r} twice in a row"]


def said_lines(parts: tuple[Part, ...]) -> list[str]:
    return [part.text for part in parts if isinstance(part, Say)]


def hold_errors(audio: Audio, timeline: SessionTimeline) -> list[float]:
    """Each hold's length measured on the audio minus its planned length, in seconds (the
    method is in the module docstring; holds must be at least 6 s)."""
    rate = audio.sample_rate
    outside, inside = EDGE_WINDOW_S
    errors = []
    for hold in timeline.holds:
        assert hold.planned_s >= 6, hold
        before = loud(audio, hold.start_s - outside, hold.start_s + inside)
        after = loud(audio, hold.end_s - inside, hold.end_s + outside)
        assert before.size, hold
        assert after.size, hold
        voice_stops = (before[-1] + 1) / rate
        voice_starts = after[0] / rate
        errors.append(float(voice_starts - voice_stops) - hold.planned_s)
    return errors


def test_every_hold_lasts_its_planned_length_on_the_audio(rendered: Rendered) -> None:
    errors = hold_errors(rendered.audio, rendered.timeline)
    assert len(errors) == len(expand(rendered.routine))
    assert max(abs(error) for error in errors) < HOLD_TOLERANCE_S, errors


def test_a_session_renders_many_times_faster_than_real_time(rendered: Rendered) -> None:
    # About 500x on a 2-core machine; 10x leaves room for a loaded CI runner.
    assert rendered.timeline.duration_s / rendered.wall_s > 10


def test_the_session_runs_start_then_next_until_finished() -> None:
    routine = small_routine()
    turns = session_turns(routine)
    assert [t.command for t in turns] == [CommandKind.START] + [CommandKind.NEXT] * (
        len(expand(routine))
    )
    assert "not a substitute for a doctor" in turns[0].prompt.text
    assert sum(len(t.prompt.holds) for t in turns) == len(expand(routine))
    assert turns[-1].prompt.holds == ()
    assert "Well done" in turns[-1].prompt.text


def test_the_text_only_engine_renders_exact_holds_too(tmp_path: Path) -> None:
    timeline = render_session(session_turns(small_routine()), TextOnlyEngine(), tmp_path / "t.wav")
    assert all(h.end_s - h.start_s == pytest.approx(h.planned_s) for h in timeline.holds)
    assert not (tmp_path / "t.json").exists()
    assert not Audio.from_wav(tmp_path / "t.wav").samples().any()


def test_progress_is_reported_after_every_prompt(tmp_path: Path) -> None:
    seen: list[tuple[int, int]] = []
    render_session(
        session_turns(small_routine()),
        TextOnlyEngine(),
        tmp_path / "t.wav",
        on_progress=lambda done, total: seen.append((done, total)),
    )
    total = len(session_turns(small_routine()))
    assert seen == [(n, total) for n in range(1, total + 1)]


def test_an_unwritable_path_fails_clearly_before_any_work(tmp_path: Path) -> None:
    with pytest.raises(RenderError, match="cannot write"):
        render_session(
            session_turns(small_routine()), TextOnlyEngine(), tmp_path / "missing" / "s.wav"
        )
    with pytest.raises(RenderError, match="cannot write"):
        render_session(
            session_turns(small_routine()),
            TextOnlyEngine(),
            tmp_path / "s.wav",
            tmp_path / "no" / "t.json",
        )


def test_the_clocked_sink_puts_audio_at_its_clock_time(tmp_path: Path) -> None:
    sink = ClockedWavSink(tmp_path / "c.wav", 1000, origin_s=10.0)
    beep = Audio.from_samples(np.full(5, 1000, dtype=np.int16), 1000)
    sink.play_at(beep, 10.010)
    sink.play_at(beep, 10.0151)  # overlapping by a fraction of a sample: follows on
    sink.pad_to(10.030)
    sink.close()
    samples = Audio.from_wav(tmp_path / "c.wav").samples()
    assert len(samples) == 30
    assert np.flatnonzero(samples).tolist() == list(range(10, 20))


def test_the_clocked_sink_fails_at_once_on_an_unwritable_path(tmp_path: Path) -> None:
    with pytest.raises(AudioError, match="cannot write"):
        ClockedWavSink(tmp_path / "missing" / "c.wav", 22050)


def test_the_script_has_every_response_with_times() -> None:
    routine = small_routine()
    script = script_session(session_turns(routine))
    turns = session_turns(routine)
    headers = [line for line in script.splitlines() if line.startswith("# ")]
    assert len(headers) == len(turns)
    assert headers[0].startswith("# 1/")
    assert "(start) at 00:00.0" in headers[0]
    assert script.count("[hold 20 s]") == 4
    assert script.count("[hold 45 s]") == 1
    assert "00:00.0  Before we begin" in script
    assert script.count(SAFETY_NOTE) == 1
    assert "[pause 5 s]" in script  # the rest between reps


def test_the_ssml_script_has_one_valid_response_per_turn() -> None:
    routine = small_routine()
    lines = script_session(session_turns(routine), ssml=True).splitlines()
    assert len(lines) == len(session_turns(routine))
    for line in lines:
        assert len(line) <= MAX_SSML_CHARS
        root = ElementTree.fromstring(line)
        assert root.tag == "speak"
        for tag in root.iter("break"):
            assert int(tag.attrib["time"].removesuffix("ms")) <= MAX_BREAK_MS
    assert "hold" in lines[1].lower()
    assert sum(line.count("not a substitute for a doctor") for line in lines) == 1
    assert "not a substitute for a doctor" in lines[0]
