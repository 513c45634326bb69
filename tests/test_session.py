"""The session engine: every command, and properties over any sequence of commands."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from routines import events as ev
from routines.commands import Command, CommandKind
from routines.errors import StateError
from routines.models import Routine, Side
from routines.plan import expand
from routines.session import Offer, Status, apply, hold_step, new_state, restore
from tests.conftest import small_library

K = CommandKind


def run(
    library: dict[str, Routine], *commands: Command, state: dict[str, Any] | None = None
) -> tuple[dict[str, Any], list[ev.Event]]:
    """Apply commands in turn; return the last state and the last command's events."""
    events: list[ev.Event] = []
    for command in commands:
        state, events = apply(state, command, library)
    assert state is not None
    return state, events


def kinds(events: list[ev.Event]) -> list[str]:
    return [type(e).__name__ for e in events]


START = Command(K.START, routine="small")

# Answers to the pain check a start asks, varied as users give them: a rating, "about a
# three", "skip", "next" and "I don't know" (a rating command without a rating).
FIVE = Command(K.RATE_PAIN, rating=5)
ABOUT_THREE = Command(K.RATE_PAIN, rating=3)
SKIP = Command(K.SKIP)
NEXT = Command(K.NEXT)
DONT_KNOW = Command(K.RATE_PAIN)


def test_first_launch_gives_the_disclaimer_and_offers_the_default_routine(
    library: dict[str, Routine],
) -> None:
    state, events = run(library, Command(K.LAUNCH))
    assert kinds(events) == ["Disclaimer", "Welcome", "Offer"]
    assert events[2] == ev.Offer(resume=False, routine=library["sciatica-quick-relief"])
    state, events = run(library, Command(K.YES), state=state)
    assert kinds(events) == ["RoutineStarted", "PainCheck"]
    assert state["routine"] == "sciatica-quick-relief"
    state, events = run(library, FIVE, state=state)
    assert kinds(events) == ["PainRated", "Perform"]
    assert state["pain_before"] == 5


def test_a_returning_user_is_offered_to_continue(library: dict[str, Routine]) -> None:
    state, _ = run(library, Command(K.LAUNCH), START, SKIP, Command(K.NEXT), Command(K.STOP))
    assert state["status"] == "stopped"
    state, events = run(library, Command(K.LAUNCH), state=state)
    assert kinds(events) == ["Welcome", "Offer"]
    assert events[0] == ev.Welcome(True, library["small"], 1, 5)
    state, events = run(library, Command(K.YES), state=state)
    assert kinds(events) == ["Resumed", "Perform"]
    perform = events[1]
    assert isinstance(perform, ev.Perform)
    assert perform.item.position == 1


def test_a_one_shot_start_still_gives_the_disclaimer_once(library: dict[str, Routine]) -> None:
    state, events = run(library, START)
    assert kinds(events) == ["Disclaimer", "RoutineStarted", "PainCheck"]
    state, events = run(library, ABOUT_THREE, state=state)
    assert kinds(events) == ["PainRated", "Perform"]
    state, events = run(library, Command(K.STOP), Command(K.LAUNCH), state=state)
    assert kinds(events) == ["Welcome", "Offer"]
    assert events[1] == ev.Offer(resume=True, routine=library["small"])
    state, events = run(library, START, state=state)
    assert kinds(events) == ["RoutineStarted", "PainCheck"]
    _, events = run(library, DONT_KNOW, state=state)
    assert kinds(events) == ["PainRated", "Perform"]
    assert events[0] == ev.PainRated(None, before=True, earlier=None)


def test_after_a_red_flag_the_next_launch_reminds_the_user_to_get_checked(
    library: dict[str, Routine],
) -> None:
    state, _ = run(library, START, Command(K.RED_FLAG, symptom="RED_FLAG_BLADDER"))
    assert state["red_flag"] == "RED_FLAG_BLADDER"
    state, events = run(library, Command(K.LAUNCH), state=state)
    assert kinds(events) == ["Welcome", "SafetyReminder", "Offer"]
    assert events[1] == ev.SafetyReminder("RED_FLAG_BLADDER")
    state, events = run(library, Command(K.YES), Command(K.STOP), Command(K.LAUNCH), state=state)
    assert state["red_flag"] is None
    assert "SafetyReminder" not in kinds(events)


def test_saying_no_to_the_offer_changes_nothing_and_yes_without_offer_is_a_notice(
    library: dict[str, Routine],
) -> None:
    state, _ = run(library, Command(K.LAUNCH))
    state2, events = run(library, Command(K.NO), state=state)
    assert kinds(events) == ["Declined"]
    assert state2["status"] == "idle"
    _, events = run(library, Command(K.YES), state=state2)
    assert events == [ev.Notice(ev.NoticeKind.NOTHING_TO_CONFIRM)]


