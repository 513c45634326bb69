"""Load test: 200 simulated users each take a whole routine through gunicorn (3 workers) on one
SQLite file, over loopback with every request signed and fully verified.

Passes when no answer is a 5xx (or any non-200), every answer shows the state that user's own
requests imply (each user sets its own hold and breaks its session at its own step, so a state
from another user would not match), and the store ends with exactly one record per user,
finished, with that user's hold preference, equal to the last state the user was shown.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from skill.core.store import SQLiteStore
from tests.support.certs import TEST_SKILL_ID, AlexaSigner
from tests.support.loadgen import (
    GunicornServer,
    LoadReport,
    LoadRun,
    UserPlan,
    final_expect,
    fresh_journey,
    get,
    write_test_ca,
)

USERS = 200
CLIENTS = 16
WORKERS = 3

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def signer() -> AlexaSigner:
    return AlexaSigner.create()


def server_env(db: Path, ca_file: Path) -> dict[str, str]:
    """The environment of the production endpoint, plus the test CA to trust."""
    return {
        "MASSAGE_COACH_DB": str(db),
        "MASSAGE_COACH_SKILL_IDS": TEST_SKILL_ID,
        "MASSAGE_COACH_TEST_CA": str(ca_file),
    }


@pytest.fixture
def gunicorn(tmp_path: Path, signer: AlexaSigner) -> Iterator[tuple[GunicornServer, Path]]:
    db = tmp_path / "coach.db"
    ca_file = write_test_ca(signer, tmp_path / "test-ca.json")
    server = GunicornServer(
        "tests.support.loadgen:create_signed_app()", env=server_env(db, ca_file), workers=WORKERS
    )
    server.start()
    try:
        yield server, db
    finally:
        server.stop()


def stored_states(db: Path) -> dict[str, dict[str, object]]:
    """Every user's stored engine state, read back through the store."""
    with SQLiteStore(db) as store:
        store.check()
        states = {}
        for user_id in store.user_ids():
            record = store.load(user_id)
            assert record is not None
            states[user_id] = record["state"]
    return states


def assert_all_finished(report: LoadReport, db: Path) -> None:
    stored = stored_states(db)
    assert sorted(stored) == sorted(result.plan.user_id for result in report.users)
    for result in report.users:
        state = stored[result.plan.user_id]
        assert final_expect(result.plan).matches(state), (result.plan, state)
        assert state == result.last_state, result.plan


def test_200_users_take_a_whole_routine_through_gunicorn(
    gunicorn: tuple[GunicornServer, Path], signer: AlexaSigner
) -> None:
    server, db = gunicorn
    assert get(server.port, "/healthz")[0] == 200
    journeys = [(plan, fresh_journey(plan)) for plan in map(UserPlan.make, range(USERS))]
    report = LoadRun(server.port, signer, clients=CLIENTS).run(journeys)

    assert report.problems == []
    assert (report.server_errors, report.refused, report.unanswered) == (0, 0, 0)
    assert all(result.done for result in report.users)
    assert report.requests == sum(len(turns) for _, turns in journeys)
    assert_all_finished(report, db)
    with sqlite3.connect(db) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert "Traceback" not in server.log_text, server.log_text


def test_a_run_stops_at_its_time_budget(
    gunicorn: tuple[GunicornServer, Path], signer: AlexaSigner
) -> None:
    server, _ = gunicorn
    plan = UserPlan.make(3)
    report = LoadRun(server.port, signer, clients=1, max_seconds=-1).run(
        [(plan, fresh_journey(plan))]
    )
    assert report.requests == 0
    assert report.problems == [f"{plan.user_id}: out of time at turn 0"]


def test_a_user_seeing_another_users_state_is_caught(
    gunicorn: tuple[GunicornServer, Path], signer: AlexaSigner
) -> None:
    """The checks can fail: two users sharing one Alexa user id see each other's progress."""
    server, _ = gunicorn
    first, second = UserPlan.make(1), UserPlan.make(2)
    twin = UserPlan(second.index, first.user_id, second.hold, second.split)
    journeys = [(first, fresh_journey(first)), (twin, fresh_journey(twin))]
    report = LoadRun(server.port, signer, clients=1).run(journeys)
    assert report.problems, "a shared user id went unnoticed"
    assert any("expected" in problem for problem in report.problems)
    assert json.dumps(report.problems)  # plain strings, printable in a failure
