"""A damaged store through the front-ends: the server (app factory, ``massage-coach serve``,
gunicorn, requests) and ``massage-coach run``.

``tests/test_store.py`` covers the store itself. Here the point is what a person sees: a clear
one-line error that names the file, never a traceback, and the file left byte for byte as it
was, never replaced by a fresh empty store. The server refuses to start on a file that is not a
usable store; a record damaged while it runs costs that user an apology (the skill's catch-all,
which logs the file and the cause), never a 5xx, and other users carry on.
"""

from __future__ import annotations

import logging
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient

from routines.loader import load_library
from skill.alexa.server import ServerConfig, create_app
from skill.core.store import APPLICATION_ID, SQLiteStore, StoreError
from skill.local.coach import USER_ID
from tests.support.envelopes import RECORDED_USER, Conversation, catch_all_records, speech
from tests.support.loadgen import GunicornServer

COMMAND = str(Path(sys.executable).with_name("massage-coach"))
RUN = [COMMAND, "run", "foam-roller", "--no-voice", "--no-listen", "--time-scale", "1000"]


def random_bytes(path: Path) -> None:
    path.write_bytes(bytes(range(256)) * 64)


def text_file(path: Path) -> None:
    path.write_text("my notes about my back\n", encoding="utf-8")


def truncated_store(path: Path) -> None:
    with SQLiteStore(path) as store:
        for index in range(500):
            store.save(f"user{index}", {"state": {"notes": "x" * 300}})
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def foreign_database(path: Path) -> None:
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY, name TEXT)")
    connection.execute("INSERT INTO photos (name) VALUES ('holiday.jpg')")
    connection.commit()
    connection.close()


def newer_schema(path: Path) -> None:
    SQLiteStore(path).close()
    connection = sqlite3.connect(path)
    connection.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    connection.execute("PRAGMA user_version = 99")
    connection.commit()
    connection.close()


FILE_DAMAGE: dict[str, Callable[[Path], None]] = {
    "random bytes": random_bytes,
    "a text file": text_file,
    "a truncated store": truncated_store,
    "another program's database": foreign_database,
    "a newer schema": newer_schema,
}
"""Files that are not a usable store at all: nothing may start on them."""


def damage_record(path: Path, user_id: str, data: bytes) -> None:
    """Overwrite one user's stored record with ``data`` behind the store's back."""
    connection = sqlite3.connect(path)
    connection.execute("UPDATE records SET data = ? WHERE user_id = ?", (data, user_id))
    assert connection.total_changes == 1
    connection.commit()
    connection.close()


def files_in(folder: Path) -> dict[str, bytes]:
    """Every file in ``folder``, with its bytes (to see nothing was changed or added)."""
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


@pytest.fixture(params=sorted(FILE_DAMAGE))
def damaged(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    path = folder / "coach.db"
    FILE_DAMAGE[request.param](path)
    return path


# -- the server refuses to start ------------------------------------------------------------


def test_the_app_factory_refuses_a_damaged_file(damaged: Path) -> None:
    before = files_in(damaged.parent)
    with pytest.raises(StoreError) as caught:
        create_app(ServerConfig(db=str(damaged), verify=False, library=load_library()))
    assert str(damaged) in str(caught.value)
    assert "left as it is" in str(caught.value)
    assert files_in(damaged.parent) == before


def test_serve_prints_one_line_and_exits(damaged: Path) -> None:
    before = files_in(damaged.parent)
    done = subprocess.run(
        [COMMAND, "serve", "--no-verify", "--port", "0", "--db", str(damaged)],
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 2, done
    errors = [line for line in done.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, done.stderr
    assert str(damaged) in errors[0], done.stderr
    assert "Traceback" not in done.stderr
    assert files_in(damaged.parent) == before


@pytest.mark.slow
def test_gunicorn_workers_fail_to_boot_and_the_master_exits(tmp_path: Path) -> None:
    path = tmp_path / "coach.db"
    random_bytes(path)
    before = files_in(tmp_path)
    server = GunicornServer("skill.server:create_app()", env={"MASSAGE_COACH_DB": str(path)})
    server.start()
    assert server.wait() != 0
    assert "Worker failed to boot" in server.log_text
    assert f"{path}: cannot open the store" in server.log_text
    assert files_in(tmp_path) == before


# -- a record damaged while the server runs ---------------------------------------------------


def client_for(db: Path) -> FlaskClient:
    return create_app(ServerConfig(db=str(db), verify=False, library=load_library())).test_client()


def conversation(client: FlaskClient, user_id: str = RECORDED_USER) -> Conversation:
    def send(envelope: dict[str, Any]) -> dict[str, Any]:
        response = client.post("/alexa", json=envelope)
        assert response.status_code == 200, response.get_data()
        assert b"Traceback" not in response.get_data()
        answer: dict[str, Any] = response.get_json()
        return answer

    return Conversation(send, user_id=user_id)


@pytest.mark.parametrize("data", [b"{not json", b"[1, 2]", b"\xff\xfe", b""])
def test_a_damaged_record_costs_that_user_an_apology_and_stays_as_it_is(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, data: bytes
) -> None:
    db = tmp_path / "coach.db"
    client = client_for(db)
    conversation(client).say("launch")
    damage_record(db, RECORDED_USER, data)
    before = files_in(tmp_path)

    caplog.set_level(logging.INFO)
    answer = conversation(client).say("launch")
    assert "Sorry, something went wrong" in speech(answer)
    (record,) = catch_all_records(caplog)
    assert record.exc_info is not None
    assert str(db) in str(record.exc_info[1])
    assert files_in(tmp_path)["coach.db"] == before["coach.db"]
    caplog.clear()

    # Another user is not affected.
    other = conversation(client, user_id="amzn1.ask.account.OTHER")
    other.say("launch")
    other.say("yes")
    assert other.state["status"] == "active"
    assert catch_all_records(caplog) == []
    with SQLiteStore(db) as store:
        assert store.load("amzn1.ask.account.OTHER") is not None
    raw = sqlite3.connect(db)
    try:
        (kept,) = raw.execute(
            "SELECT data FROM records WHERE user_id = ?", (RECORDED_USER,)
        ).fetchone()
    finally:
        raw.close()
    assert bytes(kept) == data


# -- massage-coach run ------------------------------------------------------------------------


def run_coach(db: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*RUN, "--db", str(db)],
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )


def assert_one_clear_error(done: subprocess.CompletedProcess[str], db: Path) -> None:
    assert done.returncode == 1, done
    assert "Traceback" not in done.stderr + done.stdout
    errors = [line for line in done.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, done.stderr
    assert errors[0].startswith(f"error: {db}: "), done.stderr


def test_run_refuses_a_damaged_file(damaged: Path) -> None:
    before = files_in(damaged.parent)
    assert_one_clear_error(run_coach(damaged), damaged)
    assert files_in(damaged.parent) == before


@pytest.mark.parametrize("data", [b"{not json", b'"a string"'])
def test_run_refuses_a_damaged_record_and_keeps_it(tmp_path: Path, data: bytes) -> None:
    db = tmp_path / "coach.db"
    with SQLiteStore(db) as store:
        store.save(USER_ID, {"state": {}})
    damage_record(db, USER_ID, data)
    before = files_in(tmp_path)
    assert_one_clear_error(run_coach(db), db)
    assert files_in(tmp_path) == before
