"""`massage-coach run`: whole sessions through stdin, keys on a real pseudo-terminal, Ctrl-C,
missing devices, stored progress in a real SQLite file.

The subprocess tests run the installed command as a user would, with the clock a thousand
times as fast; the in-process ones call `run_coach` with a fake clock. Nothing sleeps: a test
that waits for the coach reads its output until a line appears (`tests.support.child_lines`:
never `select` on a text stream, whose read-ahead hides lines already written).
"""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import termios
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from skill.core.resolver import Resolver
from skill.core.store import SQLiteStore
from skill.local.coach import STATE_KEY, USER_ID
from skill.local.inputs import PhraseSource
from skill.local.run import EXIT_INTERRUPTED, FallbackSpeaker, RunOptions, open_voice, run_coach
from speech.audio import Audio, NullSink, open_default_sink
from speech.clock import FakeClock
from speech.player import Player
from speech.prompt import Prompt, Say
from speech.tts import SynthesisError, TextOnlyEngine
from tests.conftest import SMALL_ROUTINE
from tests.support.child_lines import ChildLines

COMMAND = [str(Path(sys.executable).with_name("massage-coach"))]
WAIT_S = 60.0
"""Longest a test waits for a line from the coach (it comes in well under a second)."""


@pytest.fixture
def small(tmp_path: Path) -> Path:
    path = tmp_path / "small.yaml"
    path.write_text(SMALL_ROUTINE)
    return path


def stored(db: Path) -> dict[str, Any]:
    with SQLiteStore(db) as store:
        record = store.load(USER_ID)
    assert record is not None
    state: dict[str, Any] = record[STATE_KEY]
    return state


def run_args(small: Path, db: Path, *extra: str) -> list[str]:
    return [
        *COMMAND,
        "run",
        "small",
        "--routine-file",
        str(small),
        "--no-voice",
        "--no-listen",
        "--time-scale",
        "1000",
        "--db",
        str(db),
        *extra,
    ]


def lines_of(output: str, marker: str) -> list[str]:
    return [line[len(marker) :].strip() for line in output.splitlines() if line.startswith(marker)]


# -- a whole routine through standard input --------------------------------------------------


def test_a_whole_routine_through_stdin(small: Path, tmp_path: Path) -> None:
    db = tmp_path / "coach.sqlite3"
    script = tmp_path / "script.txt"
    script.write_text(
        "about a six\nlonger hold\nnext\nhold for 25 seconds\nwhat a nice day\nit hurts\nskip\n"
    )
    with script.open() as stdin:
        done = subprocess.run(
            run_args(small, db), stdin=stdin, capture_output=True, text=True, timeout=WAIT_S
        )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    out = done.stdout
    assert lines_of(out, "heard:") == [
        "about a six -> PainRatingIntent (line)",
        "longer hold -> LongerHoldIntent (line)",
        "next -> AMAZON.NextIntent (line)",
        "hold for 25 seconds -> SetHoldIntent (line)",
        "it hurts -> PainIntent (line)",
        "skip -> SkipIntent (line)",
    ]
    assert lines_of(out, "ignored:") == ["what a nice day (line: not a command)"]
    said = " ".join(lines_of(out, "coach:"))
    assert said.count("Before we begin") == 1
    assert "how is your pain right now, from zero to ten" in lines_of(out, "coach:")[0]
    assert lines_of(out, "coach:")[1].startswith("Thanks, six.")
    assert "Knee hug is now thirty seconds" in said
    assert "Knee hug is now twenty five seconds" in said
    assert "let's stop this one" in said
    assert "Skipping Knee hug" in said  # the variant of the plan position it lands on
    assert "Glute ball press" in said
    # The end asks again; the script has ended, so after a few seconds' silence, goodbye.
    assert lines_of(out, "coach:")[-2].startswith("That's the end of Small routine")
    assert "How is your pain now" in lines_of(out, "coach:")[-2]
    assert lines_of(out, "coach:")[-1] == "Take care, and well done today."
    # After the script ended, the glute press ran on its own, held for its whole 45 s.
    assert lines_of(out, "hold:")[-2:] == ["45 s", "done"]
    assert lines_of(out, "at:")[-1].startswith("Small routine, step 2 of 2: Glute ball press")
    state = stored(db)
    assert state["status"] == "finished"
    assert (state["pain_before"], state["pain_after"]) == (6, None)
    assert state["holds"] == {"knee-hug": 25}
    assert state["seen"] == ["knee-hug", "glute-ball"]


