"""Clocks that pace the coach: real, sped-up, and fake for tests.

Everything that waits plans on absolute deadlines (`sleep_until`), never on relative sleeps, so
small delays never add up into drift over a long routine. A wait can be cut short by a
`threading.Event`, which is how a spoken or typed command interrupts a hold.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Protocol


class Clock(Protocol):
    """A monotonic time source that can wait for a deadline."""

    def now(self) -> float:
        """Current time in seconds (only differences between readings are meaningful)."""
        ...

    def sleep_until(self, deadline: float, interrupt: threading.Event | None = None) -> bool:
        """Wait until `now() >= deadline`; return True then, or False once `interrupt` is set.

        A deadline in the past returns True at once; an `interrupt` already set returns False
        at once. The event is never cleared here: whoever set it decides what happens next.
        """
        ...


class MonotonicClock:
    """Real time from `time.monotonic`, hitting deadlines to within about a millisecond.

    A wait sleeps (or waits on the interrupt event) until `spin_s` before the deadline, then
    spins for the rest, because OS sleeps may overshoot by a millisecond or more.
    """

    def __init__(self, spin_s: float = 0.0015) -> None:
        if spin_s < 0:
            raise ValueError(f"spin_s must not be negative, not {spin_s}")
        self.spin_s = spin_s
        """How long before a deadline the clock stops sleeping and spins."""

    def now(self) -> float:
        """Seconds from `time.monotonic`."""
        return time.monotonic()

    def sleep_until(self, deadline: float, interrupt: threading.Event | None = None) -> bool:
        """Wait for `deadline` (see `Clock.sleep_until`)."""
        while True:
            if interrupt is not None and interrupt.is_set():
                return False
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return True
            if remaining > self.spin_s:
                coarse = remaining - self.spin_s
                if interrupt is None:
                    time.sleep(coarse)
                elif interrupt.wait(coarse):
                    return False
            else:
                time.sleep(0)  # spin, but let other threads run


class ScaledClock:
    """A clock that runs `scale` times as fast as `base` (for `--time-scale` demos).

    It starts at the base clock's current reading; a virtual second lasts `1 / scale` real
    seconds.
    """

    def __init__(self, scale: float, base: Clock | None = None) -> None:
        if scale <= 0:
            raise ValueError(f"time scale must be positive, not {scale}")
        self.scale = scale
        """Virtual seconds per real second."""
        self.base: Clock = base if base is not None else MonotonicClock()
        """The clock that really waits."""
        self._origin = self.base.now()

    def now(self) -> float:
        """Virtual seconds."""
        return self._origin + (self.base.now() - self._origin) * self.scale

    def sleep_until(self, deadline: float, interrupt: threading.Event | None = None) -> bool:
        """Wait for a virtual `deadline` (see `Clock.sleep_until`)."""
        real_deadline = self._origin + (deadline - self._origin) / self.scale
        return self.base.sleep_until(real_deadline, interrupt)


class FakeClock:
    """A clock for tests: time moves only through `sleep_until` and `advance`, instantly.

    `call_at` schedules a callback for a moment in fake time; it runs when a wait or an
    `advance` passes that moment, with `now()` equal to it. A callback that sets the event a
    `sleep_until` is waiting on interrupts that wait there and then, which lets a test say
    "the user says pause 12 s into the hold" without threads or real time. Not thread-safe.
    """

    def __init__(self, start: float = 0.0) -> None:
        self._now = start
        self._scheduled: list[tuple[float, int, Callable[[], None]]] = []
        self._sequence = 0
        self.deadlines: list[float] = []
        """Every deadline passed to `sleep_until`, in order."""

    def now(self) -> float:
        """Current fake time."""
        return self._now

    def advance(self, seconds: float) -> None:
        """Move time forward by `seconds`, running callbacks that fall due."""
        if seconds < 0:
            raise ValueError(f"cannot move a clock back by {-seconds} s")
        self._run_until(self._now + seconds, None)

    def call_at(self, when: float, callback: Callable[[], None]) -> None:
        """Run `callback` once fake time reaches `when` (at once on the next wait if past)."""
        self._scheduled.append((when, self._sequence, callback))
        self._sequence += 1
        self._scheduled.sort(key=lambda item: (item[0], item[1]))

    def sleep_until(self, deadline: float, interrupt: threading.Event | None = None) -> bool:
        """Jump to `deadline` unless a due callback sets `interrupt` first (then False)."""
        self.deadlines.append(deadline)
        if interrupt is not None and interrupt.is_set():
            return False
        return self._run_until(max(deadline, self._now), interrupt)

    def _run_until(self, target: float, interrupt: threading.Event | None) -> bool:
        while self._scheduled and self._scheduled[0][0] <= target:
            when, _, callback = self._scheduled.pop(0)
            self._now = max(self._now, when)
            callback()
            if interrupt is not None and interrupt.is_set():
                return False
        self._now = target
        return True
