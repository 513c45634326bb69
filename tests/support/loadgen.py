"""A bounded load generator for the Alexa endpoint: simulated users over loopback HTTP.

Shared by the load and crash tests and the HTTP benchmark. It has four parts:

- :func:`create_signed_app`, a gunicorn app factory for tests: the real
  :func:`skill.alexa.server.create_app` configured from the environment as in production, except
  that its :class:`~skill.alexa.verify.RequestVerifier` trusts the test CA written by
  :func:`write_test_ca` (named by ``$MASSAGE_COACH_TEST_CA``) and fetches the signing chain from
  that file instead of S3. Verification stays fully on: chain, SAN, signature, timestamp, app id.
  The benchmarks' baselines live in ``tests.benchmarks.bare_apps``.
- :class:`GunicornServer`: a gunicorn master and its workers in their own process group,
  bound to 127.0.0.1 only; started by reading gunicorn's log (no polling, no sleeping),
  stopped gracefully or killed with ``SIGKILL`` (master and workers at once).
- :class:`LoadRun`: simulated users, each a :class:`~tests.support.envelopes.Conversation` that
signs
  every request as Alexa does and carries session attributes from answer to request. Each user
  follows a script of :class:`Turn` s and checks that every answer shows *its own* expected
  state, so one user seeing another's state is caught at once. A run is bounded by its script
  (a fixed number of requests) and by per-request timeouts; it can kill the server after a
  given number of answered requests, for the crash test.
- :func:`blast`: fire pre-signed requests from N concurrent clients and time each one.

Only loopback addresses are ever contacted.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Final

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from flask import Flask

from routines.loader import builtin_library
from routines.plan import expand
from skill.alexa.server import ServerConfig, create_app
from skill.alexa.verify import RequestVerifier
from tests.support.certs import AlexaSigner
from tests.support.envelopes import Conversation

__all__ = [
    "HOST",
    "ROUTINE",
    "TEST_CA_ENV_VAR",
    "BlastReport",
    "Expect",
    "GunicornServer",
    "LoadReport",
    "LoadRun",
    "RequestFailed",
    "ServerStartError",
    "SimulatedUser",
    "Turn",
    "UserPlan",
    "UserResult",
    "blast",
    "create_signed_app",
    "fresh_journey",
    "post",
    "resume_journey",
    "write_test_ca",
]

HOST: Final = "127.0.0.1"
"""The only address the load generator talks to."""

TEST_CA_ENV_VAR: Final = "MASSAGE_COACH_TEST_CA"
"""Names the JSON file (see :func:`write_test_ca`) that :func:`create_signed_app` trusts."""

ROOT: Final = Path(__file__).resolve().parents[2]
"""The repository, where gunicorn runs so that ``skill`` and ``tests`` import."""

ROUTINE: Final = "foam-roller"
"""The shortest built-in routine: what every simulated user goes through."""

REQUEST_TIMEOUT: Final = 30.0
"""Seconds a client waits for one answer before giving the request up."""


# -- the apps gunicorn serves ------------------------------------------------------------------


def write_test_ca(signer: AlexaSigner, path: Path) -> Path:
    """Write the signer's trusted root and its served chains to ``path`` (JSON); return it."""
    pem = signer.ca.root.public_bytes(serialization.Encoding.PEM).decode()
    chains = {url: chain.decode() for url, chain in signer.chains.items()}
    path.write_text(json.dumps({"roots": [pem], "chains": chains}), encoding="utf-8")
    return path


def _test_verifier(config: ServerConfig, ca_file: Path) -> RequestVerifier:
    data = json.loads(ca_file.read_text(encoding="utf-8"))
    roots = [x509.load_pem_x509_certificate(pem.encode()) for pem in data["roots"]]
    chains: dict[str, bytes] = {url: pem.encode() for url, pem in data["chains"].items()}

    def fetch(url: str) -> bytes:
        try:
            return chains[url]
        except KeyError:
            raise OSError(f"HTTP Error 404: Not Found ({url})") from None

    return RequestVerifier(config.skill_ids, roots=roots, fetch=fetch)