def run_in_process(small: Path, db: Path, script: str, **options: Any) -> tuple[int, str, str]:
    stdin, stdout, stderr = io.StringIO(script), io.StringIO(), io.StringIO()
    settings: dict[str, Any] = {
        "routine": "small",
        "speak": False,
        "listen": False,
        "routine_files": (small,),
        "db": db,
    }
    settings.update(options)
    status = run_coach(
        RunOptions(**settings), stdin=stdin, stdout=stdout, stderr=stderr, clock=FakeClock()
    )
    return status, stdout.getvalue(), stderr.getvalue()


def test_stop_keeps_the_place_and_the_preferences(small: Path, tmp_path: Path) -> None:
    db = tmp_path / "coach.sqlite3"
    status, out, _ = run_in_process(small, db, "longer hold\nnext\nnext\nstop\n")
    assert status == 0
    assert lines_of(out, "coach:")[-1] == (
        "Okay, stopping here. Your progress is saved. Next time, I'll offer to continue."
    )
    state = stored(db)
    assert (state["status"], state["position"], state["holds"]) == (
        "stopped",
        2,
        {"knee-hug": 30},
    )


def test_resume_continues_from_stored_progress(small: Path, tmp_path: Path) -> None:
    db = tmp_path / "coach.sqlite3"
    run_in_process(small, db, "I don't know\nnext\nnext\nstop\n")
    status, out, _ = run_in_process(small, db, "stop\n", routine=None, resume=True)
    assert status == 0
    opening = lines_of(out, "coach:")[0]
    assert "You were on step one of two of Small routine" in opening
    assert "Knee hug, left side" in opening
    assert stored(db)["position"] == 2
    # Without --resume a script starts the routine from the top (the default start).
    run_in_process(small, db, "stop\n")
    assert stored(db)["position"] == 0


def test_a_script_that_ends_while_the_coach_waits_saves_and_exits(
    small: Path, tmp_path: Path
) -> None:
    db = tmp_path / "coach.sqlite3"
    status, out, _ = run_in_process(small, db, "skip\nnext\npause\n")
    assert status == 0
    assert lines_of(out, "note:")[-1] == "No more input: progress saved. Run again to continue."
    assert (stored(db)["status"], stored(db)["position"]) == ("stopped", 1)


def test_no_pain_check_starts_without_asking_and_is_remembered(small: Path, tmp_path: Path) -> None:
    db = tmp_path / "coach.sqlite3"
    status, out, _ = run_in_process(small, db, "stop\n", pain_check=False)  # --no-pain-check
    assert status == 0
    assert "Knee hug, right side" in lines_of(out, "coach:")[0]
    assert "from zero to ten" not in out
    assert stored(db)["pain_check"] is False
    # The next run, without the option, remembers it: the whole routine, hands-free (the
    # script is empty), starts and ends without asking.
    status, out, _ = run_in_process(small, db, "")
    assert status == 0
    said = lines_of(out, "coach:")
    assert "Knee hug, right side" in said[0]
    assert "from zero to ten" not in out
    assert said[-1].startswith("That's the end of Small routine")
    assert (stored(db)["status"], stored(db)["pain_check"]) == ("finished", False)
    # --pain-check turns it on again.
    _, out, _ = run_in_process(small, db, "stop\n", pain_check=True)
    assert "from zero to ten" in lines_of(out, "coach:")[0]
    assert stored(db)["pain_check"] is True


# -- start-up errors -------------------------------------------------------------------------


def test_an_unknown_routine_is_an_error_listing_the_known_ones(small: Path, tmp_path: Path) -> None:
    status, out, err = run_in_process(small, tmp_path / "db.sqlite3", "", routine="nope")
    assert status == 1
    assert out == ""
    assert err.startswith("error: no routine called 'nope'; known: ")
    assert "small" in err
    assert "Traceback" not in err