def test_the_plan_walks_sides_and_reps_with_rests_and_side_switches(
    library: dict[str, Routine],
) -> None:
    state, events = run(library, START)
    assert kinds(events) == ["Disclaimer", "RoutineStarted", "PainCheck"]
    state, events = run(library, ABOUT_THREE, state=state)
    assert kinds(events) == ["PainRated", "Perform"]
    first = events[1]
    assert isinstance(first, ev.Perform)
    assert (first.item.step.id, first.item.side, first.item.rep, first.hold, first.detail) == (
        "knee-hug",
        "right",
        1,
        20,
        "full",
    )
    state, events = run(library, Command(K.NEXT), state=state)
    assert kinds(events) == ["Rest", "Perform"]
    assert events[0] == ev.Rest(5)
    assert isinstance(events[1], ev.Perform)
    assert events[1].detail == "cue"
    state, events = run(library, Command(K.NEXT), state=state)
    assert kinds(events) == ["SideSwitch", "Perform"]
    assert events[0] == ev.SideSwitch(Side.LEFT)
    state, events = run(library, Command(K.NEXT), Command(K.NEXT), state=state)
    assert isinstance(events[-1], ev.Perform)
    assert events[-1].item.step.id == "glute-ball"
    assert events[-1].detail == "full"
    state, events = run(library, Command(K.NEXT), state=state)
    assert kinds(events) == ["Finished", "PainCheck"]
    assert events[1] == ev.PainCheck(before=False)
    assert state["status"] == "finished"
    state, events = run(library, Command(K.RATE_PAIN, rating=2), state=state)
    assert events == [ev.PainRated(2, before=False, earlier=3), ev.SessionClosed()]
    assert (state["status"], state["pain_after"]) == ("finished", 2)
    _, events = run(library, Command(K.NEXT), state=state)
    assert kinds(events) == ["Notice", "Offer"]


def test_a_known_technique_is_introduced_briefly_next_time(library: dict[str, Routine]) -> None:
    state, _ = run(library, START, NEXT, Command(K.STOP))
    _, events = run(library, Command(K.START, routine="sciatica-quick-relief"), SKIP, state=state)
    perform = events[-1]
    assert isinstance(perform, ev.Perform)
    assert perform.detail == "brief"


def test_repeat_and_previous(library: dict[str, Routine]) -> None:
    state, events = run(library, START, FIVE, Command(K.PREVIOUS))
    assert events == [ev.Notice(ev.NoticeKind.AT_START)]
    state, events = run(library, Command(K.NEXT), Command(K.PREVIOUS), state=state)
    assert isinstance(events[0], ev.Perform)
    assert events[0].item.position == 0
    assert events[0].detail == "brief"
    state, events = run(library, Command(K.REPEAT), state=state)
    assert isinstance(events[0], ev.Perform)
    assert events[0].item.position == 0
    assert events[0].detail == "full"


def test_longer_and_shorter_move_in_steps_and_stop_at_the_bounds(
    library: dict[str, Routine],
) -> None:
    state, events = run(library, START, Command(K.LONGER))
    assert events[0] == ev.HoldChanged(library["small"].steps[0], 20, 30, 30)
    assert isinstance(events[1], ev.Perform)
    assert events[1].hold == 30
    assert state["holds"] == {"knee-hug": 30}
    state, events = run(library, Command(K.LONGER), state=state)
    assert events == [ev.HoldLimit(library["small"].steps[0], 30, longest=True)]
    state, events = run(library, Command(K.SHORTER, seconds=100), state=state)
    assert events[0] == ev.HoldChanged(library["small"].steps[0], 30, 15, -70)
    state, events = run(library, Command(K.SHORTER), state=state)
    assert events == [ev.HoldLimit(library["small"].steps[0], 15, longest=False)]


def test_set_hold_is_clamped_and_remembered_in_later_sessions(library: dict[str, Routine]) -> None:
    state, events = run(library, START, Command(K.SET_HOLD, seconds=36000))
    assert events[0] == ev.HoldChanged(library["small"].steps[0], 20, 30, 36000)
    state, events = run(library, Command(K.SET_HOLD, seconds=25), state=state)
    assert isinstance(events[1], ev.Perform)
    assert events[1].hold == 25
    _, events = run(library, Command(K.STOP), START, NEXT, state=state)
    assert isinstance(events[-1], ev.Perform)
    assert events[-1].hold == 25
    _, events = run(library, Command(K.SET_HOLD), state=state)
    assert events == [ev.Notice(ev.NoticeKind.NEED_DURATION)]