def create_signed_app() -> Flask:
    """The production endpoint from ``MASSAGE_COACH_*``, trusting only the test CA.

    For ``gunicorn 'tests.support.loadgen:create_signed_app()'``; ``$MASSAGE_COACH_TEST_CA``
    must name a file made by :func:`write_test_ca`.
    """
    config = ServerConfig.from_env()
    ca_file = Path(os.environ[TEST_CA_ENV_VAR])
    return create_app(replace(config, verifier=_test_verifier(config, ca_file)))


# -- gunicorn -----------------------------------------------------------------------------------


class ServerStartError(RuntimeError):
    """gunicorn did not start listening; the message holds its log."""


_LISTENING = re.compile(r"Listening at: http://127\.0\.0\.1:(\d+)")


class GunicornServer:
    """gunicorn serving ``app`` on 127.0.0.1 with ``workers`` sync workers, in its own group.

    Args:
        app: the gunicorn app spec, e.g. ``"tests.support.loadgen:create_signed_app()"``.
        env: environment variables added to this process's for the server.
        workers: the number of worker processes.
        port: the port to bind; 0 picks a free one (see :attr:`port` once started).
        startup_timeout: seconds to wait for gunicorn to listen.
    """

    def __init__(
        self,
        app: str,
        *,
        env: Mapping[str, str],
        workers: int = 3,
        port: int = 0,
        startup_timeout: float = 60.0,
    ) -> None:
        self.app = app
        self.env = dict(env)
        self.workers = workers
        self.port = port
        self.startup_timeout = startup_timeout
        self.log: list[str] = []
        """Every line gunicorn wrote to stderr so far."""
        self._process: subprocess.Popen[str] | None = None
        self._reader: threading.Thread | None = None

    def start(self) -> GunicornServer:
        """Start gunicorn and return once it listens (its workers may still be booting)."""
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "--bind",
            f"{HOST}:{self.port}",
            "--workers",
            str(self.workers),
            "--worker-class",
            "sync",
            "--log-level",
            "info",
            self.app,
        ]
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env={**os.environ, **self.env},
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        self._process = process
        lines: queue.Queue[str | None] = queue.Queue()
        self._reader = threading.Thread(target=self._read, args=(process, lines), daemon=True)
        self._reader.start()
        deadline = time.monotonic() + self.startup_timeout
        while True:
            try:
                line = lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                self.kill()
                raise ServerStartError(
                    f"gunicorn did not listen in time:\n{self.log_text}"
                ) from None
            if line is None:
                self.kill()
                raise ServerStartError(f"gunicorn exited before listening:\n{self.log_text}")
            match = _LISTENING.search(line)
            if match:
                self.port = int(match.group(1))
                return self

    def _read(self, process: subprocess.Popen[str], lines: queue.Queue[str | None]) -> None:
        assert process.stderr is not None
        for line in process.stderr:
            self.log.append(line.rstrip("\n"))
            lines.put(line)
        lines.put(None)

    @property
    def log_text(self) -> str:
        """The server's log so far, one string."""
        return "\n".join(self.log)

    @property
    def pid(self) -> int:
        """The master's process id."""
        if self._process is None:
            raise RuntimeError("gunicorn is not running")
        return self._process.pid

    def worker_pids(self) -> list[int]:
        """The workers' process ids (the master's children, from /proc)."""
        children = Path(f"/proc/{self.pid}/task/{self.pid}/children").read_text()
        return [int(pid) for pid in children.split()]

    @property
    def running(self) -> bool:
        """True while the master process lives."""
        return self._process is not None and self._process.poll() is None

    def wait(self, timeout: float = 60.0) -> int:
        """Wait for gunicorn to exit by itself (as when a worker fails to boot); its status."""
        process = self._process
        if process is None:
            raise RuntimeError("gunicorn is not running")
        try:
            status = process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            raise
        self._finish(process)
        return status

    def kill(self) -> None:
        """``kill -9`` the master and every worker at once (its whole process group)."""
        process = self._process
        if process is None:
            return
        if process.poll() is None:
            # The master may have died on its own; its workers then go with the group.
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
        self._finish(process)

    def stop(self, timeout: float = 30.0) -> None:
        """Stop gracefully (SIGTERM to the master, which stops its workers); kill on timeout."""
        process = self._process
        if process is None:
            return
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
        self._finish(process)

    def _finish(self, process: subprocess.Popen[str]) -> None:
        process.wait()
        # The workers hold the pipe too; once they are gone the reader sees its end.
        if self._reader is not None:
            self._reader.join(timeout=10)
        if process.stderr is not None:
            process.stderr.close()
        self._process = None

    def __enter__(self) -> GunicornServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


