"""The local coach's time to get ready, on the injected clock: the screen counts it down, the
hold after it stays exact, and waiting for "ready" holds nothing until the user says so."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from rich.console import Console

from routines.commands import Command, CommandKind
from routines.models import Routine
from skill.local.coach import Outcome, Startup
from skill.local.inputs import Heard, Source, key_intent
from skill.local.screen import LiveScreen, PlainScreen
from speech.clock import FakeClock
from speech.prompt import GetReady, Say
from tests.conftest import SMALL_ROUTINE
from tests.test_coach import SMALL_HOLDS, Rig
from tests.test_run import lines_of, run_in_process, stored

READY = Heard(Command(CommandKind.READY), "ReadyIntent", "g", Source.KEY)


@pytest.fixture
def rig(library: dict[str, Routine], tmp_path: Path) -> Callable[[], Rig]:
    def make() -> Rig:
        made = Rig(library, tmp_path / "coach.sqlite3")
        made.coach.set_pain_check(False)
        return made

    return make


def test_each_hold_follows_its_get_ready_time_and_stays_exact(rig: Callable[[], Rig]) -> None:
    r = rig()
    ended: list[float] = []
    hold_over = r.screen.hold_over

    def note_the_end(completed: bool) -> None:
        hold_over(completed)
        ended.append(r.clock.now())

    r.screen.hold_over = note_the_end  # type: ignore[method-assign]
    assert r.coach.run(Startup(routine="small")) is Outcome.FINISHED
    readies = r.screen.of("get_ready")
    holds = r.screen.of("hold")
    assert [seconds for seconds, _ in readies] == [5] * len(SMALL_HOLDS)
    assert [seconds for seconds, _ in holds] == SMALL_HOLDS
    cues = [
        next(
            part
            for before, part in zip(prompt.parts, prompt.parts[1:], strict=False)
            if isinstance(before, GetReady)
        )
        for prompt in r.coach.spoken
        if prompt.holds
    ]
    for (ready, ready_at), (seconds, hold_at), cue, end in zip(
        readies, holds, cues, ended, strict=True
    ):
        # The cue ("Hold for twenty seconds. Begin.") starts when the time to get ready is
        # over; the hold starts when the cue ends and lasts exactly its seconds.
        assert isinstance(cue, Say)
        assert hold_at == pytest.approx(ready_at + ready + r.player.measure(cue.text), abs=1e-9)
        assert end - hold_at == pytest.approx(seconds, abs=1e-9)


def test_waiting_for_ready_holds_nothing_until_the_user_says_ready(
    rig: Callable[[], Rig],
) -> None:
    r = rig()
    r.coach.set_wait_for_ready(True)
    asked: list[float] = []
    waiting = r.screen.waiting

    def answer_when_asked(hint: str | None) -> None:
        waiting(hint)
        if hint is not None and hint.startswith("Say ready"):
            asked.append(r.clock.now())
            r.inputs.put(READY)  # the user presses g

    r.screen.waiting = answer_when_asked  # type: ignore[method-assign]
    assert r.coach.run(Startup(routine="small")) is Outcome.FINISHED
    holds = r.screen.of("hold")
    assert [seconds for seconds, _ in holds] == SMALL_HOLDS
    assert len(asked) == len(SMALL_HOLDS)
    # Each hold starts only after the coach asked and the user answered; no timed get-ready.
    for (_, hold_at), asked_at in zip(holds, asked, strict=True):
        assert hold_at > asked_at
    assert r.screen.of("get_ready") == []
    after_ready = [prompt for prompt in r.coach.spoken if prompt.holds]
    # Straight to the hold's cue ("Hold for twenty seconds. Begin."): no introduction again.
    assert all(re.match(r"[\w ]+ for [\w ]+ seconds\. Begin\.", p.text) for p in after_ready)
    assert r.stored()["wait_ready"] is True


def test_without_an_answer_the_coach_waits_and_keeps_its_place(rig: Callable[[], Rig]) -> None:
    r = rig()
    r.coach.set_wait_for_ready(True)
    r.end(Source.KEY)
    assert r.coach.run(Startup(routine="small")) is Outcome.NO_INPUT
    assert r.screen.of("hold") == []
    assert "Say ready when you're in position." in r.coach.spoken[-1].text
    assert r.stored()["position"] == 0


def test_g_is_the_ready_key() -> None:
    assert key_intent("g") == "ReadyIntent"


def test_the_live_screen_counts_the_get_ready_time_down_as_it_does_a_hold() -> None:
    clock = FakeClock(start=100.0)
    screen = LiveScreen(Console(file=io.StringIO()), clock)
    screen.get_ready(5, 100.0)

    def drawn() -> str:
        console = Console(record=True, width=100, file=io.StringIO(), color_system=None)
        console.print(screen.render())
        return console.export_text()

    counted = []
    for _ in range(5):
        found = re.search(r"Get ready .*?(\d+)\s*│", drawn())
        assert found is not None
        counted.append(int(found.group(1)))
        clock.advance(1)
    assert counted == [5, 4, 3, 2, 1]
    assert "Get ready" not in drawn()  # over
    screen.get_ready(5, clock.now())
    screen.hold(20, clock.now())
    text = drawn()
    assert "Get ready" not in text
    assert "0:20 left" in text


def test_the_plain_screen_writes_a_line_for_the_get_ready_time() -> None:
    out = io.StringIO()
    PlainScreen(out).get_ready(5, 0.0)
    assert out.getvalue() == "get ready: 5 s\n"


def test_wait_for_ready_on_the_command_line_is_remembered(tmp_path: Path) -> None:
    small = tmp_path / "small.yaml"
    small.write_text(SMALL_ROUTINE)
    db = tmp_path / "coach.sqlite3"
    script = "I don't know\nready\nstop\n"
    status, out, _ = run_in_process(small, db, script, wait_for_ready=True)
    assert status == 0
    said = lines_of(out, "coach:")
    assert said[1].endswith("Say ready when you're in position.")
    assert said[2].startswith("Hold for twenty seconds.")
    assert "Get into position" not in out
    assert stored(db)["wait_ready"] is True
    # --no-wait-for-ready turns it off: the next hold comes after the time to get ready (the
    # knee hug was done in the earlier session: its brief intro, then "starting now").
    _, out, _ = run_in_process(small, db, "I don't know\nstop\n", wait_for_ready=False)
    assert "for twenty seconds. Get into position. Starting now." in out
    assert "Say ready" not in out
    assert stored(db)["wait_ready"] is False


def test_a_question_during_the_time_to_get_ready_is_answered_then_the_rest_of_it_goes_on(
    rig: Callable[[], Rig],
) -> None:
    r = rig()
    get_ready = r.screen.get_ready

    def ask_and_end() -> None:
        r.say("status")
        r.end(Source.KEY)

    def ask_two_seconds_in(seconds: int, started: float) -> None:
        get_ready(seconds, started)
        if len(r.screen.of("get_ready")) == 1:
            # The question is the last input: if the prompt did not go on, the coach would stop.
            r.clock.call_at(started + 2, ask_and_end)

    r.screen.get_ready = ask_two_seconds_in  # type: ignore[method-assign]
    assert r.coach.run(Startup(routine="small")) is Outcome.FINISHED
    # The first get-ready: cut at 2 s by the question, then its last 3 s, the cue and the hold.
    assert [seconds for seconds, _ in r.screen.of("get_ready")][:3] == [5, 3, 5]
    assert [seconds for seconds, _ in r.screen.of("hold")] == SMALL_HOLDS
    answer = r.coach.spoken[1]
    assert answer.text.startswith("You're on step one of two")
    assert answer.holds[0].seconds == SMALL_HOLDS[0]


def test_ready_during_the_time_to_get_ready_starts_the_hold_at_once(
    rig: Callable[[], Rig],
) -> None:
    r = rig()
    get_ready = r.screen.get_ready
    pressed: list[float] = []

    def press_g_a_second_in(seconds: int, started: float) -> None:
        get_ready(seconds, started)
        if not pressed:
            pressed.append(started + 1)
            r.clock.call_at(started + 1, lambda: r.inputs.put(READY))

    r.screen.get_ready = press_g_a_second_in  # type: ignore[method-assign]
    assert r.coach.run(Startup(routine="small")) is Outcome.FINISHED
    holds = r.screen.of("hold")
    assert [seconds for seconds, _ in holds] == SMALL_HOLDS
    # The first hold's cue came at once: the hold started well before the 5 s were up.
    assert holds[0][1] < pressed[0] + 4
    assert r.coach.spoken[1].text.startswith("Hold")
