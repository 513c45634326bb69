"""Benchmark: in-process handling of one Alexa request, against a bare ask-sdk-core skill.

Run: .venv/bin/python -m tests.benchmarks.bench_requests [--calls 3000]

Three requests, each a complete recorded envelope carried as Alexa would send it:

- a mid-routine ``AMAZON.NextIntent`` (session attributes hold the state; the new state is
  saved to SQLite),
- a ``LongerHoldIntent`` in the same place (the preference is saved),
- a ``LaunchRequest`` opening a new session for a user with stored progress (read from SQLite,
  the offer to resume saved).

Each goes through :func:`skill.alexa.skill.handle_envelope` (envelope checks, ask-sdk
deserialization,
the skill, serialization) into the real skill over a real SQLite file. The baseline, measured in
the same run and interleaved with it, is a bare ask-sdk-core skill with one handler that says
"Hello" to any request, handling the same envelope through the same function. Figures: median
and p99 microseconds per request, and the ratio of medians. Target: within 2x the bare skill.
"""

from __future__ import annotations

import argparse
import functools
import gc
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ask_sdk_core.skill import CustomSkill

from routines.loader import load_library
from skill.alexa.persistence import SQLitePersistenceAdapter
from skill.alexa.skill import build_skill, handle_envelope
from tests.benchmarks.bare_apps import hello_skill
from tests.support.envelopes import Conversation
from tests.support.loadgen import ROUTINE

TARGET_RATIO = 2.0


def start_foam_roller(envelope: dict[str, Any]) -> None:
    slot = envelope["request"]["intent"]["slots"]["routine"]
    slot["value"] = "foam roller"
    authority = slot["resolutions"]["resolutionsPerAuthority"][0]
    authority["values"] = [{"value": {"name": "foam roller", "id": ROUTINE}}]


def envelopes(skill: CustomSkill) -> dict[str, dict[str, Any]]:
    """The three requests, made by a conversation that takes a user into the routine."""

    def send(envelope: dict[str, Any]) -> dict[str, Any]:
        return handle_envelope(skill, envelope)

    talk = Conversation(send, user_id="amzn1.ask.account.BENCH")
    talk.say("launch")
    start = talk.envelope("start-routine")
    start_foam_roller(start)
    talk.send(start)
    talk.say("next")
    talk.say("next")
    cases = {"NextIntent mid-routine": talk.envelope("next")}
    cases["LongerHoldIntent"] = talk.envelope("longer-hold")
    talk.say("session-ended")
    talk.start_session()
    cases["LaunchRequest, stored progress"] = talk.envelope("launch")
    return cases


def timed(handle: Callable[[], object], calls: int) -> list[float]:
    """Microseconds per call, ``calls`` times (after a short warm-up)."""
    for _ in range(min(100, calls)):
        handle()
    samples = []
    gc.collect()
    for _ in range(calls):
        started = time.perf_counter_ns()
        handle()
        samples.append((time.perf_counter_ns() - started) / 1000)
    return samples


def p99(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=100)[98]


def main(argv: list[str] | None = None) -> int:
    """Print the figures; exit 0 when every request is within the target ratio."""
    parser = argparse.ArgumentParser(description="In-process request handling vs a bare skill.")
    parser.add_argument("--calls", type=int, default=3000, help="Timed requests per case.")
    parser.add_argument("--rounds", type=int, default=5, help="Interleaved rounds per case.")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as folder:
        skill = build_skill(load_library(), SQLitePersistenceAdapter(Path(folder) / "bench.db"))
        baseline = hello_skill()
        cases = envelopes(skill)
        print(f"in-process handling, {args.calls} requests per case (SQLite in {folder})")
        print(f"{'request':32} {'median µs':>10} {'p99 µs':>9}", end="   ")
        print(f"{'bare median':>11} {'bare p99':>9}  ratio")
        met = True
        ratios: dict[str, float] = {}
        for name, envelope in cases.items():
            ours: list[float] = []
            bare: list[float] = []
            per_round = max(1, args.calls // args.rounds)
            for _ in range(args.rounds):
                ours += timed(functools.partial(handle_envelope, skill, envelope), per_round)
                bare += timed(functools.partial(handle_envelope, baseline, envelope), per_round)
            ratio = statistics.median(ours) / statistics.median(bare)
            ratios[name] = ratio
            met = met and ratio <= TARGET_RATIO
            print(
                f"{name:32} {statistics.median(ours):10.0f} {p99(ours):9.0f}   "
                f"{statistics.median(bare):11.0f} {p99(bare):9.0f}  {ratio:5.2f}x"
            )
    for name, ratio in ratios.items():
        print(f"ratio {name} / bare skill (medians): {ratio:.2f}")
    print(
        f"target (median within {TARGET_RATIO:.0f}x the bare ask-sdk-core skill):",
        "met" if met else "NOT met",
    )
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