# -- one request ----------------------------------------------------------------------------------


class RequestFailed(Exception):
    """No answer came (refused, reset, timeout): the request may or may not have been applied."""


def post(
    port: int,
    body: bytes,
    headers: Mapping[str, str],
    *,
    path: str = "/alexa",
    timeout: float = REQUEST_TIMEOUT,
) -> tuple[int, bytes]:
    """POST ``body`` to 127.0.0.1:``port``; the status and the raw answer.

    Raises:
        RequestFailed: when no complete answer arrives.
    """
    return _exchange(port, "POST", path, body, headers, timeout)


def get(port: int, path: str, *, timeout: float = REQUEST_TIMEOUT) -> tuple[int, bytes]:
    """GET ``path`` from 127.0.0.1:``port``; the status and the raw answer."""
    return _exchange(port, "GET", path, None, {}, timeout)


def _exchange(
    port: int,
    method: str,
    path: str,
    body: bytes | None,
    headers: Mapping[str, str],
    timeout: float,
) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=dict(headers))
        response = connection.getresponse()
        return response.status, response.read()
    except (OSError, http.client.HTTPException) as error:
        raise RequestFailed(f"{type(error).__name__}: {error}") from error
    finally:
        connection.close()


# -- what each user does and expects ------------------------------------------------------------


@dataclass(frozen=True)
class Expect:
    """The parts of the engine state a turn must leave (None: no record at all)."""

    status: str
    routine: str | None
    position: int
    holds: Mapping[str, int]

    def matches(self, state: Mapping[str, Any] | None) -> bool:
        """True when ``state`` has exactly these fields."""
        return state is not None and (
            state.get("status"),
            state.get("routine"),
            state.get("position"),
            state.get("holds"),
        ) == (self.status, self.routine, self.position, dict(self.holds))


@dataclass(frozen=True)
class Turn:
    """One request of a script: a recorded envelope, how to change it, what it must leave."""

    name: str
    """The recorded envelope (``tests/requests/<name>.json``)."""
    expect: Expect | None
    """The state the answer must show and the store may hold after it; None: unchanged."""
    change: Callable[[dict[str, Any]], None] | None = None
    """Edits the envelope before it is signed (a slot value...)."""
    hold: int | None = None
    """The ``hold_seconds`` session attribute the answer must show, when set."""


@dataclass(frozen=True)
class UserPlan:
    """One simulated user: an id, a hold preference and where the routine is interrupted."""

    index: int
    user_id: str
    hold: int
    """The hold the user sets on the first step (unique-ish, so states tell users apart)."""
    split: int
    """How many "next"s before the user's first session ends and a new one resumes."""

    @classmethod
    def make(cls, index: int) -> UserPlan:
        """The ``index``-th user: holds and split points vary across users."""
        first, passes = _routine_shape()
        low, high = first.hold.min, first.hold.max
        return cls(
            index=index,
            user_id=f"amzn1.ask.account.LOAD{index:06d}",
            hold=low + (index * 7) % (high - low + 1),
            split=1 + index % (passes - 1),
        )


