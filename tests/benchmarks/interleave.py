"""Interleaved measurement of a subject and its baselines, and the statistics of the rounds.

On a shared machine, a subject measured first and its baseline measured after it see different
loads, so their ratio moves with whatever else runs (the HTTP ratio went from 0.57 to 0.33).
Benchmarks here measure them together instead:

- :func:`interleave` runs one batch of each, round after round, in the same loop (the order
  reversed every other round, so no one always runs right after another);
- :func:`ratios` sets each round's subject against the same round's baseline, and
  :class:`Spread` gives the median of those per-round ratios with its quartiles and range;
- :func:`cpu_seconds` reads the CPU time other processes have used from ``/proc``, and
  :class:`Stopwatch` times work in this process (and the children it waits for) in wall and
  CPU seconds: time spent waiting for a CPU does not count as CPU time, so it depends less on
  the machine's load than wall time (not nothing: contention still costs cache misses and
  context switches).
"""

from __future__ import annotations

import resource
import statistics
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple, TypeVar

T = TypeVar("T")


def interleave(batches: Mapping[str, Callable[[int], T]], rounds: int) -> dict[str, list[T]]:
    """Call every batch once a round, ``rounds`` times; each one's results, in round order.

    Each batch is called with the round's index. Even rounds run the batches in the mapping's
    order, odd rounds in reverse.
    """
    results: dict[str, list[T]] = {name: [] for name in batches}
    names = list(batches)
    for index in range(rounds):
        for name in names if index % 2 == 0 else reversed(names):
            results[name].append(batches[name](index))
    return results


def ratios(subject: Sequence[float], baseline: Sequence[float]) -> list[float]:
    """Each round's subject over the same round's baseline."""
    if len(subject) != len(baseline):
        raise ValueError(f"{len(subject)} subject rounds against {len(baseline)} baseline rounds")
    return [ours / theirs for ours, theirs in zip(subject, baseline, strict=True)]


@dataclass(frozen=True)
class Spread:
    """The median of some per-round figures, their quartiles and their range."""

    median: float
    q1: float
    q3: float
    low: float
    high: float
    count: int

    @classmethod
    def of(cls, values: Sequence[float]) -> Spread:
        """The spread of ``values`` (at least one)."""
        if not values:
            raise ValueError("no values")
        if len(values) == 1:
            q1 = q3 = values[0]
        else:
            q1, _, q3 = statistics.quantiles(values, n=4, method="inclusive")
        return cls(statistics.median(values), q1, q3, min(values), max(values), len(values))

    def describe(self, digits: int = 2) -> str:
        """``median (quartiles q1-q3, range low-high, N rounds)``."""

        def f(value: float) -> str:
            return f"{value:.{digits}f}"

        return (
            f"{f(self.median)} (quartiles {f(self.q1)}-{f(self.q3)}, "
            f"range {f(self.low)}-{f(self.high)}, {self.count} rounds)"
        )


def schedstat_cpu_seconds(schedstat: str) -> float:
    """CPU seconds in one ``/proc/PID/schedstat`` line (its first field: nanoseconds on a CPU).

    The scheduler's own count, to the nanosecond: ``utime + stime`` in ``/proc/PID/stat`` come
    in clock ticks (10 ms), too coarse for a batch that uses a few hundred milliseconds of CPU
    spread over four processes. It is current for a process that is not running at the time
    (a server between batches).
    """
    return int(schedstat.split()[0]) / 1e9


def cpu_seconds(pids: Iterable[int]) -> float:
    """CPU seconds the live threads of processes ``pids`` have used so far (vanished processes
    and threads count 0: for this process's own time, with its finished threads, use
    :func:`time.process_time`)."""
    total = 0.0
    for pid in pids:
        try:
            for task in Path(f"/proc/{pid}/task").iterdir():
                total += schedstat_cpu_seconds((task / "schedstat").read_text())
        except (FileNotFoundError, ProcessLookupError):
            continue
    return total


def own_cpu_seconds() -> float:
    """CPU seconds this process (every thread) and the children it has waited for have used."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


class Cost(NamedTuple):
    """What some work took."""

    wall_s: float
    cpu_s: float


class Stopwatch:
    """Started when made; :meth:`read` gives the wall and CPU seconds since (CPU as
    :func:`own_cpu_seconds` counts it)."""

    def __init__(self) -> None:
        self._wall = time.perf_counter()
        self._cpu = own_cpu_seconds()

    def read(self) -> Cost:
        return Cost(time.perf_counter() - self._wall, own_cpu_seconds() - self._cpu)
