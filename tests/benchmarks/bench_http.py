"""Benchmark: the endpoint over HTTP on loopback under gunicorn, with full signature checks.

Run: .venv/bin/python -m tests.benchmarks.bench_http [--requests 5000] [--clients 16] [--workers 3]

The endpoint is the production app (``skill.alexa.server.create_app`` configured from the
environment) served by gunicorn with sync workers on 127.0.0.1, verifying every request in
full against a test CA (``tests.support.loadgen.create_signed_app``): certificate chain (cached
after
the first request, as in production), signature over the body, timestamp, application id.
Requests are mid-routine ``AMAZON.NextIntent`` envelopes of many users, carrying their session
attributes; each one saves the user's new state to one SQLite file.

Every request is signed before the clock starts, so the figures are the server's, not the
client's RSA signing. The baseline, measured in the same run under the same gunicorn settings
with the same requests, is a bare Flask endpoint answering a canned response. Figures:
throughput, p50 and p99 latency, errors. Targets: at least half the baseline's throughput,
p99 under 50 ms, no errors.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from routines.loader import load_library
from skill.alexa.persistence import SQLitePersistenceAdapter
from skill.alexa.skill import build_skill, handle_envelope
from tests.benchmarks.bench_requests import start_foam_roller
from tests.support.certs import TEST_SKILL_ID, AlexaSigner
from tests.support.envelopes import Conversation
from tests.support.loadgen import (
    TEST_CA_ENV_VAR,
    BlastReport,
    GunicornServer,
    blast,
    get,
    write_test_ca,
)

CANNED_APP = "tests.benchmarks.bare_apps:create_canned_app()"
BARE_SKILL_APP = "tests.benchmarks.bare_apps:create_bare_skill_app()"

WARM_UP = 64
"""Requests sent before timing (workers import lazily; the first validates the chain)."""

Request = tuple[bytes, Mapping[str, str]]


def next_envelopes(count: int, users: int) -> list[dict[str, Any]]:
    """``count`` NextIntent envelopes of ``users`` users, each at some point of the routine."""
    with tempfile.TemporaryDirectory() as folder:
        skill = build_skill(load_library(), SQLitePersistenceAdapter(Path(folder) / "make.db"))

        def send(envelope: dict[str, Any]) -> dict[str, Any]:
            return handle_envelope(skill, envelope)

        talk = Conversation(send)
        talk.say("launch")
        start = talk.envelope("start-routine")
        start_foam_roller(start)
        talk.send(start)
        positions = [talk.envelope("next")]
        for _ in range(5):
            talk.say("next")
            positions.append(talk.envelope("next"))
    made = []
    for index in range(count):
        envelope = json.loads(json.dumps(positions[index % len(positions)]))
        user_id = f"amzn1.ask.account.HTTP{index % users:06d}"
        envelope["session"]["user"]["userId"] = user_id
        envelope["context"]["System"]["user"]["userId"] = user_id
        envelope["request"]["requestId"] = f"amzn1.echo-api.request.http-{index}"
        made.append(envelope)
    return made


def signed(signer: AlexaSigner, envelopes: Sequence[dict[str, Any]]) -> list[Request]:
    requests: list[Request] = []
    for envelope in envelopes:
        body = json.dumps(envelope).encode()
        requests.append((body, {"Content-Type": "application/json", **signer.headers(body)}))
    return requests


def measure(
    app: str, env: Mapping[str, str], requests: list[Request], clients: int, workers: int
) -> tuple[BlastReport, str]:
    """Serve ``app`` with gunicorn, warm it up, blast ``requests``; the report and the log."""
    server = GunicornServer(app, env=env, workers=workers).start()
    try:
        assert get(server.port, "/healthz")[0] == 200
        blast(server.port, requests[:WARM_UP], clients=clients)
        report = blast(server.port, requests, clients=clients)
    finally:
        server.stop()
    return report, server.log_text


def line(name: str, report: BlastReport) -> str:
    return (
        f"{name:34} {report.throughput:8.0f} req/s   p50 {report.percentile(0.5) * 1000:6.1f} ms"
        f"   p99 {report.percentile(0.99) * 1000:6.1f} ms   errors {report.errors}"
    )


def main(argv: list[str] | None = None) -> int:
    """Print the figures; exit 0 when every target is met."""
    parser = argparse.ArgumentParser(description="The endpoint over HTTP vs a bare Flask app.")
    parser.add_argument("--requests", type=int, default=5000)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--users", type=int, default=500)
    args = parser.parse_args(argv)

    signer = AlexaSigner.create()
    with tempfile.TemporaryDirectory() as folder:
        ca_file = write_test_ca(signer, Path(folder) / "test-ca.json")
        env = {
            "MASSAGE_COACH_DB": str(Path(folder) / "bench.db"),
            "MASSAGE_COACH_SKILL_IDS": TEST_SKILL_ID,
            TEST_CA_ENV_VAR: str(ca_file),
        }
        warm = signed(signer, next_envelopes(WARM_UP, WARM_UP))
        requests = signed(signer, next_envelopes(args.requests, args.users))
        ours, log = measure(
            "tests.support.loadgen:create_signed_app()",
            env,
            warm + requests,
            args.clients,
            args.workers,
        )
        bare, _ = measure(
            "tests.benchmarks.bare_apps:create_canned_app()",
            env,
            warm + requests,
            args.clients,
            args.workers,
        )
        sdk, _ = measure(
            BARE_SKILL_APP,
            env,
            warm + requests,
            args.clients,
            args.workers,
        )
    print(
        f"HTTP on loopback: gunicorn, {args.workers} sync workers, {args.clients} clients, "
        f"{args.requests} signed NextIntent requests of {args.users} users"
    )
    print(line("endpoint (full verification)", ours))
    print(line("bare Flask, canned answer", bare))
    print(line("bare ask-sdk skill (context)", sdk))
    ratio = ours.throughput / bare.throughput
    print(f"ratio endpoint / bare Flask throughput: {ratio:.2f}")
    print(
        f"ratio bare ask-sdk skill / bare Flask throughput: {sdk.throughput / bare.throughput:.2f}"
    )
    if "Traceback" in log:
        print("the endpoint's log holds a traceback")
    met = ratio >= 0.5 and ours.percentile(0.99) < 0.050 and ours.errors == 0
    print("targets (>= 0.5x throughput, p99 < 50 ms, no errors):", "met" if met else "NOT met")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
