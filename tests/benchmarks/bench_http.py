"""Benchmark: the endpoint over HTTP on loopback under gunicorn, with full signature checks.

Run: .venv/bin/python -m tests.benchmarks.bench_http [--requests 5000] [--rounds 20]
[--clients 16] [--workers 3]

The endpoint is the production app (``skill.alexa.server.create_app`` configured from the
environment) served by gunicorn with sync workers on 127.0.0.1, verifying every request in
full against a test CA (``tests.support.loadgen.create_signed_app``): certificate chain (cached
after the first request, as in production), signature over the body, timestamp, application
id. Requests are mid-routine ``AMAZON.NextIntent`` envelopes of many users, carrying their
session attributes; each one saves the user's new state to one SQLite file.

The baselines, under the same gunicorn settings with the same requests, are a bare Flask
endpoint answering a canned response and, for context, a bare ask-sdk-core "hello" skill behind
Flask. All three servers run at once and the client alternates batches between them
(``tests.benchmarks.interleave``): ``--rounds`` rounds, each a batch of ``requests / rounds``
requests to every server in turn, so load from other work on the machine falls on all of them
alike. Each round's requests are stamped and signed just before it, outside the timing, so the
figures are the servers', not the client's RSA signing.

Figures per server: throughput (answered requests over the batches' wall time), p50 and p99
latency, errors, and CPU time per request: the user and system time of the gunicorn master and
its workers (``/proc/PID/schedstat``) read before and after each batch (and, for context, the
client's: this process's). Ratios against the canned endpoint: the median of the per-round
ratios of throughput and of CPU time per request, with their quartiles and range.
Targets: a median throughput ratio of at least 0.5, p99 under 50 ms, no errors.
"""

from __future__ import annotations

import argparse
import functools
import json
import sys
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from routines.loader import load_library
from skill.alexa.persistence import SQLitePersistenceAdapter
from skill.alexa.skill import build_skill, handle_envelope
from skill.devtools.envelopes import alexa_timestamp
from tests.benchmarks.bench_requests import start_foam_roller
from tests.benchmarks.interleave import Spread, cpu_seconds, interleave, ratios
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

SERVERS = {
    "endpoint (full verification)": "tests.support.loadgen:create_signed_app()",
    "bare Flask, canned answer": "tests.benchmarks.bare_apps:create_canned_app()",
    "bare ask-sdk skill (context)": "tests.benchmarks.bare_apps:create_bare_skill_app()",
}
"""The subject, the baseline and the context, by name: gunicorn app specs."""
SUBJECT, BASELINE, CONTEXT = SERVERS

WARM_UP = 64
"""Requests sent to each server before timing (workers import lazily; the first validates the
chain)."""

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
    """The envelopes stamped with the time now and signed (the endpoint allows 150 s)."""
    now = alexa_timestamp(datetime.now(UTC))
    requests: list[Request] = []
    for envelope in envelopes:
        body = json.dumps({**envelope, "request": {**envelope["request"], "timestamp": now}})
        data = body.encode()
        requests.append((data, {"Content-Type": "application/json", **signer.headers(data)}))
    return requests


@dataclass(frozen=True)
class Batch:
    """One batch sent to one server: the client's report, and the CPU seconds the server (its
    master and workers) and the client (this process) used over it."""

    report: BlastReport
    cpu_s: float
    client_cpu_s: float

    @property
    def cpu_per_request(self) -> float:
        return self.cpu_s / max(1, len(self.report.latencies))


def send_batch(server: GunicornServer, requests: Sequence[Request], clients: int) -> Batch:
    """Blast ``requests`` at ``server``, reading CPU times before and after."""
    server_before = cpu_seconds([server.pid, *server.worker_pids()])
    client_before = time.process_time()
    report = blast(server.port, requests, clients=clients)
    return Batch(
        report,
        cpu_seconds([server.pid, *server.worker_pids()]) - server_before,
        time.process_time() - client_before,
    )


def combined(batches: Sequence[Batch]) -> BlastReport:
    """Every batch of one server as one report (wall time: the batches' sum)."""
    return BlastReport(
        [latency for batch in batches for latency in batch.report.latencies],
        sum(batch.report.seconds for batch in batches),
        sum(batch.report.errors for batch in batches),
    )


