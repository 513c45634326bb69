"""Rests and brief mode together with the time to get ready (issue #14, both halves merged):
a rest, then the time to get ready, then the hold; the brief intro before a time to get ready
or a wait for "ready"; the pain check and the wait for "ready" keeping both halves' settings;
both on the local coach's screens; both in the microphone's grammar."""

from __future__ import annotations

import io
import itertools
import re
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from routines import events as ev
from routines.commands import Command, CommandKind
from routines.models import Routine
from routines.session import apply, new_state
from skill.core.resolver import Resolver
from skill.local.coach import Outcome, Startup
from skill.local.run import voice_grammar
from skill.local.screen import LiveScreen, PlainScreen
from speech.clock import FakeClock
from speech.prompt import GetReady, Hold, Part, Pause, Say
from speech.prompts import build_prompt
from tests.support.engine import run
from tests.test_coach import Rig

K = CommandKind
START = Command(K.START, routine="small")
NEXT = Command(K.NEXT)

REST_SETTINGS = [
    Command(K.LONGER_REST),
    Command(K.SHORTER_REST),
    Command(K.SET_REST, seconds=10),
    Command(K.FULL_INSTRUCTIONS),
    Command(K.BRIEF_INSTRUCTIONS),
]
"""The rests half's settings, said at any time."""

READY_SETTINGS = [
    Command(K.READY_LONGER),
    Command(K.READY_SHORTER),
    Command(K.READY_NONE),
    Command(K.WAIT_READY_ON),
    Command(K.WAIT_READY_OFF),
]
"""The get-ready half's settings."""


def known(**preferences: Any) -> dict[str, Any]:
    """A user who did the knee hug in an earlier session, without the pain check."""
    return {**new_state(), "seen": ["knee-hug"], "pain_check": False, **preferences}


def kinds(parts: tuple[Part, ...]) -> list[str]:
    return [type(part).__name__ for part in parts]


def test_a_rest_then_the_time_to_get_ready_then_the_hold(library: dict[str, Routine]) -> None:
    state, _ = run(library, START, Command(K.SET_REST, seconds=15))
    _, events = run(library, NEXT, state=state)
    assert [type(e) for e in events if isinstance(e, ev.Rest | ev.Perform)] == [
        ev.Rest,
        ev.Perform,
    ]
    parts = build_prompt(events).parts
    rest = next(i for i, p in enumerate(parts) if isinstance(p, Pause) and p.rest)
    ready = next(i for i, p in enumerate(parts) if isinstance(p, GetReady))
    hold = next(i for i, p in enumerate(parts) if isinstance(p, Hold))
    assert parts[rest] == Pause(15, rest=True)
    assert parts[ready] == GetReady(5)
    # The rest, the pass's cue, "get into position", its time, the hold's cue, the hold.
    assert rest < ready < hold
    assert kinds(parts[rest + 1 : hold]) == ["Say", "Say", "GetReady", "Say"]
    cue = parts[hold - 1]
    assert isinstance(cue, Say)
    assert cue.text.endswith("Begin.")


def test_a_brief_intro_then_the_time_to_get_ready_then_the_hold(
    library: dict[str, Routine],
) -> None:
    _, events = run(library, START, state=known())
    parts = build_prompt(events).parts
    hold = next(i for i, p in enumerate(parts) if isinstance(p, Hold))
    assert parts[hold - 4 : hold] == (
        Say("Knee hug, right side, for twenty seconds."),
        Say("Get into position."),
        GetReady(5),
        Say("Starting now."),
    )
    assert "Lie on your back." not in build_prompt(events).text
    # With no time to get ready, the one sentence starts the hold, as before.
    _, events = run(library, START, state=known(get_ready=0))
    parts = build_prompt(events).parts
    hold = next(i for i, p in enumerate(parts) if isinstance(p, Hold))
    assert parts[hold - 1] == Say("Knee hug, right side, for twenty seconds, starting now.")
    assert not any(isinstance(p, GetReady) for p in parts)


def test_waiting_for_ready_in_brief_mode(library: dict[str, Routine]) -> None:
    state, events = run(library, START, state=known(wait_ready=True))
    text = build_prompt(events).text
    assert "Knee hug, right side, for twenty seconds. Say ready when you're in position." in text
    assert "starting now" not in text.lower()
    assert not build_prompt(events).holds
    # Rest and instruction settings are answered and the wait goes on, asked again.
    for setting in REST_SETTINGS:
        state, events = run(library, setting, state=state)
        assert state["ready_pending"] is True, setting
        assert isinstance(events[-1], ev.WaitingForReady), setting
        assert not build_prompt(events).holds
    state, events = run(library, Command(K.READY), state=state)
    prompt = build_prompt(events)
    # Straight to the hold: no intro again, brief or full, and no time to get ready.
    assert prompt.parts[0] == Say("Hold for twenty seconds. Begin.")
    assert isinstance(prompt.parts[1], Hold)
    assert not state["ready_pending"]


