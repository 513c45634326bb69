"""Whole guided sessions as one audio file with its timeline, or as a script.

`render_session` takes the coach's responses of a whole session (the turns of START, then NEXT
until the routine is finished, built by `skill.core.session_script`; this package does not
import `skill`) and plays each prompt with the same `speech.player.Player` that coaches live,
on a `FakeClock` and into a `ClockedWavSink`. The fake clock makes every wait return at once,
so rendering runs much faster than real time, and the sink writes each utterance at its time
on the clock with digital silence in between, so the file has exactly the timing a live
session would have. People can put the file on a phone and follow it with no device at all.

Between two prompts the file leaves `gap_s` of silence: the moment a user would take to say
"next".

`script_session` writes the same session as text with estimated times, or as the SSML of each
Alexa response in order (`speech.ssml`).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Protocol

from routines.commands import CommandKind
from speech.audio import Audio, AudioError, WavFileSink
from speech.clock import FakeClock
from speech.estimate import estimate_seconds
from speech.pacing import Measure, Segment, schedule
from speech.player import Player, PlayResult
from speech.prompt import Prompt
from speech.ssml import clock as clock_text
from speech.ssml import to_ssml, to_text_with_times
from speech.tts import TTSEngine

DEFAULT_GAP_S = 2.0
"""Silence between two prompts of a rendered session (the user saying "next")."""

TIMELINE_DECIMALS = 6
"""Times in a timeline file are rounded to microseconds (well under one sample)."""

ProgressCallback = Callable[[int, int], None]
"""Called after each prompt with (prompts done, prompts in all)."""


class RenderError(Exception):
    """A session cannot be rendered (the output cannot be written, the session runs away)."""


# -- the session as prompts -----------------------------------------------------------------


class Turn(Protocol):
    """One response of the coach in a whole session (`skill.core.session_script.ScriptedTurn`)."""

    @property
    def command(self) -> CommandKind:
        """What the user said to get it (START, then NEXT)."""
        ...

    @property
    def prompt(self) -> Prompt:
        """What the coach said."""
        ...

    @property
    def variant(self) -> int:
        """The phrase variant the prompt was built with (the SSML and the script use it too)."""
        ...


# -- the timeline ---------------------------------------------------------------------------


@dataclass(frozen=True)
class HoldRecord:
    """A hold in a rendered session."""

    step: str
    """The step's id."""
    side: str
    """left, right or both."""
    rep: int
    planned_s: int
    """The hold's planned length."""
    start_s: float
    """Seconds from the start of the file to the end of the "begin" cue."""
    end_s: float
    """Seconds from the start of the file to the start of the release."""


@dataclass(frozen=True)
class SessionTimeline:
    """What a rendered file holds, and when: the content of the timeline JSON."""

    duration_s: float
    segments: tuple[Segment, ...]
    """Speech and silence covering the whole file, in order."""
    holds: tuple[HoldRecord, ...]

    @classmethod
    def from_results(cls, results: Sequence[PlayResult], end_s: float) -> SessionTimeline:
        """The timeline of prompts played one after the other on a clock that started at 0."""
        segments: list[Segment] = []
        now = 0.0
        for result in results:
            for played in result.speech:
                if played.start_s > now:
                    segments.append(Segment("silence", now, played.start_s))
                segments.append(Segment("speech", played.start_s, played.end_s, played.text))
                now = max(now, played.end_s)
        if end_s > now:
            segments.append(Segment("silence", now, end_s))
        holds = tuple(
            HoldRecord(
                step=held.hold.step_id,
                side=held.hold.side.value,
                rep=held.hold.rep,
                planned_s=held.planned_s,
                start_s=held.start_s,
                end_s=held.end_s,
            )
            for result in results
            for held in result.holds
        )
        return cls(end_s, tuple(segments), holds)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SessionTimeline:
        """A timeline read back from its JSON form."""
        return cls(
            duration_s=float(data["duration_s"]),
            segments=tuple(Segment(**segment) for segment in data["segments"]),
            holds=tuple(HoldRecord(**hold) for hold in data["holds"]),
        )

    def to_dict(self) -> dict[str, Any]:
        """The JSON form: `duration_s`, `segments` and `holds`, times in seconds."""

        def rounded(record: Any) -> dict[str, Any]:
            return {
                key: round(value, TIMELINE_DECIMALS) if isinstance(value, float) else value
                for key, value in asdict(record).items()
            }

        return {
            "duration_s": round(self.duration_s, TIMELINE_DECIMALS),
            "segments": [rounded(segment) for segment in self.segments],
            "holds": [rounded(hold) for hold in self.holds],
        }

    def write(self, path: str | os.PathLike[str]) -> None:
        """Write the JSON form to `path`."""
        try:
            Path(path).write_text(json.dumps(self.to_dict(), indent=1) + "\n", encoding="utf-8")
        except OSError as error:
            raise RenderError(f"{os.fspath(path)}: cannot write ({error.strerror})") from error


