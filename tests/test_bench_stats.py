"""The benchmarks' interleaving and statistics helper (``tests.benchmarks.interleave``).

The benchmarks themselves run on demand, not in the suite; this keeps their shared helper from
breaking silently.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable

import pytest

from tests.benchmarks.interleave import (
    Spread,
    Stopwatch,
    cpu_seconds,
    interleave,
    ratios,
    schedstat_cpu_seconds,
)


def test_interleave_alternates_batches_and_reverses_every_other_round() -> None:
    calls: list[tuple[str, int]] = []

    def batch(name: str) -> Callable[[int], str]:
        def run(index: int) -> str:
            calls.append((name, index))
            return f"{name}{index}"

        return run

    results = interleave({"ours": batch("ours"), "bare": batch("bare")}, rounds=3)

    assert calls == [("ours", 0), ("bare", 0), ("bare", 1), ("ours", 1), ("ours", 2), ("bare", 2)]
    assert results == {"ours": ["ours0", "ours1", "ours2"], "bare": ["bare0", "bare1", "bare2"]}


def test_ratios_are_per_round() -> None:
    assert ratios([2.0, 3.0, 8.0], [1.0, 2.0, 4.0]) == [2.0, 1.5, 2.0]
    with pytest.raises(ValueError, match="1 subject rounds against 2 baseline rounds"):
        ratios([1.0], [1.0, 2.0])


def test_spread_gives_median_quartiles_and_range() -> None:
    spread = Spread.of([5.0, 1.0, 3.0, 2.0, 4.0])

    assert spread == Spread(median=3.0, q1=2.0, q3=4.0, low=1.0, high=5.0, count=5)
    assert spread.describe() == "3.00 (quartiles 2.00-4.00, range 1.00-5.00, 5 rounds)"
    assert Spread.of([0.5]).describe(1) == "0.5 (quartiles 0.5-0.5, range 0.5-0.5, 1 rounds)"
    with pytest.raises(ValueError, match="no values"):
        Spread.of([])


def test_schedstat_line_gives_nanoseconds_on_a_cpu_in_seconds() -> None:
    assert schedstat_cpu_seconds("1500000000 127849639 350\n") == 1.5


def spin(seconds: float) -> None:
    """Use ``seconds`` of this thread's CPU time."""
    until = time.thread_time() + seconds
    while time.thread_time() < until:
        pass


def test_cpu_seconds_counts_every_live_thread_and_skips_vanished_processes() -> None:
    before = cpu_seconds([os.getpid()])
    spun, counted = threading.Event(), threading.Event()

    def other_thread() -> None:
        spin(0.2)
        spun.set()
        counted.wait()  # stay alive until counted

    thread = threading.Thread(target=other_thread)
    thread.start()
    spin(0.2)
    spun.wait()
    # pid_max is at most 2**22: no process has this id.
    after = cpu_seconds([os.getpid(), 2**22 + 1])
    counted.set()
    thread.join()

    # The count may lag by up to a scheduler tick for a running thread.
    assert after - before >= 0.39


def test_stopwatch_counts_this_process_and_its_finished_children() -> None:
    watch = Stopwatch()
    spin(0.1)
    child = (
        "import time\nuntil = time.process_time() + 0.2\nwhile time.process_time() < until: pass"
    )
    subprocess.run([sys.executable, "-c", child], check=True)

    wall_s, cpu_s = watch.read()

    assert cpu_s >= 0.29
    assert wall_s >= 0.29