def test_a_broken_routine_file_is_reported_by_line(small: Path, tmp_path: Path) -> None:
    small.write_text(SMALL_ROUTINE.replace("reps: 2", "reps: 0"))
    status, _, err = run_in_process(small, tmp_path / "db.sqlite3", "")
    assert status == 1
    assert f"{small}:18: steps.0.reps" in err


def test_a_store_that_cannot_be_opened_is_an_error(small: Path, tmp_path: Path) -> None:
    status, _, err = run_in_process(small, tmp_path, "")
    assert status == 1
    assert err.startswith(f"error: {tmp_path}: is a directory")


# -- missing devices -------------------------------------------------------------------------


def test_no_audio_device_costs_one_notice_and_the_coach_goes_on_in_text(
    small: Path, tmp_path: Path
) -> None:
    sink, missing = open_default_sink()
    sink.close()
    if missing is None:
        pytest.skip("this machine has an audio output device")
    status, out, _ = run_in_process(small, tmp_path / "db.sqlite3", "five\nstop\n", speak=True)
    assert status == 0
    notes = lines_of(out, "note:")
    assert len(notes) == 1
    assert notes[0].startswith("No audio output:")
    assert "Knee hug" in " ".join(lines_of(out, "coach:"))


def test_no_microphone_costs_one_notice(small: Path, tmp_path: Path) -> None:
    asked: list[Resolver] = []

    def no_microphone(resolver: Resolver, deaf: Any) -> tuple[PhraseSource | None, str | None]:
        asked.append(resolver)
        return None, "No microphone (no input device); use the keys instead."

    stdin, stdout = io.StringIO("stop\n"), io.StringIO()
    options = RunOptions(
        routine="small", speak=False, routine_files=(small,), db=tmp_path / "db.sqlite3"
    )
    status = run_coach(
        options, stdin=stdin, stdout=stdout, microphone=no_microphone, clock=FakeClock()
    )
    assert status == 0
    assert len(asked) == 1
    assert lines_of(stdout.getvalue(), "note:") == [
        "No microphone (no input device); use the keys instead."
    ]


def test_voice_commands_from_a_listener_drive_the_coach(small: Path, tmp_path: Path) -> None:
    class Heard:
        def __init__(self) -> None:
            self.closed = False

        def phrases(self) -> Iterator[str]:
            yield "what a nice day"
            yield "stop"

        def close(self) -> None:
            self.closed = True

    listener = Heard()
    # Stdin stays open (a script that never ends), so only the voice can stop the coach.
    read_end, write_end = os.pipe()
    with os.fdopen(read_end) as stdin, os.fdopen(write_end, "w"):
        stdout = io.StringIO()
        options = RunOptions(
            routine="small", speak=False, routine_files=(small,), db=tmp_path / "db.sqlite3"
        )
        status = run_coach(
            options,
            stdin=stdin,
            stdout=stdout,
            microphone=lambda resolver, deaf: (listener, None),
            clock=FakeClock(),
        )
    assert status == 0
    assert listener.closed
    out = stdout.getvalue()
    assert lines_of(out, "ignored:") == ["what a nice day (voice: not a command)"]
    assert lines_of(out, "heard:") == ["stop -> AMAZON.StopIntent (voice)"]


def test_open_voice_without_speech_is_text_only_and_silent() -> None:
    engine, sink, notices = open_voice(RunOptions(speak=False, rate=150))
    assert isinstance(engine, TextOnlyEngine)
    assert engine.wpm == 150
    assert isinstance(sink, NullSink)
    assert notices == []


class BrokenEngine:
    """A speech engine that fails on every phrase."""

    name = "broken"
    sample_rate = 16000

    def synthesize(self, text: str) -> Audio:
        raise SynthesisError("the driver crashed")


