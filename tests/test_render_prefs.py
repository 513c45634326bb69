"""`render` and `script` follow the user's stored preferences (issue #14): their holds, their
rests and brief mode for the steps they know, from the store `run` uses; `--as-new` and no
store at the default place give a new user's session; a damaged store is one clear error."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from routines import session
from skill.cli.main import app
from skill.core.store import LOCAL_USER_ID, SQLiteStore
from tests.conftest import SMALL_ROUTINE

runner = CliRunner()


@pytest.fixture
def small(tmp_path: Path) -> Path:
    path = tmp_path / "small.yaml"
    path.write_text(SMALL_ROUTINE)
    return path


def _store(tmp_path: Path, **preferences: object) -> Path:
    db = tmp_path / "coach.sqlite3"
    state = {**session.new_state(), **preferences}
    with SQLiteStore(db) as store:
        store.save(LOCAL_USER_ID, {"state": state})
    return db


def test_script_uses_the_users_holds_rests_and_brief_mode(small: Path, tmp_path: Path) -> None:
    db = _store(tmp_path, holds={"knee-hug": 30}, rest=15, seen=["knee-hug"])
    result = runner.invoke(app, ["script", "small", "-f", str(small), "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert result.output.count("[hold 30 s]") == 4
    # Brief, then the time to get ready, then the hold starts.
    assert "  Knee hug, right side, for thirty seconds.\n" in result.output
    assert re.search(r"\[get ready 5 s\]\n\S+  Starting now\.\n", result.output)
    assert "Lie on your back." not in result.output  # the knee hug is known: brief
    assert "Sit on the ball." in result.output  # the glute ball is new: in full
    assert result.output.count("for fifteen seconds.") == 2  # the two rests
    # As a new user: default holds and rests, every step in full.
    fresh = runner.invoke(app, ["script", "small", "-f", str(small), "--db", str(db), "--as-new"])
    assert fresh.exit_code == 0, fresh.output
    assert fresh.output.count("[hold 20 s]") == 4
    assert "Lie on your back." in fresh.output
    assert fresh.output.count("for five seconds.") == 2


def test_always_explain_is_followed_and_ssml_rests_are_silence(small: Path, tmp_path: Path) -> None:
    db = _store(tmp_path, seen=["knee-hug"], brief=False, rest=12)
    result = runner.invoke(app, ["script", "small", "--ssml", "-f", str(small), "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "Lie on your back." in result.output
    # Each rest is silence on Alexa: at least its twelve seconds of breaks after it is said.
    rests = re.findall(r"for twelve seconds\.((?:<break time=\"\d+ms\"/>)+)", result.output)
    assert len(rests) == 2
    for breaks in rests:
        assert sum(int(ms) for ms in re.findall(r"(\d+)ms", breaks)) >= 12_000


def test_no_store_is_a_new_user_and_is_not_created(small: Path, tmp_path: Path) -> None:
    # At the default place (a store named with --db must exist: tests/test_render_get_ready.py).
    db = tmp_path / "missing" / "coach.sqlite3"
    result = runner.invoke(
        app, ["script", "small", "-f", str(small)], env={"MASSAGE_COACH_DB": str(db)}
    )
    assert result.exit_code == 0, result.output
    assert "Lie on your back." in result.output
    assert not db.exists()


def test_a_damaged_store_is_one_clear_error(small: Path, tmp_path: Path) -> None:
    db = tmp_path / "coach.sqlite3"
    db.write_bytes(b"this is not a database" * 100)
    result = runner.invoke(app, ["script", "small", "-f", str(small), "--db", str(db)])
    assert result.exit_code == 1
    assert result.output.startswith("error: ")
    assert db.read_bytes() == b"this is not a database" * 100
