"""Benchmark: whole-session rendering speed and hold-length error, against raw espeak-ng.

Run: .venv/bin/python -m tests.benchmarks.bench_render [ROUTINE] [--rounds N]

What it measures, for the routine (default: the default routine), in one run:

- render, cold: `speech.render.render_session` with a fresh engine (every phrase synthesized)
  on a `FakeClock`, into a WAV file and its timeline: wall time, audio length, real-time
  factor (audio seconds per wall second; target >= 50x on 2 cores);
- render, warm: the same again with the engine's phrase cache full (the pacing, player and WAV
  writing alone);
- the worst hold-length error, measured on the rendered audio (end of the "begin" voice to the
  start of the release voice; see tests/test_render.py; target < 20 ms);
- synthesis alone: a fresh engine synthesizing each distinct phrase once, the least a cold
  render has to do;
- baseline: the `espeak-ng` program writing every utterance of the same session (the same
  words, in order, repeats included) to a WAV file in one process, which is what "just speak
  the script" costs with no pacing at all.

The measurements are interleaved (`tests.benchmarks.interleave`): after one untimed render and
one untimed baseline (which give the session's utterances and the baseline's audio length, and
warm espeak-ng), each of `--rounds` rounds renders cold then warm, runs the baseline and
synthesizes the phrases alone, in turn, so load from other work on the machine falls on all of
them alike. Each timing, in wall and in CPU seconds (this process's
threads and the espeak-ng process it waits for: CPU time moves less with load), is the median
of its rounds; the ratios (render / baseline, render / synthesis alone) are the medians of the
per-round ratios, with their quartiles and range.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import wave
from collections.abc import Mapping, Sequence
from pathlib import Path

from routines.loader import DEFAULT_ROUTINE, builtin_library
from skill.core.session_script import session_turns
from speech.audio import Audio
from speech.render import SessionTimeline, render_session
from speech.tts import Pyttsx3Engine
from tests.benchmarks.interleave import Cost, Spread, Stopwatch, interleave, ratios
from tests.test_render import hold_errors


def read_wav(path: Path) -> Audio:
    """A mono 16-bit WAV file as it is on disk."""
    with wave.open(str(path), "rb") as reader:
        return Audio(reader.readframes(reader.getnframes()), reader.getframerate())


def render_once(
    routine_id: str, folder: Path, engine: Pyttsx3Engine
) -> tuple[Cost, SessionTimeline]:
    """What rendering the session took, and its timeline."""
    routine = builtin_library()[routine_id]
    watch = Stopwatch()
    timeline = render_session(
        session_turns(routine), engine, folder / "session.wav", folder / "session.json"
    )
    return watch.read(), timeline


def espeak_baseline(timeline: SessionTimeline, folder: Path) -> tuple[Cost, float]:
    """What espeak-ng took to say every utterance of the session into a WAV file, and the
    length of that audio."""
    lines = [segment.text for segment in timeline.segments if segment.kind == "speech"]
    text = folder / "session.txt"
    text.write_text("\n\n".join(lines) + "\n", encoding="utf-8")
    out = folder / "baseline.wav"
    watch = Stopwatch()
    subprocess.run(["espeak-ng", "-w", str(out), "-f", str(text)], check=True)
    cost = watch.read()
    return cost, read_wav(out).duration_s


def synthesis_alone(timeline: SessionTimeline) -> Cost:
    """What a fresh engine took to synthesize each distinct phrase of the session once (what
    a cold render must do at the least)."""
    phrases = list(dict.fromkeys(s.text for s in timeline.segments if s.kind == "speech"))
    engine = Pyttsx3Engine()
    engine.start()
    watch = Stopwatch()
    for text in phrases:
        engine.synthesize(text)
    return watch.read()


def render_cold_and_warm(routine_id: str, folder: Path) -> dict[str, Cost]:
    """Rendering the session with a fresh engine, then again with its cache full."""
    # A fresh engine has an empty phrase cache; espeak-ng itself stays loaded.
    engine = Pyttsx3Engine()
    engine.start()
    cold, _ = render_once(routine_id, folder, engine)
    warm, _ = render_once(routine_id, folder, engine)
    return {"render cold": cold, "render warm": warm}


def ratio_lines(runs: Mapping[str, Sequence[Cost]], subject: str, baseline: str) -> str:
    """``ratio SUBJECT / BASELINE`` in wall time and in CPU time, per round."""
    ours, theirs = runs[subject], runs[baseline]
    wall = Spread.of(ratios([c.wall_s for c in ours], [c.wall_s for c in theirs]))
    cpu = Spread.of(ratios([c.cpu_s for c in ours], [c.cpu_s for c in theirs]))
    return (
        f"ratio {subject} / {baseline}, wall: {wall.describe()}\n"
        f"ratio {subject} / {baseline}, CPU time: {cpu.describe()}"
    )


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("routine", nargs="?", default=DEFAULT_ROUTINE)
    parser.add_argument("--rounds", "--repeat", type=int, default=5, help="Interleaved rounds.")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="bench-render-") as name:
        folder = Path(name)
        engine = Pyttsx3Engine()
        engine.start()
        _, timeline = render_once(args.routine, folder, engine)
        # Measured on this render's own audio: the rounds below write theirs over it, and two
        # renders need not be identical (their lengths differ by about 0.1 s here).
        errors = hold_errors(read_wav(folder / "session.wav"), timeline)
        _, baseline_audio = espeak_baseline(timeline, folder)
        batches = interleave(
            {
                "render": lambda _: render_cold_and_warm(args.routine, folder),
                "baseline": lambda _: {"baseline": espeak_baseline(timeline, folder)[0]},
                "synthesis": lambda _: {"synthesis alone": synthesis_alone(timeline)},
            },
            args.rounds,
        )

    # Each timing's costs, round by round: "render cold", "render warm", "baseline"...
    runs = {
        name: [costs[name] for costs in rounds] for rounds in batches.values() for name in rounds[0]
    }

    def median(name: str, cpu: bool = False) -> float:
        return statistics.median(c.cpu_s if cpu else c.wall_s for c in runs[name])

    cold, warm = median("render cold"), median("render warm")
    baseline, synthesis = median("baseline"), median("synthesis alone")
    audio_s = timeline.duration_s
    speech_s = sum(s.end_s - s.start_s for s in timeline.segments if s.kind == "speech")
    worst = max(abs(error) for error in errors)
    print(f"routine {args.routine}: {audio_s:.1f} s of audio ({speech_s:.1f} s of speech),")
    print(
        f"  {len(timeline.holds)} holds, {len(timeline.segments)} segments, cpus={os.cpu_count()},"
        f" medians of {args.rounds} interleaved rounds"
    )
    print(
        f"render, cold cache : {cold:7.3f} s  {audio_s / cold:7.0f}x real time"
        f"  CPU {median('render cold', cpu=True):6.3f} s"
    )
    print(
        f"render, warm cache : {warm:7.3f} s  {audio_s / warm:7.0f}x real time"
        f"  CPU {median('render warm', cpu=True):6.3f} s"
    )
    print(
        f"baseline espeak-ng : {baseline:7.3f} s  {baseline_audio / baseline:7.0f}x real time"
        f"  CPU {median('baseline', cpu=True):6.3f} s"
        f" (the same {len([s for s in timeline.segments if s.kind == 'speech'])} utterances,"
        f" {baseline_audio:.1f} s of audio, no pacing)"
    )
    print(
        f"synthesis alone    : {synthesis:7.3f} s"
        f"  CPU {median('synthesis alone', cpu=True):6.3f} s"
        " (each distinct phrase once, through pyttsx3)"
    )
    print(ratio_lines(runs, "render cold", "baseline"))
    print(ratio_lines(runs, "render cold", "synthesis alone"))
    print(ratio_lines(runs, "render warm", "baseline"))
    print(
        f"hold error on the audio: worst {worst * 1000:.3f} ms,"
        f" mean {sum(errors) / len(errors) * 1000:+.3f} ms over {len(errors)} holds"
    )
    target = audio_s / cold >= 50 and worst < 0.020
    print("targets (>= 50x real time, hold error < 20 ms):", "met" if target else "NOT met")
    return 0 if target else 1


if __name__ == "__main__":
    sys.exit(main())