def _routine_shape() -> tuple[Any, int]:
    routine = builtin_library()[ROUTINE]
    return routine.steps[0], len(expand(routine))


def _start_foam_roller(envelope: dict[str, Any]) -> None:
    slot = envelope["request"]["intent"]["slots"]["routine"]
    slot["value"] = "foam roller"
    authority = slot["resolutions"]["resolutionsPerAuthority"][0]
    authority["values"] = [{"value": {"name": "foam roller", "id": ROUTINE}}]


def _set_hold(seconds: int) -> Callable[[dict[str, Any]], None]:
    def change(envelope: dict[str, Any]) -> None:
        envelope["request"]["intent"]["slots"]["duration"]["value"] = f"PT{seconds}S"

    return change


def fresh_journey(user: UserPlan, *, split: bool = True) -> list[Turn]:
    """A new user's whole routine: launch, start, set a hold, ``split`` "next"s, the session
    ends, a new session resumes, then "next" to the end."""
    first, passes = _routine_shape()
    holds = {first.id: user.hold}
    last = passes - 1
    turns = [
        Turn("launch", Expect("idle", None, 0, {})),
        Turn("start-routine", Expect("active", ROUTINE, 0, {}), _start_foam_roller),
        Turn("set-hold", Expect("active", ROUTINE, 0, holds), _set_hold(user.hold), user.hold),
    ]
    if split:
        turns += [
            Turn("next", Expect("active", ROUTINE, p, holds)) for p in range(1, user.split + 1)
        ]
        turns += [
            Turn("session-ended", None),
            Turn("launch", Expect("paused", ROUTINE, user.split, holds)),
            Turn("yes", Expect("active", ROUTINE, user.split, holds)),
        ]
        start = user.split + 1
    else:
        start = 1
    turns += [Turn("next", Expect("active", ROUTINE, p, holds)) for p in range(start, last + 1)]
    turns.append(Turn("next", Expect("finished", ROUTINE, last, holds)))
    return turns


def resume_journey(user: UserPlan, stored: Mapping[str, Any] | None) -> list[Turn]:
    """What a user does after a crash, from the state the store holds: finish the routine.

    Alexa ends the session on a failed request, so the user opens the skill again: a stored
    routine is resumed with "yes", otherwise the user starts from the beginning.
    """
    if stored is None or stored.get("routine") is None:
        return fresh_journey(user, split=False)
    if stored.get("status") == "finished":
        return []
    first, passes = _routine_shape()
    position = int(stored["position"])
    holds = dict(stored.get("holds") or {})
    turns = [
        Turn("launch", Expect("paused", ROUTINE, position, holds)),
        Turn("yes", Expect("active", ROUTINE, position, holds)),
    ]
    if not holds:
        holds = {first.id: user.hold}
        turns.append(
            Turn("set-hold", Expect("active", ROUTINE, position, holds), _set_hold(user.hold))
        )
    last = passes - 1
    turns += [
        Turn("next", Expect("active", ROUTINE, p, holds)) for p in range(position + 1, last + 1)
    ]
    turns.append(Turn("next", Expect("finished", ROUTINE, last, holds)))
    return turns


def final_expect(user: UserPlan) -> Expect:
    """What every user's stored state must be once the routine is done."""
    first, passes = _routine_shape()
    return Expect("finished", ROUTINE, passes - 1, {first.id: user.hold})


# -- simulated users ----------------------------------------------------------------------------


class Refused(Exception):
    """The server answered with a status other than 200."""

    def __init__(self, status: int, body: bytes) -> None:
        self.status = status
        self.body = body
        super().__init__(f"HTTP {status}: {body[:300]!r}")


