"""Crash test: ``kill -9`` gunicorn (master and workers at once) in the middle of the 200-user
load, check the SQLite file, start gunicorn again on the same file and finish the load.

After the kill every record must be whole: SQLite's integrity check passes, every row decodes
to a valid engine state, and each user's record is the state of the last request that user saw
answered, or of the request that was in flight when the server died (never anything else,
never half of one). After the restart every user finishes the routine by opening the skill
again, as after any failed request, and the store ends exactly as in the load test.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from routines.loader import builtin_library
from routines.session import restore
from tests.support.certs import AlexaSigner
from tests.support.loadgen import (
    GunicornServer,
    LoadRun,
    UserPlan,
    final_expect,
    fresh_journey,
    resume_journey,
    write_test_ca,
)
from tests.test_load import CLIENTS, USERS, WORKERS, server_env, stored_states

pytestmark = pytest.mark.slow

APP = "tests.support.loadgen:create_signed_app()"


@pytest.fixture(scope="module")
def signer() -> AlexaSigner:
    return AlexaSigner.create()


def raw_records(db: Path) -> dict[str, Any]:
    """Every row as SQLite holds it, decoded without the store's help, after an integrity check."""
    connection = sqlite3.connect(db)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        rows = connection.execute("SELECT user_id, data FROM records").fetchall()
    finally:
        connection.close()
    return {user_id: json.loads(bytes(data).decode("utf-8")) for user_id, data in rows}


def test_kill_9_mid_load_then_restart_and_finish(tmp_path: Path, signer: AlexaSigner) -> None:
    db = tmp_path / "coach.db"
    env = server_env(db, write_test_ca(signer, tmp_path / "test-ca.json"))
    plans = [UserPlan.make(index) for index in range(USERS)]
    journeys = [(plan, fresh_journey(plan)) for plan in plans]
    total = sum(len(turns) for _, turns in journeys)

    first = GunicornServer(APP, env=env, workers=WORKERS).start()
    try:
        run = LoadRun(first.port, signer, clients=CLIENTS, crash_after=total * 2 // 5)
        run.on_crash = first.kill
        crashed = run.run(journeys)
    finally:
        first.kill()
    assert run.crashed.is_set()
    assert not first.running
    assert crashed.problems == []
    assert crashed.server_errors == 0
    assert crashed.refused == 0
    assert total * 2 // 5 <= crashed.requests < total
    # Requests were in flight when the server died: the kill hit the middle of the load.
    assert crashed.unanswered >= 1

    # Every record is whole and is a state the user's requests can explain.
    records = raw_records(db)
    library = builtin_library()
    for user in crashed.users:
        record = records.get(user.plan.user_id)
        state = None if record is None else record["state"]
        if state is not None:
            restore(state, library)  # raises unless it is a valid engine state
        allowed = user.allowed_stored()
        assert any(
            state is None if expect is None else expect.matches(state) for expect in allowed
        ), (user.plan, state, allowed, user.failed)
    assert set(records) <= {plan.user_id for plan in plans}

    second = GunicornServer(APP, env=env, workers=WORKERS).start()
    try:
        remaining = [
            (
                user.plan,
                resume_journey(user.plan, (records.get(user.plan.user_id) or {}).get("state")),
            )
            for user in crashed.users
        ]
        finished = LoadRun(second.port, signer, clients=CLIENTS).run(remaining)
    finally:
        second.stop()
    assert finished.problems == []
    assert (finished.server_errors, finished.refused, finished.unanswered) == (0, 0, 0)
    assert all(user.done for user in finished.users)
    assert "Traceback" not in second.log_text, second.log_text

    stored = stored_states(db)
    assert sorted(stored) == sorted(plan.user_id for plan in plans)
    for before, after in zip(crashed.users, finished.users, strict=True):
        state = stored[before.plan.user_id]
        assert final_expect(before.plan).matches(state), (before.plan, state)
        # The store holds the last state each user was shown. A user with nothing left to do
        # either finished before the crash, or sent the last "next" as the server died.
        if after.turns:
            assert state == after.last_state, before.plan
        elif before.done:
            assert state == before.last_state, before.plan
