"""`render` and `script` with the user's stored defaults: their holds and their time to get
ready (a recording cannot wait for "ready", so a user who is waited for gets time instead)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from routines import get_ready
from routines.commands import Command, CommandKind
from routines.loader import parse_routine
from skill.cli.main import app
from skill.core.session_script import session_turns
from skill.core.store import LOCAL_USER_ID, SQLiteStore
from skill.core.turn import take_turn
from skill.local.coach import STATE_KEY
from speech.prompt import GetReady
from tests.conftest import SMALL_ROUTINE

runner = CliRunner()
SMALL = parse_routine(SMALL_ROUTINE, "small.yaml")


def preferences(*kinds: CommandKind) -> dict[str, object]:
    """A stored state after a user gave these commands (the pain check off first)."""
    state = take_turn(None, Command(CommandKind.PAIN_CHECK_OFF), {SMALL.id: SMALL}).state
    for kind in kinds:
        state = take_turn(state, Command(kind), {SMALL.id: SMALL}).state
    return state


def readies(stored: dict[str, object] | None) -> list[int]:
    return [
        part.seconds
        for turn in session_turns(SMALL, stored)
        for part in turn.prompt.parts
        if isinstance(part, GetReady)
    ]


def test_a_recorded_session_uses_the_users_get_ready_time() -> None:
    assert readies(None) == [get_ready.DEFAULT_S] * 5
    assert readies(preferences(CommandKind.READY_LONGER, CommandKind.READY_LONGER)) == [15] * 5
    assert readies(preferences(CommandKind.READY_NONE)) == []
    # Waited for: the recording cannot wait, so it gives their time, and at least the default.
    assert readies(preferences(CommandKind.READY_NONE, CommandKind.WAIT_READY_ON)) == [5] * 5
    waited = preferences(*[CommandKind.READY_LONGER] * 3, CommandKind.WAIT_READY_ON)
    assert readies(waited) == [20] * 5
    assert all(
        not turn.prompt.text.endswith("Say ready when you're in position.")
        for turn in session_turns(SMALL, waited)
    )


def store_with(db: Path, state: dict[str, object], user: str = LOCAL_USER_ID) -> None:
    with SQLiteStore(db) as store:
        store.save(user, {STATE_KEY: state})


def small_file(tmp_path: Path) -> Path:
    path = tmp_path / "small.yaml"
    path.write_text(SMALL_ROUTINE)
    return path


def test_script_and_render_read_the_users_preferences_from_the_store(tmp_path: Path) -> None:
    db = tmp_path / "coach.sqlite3"
    store_with(db, preferences(CommandKind.READY_LONGER))
    store_with(db, preferences(CommandKind.READY_NONE), user="amzn1.ask.account.X")
    routine = ["-f", str(small_file(tmp_path))]
    mine = runner.invoke(app, ["script", "small", "--db", str(db), *routine])
    assert mine.exit_code == 0, mine.output
    assert mine.output.count("[get ready 10 s]") == 5
    theirs = runner.invoke(
        app, ["script", "small", "--db", str(db), "--user", "amzn1.ask.account.X", *routine]
    )
    assert theirs.exit_code == 0, theirs.output
    assert "[get ready" not in theirs.output
    # The environment names the default store, as for `run`.
    env = runner.invoke(app, ["script", "small", *routine], env={"MASSAGE_COACH_DB": str(db)})
    assert env.output.count("[get ready 10 s]") == 5
    timeline = tmp_path / "small.json"
    wav = tmp_path / "small.wav"
    rendered = runner.invoke(
        app,
        ["render", "small", "-o", str(wav), "--timeline", str(timeline), "--db", str(db), *routine],
    )
    assert rendered.exit_code == 0, rendered.output
    data = json.loads(timeline.read_text())
    segments = data["segments"]
    for hold in data["holds"]:
        # The hold starts when its cue ends; before the cue, ten seconds to get ready.
        cue = next(
            i
            for i, segment in enumerate(segments)
            if segment["kind"] == "speech" and abs(segment["end_s"] - hold["start_s"]) < 1e-6
        )
        ready = segments[cue - 1]
        assert ready["kind"] == "silence"
        assert ready["end_s"] - ready["start_s"] == pytest.approx(10, abs=1e-3)
        assert segments[cue - 2]["text"].endswith("into position.")


def test_a_store_named_that_does_not_exist_is_an_error_and_is_not_created(
    tmp_path: Path,
) -> None:
    missing = tmp_path / "nope.sqlite3"
    result = runner.invoke(
        app, ["script", "small", "--db", str(missing), "-f", str(small_file(tmp_path))]
    )
    assert result.exit_code == 1
    assert f"error: no store at {missing}" in result.output
    assert not missing.exists()


def test_an_unknown_user_gets_the_defaults_with_a_notice(tmp_path: Path) -> None:
    db = tmp_path / "coach.sqlite3"
    store_with(db, preferences(CommandKind.READY_LONGER))
    result = runner.invoke(
        app,
        ["script", "small", "--db", str(db), "--user", "someone", "-f", str(small_file(tmp_path))],
    )
    assert result.exit_code == 0
    assert "no user 'someone'" in result.output
    assert result.output.count("[get ready 5 s]") == 5