def line(name: str, batches: Sequence[Batch]) -> str:
    report = combined(batches)
    answered = max(1, len(report.latencies))
    cpu_ms = sum(b.cpu_s for b in batches) / answered * 1000
    client_ms = sum(b.client_cpu_s for b in batches) / answered * 1000
    return (
        f"{name:30} {report.throughput:6.0f} req/s   p50 {report.percentile(0.5) * 1000:5.1f} ms"
        f"   p99 {report.percentile(0.99) * 1000:5.1f} ms   errors {report.errors}"
        f"   CPU {cpu_ms:.2f} ms/request (client {client_ms:.2f})"
    )


def main(argv: list[str] | None = None) -> int:
    """Print the figures; exit 0 when every target is met."""
    parser = argparse.ArgumentParser(description="The endpoint over HTTP vs a bare Flask app.")
    parser.add_argument("--requests", type=int, default=5000, help="Timed requests per server.")
    parser.add_argument("--rounds", type=int, default=20, help="Interleaved rounds.")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--users", type=int, default=500)
    args = parser.parse_args(argv)

    signer = AlexaSigner.create()
    per_round = max(1, args.requests // args.rounds)
    envelopes = next_envelopes(per_round * args.rounds, args.users)
    with tempfile.TemporaryDirectory() as folder:
        env = {
            "MASSAGE_COACH_DB": str(Path(folder) / "bench.db"),
            "MASSAGE_COACH_SKILL_IDS": TEST_SKILL_ID,
            TEST_CA_ENV_VAR: str(write_test_ca(signer, Path(folder) / "test-ca.json")),
        }
        servers = {
            name: GunicornServer(app, env=env, workers=args.workers)
            for name, app in SERVERS.items()
        }
        try:
            for server in servers.values():
                server.start()
            warm = signed(signer, next_envelopes(WARM_UP, WARM_UP))
            for server in servers.values():
                assert get(server.port, "/healthz")[0] == 200
                blast(server.port, warm, clients=args.clients)

            @functools.cache
            def round_requests(index: int) -> list[Request]:
                """The round's requests, signed when its first batch is about to go."""
                return signed(signer, envelopes[index * per_round : (index + 1) * per_round])

            def batches_to(server: GunicornServer) -> Callable[[int], Batch]:
                return lambda index: send_batch(server, round_requests(index), args.clients)

            results = interleave(
                {name: batches_to(server) for name, server in servers.items()}, args.rounds
            )
        finally:
            for server in servers.values():
                server.stop()
    print(
        f"HTTP on loopback: {len(SERVERS)} gunicorn servers at once, {args.workers} sync workers "
        f"each, {args.clients} clients, {per_round * args.rounds} signed NextIntent requests of "
        f"{args.users} users per server in {args.rounds} interleaved rounds"
    )
    for name, batches in results.items():
        print(line(name, batches))
    throughput = {name: [b.report.throughput for b in batches] for name, batches in results.items()}
    cpu = {name: [b.cpu_per_request for b in batches] for name, batches in results.items()}
    ratio = Spread.of(ratios(throughput[SUBJECT], throughput[BASELINE]))
    print(f"ratio endpoint / bare Flask throughput: {ratio.describe()}")
    print(
        "ratio endpoint / bare Flask CPU time per request: "
        f"{Spread.of(ratios(cpu[SUBJECT], cpu[BASELINE])).describe()}"
    )
    print(
        "ratio bare ask-sdk skill / bare Flask throughput: "
        f"{Spread.of(ratios(throughput[CONTEXT], throughput[BASELINE])).describe()}"
    )
    print(
        "ratio bare ask-sdk skill / bare Flask CPU time per request: "
        f"{Spread.of(ratios(cpu[CONTEXT], cpu[BASELINE])).describe()}"
    )
    if "Traceback" in servers[SUBJECT].log_text:
        print("the endpoint's log holds a traceback")
    ours = combined(results[SUBJECT])
    met = ratio.median >= 0.5 and ours.percentile(0.99) < 0.050 and ours.errors == 0
    print(
        "targets (median throughput ratio >= 0.5, p99 < 50 ms, no errors):",
        "met" if met else "NOT met",
    )
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
