"""Benchmark: in-process handling of one Alexa request, against a bare ask-sdk-core skill.

Run: .venv/bin/python -m tests.benchmarks.bench_requests [--calls 3000]

Three requests, each a complete recorded envelope carried as Alexa would send it:

- a mid-routine ``AMAZON.NextIntent`` (session attributes hold the state; the new state is
  saved to SQLite),
- a ``LongerHoldIntent`` in the same place (the preference is saved),
- a ``LaunchRequest`` opening a new session for a user with stored progress (read from SQLite,
  the offer to resume saved),
- the same for a user with a year of daily sessions in the pain journal (a launch reads no
  journal: the trend rule's verdict is in the state),
- a ``StopIntent`` that ends that user's session: the entry is journaled, the journal's
  sessions since the rule's window started are counted (in one statement with the user's
  record), and the rule is applied to the copy of the window in the record
  (`skill.core.journal_window`; built from the four weeks' rows by the first stop), never the
  whole year; the entry and the record are written in one transaction (the journal keeps a
  session once, so a replayed stop's entry is not added again and the four weeks stay as they
  are).

Each goes through :func:`skill.alexa.skill.handle_envelope` (envelope checks, ask-sdk
deserialization, the skill, serialization) into the real skill over a real SQLite file. The
baseline is a bare ask-sdk-core skill with one handler that says "Hello" to any request,
handling the same envelope through the same function. The two are interleaved
(``tests.benchmarks.interleave``): ``--rounds`` rounds, each a batch of the skill then a batch
of the baseline (or the other way round), so load from other work on the machine falls on both
alike. Figures: median and p99 microseconds per request over every batch; the ratio as the
median of the per-round ratios of batch medians, with its quartiles and range; and the CPU time
per request of this thread (``time.thread_time``), which moves less with load than wall time,
and its ratio the same way. Target: the median wall ratio within 2x the bare skill.
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
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from ask_sdk_core.skill import CustomSkill

from routines.loader import load_library
from skill.alexa.persistence import SQLitePersistenceAdapter
from skill.alexa.skill import build_skill, handle_envelope
from skill.core.journal_store import SQLiteJournal
from tests.benchmarks.bare_apps import hello_skill
from tests.benchmarks.interleave import Spread, interleave, ratios
from tests.support.envelopes import Conversation
from tests.support.journal import session_entry
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
    journaled = Conversation(send, user_id=YEAR_USER)
    journaled.say("launch")
    journaled.send(start)
    journaled.say("next")
    journaled.say("next")
    # Stopping ends the session: its entry is journaled, and the rule applied to the four weeks.
    cases["StopIntent ending a session, a year of sessions"] = journaled.envelope("stop")
    journaled.say("session-ended")
    journaled.start_session()
    cases["LaunchRequest, a year of sessions"] = journaled.envelope("launch")
    return cases


YEAR_USER = "amzn1.ask.account.BENCH-YEAR"


def fill_journal(path: Path, days: int = 365) -> None:
    """A session a day for `days` days up to now, for `YEAR_USER`, rated 6 then 4."""
    journal = SQLiteJournal(path)
    now = datetime.now(UTC)
    for day in range(days, 0, -1):
        start = now - timedelta(days=day)
        journal.append(YEAR_USER, session_entry(start, lasting=20, routine=ROUTINE, minutes=18.0))


WARM_UP = 100
"""Calls of each handler before the rounds start."""


@dataclass(frozen=True)
class Batch:
    """One batch of calls: microseconds per call, and CPU microseconds per call."""

    samples: list[float]
    cpu_us: float

    @property
    def median(self) -> float:
        return statistics.median(self.samples)


def timed(handle: Callable[[], object], calls: int) -> Batch:
    """Time ``calls`` calls one by one, and this thread's CPU time over all of them."""
    gc.collect()
    samples = []
    cpu_started = time.thread_time_ns()
    for _ in range(calls):
        started = time.perf_counter_ns()
        handle()
        samples.append((time.perf_counter_ns() - started) / 1000)
    return Batch(samples, (time.thread_time_ns() - cpu_started) / 1000 / calls)


def p99(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=100)[98]


def compare(
    ours: Callable[[], object], bare: Callable[[], object], calls: int, rounds: int
) -> tuple[list[Batch], list[Batch]]:
    """``rounds`` interleaved batches of each, ``calls`` calls in all (after a warm-up)."""
    for _ in range(WARM_UP):
        ours()
        bare()
    per_round = max(1, calls // rounds)
    batches = interleave(
        {"ours": lambda _: timed(ours, per_round), "bare": lambda _: timed(bare, per_round)},
        rounds,
    )
    return batches["ours"], batches["bare"]


def main(argv: list[str] | None = None) -> int:
    """Print the figures; exit 0 when every request is within the target ratio."""
    parser = argparse.ArgumentParser(description="In-process request handling vs a bare skill.")
    parser.add_argument("--calls", type=int, default=3000, help="Timed requests per case.")
    parser.add_argument("--rounds", type=int, default=30, help="Interleaved rounds per case.")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.db"
        adapter = SQLitePersistenceAdapter(path)
        # The journal beside the adapter's store, as the server and the Lambda entry point
        # build the skill (a stop's entry and record are then one transaction).
        skill = build_skill(load_library(), adapter)
        fill_journal(path)
        baseline = hello_skill()
        cases = envelopes(skill)
        print(
            f"in-process handling, {args.calls} requests per case in {args.rounds} interleaved "
            f"rounds (SQLite in {folder})"
        )
        print(f"{'request':32} {'median µs':>10} {'p99 µs':>9} {'CPU µs':>7}", end="   ")
        print(f"{'bare median':>11} {'bare p99':>9} {'bare CPU':>8}")
        met = True
        summaries: dict[str, tuple[Spread, Spread]] = {}
        for name, envelope in cases.items():
            ours, bare = compare(
                functools.partial(handle_envelope, skill, envelope),
                functools.partial(handle_envelope, baseline, envelope),
                args.calls,
                args.rounds,
            )
            wall = Spread.of(ratios([b.median for b in ours], [b.median for b in bare]))
            cpu = Spread.of(ratios([b.cpu_us for b in ours], [b.cpu_us for b in bare]))
            summaries[name] = wall, cpu
            met = met and wall.median <= TARGET_RATIO
            ours_all = [sample for b in ours for sample in b.samples]
            bare_all = [sample for b in bare for sample in b.samples]
            print(
                f"{name:32} {statistics.median(ours_all):10.0f} {p99(ours_all):9.0f} "
                f"{statistics.median(b.cpu_us for b in ours):7.0f}   "
                f"{statistics.median(bare_all):11.0f} {p99(bare_all):9.0f} "
                f"{statistics.median(b.cpu_us for b in bare):8.0f}"
            )
    for name, (wall, cpu) in summaries.items():
        print(f"ratio {name} / bare skill, wall (per-round medians): {wall.describe()}")
        print(f"ratio {name} / bare skill, CPU time per request: {cpu.describe()}")
    print(
        f"target (median wall ratio within {TARGET_RATIO:.0f}x the bare ask-sdk-core skill):",
        "met" if met else "NOT met",
    )
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
