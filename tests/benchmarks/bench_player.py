"""Benchmark: the real-time player's hold error and interrupt latency on the monotonic clock.

Run: .venv/bin/python -m tests.benchmarks.bench_player [--holds 3,6,12] [--rounds 3]
[--interrupts 10]

Plays a prompt of holds ("Begin." hold "Release.", real espeak-ng audio, with its countdown) in
real time on `MonotonicClock`, twice: into `NullSink`, and into a sink that behaves like a
sound device (its `play` blocks for the length of the audio, or until `stop`). For each:

- hold error: the hold's length on the monotonic clock (from the end of the "begin" cue to the
  hand-over of the release) minus its planned length, as recorded by the player and, as a
  cross-check, as seen by an `on_event` observer reading `time.monotonic()` itself;
- lateness: how long after its planned time each utterance was handed to the sink;
- drift: how late the prompt ended against its plan.

Baseline, same run, same plan, same sink: a naive player that waits with relative sleeps
("sleep for the gap, then play"), as a player without absolute deadlines would. The two are
interleaved (`tests.benchmarks.interleave`): `--rounds` rounds of the player then the naive
one (or the other way round), so load from other work on the machine falls on both alike.
Figures: the worst hold error over every round, the median lateness and drift; ratios: the
median of the per-round ratios naive error / player error, with their quartiles and range.
Finally, the interrupt latency: a command arrives at a random moment (a timer thread sets the
event); time from the event being set to `play` returning.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import threading
import time
from collections.abc import Callable

from routines.models import Side
from speech.audio import Audio, AudioSink, NullSink
from speech.clock import MonotonicClock
from speech.pacing import Timeline
from speech.player import HoldEnded, HoldStarted, Player, PlayEvent
from speech.prompt import Hold, Part, Prompt, Say
from speech.tts import Pyttsx3Engine
from tests.benchmarks.interleave import Spread, interleave, ratios


class DeviceLikeSink:
    """Blocks in `play` for as long as the audio lasts, like a sound card; `stop` cuts it."""

    def __init__(self) -> None:
        self._stop = threading.Event()

    def play(self, audio: Audio) -> None:
        self._stop.clear()
        self._stop.wait(audio.duration_s)

    def stop(self) -> None:
        self._stop.set()

    def close(self) -> None:
        pass


def holds_prompt(seconds: list[int]) -> Prompt:
    parts: list[Part] = []
    for rep, length in enumerate(seconds, start=1):
        parts += [Say("Begin."), Hold(length, "bench", Side.BOTH, rep), Say("Release.")]
    return Prompt(tuple(parts))


def ms(seconds: float) -> str:
    return f"{seconds * 1000:8.3f} ms"


def run_player(engine: Pyttsx3Engine, sink: AudioSink, prompt: Prompt) -> dict[str, float]:
    """Play in real time; the player's figures."""
    observed: dict[int, float] = {}
    observed_errors: list[float] = []

    def observe(event: PlayEvent) -> None:
        now = time.monotonic()
        if isinstance(event, HoldStarted):
            observed[event.hold.rep] = now
        elif isinstance(event, HoldEnded):
            observed_errors.append(now - observed[event.hold.rep] - event.hold.seconds)

    result = Player(engine, sink, MonotonicClock()).play(prompt, on_event=observe)
    late = [played.start_s - played.planned_start_s for played in result.speech]
    return {
        "hold": max(abs(held.error_s) for held in result.holds),
        "observed": max(abs(error) for error in observed_errors),
        "late_p50": statistics.median(late),
        "late_max": max(late),
        "drift": result.ended_s - result.planned.end_s,
    }


def run_naive(plan: Timeline, player: Player, sink: AudioSink) -> dict[str, float]:
    """The baseline: the same plan, waiting with relative sleeps from one action to the next."""
    start = time.monotonic()
    previous_end = 0.0
    starts: list[float] = []
    ends: list[float] = []
    for utterance in plan.utterances:
        time.sleep(max(0.0, utterance.start_s - previous_end))
        starts.append(time.monotonic() - start)
        audio = player.audio_for(utterance.text)
        sink.play(audio)
        if isinstance(sink, NullSink):
            time.sleep(audio.duration_s)  # a null sink returns at once; the words still last
        ends.append(time.monotonic() - start)
        previous_end = utterance.end_s
    errors = []
    for span in plan.holds:
        before = max(i for i, u in enumerate(plan.utterances) if u.end_s <= span.start_s + 1e-9)
        after = min(i for i, u in enumerate(plan.utterances) if u.start_s >= span.end_s - 1e-9)
        errors.append(starts[after] - ends[before] - span.hold.seconds)
    late = [actual - u.start_s for actual, u in zip(starts, plan.utterances, strict=True)]
    return {
        "hold": max(abs(error) for error in errors),
        "late_p50": statistics.median(late),
        "late_max": max(late),
        "drift": ends[-1] - plan.end_s,
    }


