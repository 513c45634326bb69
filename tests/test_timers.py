"""Tests for skill.core.timers: what a turn does to the timer of a long hold, when the permission
may be asked for again, and the state fields that keep it (stored states from before load)."""

from __future__ import annotations

from typing import Any

import pytest

from routines import session
from routines.commands import CommandKind
from routines.errors import StateError
from routines.models import Routine, Side
from skill.core.timers import (
    TimerAction,
    continues_after_timer,
    may_ask,
    timer_action,
)
from speech.prompt import Hold, Prompt, Say
from speech.ssml import MAX_RESPONSE_S, long_hold


def state(**fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {"routine": "r", "position": 2, "status": "active"}
    return {**base, **fields}


TIMED = state(timer_id="t1", timer_position=2)


@pytest.mark.parametrize(
    ("before", "after", "kind", "long", "action"),
    [
        (state(), state(), CommandKind.NEXT, True, TimerAction.CREATE),
        (state(), state(), CommandKind.NEXT, False, None),
        (TIMED, state(position=3), CommandKind.NEXT, False, TimerAction.DELETE),
        (TIMED, state(position=3), CommandKind.NEXT, True, TimerAction.REPLACE),
        (TIMED, state(position=1), CommandKind.PREVIOUS, False, TimerAction.DELETE),
        (TIMED, state(status="stopped"), CommandKind.STOP, False, TimerAction.DELETE),
        (TIMED, state(status="halted"), CommandKind.RED_FLAG, False, TimerAction.DELETE),
        (TIMED, state(status="finished"), CommandKind.NEXT, False, TimerAction.DELETE),
        (TIMED, state(routine="other", position=2), CommandKind.START, True, TimerAction.REPLACE),
        (TIMED, state(status="paused"), CommandKind.PAUSE, False, TimerAction.PAUSE),
        (TIMED, state(status="paused"), CommandKind.PAIN, False, TimerAction.PAUSE),
        (TIMED, state(), CommandKind.RESUME, True, TimerAction.RESUME),
        (TIMED, state(), CommandKind.YES, True, TimerAction.RESUME),
        (TIMED, state(), CommandKind.REPEAT, True, TimerAction.REPLACE),
        (TIMED, state(), CommandKind.LONGER, True, TimerAction.REPLACE),
        (TIMED, state(), CommandKind.STATUS, False, None),
        (TIMED, state(), CommandKind.HELP, False, None),
        (TIMED, state(status="paused"), CommandKind.LAUNCH, False, TimerAction.REPORT),
        (TIMED, state(status="stopped"), CommandKind.LAUNCH, False, TimerAction.DELETE),
        # A launch paused the routine but not the timer: "pause" pauses it (after a look).
        (
            {**TIMED, "status": "paused"},
            state(status="paused"),
            CommandKind.PAUSE,
            False,
            TimerAction.PAUSE,
        ),
        ({**TIMED, "status": "paused"}, state(status="paused"), CommandKind.HELP, False, None),
    ],
)
def test_what_a_turn_does_to_the_timer(
    before: dict[str, Any],
    after: dict[str, Any],
    kind: CommandKind,
    long: bool,
    action: TimerAction | None,
) -> None:
    assert timer_action(before, after, kind, long) is action


@pytest.mark.parametrize(
    ("asked_at", "at", "ask"),
    [
        (None, "2026-03-02T08:00:00+00:00", True),
        ("2026-03-02T08:00:00+00:00", "2026-03-08T08:00:00+00:00", False),
        ("2026-03-02T08:00:00+00:00", "2026-03-09T07:59:59+00:00", False),
        ("2026-03-02T08:00:00+00:00", "2026-03-09T08:00:00+00:00", True),
        ("2026-03-02T08:00:00+00:00", "2026-03-01T08:00:00+00:00", True),  # a clock went back
        ("not a time", "2026-03-02T08:00:00+00:00", True),
        ("2026-03-02T08:00:00+00:00", "", True),
    ],
)
def test_the_permission_is_asked_again_after_a_week(
    asked_at: str | None, at: str, ask: bool
) -> None:
    assert may_ask(asked_at, at) is ask


def test_only_the_states_own_timer_on_its_pass_continues_after_it_rang() -> None:
    assert continues_after_timer(TIMED, 2)
    assert continues_after_timer({**TIMED, "status": "paused"}, 2)
    assert not continues_after_timer(TIMED, 1)
    assert not continues_after_timer(state(), 2)
    assert not continues_after_timer({**TIMED, "position": 3}, 2)
    assert not continues_after_timer({**TIMED, "status": "stopped"}, 2)


def test_a_state_stored_before_timers_loads_with_none(library: dict[str, Routine]) -> None:
    old = session.new_state()
    for name in ("timer_id", "timer_position", "timer_asked_at"):
        del old[name]
    restored = session.restore(old, library).to_json()
    assert (restored["timer_id"], restored["timer_position"], restored["timer_asked_at"]) == (
        None,
        None,
        None,
    )


@pytest.mark.parametrize("bad", [{"timer_id": 3}, {"timer_position": -1}, {"timer_asked_at": 1}])
def test_timer_fields_of_the_wrong_type_are_refused(
    library: dict[str, Routine], bad: dict[str, Any]
) -> None:
    with pytest.raises(StateError):
        session.restore({**session.new_state(), **bad}, library)


def hold(seconds: int) -> Hold:
    return Hold(seconds, "step", Side.BOTH, 1)


def test_the_long_hold_is_the_first_one_too_long_for_one_response() -> None:
    short, long = hold(30), hold(int(MAX_RESPONSE_S) + 60)
    assert long_hold(Prompt((Say("Lie down."), short))) is None
    prompt = Prompt((Say("Lie down."), long, Say("Release."), short))
    assert long_hold(prompt) is long
    # Equal parts in another prompt (the cache answers): that prompt's own hold comes back.
    again = Prompt((Say("Lie down."), hold(int(MAX_RESPONSE_S) + 60), Say("Release."), short))
    assert long_hold(again) is again.holds[0]