# -- the sink that writes silences ----------------------------------------------------------


class ClockedWavSink:
    """A WAV file written on a clock's time axis: each piece of audio lands at its clock time,
    with digital silence before it, so the file keeps the timing a live session would have.

    Time `origin_s` on the clock is the start of the file. Positions are rounded to the
    nearest sample from the absolute time, so rounding never accumulates. The file is opened
    at once, so an unwritable path fails before any work is done.
    """

    def __init__(
        self, path: str | os.PathLike[str], sample_rate: int, origin_s: float = 0.0
    ) -> None:
        self.sample_rate = sample_rate
        self.origin_s = origin_s
        self._wav = WavFileSink(path, sample_rate)
        self._frames = 0
        self._wav.play(Audio(b"", sample_rate))

    @property
    def duration_s(self) -> float:
        """Seconds written so far."""
        return self._frames / self.sample_rate

    def play_at(self, audio: Audio, at_s: float) -> None:
        """Write silence up to clock time `at_s`, then `audio`."""
        self.pad_to(at_s)
        self.play(audio)

    def play(self, audio: Audio) -> None:
        """Append `audio` right after what was written."""
        chunk = audio.resample(self.sample_rate)
        self._wav.play(chunk)
        self._frames += chunk.frames

    def pad_to(self, at_s: float) -> None:
        """Write silence up to clock time `at_s` (nothing if the file is already past it)."""
        target = round((at_s - self.origin_s) * self.sample_rate)
        if target > self._frames:
            self._wav.play(Audio(bytes((target - self._frames) * 2), self.sample_rate))
            self._frames = target

    def stop(self) -> None:
        """Writing is instant: nothing to cut short."""

    def close(self) -> None:
        """Finish the file."""
        self._wav.close()


# -- rendering ------------------------------------------------------------------------------


def render_session(
    turns: Sequence[Turn],
    engine: TTSEngine,
    wav_path: str | os.PathLike[str],
    timeline_path: str | os.PathLike[str] | None = None,
    *,
    gap_s: float = DEFAULT_GAP_S,
    on_progress: ProgressCallback | None = None,
) -> SessionTimeline:
    """Render a whole session's `turns` into one WAV file (and its timeline JSON).

    Raises `RenderError` if a file cannot be written, and lets the engine's `TTSError` through.
    """
    if gap_s < 0:
        raise ValueError(f"gap_s cannot be negative: {gap_s}")
    clock = FakeClock()
    try:
        sink = ClockedWavSink(wav_path, engine.sample_rate)
    except AudioError as error:
        raise RenderError(str(error)) from error
    try:
        player = Player(engine, sink, clock)
        results: list[PlayResult] = []
        for done, turn in enumerate(turns, start=1):
            if results:
                clock.advance(gap_s)
            results.append(player.play(turn.prompt))
            if on_progress is not None:
                on_progress(done, len(turns))
        sink.pad_to(clock.now())
    except AudioError as error:
        raise RenderError(str(error)) from error
    finally:
        sink.close()
    timeline = SessionTimeline.from_results(results, clock.now())
    if timeline_path is not None:
        timeline.write(timeline_path)
    return timeline


def script_session(
    turns: Sequence[Turn],
    ssml: bool = False,
    *,
    measure: Measure = estimate_seconds,
    gap_s: float = DEFAULT_GAP_S,
) -> str:
    """A whole session's `turns` as text: each response with the time each phrase starts
    (estimated by `measure`), or with `ssml` the SSML of each Alexa response, one per line."""
    if ssml:
        return (
            "\n".join(to_ssml(turn.prompt, measure, variant=turn.variant) for turn in turns) + "\n"
        )
    blocks: list[str] = []
    start = 0.0
    for number, turn in enumerate(turns, start=1):
        header = f"# {number}/{len(turns)} ({turn.command.value}) at {clock_text(start)}"
        body = to_text_with_times(turn.prompt, measure, start_s=start, variant=turn.variant)
        blocks.append(f"{header}\n{body}")
        start += schedule(turn.prompt, measure, variant=turn.variant).duration_s + gap_s
    return "\n\n".join(blocks) + "\n"
