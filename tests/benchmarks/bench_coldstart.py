"""Benchmark: cold start of the Lambda entry point, against importing ask-sdk-core alone.

Run: .venv/bin/python -m tests.benchmarks.bench_coldstart [--runs 7]

Each measurement is a fresh Python process, as a new Lambda container is. It times, inside the
process with ``time.perf_counter``:

- ``import skill.alexa.lambda_function``, then the first request (a recorded ``LaunchRequest`` of a
  new user: the routine library is loaded, the skill built, the store opened and written), then
  a second request (warm, for comparison);
- baseline: ``import ask_sdk_core`` alone (what the brief compares against), and, for context,
  a bare "hello" skill: importing the SDK's skill builder, building the skill and answering the
  same first request.

The whole process's wall time is shown too (interpreter start-up included). Persistence is a
SQLite file in a temporary folder (``MASSAGE_COACH_DB``) rather than DynamoDB, so that no network
is involved; the DynamoDB adapter's import would add boto3's. Figures are medians over the runs.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.support.envelopes import recorded
from tests.support.loadgen import ROOT

OURS = """
import json, sys, time
event = json.loads(sys.stdin.read())
t0 = time.perf_counter()
import skill.alexa.lambda_function as entry
t1 = time.perf_counter()
entry.handler(event, None)
t2 = time.perf_counter()
event["request"]["requestId"] += "-again"
entry.handler(event, None)
t3 = time.perf_counter()
print(json.dumps({"import": t1 - t0, "first": t2 - t1, "second": t3 - t2}))
"""

SDK_IMPORT = """
import json, sys, time
sys.stdin.read()
t0 = time.perf_counter()
import ask_sdk_core
t1 = time.perf_counter()
print(json.dumps({"import": t1 - t0, "first": 0.0, "second": 0.0}))
"""

SDK_HELLO = """
import json, sys, time
event = json.loads(sys.stdin.read())
t0 = time.perf_counter()
from ask_sdk_core.skill_builder import SkillBuilder
from ask_sdk_core.dispatch_components.request_components import AbstractRequestHandler
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model.request_envelope import RequestEnvelope
t1 = time.perf_counter()
def handle(event):
    class Hello(AbstractRequestHandler):
        def can_handle(self, handler_input):
            return True
        def handle(self, handler_input):
            return handler_input.response_builder.speak("Hello").response
    builder = SkillBuilder()
    builder.add_request_handler(Hello())
    skill = builder.create()
    serializer = DefaultSerializer()
    envelope = serializer.deserialize(json.dumps(event), RequestEnvelope)
    return serializer.serialize(skill.invoke(envelope, None))
handle(event)
t2 = time.perf_counter()
handle(event)
t3 = time.perf_counter()
print(json.dumps({"import": t1 - t0, "first": t2 - t1, "second": t3 - t2}))
"""


def run(script: str, event: str, env: dict[str, str]) -> dict[str, float]:
    """One fresh process: its own timings, plus ``wall`` (the whole process)."""
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", script],
        input=event,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
        check=True,
    )
    wall = time.perf_counter() - started
    figures: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    figures["wall"] = wall
    return figures


def medians(samples: list[dict[str, float]]) -> dict[str, float]:
    return {key: statistics.median(sample[key] for sample in samples) for key in samples[0]}


def main(argv: list[str] | None = None) -> int:
    """Print the figures (informational: there is no pass/fail target)."""
    parser = argparse.ArgumentParser(description="Cold start of the Lambda entry point.")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(argv)

    results: dict[str, list[dict[str, float]]] = {"ours": [], "sdk": [], "hello": []}
    with tempfile.TemporaryDirectory() as folder:
        for index in range(args.runs):
            env = {
                **os.environ,
                "PYTHONPATH": str(ROOT),
                "PYTHONDONTWRITEBYTECODE": "",
                "MASSAGE_COACH_DB": str(Path(folder) / f"cold{index}.db"),
            }
            event = recorded("launch")
            event["request"]["requestId"] = f"amzn1.echo-api.request.cold-{index}"
            text = json.dumps(event)
            results["ours"].append(run(OURS, text, env))
            results["sdk"].append(run(SDK_IMPORT, text, env))
            results["hello"].append(run(SDK_HELLO, text, env))
    ours, sdk, hello = (medians(results[key]) for key in ("ours", "sdk", "hello"))

    def ms(seconds: float) -> str:
        return f"{seconds * 1000:7.1f} ms"

    print(f"cold start, fresh process each time, median of {args.runs} runs")
    print(f"import skill.alexa.lambda_function      {ms(ours['import'])}")
    print(f"  first request (build, store)    {ms(ours['first'])}")
    print(f"  import + first request          {ms(ours['import'] + ours['first'])}")
    print(f"  second request (warm)           {ms(ours['second'])}")
    print(f"  whole process                   {ms(ours['wall'])}")
    print(
        f"import ask_sdk_core alone         {ms(sdk['import'])}   whole process {ms(sdk['wall'])}"
    )
    hello_cold = hello["import"] + hello["first"]
    print(f"bare hello skill: import + first  {ms(hello_cold)}", end="")
    print(f"   whole process {ms(hello['wall'])}")
    cold = ours["import"] + ours["first"]
    # `import ask_sdk_core` alone loads an empty package (well under a millisecond), so the
    # comparison that means something is the whole process, interpreter start-up included.
    print(f"ratio import + first request / bare hello skill cold: {cold / hello_cold:.1f}")
    print(f"ratio whole process / ask_sdk_core process: {ours['wall'] / sdk['wall']:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
