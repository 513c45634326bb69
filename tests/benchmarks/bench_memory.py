"""Benchmark: peak memory of a server worker and of the local coach with recognition loaded.

Run: .venv/bin/python -m tests.benchmarks.bench_memory [--users 50]

- Server worker: gunicorn (one sync worker) serving the production endpoint with full
  verification (``tests.support.loadgen.create_signed_app``) takes ``--users`` simulated users
  through
  the whole foam-roller routine; then the worker's peak resident set (``VmHWM`` in
  ``/proc/PID/status``) is read. Baseline, same run and settings: a bare Flask worker answering
  the same number of requests with a canned response.
- Local coach: ``massage-coach run foam-roller --no-voice --time-scale 1000`` with no standard
  input (hands-free, the whole routine), once with listening on (the offline recognizer is
  loaded even though this machine has no microphone) and once with ``--no-listen``; peak RSS
  (``VmHWM``) as the process reads it itself when it exits. Baseline: a bare interpreter of
  the same virtual environment.

Unlike the timing benchmarks, these are not interleaved (``tests.benchmarks.interleave``): a
process's peak resident set does not depend on what else the machine runs at the time.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.support.certs import TEST_SKILL_ID, AlexaSigner
from tests.support.loadgen import (
    ROOT,
    TEST_CA_ENV_VAR,
    GunicornServer,
    LoadRun,
    UserPlan,
    blast,
    fresh_journey,
    write_test_ca,
)

CANNED_APP = "tests.benchmarks.bare_apps:create_canned_app()"
COACH = ["run", "foam-roller", "--no-voice", "--time-scale", "1000"]


def peak_rss_kib(pid: int) -> int:
    """A live process's peak resident set (VmHWM), in KiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmHWM for process {pid}")


def worker_peak(app: str, env: dict[str, str], drive: str, signer: AlexaSigner, users: int) -> int:
    """Serve ``app`` with one worker, drive it, return the worker's peak RSS in KiB."""
    server = GunicornServer(app, env=env, workers=1).start()
    try:
        journeys = [(plan, fresh_journey(plan)) for plan in map(UserPlan.make, range(users))]
        if drive == "users":
            report = LoadRun(server.port, signer, clients=8).run(journeys)
            if report.problems or report.refused:
                raise RuntimeError(f"the load failed: {report.problems[:3]}")
        else:
            total = sum(len(turns) for _, turns in journeys)
            body = b'{"request": {"type": "LaunchRequest"}}'
            headers = {"Content-Type": "application/json"}
            blast(server.port, [(body, headers)] * total, clients=8)
        (worker,) = server.worker_pids()
        return peak_rss_kib(worker)
    finally:
        server.stop()


REPORTING = """
import atexit, os, sys

def report():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            with open(os.environ["PEAK_FILE"], "w") as out:
                out.write(line.split()[1])

atexit.register(report)
if len(sys.argv) > 1:
    from skill.cli.main import app
    sys.argv = ["massage-coach", *sys.argv[1:]]
    app()
"""
"""Runs ``massage-coach ARGS`` (or nothing) and writes its own peak RSS when it exits.

Measured inside the process: ``wait4``'s ``ru_maxrss`` would include the RSS of this large
benchmark process, which a child inherits through ``fork`` and keeps across ``exec``."""


def child_peak(arguments: list[str], env: dict[str, str]) -> tuple[int, int, str]:
    """Run ``massage-coach`` with ``arguments`` (none: a bare interpreter) to its end:
    (exit status, peak RSS in KiB, last line of stderr)."""
    with tempfile.TemporaryDirectory() as folder:
        peak = Path(folder) / "peak"
        done = subprocess.run(
            [sys.executable, "-c", REPORTING, *arguments],
            cwd=ROOT,
            env={**env, "PEAK_FILE": str(peak)},
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            timeout=600,
            check=False,
        )
        kib = int(peak.read_text()) if peak.exists() else 0
    lines = done.stderr.strip().splitlines()
    return done.returncode, kib, lines[-1] if lines else ""


def mib(kib: int) -> str:
    return f"{kib / 1024:6.1f} MiB"


def main(argv: list[str] | None = None) -> int:
    """Print the figures (informational: there is no pass/fail target)."""
    parser = argparse.ArgumentParser(description="Peak memory of a worker and of the coach.")
    parser.add_argument("--users", type=int, default=50)
    args = parser.parse_args(argv)

    signer = AlexaSigner.create()
    with tempfile.TemporaryDirectory() as folder:
        env = {
            **os.environ,
            "MASSAGE_COACH_DB": str(Path(folder) / "memory.db"),
            "MASSAGE_COACH_SKILL_IDS": TEST_SKILL_ID,
            TEST_CA_ENV_VAR: str(write_test_ca(signer, Path(folder) / "test-ca.json")),
        }
        ours = worker_peak(
            "tests.support.loadgen:create_signed_app()", env, "users", signer, args.users
        )
        bare = worker_peak(
            "tests.benchmarks.bare_apps:create_canned_app()", env, "blast", signer, args.users
        )
        coach_env = {**env, "MASSAGE_COACH_DB": str(Path(folder) / "coach.db")}
        listening = child_peak(COACH, coach_env)
        text_only = child_peak([*COACH, "--no-listen"], coach_env)
        python = child_peak([], coach_env)

    print(f"server worker after {args.users} users' whole routines: {mib(ours)} peak RSS")
    print(f"bare Flask worker after as many requests:        {mib(bare)} peak RSS")
    print(f"ratio worker / bare Flask worker: {ours / bare:.2f}")
    if importlib.util.find_spec("speech.recognizer") is None:
        print("note: speech.recognizer is missing, so no recognizer was loaded below")
    if listening[0] == 0:
        print(f"local coach, recognition loaded, whole routine:  {mib(listening[1])} peak RSS")
    else:
        print(f"local coach with recognition: did not run ({listening[2]})")
    print(f"local coach, --no-listen, whole routine:         {mib(text_only[1])} peak RSS")
    print(f"bare Python interpreter:                         {mib(python[1])} peak RSS")
    if listening[0] == 0:
        print(f"ratio coach with recognition / without: {listening[1] / text_only[1]:.2f}")
    print(f"ratio coach --no-listen / bare interpreter: {text_only[1] / python[1]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
