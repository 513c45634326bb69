"""Shared fixtures: a small routine library built inline, so tests do not depend on content."""

from __future__ import annotations

import os
import pty
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import HealthCheck, settings

from routines.loader import parse_routine
from routines.models import Routine

# Every test in tests/dialogs/*.yaml is a pytest item, replayed against the skill in process.
from skill.devtools.pytest_dialogs import pytest_collect_file  # noqa: F401

if TYPE_CHECKING:
    from skill.core.store import SQLiteStore
    from tests.support.envelopes import Conversation
    from tests.support.loopback import LoopbackServer

SMALL_ROUTINE = """\
id: small
title: Small routine
summary: A short routine for tests, with two steps.
tools: [foam roller]
safety: [Stop if anything hurts sharply.]
steps:
  - id: knee-hug
    title: Knee hug
    technique: stretch
    area: lower back
    why: Gently lengthens the muscles of the lower back that can press on the sciatic nerve.
    cues:
      setup: [Lie on your back., Hug your knee to your chest.]
      during: [Breathe slowly.]
      release: Let the knee go.
      brief: Hug your knee in.
    hold: {default: 20, min: 15, max: 30}
    reps: 2
    sides: [right, left]
    rest_seconds: 5
  - id: glute-ball
    title: Glute ball press
    technique: trigger_point
    area: glutes
    why: Pressure on a knot in the glute lets the piriformis relax around the sciatic nerve.
    cues:
      setup: [Sit on the ball.]
      release: Roll off the ball.
      brief: Find the knot and lean in.
    hold: {default: 45, min: 30, max: 60}
    pressure: Firm but not painful.
"""

OTHER_ROUTINE = SMALL_ROUTINE.replace("id: small", "id: sciatica-quick-relief").replace(
    "title: Small routine", "title: Quick relief"
)


def small_library() -> dict[str, Routine]:
    """Two small routines; one has the default routine's id (for tests that cannot take a
    fixture, such as hypothesis's)."""
    small = parse_routine(SMALL_ROUTINE, "small.yaml")
    default = parse_routine(OTHER_ROUTINE, "default.yaml")
    return {small.id: small, default.id: default}


@pytest.fixture
def library() -> dict[str, Routine]:
    """Two small routines; one has the default routine's id."""
    return small_library()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SQLiteStore]:
    """A real SQLite store in the test's folder (a test module may define its own)."""
    from skill.core.store import SQLiteStore

    with SQLiteStore(tmp_path / "coach.db") as opened:
        yield opened


@pytest.fixture
def talk(library: dict[str, Routine], store: SQLiteStore) -> Conversation:
    """A conversation with the Alexa skill in process, persisting to `store`."""
    from skill.alexa.persistence import SQLitePersistenceAdapter
    from skill.alexa.skill import build_skill, handle_envelope
    from tests.support.envelopes import Conversation

    skill = build_skill(library, SQLitePersistenceAdapter(store))
    return Conversation(lambda envelope: handle_envelope(skill, envelope))


@pytest.fixture(scope="session")
def moto_endpoint() -> Iterator[str]:
    """A local DynamoDB (moto over HTTP on loopback), one per test session."""
    # Imported here: moto and boto3 take a while to import, and most tests need neither.
    from tests.support.dynamodb import moto_server

    with moto_server() as endpoint:
        yield endpoint


@pytest.fixture
def aws_env(moto_endpoint: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """AWS settings pointing at the local DynamoDB; its endpoint."""
    from tests.support.dynamodb import use_moto

    use_moto(monkeypatch, moto_endpoint)
    return moto_endpoint


@pytest.fixture
def start_server(tmp_path: Path) -> Iterator[Callable[..., LoopbackServer]]:
    """Starts the skill's server (`create_app`) on loopback with these `ServerConfig` options
    (by default a store in the test's folder and no request verification); closed after."""
    from skill.alexa.server import ServerConfig, create_app
    from tests.support.loopback import LoopbackServer

    servers: list[LoopbackServer] = []

    def start(**options: Any) -> LoopbackServer:
        options.setdefault("db", str(tmp_path / "server.db"))
        options.setdefault("verify", False)
        server = LoopbackServer(create_app(ServerConfig(**options)))
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.close()


# No test may depend on the machine's load, so Hypothesis's timing checks are off everywhere:
# the per-example deadline, and the health check that fails when generating inputs is slow
# (the first text strategy of a fresh checkout builds its character tables, which took ~2 s).
settings.register_profile(
    "massage-coach", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
# CI runs the same examples every time, so a red build always means a changed behaviour;
# locally each run explores new ones.
settings.register_profile(
    "ci", parent=settings.get_profile("massage-coach"), derandomize=True, print_blob=True
)
settings.load_profile("ci" if os.environ.get("CI") else "massage-coach")


@pytest.fixture
def terminal() -> Iterator[tuple[int, int]]:
    """A real pseudo-terminal: (the side a user types into, the side the coach reads)."""
    main, follower = pty.openpty()
    yield main, follower
    os.close(main)
    os.close(follower)