def interrupt_latency(engine: Pyttsx3Engine, count: int, seed: int = 7) -> list[float]:
    """Seconds from an interrupt being set to `play` returning, at random moments."""
    rng = random.Random(seed)
    prompt = holds_prompt([3])
    latencies = []
    for _ in range(count):
        interrupt = threading.Event()
        set_at: list[float] = []

        def fire(event: threading.Event = interrupt, stamps: list[float] = set_at) -> None:
            stamps.append(time.monotonic())
            event.set()

        timer = threading.Timer(rng.uniform(0.1, 2.5), fire)
        timer.start()
        Player(engine, DeviceLikeSink(), MonotonicClock()).play(prompt, interrupt=interrupt)
        returned = time.monotonic()
        timer.join()
        latencies.append(returned - set_at[0])
    return latencies


def compare(
    engine: Pyttsx3Engine, prompt: Prompt, make: Callable[[], AudioSink], rounds: int
) -> tuple[list[dict[str, float]], list[dict[str, float]]]:
    """The player's and the naive player's figures, ``rounds`` interleaved rounds of each."""
    planner = Player(engine, NullSink(), MonotonicClock())
    plan = planner.plan(prompt)
    runs = interleave(
        {
            "player": lambda _: run_player(engine, make(), prompt),
            "naive": lambda _: run_naive(plan, planner, make()),
        },
        rounds,
    )
    return runs["player"], runs["naive"]


def worst_of(key: str, rounds: list[dict[str, float]]) -> float:
    return max(figures[key] for figures in rounds)


def median_of(key: str, rounds: list[dict[str, float]]) -> float:
    return statistics.median(figures[key] for figures in rounds)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description="The real-time player's hold error.")
    parser.add_argument("--holds", default="3,6", help="Hold lengths in seconds.")
    parser.add_argument("--rounds", type=int, default=3, help="Interleaved rounds per sink.")
    parser.add_argument("--interrupts", type=int, default=10, help="Interrupted plays.")
    args = parser.parse_args(argv)
    seconds = [int(part) for part in args.holds.split(",")]
    prompt = holds_prompt(seconds)
    engine = Pyttsx3Engine()
    engine.start()
    planner = Player(engine, NullSink(), MonotonicClock())
    plan = planner.plan(prompt)
    print(
        f"prompt: holds {seconds} s, {len(plan.utterances)} utterances, {plan.duration_s:.2f} s;"
        f" {args.rounds} interleaved rounds per sink"
    )
    worst = 0.0
    sinks: dict[str, Callable[[], AudioSink]] = {
        "null sink": NullSink,
        "device-like sink": DeviceLikeSink,
    }
    for name, make in sinks.items():
        ours, naive = compare(engine, prompt, make, args.rounds)

        worst = max(worst, worst_of("hold", ours))
        print(f"{name}:")
        print(
            f"  player  worst hold error {ms(worst_of('hold', ours))}"
            f"  (observer: {ms(worst_of('observed', ours))})"
        )
        print(f"  naive   worst hold error {ms(worst_of('hold', naive))}  (relative sleeps)")
        for label, figures in (("player", ours), ("naive ", naive)):
            print(
                f"  {label}  lateness p50 {ms(median_of('late_p50', figures))}"
                f" max {ms(worst_of('late_max', figures))}"
                f"  drift at the end {ms(median_of('drift', figures))}"
            )
        holds = ratios([f["hold"] for f in naive], [f["hold"] for f in ours])
        print(f"  ratio naive / player hold error, {name}: {Spread.of(holds).describe(1)}")
        if all(f["drift"] > 0 for f in ours):
            drifts = ratios([f["drift"] for f in naive], [f["drift"] for f in ours])
            print(f"  ratio naive / player end drift, {name}: {Spread.of(drifts).describe(1)}")
    latencies = interrupt_latency(engine, args.interrupts)
    print(
        f"interrupt to return ({len(latencies)} plays, device-like sink):"
        f" median {ms(statistics.median(latencies))} max {ms(max(latencies))}"
    )
    met = worst < 0.020 and max(latencies) < 0.050
    print("targets (hold error < 20 ms, interrupt < 50 ms):", "met" if met else "NOT met")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