class SimulatedUser(Conversation):
    """One user on one device, talking to the endpoint over HTTP with signed requests."""

    def __init__(
        self,
        plan: UserPlan,
        port: int,
        signer: AlexaSigner,
        latencies: list[float],
    ) -> None:
        super().__init__(self._send, user_id=plan.user_id)
        self.plan = plan
        self.port = port
        self.signer = signer
        self.latencies = latencies

    def take(self, turn: Turn) -> dict[str, Any]:
        """Send one turn's request; its answer (raises RequestFailed or Refused)."""
        envelope = self.envelope(turn.name)
        if turn.change is not None:
            turn.change(envelope)
        return self.send(envelope)

    def _send(self, envelope: dict[str, Any]) -> dict[str, Any]:
        body = json.dumps(envelope).encode()
        headers = {"Content-Type": "application/json", **self.signer.headers(body)}
        started = time.perf_counter()
        status, answer = post(self.port, body, headers)
        self.latencies.append(time.perf_counter() - started)
        if status != 200:
            raise Refused(status, answer)
        if b"Traceback" in answer:
            raise Refused(status, answer)
        parsed: dict[str, Any] = json.loads(answer)
        return parsed


@dataclass
class UserResult:
    """How far one user got and what went wrong."""

    plan: UserPlan
    turns: list[Turn]
    acked: int = 0
    """How many turns were answered (200, checked)."""
    failed: Turn | None = None
    """The turn whose request got no answer (it may or may not have been applied)."""
    problems: list[str] = field(default_factory=list)
    last_state: dict[str, Any] | None = None
    """The engine state in the last answer's session attributes."""

    @property
    def done(self) -> bool:
        """True when every turn was answered."""
        return self.acked == len(self.turns)

    def allowed_stored(self) -> list[Expect | None]:
        """The states the store may hold for this user now: the last answered turn's, and the
        failed turn's when a request got no answer (never anything in between)."""
        allowed: list[Expect | None] = [_last_expect(self.turns[: self.acked])]
        if self.failed is not None:
            allowed.append(_last_expect(self.turns[: self.acked + 1]))
        return allowed


def _last_expect(turns: Sequence[Turn]) -> Expect | None:
    for turn in reversed(turns):
        if turn.expect is not None:
            return turn.expect
    return None


@dataclass
class LoadReport:
    """What a run did: per-user results, every latency, and the problems seen."""

    users: list[UserResult]
    latencies: list[float]
    seconds: float
    server_errors: int = 0
    """Answers with a 5xx status."""
    refused: int = 0
    """Answers with any other status than 200."""
    unanswered: int = 0
    """Requests that got no answer (only expected around a crash)."""

    @property
    def requests(self) -> int:
        """Requests answered."""
        return len(self.latencies)

    @property
    def problems(self) -> list[str]:
        """Every problem every user saw."""
        return [problem for user in self.users for problem in user.problems]