def test_pause_resume(library: dict[str, Routine]) -> None:
    state, events = run(library, START, DONT_KNOW, Command(K.RESUME))
    assert events == [ev.Notice(ev.NoticeKind.NOT_PAUSED)]
    state, events = run(library, Command(K.PAUSE), state=state)
    assert events == [ev.Paused()]
    assert state["status"] == "paused"
    state, events = run(library, Command(K.PAUSE), state=state)
    assert events == [ev.Notice(ev.NoticeKind.ALREADY_PAUSED)]
    state, events = run(library, Command(K.RESUME), state=state)
    assert kinds(events) == ["Resumed", "Perform"]
    assert state["status"] == "active"


def test_skip_moves_to_the_next_step(library: dict[str, Routine]) -> None:
    state, events = run(library, START, FIVE, Command(K.SKIP))
    assert events[0] == ev.Skipped(library["small"].steps[0])
    assert isinstance(events[1], ev.Perform)
    assert events[1].item.step.id == "glute-ball"
    _, events = run(library, Command(K.SKIP), state=state)
    assert kinds(events) == ["Skipped", "Finished", "PainCheck"]


def test_start_over(library: dict[str, Routine]) -> None:
    state, events = run(library, START, Command(K.NEXT), Command(K.START_OVER))
    assert isinstance(events[0], ev.RoutineStarted)
    assert events[0].restarted
    assert state["position"] == 0


def test_status_and_explain(library: dict[str, Routine]) -> None:
    _, events = run(library, Command(K.STATUS))
    assert kinds(events) == ["Notice", "Offer"]
    _, events = run(library, START, SKIP, Command(K.NEXT), Command(K.STATUS))
    (progress,) = events
    assert isinstance(progress, ev.Progress)
    assert (progress.done, progress.total, progress.steps_left) == (1, 5, 2)
    assert progress.seconds_left == 3 * 32 + 5 + 57
    _, events = run(library, START, NEXT, Command(K.EXPLAIN))
    assert events == [ev.Explanation(library["small"].steps[0])]
    # Asked while the pain check waits: answered, then the check is asked again.
    _, events = run(library, START, Command(K.EXPLAIN))
    assert events == [ev.Explanation(library["small"].steps[0]), ev.PainCheck(before=True)]
    _, events = run(library, Command(K.EXPLAIN))
    assert events == [ev.Explanation(None)]


def test_pain_stops_the_technique_and_a_red_flag_ends_the_session(
    library: dict[str, Routine],
) -> None:
    state, events = run(library, START, Command(K.PAIN, symptom="NUMBNESS"))
    assert events == [ev.PainAdvice("NUMBNESS", library["small"].steps[0])]
    assert state["status"] == "paused"
    state, events = run(library, Command(K.RED_FLAG, symptom="RED_FLAG_SADDLE"), state=state)
    assert events == [ev.RedFlag("RED_FLAG_SADDLE")]
    assert state["status"] == "halted"
    for kind in (K.NEXT, K.RESUME, K.START_OVER, K.REPEAT, K.YES, K.LONGER):
        after, events = run(library, Command(kind), state=state)
        assert after["status"] == "halted"


def test_stop_outside_a_routine_is_a_plain_goodbye(library: dict[str, Routine]) -> None:
    _, events = run(library, Command(K.STOP))
    assert events == [ev.Stopped(False)]


def test_unknown_routine_and_list(library: dict[str, Routine]) -> None:
    state, events = run(library, Command(K.START, routine="yoga"))
    assert kinds(events) == ["UnknownRoutine"]
    assert state["status"] == "idle"
    _, events = run(library, Command(K.LIST))
    assert events == [ev.RoutineList((library["sciatica-quick-relief"], library["small"]))]


def test_help_depends_on_where_the_user_is(library: dict[str, Routine]) -> None:
    _, events = run(library, Command(K.HELP))
    assert events == [ev.Help(in_routine=False, paused=True)]
    _, events = run(library, START, ABOUT_THREE, Command(K.HELP))
    assert events == [ev.Help(in_routine=True, paused=False)]
    _, events = run(library, START, Command(K.HELP))
    assert events == [ev.Help(in_routine=True, paused=False), ev.PainCheck(before=True)]