@pytest.mark.parametrize("setting", REST_SETTINGS + READY_SETTINGS, ids=lambda c: c.kind.value)
def test_both_halves_settings_keep_the_pain_check_asking(
    library: dict[str, Routine], setting: Command
) -> None:
    state, _ = apply(None, START, library)
    assert state["asking"] == "pain_before"
    state, events = apply(state, setting, library)
    assert state["asking"] == "pain_before"
    assert isinstance(events[-1], ev.PainCheck)
    assert not [e for e in events if isinstance(e, ev.Perform)]


def test_ready_answers_the_pain_check_and_moves_on(library: dict[str, Routine]) -> None:
    state, _ = apply(None, START, library)
    state, events = apply(state, Command(K.READY), library)
    assert state["asking"] is None
    assert [e.item.position for e in events if isinstance(e, ev.Perform)] == [0]


def test_the_coach_shows_a_rest_then_the_time_to_get_ready_then_the_hold(
    library: dict[str, Routine], tmp_path: Path
) -> None:
    r = Rig(library, tmp_path / "coach.sqlite3")
    assert r.coach.run(Startup(routine="small")) is Outcome.FINISHED
    timed = [(name, value) for name, value in r.screen.calls if name in ("rest", "get_ready")]
    timed += [("hold", value) for name, value in r.screen.calls if name == "hold"]
    timed.sort(key=lambda call: call[1][1])
    # The knee hug: right, rest, right; left, rest, left; then the glute ball.
    assert [(name, seconds) for name, (seconds, _) in timed] == [
        ("get_ready", 5),
        ("hold", 20),
        ("rest", 5),
        ("get_ready", 5),
        ("hold", 20),
        ("get_ready", 5),
        ("hold", 20),
        ("rest", 5),
        ("get_ready", 5),
        ("hold", 20),
        ("get_ready", 5),
        ("hold", 45),
    ]
    # Each time runs its whole length before the next begins (speech between them).
    for (_, (seconds, at)), (_, (_, then)) in itertools.pairwise(timed):
        assert at + seconds <= then


def test_the_screens_show_a_rest_and_a_time_to_get_ready() -> None:
    out = io.StringIO()
    plain = PlainScreen(out)
    plain.rest(10, 0.0)
    plain.rest_over(True)
    plain.get_ready(5, 10.0)
    plain.hold(20, 15.0)
    assert out.getvalue() == "rest: 10 s\nrest: done\nget ready: 5 s\nhold: 20 s\n"
    clock = FakeClock(start=100.0)
    live = LiveScreen(Console(file=io.StringIO()), clock)

    def drawn() -> str:
        console = Console(record=True, width=100, file=io.StringIO(), color_system=None)
        console.print(live.render())
        return console.export_text()

    live.rest(10, 100.0)
    clock.advance(4)
    assert re.search(r"Rest .*0:06 left", drawn())
    assert "Get ready" not in drawn()
    clock.advance(6)
    live.rest_over(True)
    live.get_ready(5, clock.now())
    clock.advance(2)
    text = drawn()
    assert re.search(r"Get ready .*3\s*│", text)
    assert "Rest" not in text
    live.hold(20, clock.now() + 3)
    clock.advance(3)
    text = drawn()
    assert "Get ready" not in text
    assert "Rest" not in text
    assert re.search(r"Hold .*0:20 left", text)


def test_the_microphone_grammar_has_both_halves_phrases() -> None:
    grammar = voice_grammar(Resolver.for_locale("en-US"))
    for phrase, intent in [
        ("longer rests", "LongerRestIntent"),
        ("shorter rests", "ShorterRestIntent"),
        ("always explain", "AlwaysExplainIntent"),
        ("be brief again", "BriefInstructionsIntent"),
        ("short instructions", "BriefInstructionsIntent"),
        ("go", "ReadyIntent"),
        ("wait for me", "WaitForReadyIntent"),
        ("don't wait for me", "StopWaitingIntent"),
        ("more time to get ready", "MoreReadyTimeIntent"),
        ("no time to get ready", "NoReadyTimeIntent"),
    ]:
        assert grammar.get(phrase) == intent, phrase
    assert any(i == "SetRestIntent" and p.startswith("rest for ") for p, i in grammar.items())
    # The figure skill.local.run.voice_grammar and the README give.
    assert len(grammar) == 1198