class LoadRun:
    """Runs users' scripts from ``clients`` threads against 127.0.0.1:``port``.

    Args:
        port: where the endpoint listens.
        signer: signs every request (the server must trust its CA).
        clients: how many users talk at the same time.
        crash_after: call ``on_crash`` once this many requests were answered, then let every
            user stop at its next request.
        on_crash: what to do at ``crash_after`` (kill the server).
        max_seconds: the run's time budget: past it, no user sends another request (each
            remaining user records a problem), so a stuck server cannot keep a run going.
    """

    def __init__(
        self,
        port: int,
        signer: AlexaSigner,
        *,
        clients: int = 16,
        crash_after: int | None = None,
        on_crash: Callable[[], None] | None = None,
        max_seconds: float = 300.0,
    ) -> None:
        self.port = port
        self.signer = signer
        self.clients = clients
        self.crash_after = crash_after
        self.on_crash = on_crash
        self.max_seconds = max_seconds
        self._deadline = float("inf")
        self.crashed = threading.Event()
        self._lock = threading.Lock()
        self._answered = 0
        self._counts = {"server_errors": 0, "refused": 0, "unanswered": 0}

    def run(self, journeys: Sequence[tuple[UserPlan, list[Turn]]]) -> LoadReport:
        """Run every journey (each user's turns in order, users in parallel); a report."""
        latencies: list[float] = []
        results = [UserResult(plan, turns) for plan, turns in journeys]
        started = time.perf_counter()
        self._deadline = time.monotonic() + self.max_seconds
        with ThreadPoolExecutor(max_workers=self.clients) as pool:
            for _ in pool.map(lambda result: self._run_user(result, latencies), results):
                pass
        return LoadReport(
            users=results,
            latencies=latencies,
            seconds=time.perf_counter() - started,
            **self._counts,
        )

    def _run_user(self, result: UserResult, latencies: list[float]) -> None:
        user = SimulatedUser(result.plan, self.port, self.signer, latencies)
        for index, turn in enumerate(result.turns):
            if self.crashed.is_set():
                return
            if time.monotonic() > self._deadline:
                result.problems.append(f"{result.plan.user_id}: out of time at turn {index}")
                return
            try:
                user.take(turn)
            except RequestFailed as error:
                result.failed = turn
                with self._lock:
                    self._counts["unanswered"] += 1
                if not self.crashed.is_set():
                    result.problems.append(f"{result.plan.user_id} turn {index}: {error}")
                return
            except Refused as error:
                with self._lock:
                    self._counts["refused"] += 1
                    if error.status >= 500:
                        self._counts["server_errors"] += 1
                result.problems.append(f"{result.plan.user_id} turn {index} {turn.name}: {error}")
                return
            result.acked += 1
            if turn.name != "session-ended":
                result.last_state = user.state
                self._check(result, index, turn, user)
            self._count_answer()

    def _check(self, result: UserResult, index: int, turn: Turn, user: SimulatedUser) -> None:
        where = f"{result.plan.user_id} turn {index} {turn.name}"
        if turn.expect is not None and not turn.expect.matches(user.state):
            result.problems.append(f"{where}: expected {turn.expect}, got {user.state}")
        if turn.hold is not None and user.attributes.get("hold_seconds") != turn.hold:
            result.problems.append(
                f"{where}: hold {user.attributes.get('hold_seconds')} != {turn.hold}"
            )

    def _count_answer(self) -> None:
        with self._lock:
            self._answered += 1
            crash = self.crash_after is not None and self._answered == self.crash_after
        if crash:
            self.crashed.set()
            if self.on_crash is not None:
                self.on_crash()


# -- a blast of pre-signed requests ---------------------------------------------------------------


@dataclass
class BlastReport:
    """Figures of one :func:`blast`."""

    latencies: list[float]
    """Seconds per answered request."""
    seconds: float
    """Wall time of the whole blast."""
    errors: int
    """Requests with no answer or a status other than 200."""

    @property
    def throughput(self) -> float:
        """Answered requests per second."""
        return len(self.latencies) / self.seconds if self.seconds > 0 else 0.0

    def percentile(self, fraction: float) -> float:
        """The latency (seconds) below which ``fraction`` of the requests fall."""
        ordered = sorted(self.latencies)
        if not ordered:
            return float("nan")
        index = min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))
        return ordered[index]


def blast(
    port: int,
    requests: Sequence[tuple[bytes, Mapping[str, str]]],
    *,
    clients: int = 16,
) -> BlastReport:
    """Send every ``(body, headers)`` once from ``clients`` threads; time each answer."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    work: Iterator[tuple[bytes, Mapping[str, str]]] = iter(requests)

    def client() -> None:
        nonlocal errors
        while True:
            with lock:
                item = next(work, None)
            if item is None:
                return
            body, headers = item
            started = time.perf_counter()
            try:
                status, _ = post(port, body, headers)
            except RequestFailed:
                status = 0
            elapsed = time.perf_counter() - started
            with lock:
                if status == 200:
                    latencies.append(elapsed)
                else:
                    errors += 1

    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return BlastReport(latencies, time.perf_counter() - started, errors)
