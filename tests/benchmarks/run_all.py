"""Run every benchmark in ``tests/benchmarks`` and print a summary.

Run: .venv/bin/python -m tests.benchmarks.run_all [--only NAME ...] [--timeout 900]

Each ``bench_*.py`` module (ours and those other parts of the project add: rendering, the
real-time player, recognition...) runs in its own process as ``python -m
tests.benchmarks.<name>``, one after the other so that they do not disturb each other's
timings. Its whole output is printed as it was, then a summary lists for each benchmark its
exit status (0: its targets met or it has none; 1: a target not met; anything else: it failed),
how long it took, and its lines that give ratios and targets.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent


@dataclass
class Outcome:
    """What one benchmark printed and how it ended."""

    name: str
    status: int | None
    """Exit status; None when it ran out of time."""
    seconds: float
    output: str

    @property
    def verdict(self) -> str:
        if self.status is None:
            return "TIMED OUT"
        return {0: "ok", 1: "target NOT met"}.get(self.status, f"FAILED ({self.status})")

    def key_lines(self) -> list[str]:
        """The lines worth repeating in the summary: ratios and targets."""
        lines = (line.strip() for line in self.output.splitlines())
        return [line for line in lines if line.lower().startswith(("ratio", "target"))]


def benchmarks() -> list[str]:
    """The module names of every benchmark, sorted."""
    return sorted(path.stem for path in HERE.glob("bench_*.py"))


def run(name: str, timeout: float) -> Outcome:
    started = time.perf_counter()
    try:
        done = subprocess.run(
            [sys.executable, "-m", f"tests.benchmarks.{name}"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=timeout,
            stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired as expired:
        partial = expired.stdout or b""
        text = partial.decode(errors="replace") if isinstance(partial, bytes) else partial
        return Outcome(name, None, time.perf_counter() - started, text)
    output = done.stdout + (f"\n[stderr]\n{done.stderr}" if done.returncode not in (0, 1) else "")
    return Outcome(name, done.returncode, time.perf_counter() - started, output)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks; exit 0 when none failed (a target not met is not a failure)."""
    parser = argparse.ArgumentParser(description="Run every benchmark and summarise.")
    parser.add_argument("--only", nargs="*", help="Benchmark names (e.g. bench_http).")
    parser.add_argument("--timeout", type=float, default=900.0, help="Seconds per benchmark.")
    args = parser.parse_args(argv)

    names = args.only or benchmarks()
    outcomes = []
    for name in names:
        print(f"=== {name}", flush=True)
        outcome = run(name, args.timeout)
        print(outcome.output.rstrip(), flush=True)
        outcomes.append(outcome)

    print("\n=== summary")
    for outcome in outcomes:
        print(f"{outcome.name:18} {outcome.verdict:16} {outcome.seconds:6.1f} s")
        for line in outcome.key_lines():
            print(f"    {line}")
    failed = [o.name for o in outcomes if o.status not in (0, 1)]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