def test_bad_states_are_refused_and_stale_ones_repaired(library: dict[str, Routine]) -> None:
    with pytest.raises(StateError):
        restore({"version": 99}, library)
    with pytest.raises(StateError):
        restore({"position": -1}, library)
    with pytest.raises(StateError):
        restore({"status": "dancing"}, library)
    state = restore(
        {"routine": "gone", "status": "active", "position": 3, "holds": {"x": 9}}, library
    )
    assert (state.routine, state.status, state.holds) == (None, Status.IDLE, {"x": 9})
    state = restore({"routine": "small", "status": "active", "position": 99}, library)
    assert state.position == 4


@pytest.mark.parametrize(
    "bad",
    [
        {"version": 2},
        {"version": True},
        {"version": "1"},
        {"status": "dancing"},
        {"status": ["idle"]},
        {"routine": 5},
        {"position": -1},
        {"position": 1.5},
        {"position": "1"},
        {"position": True},
        {"holds": []},
        {"holds": {"knee-hug": "25"}},
        {"holds": {"knee-hug": 25.0}},
        {"seen": "knee-hug"},
        {"seen": [1]},
        {"disclaimed": 1},
        {"red_flag": 3},
        {"offer": "maybe"},
        {"offer": {"start": 1}},
        {"offer_routine": 1},
        {"surprise": None},
    ],
)
def test_a_state_with_a_wrong_field_is_refused(
    library: dict[str, Routine], bad: dict[str, Any]
) -> None:
    good = restore({**new_state(), "status": "active", "routine": "small"}, library).to_json()
    assert restore(good, library).to_json() == good
    with pytest.raises(StateError, match=r"^session state is not valid: 1 problem\(s\)$"):
        restore({**good, **bad}, library)


def test_a_restored_state_is_a_copy_with_its_enums(library: dict[str, Routine]) -> None:
    data = {"status": "paused", "routine": "small", "holds": {"knee-hug": 25}, "offer": "resume"}
    state = restore(data, library)
    assert (state.status, state.offer) == (Status.PAUSED, Offer.RESUME)
    state.holds["knee-hug"] = 30
    assert data["holds"] == {"knee-hug": 25}
    assert state.to_json()["offer"] == "resume"
    assert type(state.to_json()["status"]) is str


def test_hold_step_sizes() -> None:
    assert [hold_step(s) for s in (15, 59, 60, 299, 300, 1200)] == [10, 10, 30, 30, 60, 60]


COMMANDS = st.one_of(
    st.sampled_from([Command(k) for k in CommandKind]),
    st.builds(
        Command,
        st.just(K.START),
        routine=st.sampled_from(["small", "sciatica-quick-relief", "nope", None]),
    ),
    st.builds(
        Command,
        st.sampled_from([K.SET_HOLD, K.LONGER, K.SHORTER]),
        seconds=st.integers(-100, 100_000) | st.none(),
    ),
    st.builds(
        Command,
        st.sampled_from([K.PAIN, K.RED_FLAG]),
        symptom=st.sampled_from(["PAIN", "NUMBNESS", "RED_FLAG_BLADDER"]),
    ),
)


@settings(max_examples=300)
@given(st.lists(COMMANDS, max_size=40))
def test_any_sequence_of_commands_keeps_the_state_valid(commands: list[Command]) -> None:
    library = small_library()
    state = new_state()
    for command in commands:
        before = state
        state, events = apply(state, command, library)
        assert events, f"{command} said nothing"
        assert json.loads(json.dumps(state)) == state
        assert restore(state, library).to_json() == state
        if state["routine"] is not None:
            routine = library[state["routine"]]
            assert 0 <= state["position"] < len(expand(routine))
        for step_id, seconds in state["holds"].items():
            step = next(s for r in library.values() for s in r.steps if s.id == step_id)
            assert step.hold.min <= seconds <= step.hold.max
        for event in events:
            if isinstance(event, ev.Perform):
                assert event.item.step.hold.min <= event.hold <= event.item.step.hold.max
        # A finished or halted session stays so; only a new start leaves it, and a red flag
        # reported after the end still halts (safety comes first).
        leaves = (K.START, K.START_OVER, K.YES, K.LAUNCH, K.RED_FLAG)
        if before["status"] in ("finished", "halted") and command.kind not in leaves:
            assert state["status"] == before["status"]
            assert state["position"] == before["position"]
        if command.kind is K.RED_FLAG:
            assert state["status"] == "halted"
        if before["status"] == "halted" and command.kind not in (K.START, K.YES):
            assert state["status"] == "halted"


def test_the_stored_form_has_every_field_in_order() -> None:
    from dataclasses import fields

    from routines.session import State

    assert list(State().to_json()) == [field.name for field in fields(State)]