def test_speech_that_fails_mid_session_falls_back_to_text_once() -> None:
    notes: list[str] = []
    player = Player(BrokenEngine(), NullSink(), FakeClock())
    speaker = FallbackSpeaker(player, notes.append)
    prompt = Prompt((Say("Hold for twenty seconds."),))
    assert speaker.play(prompt).completed
    assert speaker.play(prompt).completed
    assert notes == ["Speech stopped working (the driver crashed); the coach goes on in text."]
    assert isinstance(player.engine, TextOnlyEngine)


# -- keys and Ctrl-C, as a user runs it ------------------------------------------------------


@pytest.mark.parametrize("stop_signal", [signal.SIGINT, signal.SIGTERM])
def test_ctrl_c_saves_progress_and_exits_cleanly(
    small: Path, tmp_path: Path, stop_signal: signal.Signals
) -> None:
    db = tmp_path / "coach.sqlite3"
    child = subprocess.Popen(
        run_args(small, db),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        bufsize=1,
    )
    assert child.stdin is not None
    assert child.stdout is not None
    lines = ChildLines(child.stdout.fileno(), WAIT_S)
    try:
        child.stdin.write("longer hold\n")
        child.stdin.flush()
        # The script is still open, so after the longer pass the coach waits for its next line.
        lines.read_until("heard: longer hold")
        lines.read_until("waiting:")
        child.send_signal(stop_signal)
        out, err = child.communicate(timeout=WAIT_S)
        out = lines.rest() + out
    finally:
        if child.poll() is None:  # a failed wait: its pipes are not left for another test
            child.kill()
            child.communicate()
    assert child.returncode == EXIT_INTERRUPTED
    assert "Traceback" not in err
    assert "note: Stopped: progress saved." in out
    state = stored(db)
    assert (state["status"], state["position"], state["holds"]) == (
        "stopped",
        0,
        {"knee-hug": 30},
    )


def test_keys_on_a_terminal_command_the_coach_and_the_terminal_is_restored(
    small: Path, tmp_path: Path, terminal: tuple[int, int]
) -> None:
    main, follower = terminal
    before = termios.tcgetattr(follower)
    db = tmp_path / "coach.sqlite3"
    child = subprocess.Popen(
        run_args(small, db, "--time-scale", "10"),
        stdin=follower,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        bufsize=1,
    )
    assert child.stdout is not None
    lines = ChildLines(child.stdout.fileno(), WAIT_S)
    # At ten times real speed the first prompt lasts seconds: time for the keys to land.
    lines.read_until("coach:")
    os.write(main, b"+")
    lines.read_until("heard: + -> LongerHoldIntent (key)")
    os.write(main, b" ")
    lines.read_until("heard: space -> AMAZON.PauseIntent (key)")
    os.write(main, b"q")
    out, err = child.communicate(timeout=WAIT_S)
    out = lines.rest() + out
    assert child.returncode == 0, err
    assert "heard: q -> AMAZON.StopIntent (key)" in out
    assert termios.tcgetattr(follower) == before
    state = stored(db)
    assert (state["status"], state["holds"]) == ("stopped", {"knee-hug": 30})


def test_the_command_is_registered_with_its_options() -> None:
    done = subprocess.run(
        [*COMMAND, "run", "--help"], capture_output=True, text=True, timeout=WAIT_S
    )
    assert done.returncode == 0
    for option in ("--no-voice", "--no-listen", "--time-scale", "--voice", "--rate"):
        assert option in done.stdout
    for option in ("--routine-file", "--resume", "--db", "--no-pain-check"):
        assert option in done.stdout


def test_no_microphone_on_this_machine_costs_one_notice(small: Path, tmp_path: Path) -> None:
    from speech.microphone import NoMicrophone, open_default_microphone

    try:
        open_default_microphone(lambda block: None, 16_000).close()
    except NoMicrophone:
        pass
    else:
        pytest.skip("this machine has a microphone")
    status, out, _ = run_in_process(small, tmp_path / "db.sqlite3", "stop\n", listen=True)
    assert status == 0
    notes = lines_of(out, "note:")
    assert len(notes) == 1
    assert notes[0].startswith("No voice commands: no usable audio input")
    assert lines_of(out, "heard:") == ["stop -> AMAZON.StopIntent (line)"]
