"""skill.core.turn and skill.core.view: every rule of a turn, table-driven and by property."""

from __future__ import annotations

import json
import logging
from typing import Any, TypedDict

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from routines import events as ev
from routines.commands import Command
from routines.commands import CommandKind as K
from routines.models import Routine
from routines.session import Offer, Status, new_state
from skill.core.journal import SessionEntry
from skill.core.turn import LAUNCH_ONLY, TurnContext, restore_stored, start_up, take_turn
from skill.core.view import view_of
from speech.phrases import say
from tests.conftest import small_library

DISCLAIMER = "not a substitute for a doctor"


def run(library: dict[str, Routine], *kinds: K | Command, state: Any = None) -> Any:
    """The turn result after these commands (a kind alone, or a whole command such as a pain
    rating), from `state` (a new user by default)."""
    result = None
    for kind in kinds:
        if isinstance(kind, Command):
            command = kind
        else:
            command = Command(kind, routine="small" if kind is K.START else None)
        result = take_turn(state, command, library)
        state = result.state
    return result


# Answers to the pain check, as users give them ("five", "about a three", "I don't know").
FIVE = Command(K.RATE_PAIN, rating=5)
ABOUT_THREE = Command(K.RATE_PAIN, rating=3)
DONT_KNOW = Command(K.RATE_PAIN)


# -- table: one row per rule -------------------------------------------------------------


CASES: list[tuple[str, tuple[K | Command, ...], dict[str, Any]]] = [
    (
        "first launch: the safety note, a welcome, an offer to start",
        (K.LAUNCH,),
        {"says": [DISCLAIMER, "Welcome to Massage Coach"], "offer": Offer.START, "save": True},
    ),
    (
        "a start skipping the launch still gives the safety note",
        (K.START,),
        {
            "says": [DISCLAIMER, "from zero to ten"],
            "not_says": ["Knee hug"],
            "status": Status.ACTIVE,
            "save": True,
            "ends": False,
        },
    ),
    (
        "the pain check answered, the first pass follows",
        (K.START, FIVE),
        {"says": ["Thanks, five.", "Knee hug"], "not_says": [DISCLAIMER], "position": 0},
    ),
    (
        "skip answers the pain check without a rating",
        (K.START, K.SKIP),
        {"says": ["Knee hug"], "not_says": ["Thanks"], "position": 0, "save": True},
    ),
    (
        "the second launch has no safety note",
        (K.LAUNCH, K.LAUNCH),
        {"not_says": [DISCLAIMER], "offer": Offer.START},
    ),
    (
        "a question changes nothing, so nothing is saved",
        (K.START, K.STATUS),
        {"says": ["step one of two"], "save": False, "ends": False},
    ),
    (
        "stop is always saved, even with nothing under way",
        (K.LAUNCH, K.NO, K.STOP),
        {"save": True, "ends": True},
    ),
    (
        "no to 'start?' declines",
        (K.LAUNCH, K.NO),
        {"says": ["Say start"], "offer": None},
    ),
    (
        "no to 'carry on?' asks about starting that routine afresh",
        (K.START, K.SKIP, K.NEXT, K.NEXT, K.STOP, K.LAUNCH, K.NO),
        {"says": ["start Small routine"], "offer": Offer.START, "position": 2},
    ),
    (
        "then yes starts it from the top",
        (K.START, ABOUT_THREE, K.NEXT, K.NEXT, K.STOP, K.LAUNCH, K.NO, K.YES),
        {
            "says": ["Small routine", "from zero to ten"],
            "status": Status.ACTIVE,
            "position": 0,
        },
    ),
    (
        "then no leaves the progress where it was",
        (K.START, DONT_KNOW, K.NEXT, K.NEXT, K.STOP, K.LAUNCH, K.NO, K.NO),
        {"says": ["Say start"], "offer": None, "position": 2, "status": Status.PAUSED},
    ),
    (
        "yes to 'carry on?' resumes",
        (K.START, K.NEXT, K.NEXT, K.NEXT, K.STOP, K.LAUNCH, K.YES),
        {
            "says": ["Knee hug"],
            "not_says": ["from zero to ten"],
            "status": Status.ACTIVE,
            "position": 2,
        },
    ),
    (
        "a red flag ends the conversation",
        (K.START, K.RED_FLAG),
        {"ends": True, "status": Status.HALTED, "save": True},
    ),
    (
        "the last next finishes and asks the pain check again",
        (K.START, FIVE, K.NEXT, K.NEXT, K.NEXT, K.NEXT, K.NEXT),
        {
            "says": ["Well done", "How is your pain now"],
            "ends": False,
            "status": Status.FINISHED,
        },
    ),
    (
        "the answer at the end ends the conversation",
        (K.START, FIVE, K.NEXT, K.NEXT, K.NEXT, K.NEXT, K.NEXT, ABOUT_THREE),
        {
            "says": ["Thanks, three, down from five.", "Take care, and well done today."],
            "ends": True,
            "status": Status.FINISHED,
        },
    ),
    (
        "moving on at the end ends it too",
        (K.START, K.SKIP, K.NEXT, K.NEXT, K.NEXT, K.NEXT, K.NEXT, K.NEXT),
        {"says": ["Take care"], "not_says": ["Thanks"], "ends": True},
    ),
]


@pytest.mark.parametrize(("kinds", "expect"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_a_turn(
    library: dict[str, Routine], kinds: tuple[K | Command, ...], expect: dict[str, Any]
) -> None:
    result = run(library, *kinds)
    text = result.prompt.text
    for words in expect.get("says", []):
        assert words in text
    for words in expect.get("not_says", []):
        assert words not in text
    for name in ("save", "ends"):
        if name in expect:
            assert getattr(result, name) is expect[name], name
    if "offer" in expect:
        assert result.view.offer is expect["offer"]
    if "status" in expect:
        assert result.view.status is expect["status"]
    if "position" in expect:
        assert result.view.position == expect["position"]
    assert result.variant == result.view.position  # the one variant rule
    assert result.ends is result.prompt.end_session


def test_a_lead_phrase_comes_first(library: dict[str, Routine]) -> None:
    plain = take_turn(None, Command(K.HELP), library)
    led = take_turn(None, Command(K.HELP), library, TurnContext(lead="fallback"))
    assert led.prompt.text == f"{say('fallback')} {plain.prompt.text}"
    assert led.state == plain.state


def test_fresh_start_after_no_keeps_the_preferences(library: dict[str, Routine]) -> None:
    state = run(library, K.START, K.LONGER, K.STOP, K.LAUNCH).state
    for kind in (K.NO, K.YES):
        state = take_turn(state, Command(kind), library).state
    view = view_of(state, library)
    assert (view.position, view.hold_seconds) == (0, 30)


# -- start-up of a local run ------------------------------------------------------------


def test_start_up_of_a_new_user_says_the_note_once_and_starts(library: dict[str, Routine]) -> None:
    opening = start_up(None, library, routine="small")
    text = opening.turn.prompt.text
    assert text.count(DISCLAIMER) == 1
    assert "Would you like" not in text
    assert "Shall we" not in text
    assert not opening.asking
    assert opening.turn.view.status is Status.ACTIVE
    assert opening.turn.save


def test_start_up_asks_or_answers_for_unfinished_progress(library: dict[str, Routine]) -> None:
    state = run(library, K.START, FIVE, K.NEXT, K.NEXT, K.STOP).state
    asked = start_up(state, library, ask=True)
    assert asked.asking
    assert asked.turn.view.offer is Offer.RESUME
    resumed = start_up(state, library, resume=True, ask=True)
    assert not resumed.asking
    assert resumed.turn.view.position == 2
    fresh = start_up(state, library, routine="small")
    assert fresh.turn.view.position == 0
    assert not fresh.nothing_to_resume
    assert fresh.set_aside
    recalled = ("you were on step", "last time you got to")  # the greeting's two variants
    assert not any(words in fresh.turn.prompt.text.lower() for words in recalled)
    assert not resumed.set_aside
    nothing = start_up(None, library, resume=True)
    assert nothing.nothing_to_resume
    first = start_up(None, library)  # the very first run: nothing set aside, a first welcome
    assert "Welcome to Massage Coach" in first.turn.prompt.text
    assert not first.set_aside


class _StartOptions(TypedDict, total=False):
    resume: bool
    ask: bool


@pytest.mark.parametrize(
    "options", [_StartOptions(), _StartOptions(resume=True), _StartOptions(ask=True)]
)
def test_after_a_red_flag_nothing_starts_without_a_yes(
    library: dict[str, Routine], options: _StartOptions
) -> None:
    halted = take_turn(
        run(library, K.START).state, Command(K.RED_FLAG, symptom="RED_FLAG_BLADDER"), library
    ).state
    opening = start_up(halted, library, **options)
    assert opening.asking
    assert opening.turn.view.status is Status.HALTED
    assert opening.turn.view.offer is Offer.START
    assert any(isinstance(event, ev.SafetyReminder) for event in opening.turn.events)
    # Naming a routine is the user's explicit yes, as "ask massage coach to start ..." is.
    named = start_up(halted, library, routine="small")
    assert not named.asking
    assert named.turn.view.status is Status.ACTIVE


# -- restoring stored states ------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "usable", "damaged"),
    [
        (None, False, False),
        ("a string", False, True),
        ({"version": 99}, False, True),
        ({"status": "dancing"}, False, True),
        (new_state(), True, False),
        ({"routine": "gone", "status": "active", "position": 3}, True, False),  # repaired
    ],
)
def test_restore_stored(
    library: dict[str, Routine],
    caplog: pytest.LogCaptureFixture,
    data: Any,
    usable: bool,
    damaged: bool,
) -> None:
    with caplog.at_level(logging.WARNING):
        restored = restore_stored(data, library, "persistent")
    assert (restored.state is not None, restored.damaged) == (usable, damaged)
    warned = [
        r.getMessage() for r in caplog.records if "ignoring persistent state" in r.getMessage()
    ]
    assert bool(warned) is damaged
    if restored.state is not None:
        assert view_of(restored.state, library).routine is None  # an unknown routine is dropped


def test_the_view_reads_the_current_pass(library: dict[str, Routine]) -> None:
    view = run(library, K.START, DONT_KNOW, K.NEXT, K.LONGER).view
    assert view.routine is not None
    assert view.routine.id == "small"
    assert view.item is not None
    assert view.item.position == 1
    assert (view.hold_seconds, view.current_hold, view.passes) == (30, 30, 5)
    assert view.in_routine
    assert not view.paused
    stopped = take_turn(run(library, K.START).state, Command(K.STOP), library).view
    assert stopped.paused
    assert stopped.current_hold == 20
    empty = view_of(None, library)
    assert (empty.routine, empty.item, empty.current_hold) == (None, None, None)


# -- properties along any command sequence -----------------------------------------------


COMMANDS = st.one_of(
    st.sampled_from([Command(k) for k in K]),
    st.builds(Command, st.just(K.START), routine=st.sampled_from(["small", "nope", None])),
    st.builds(
        Command, st.sampled_from([K.SET_HOLD, K.LONGER]), seconds=st.integers(-5, 1000) | st.none()
    ),
    st.builds(Command, st.sampled_from([K.PAIN, K.RED_FLAG]), symptom=st.just("NUMBNESS")),
)


@settings(max_examples=200)
@given(st.lists(COMMANDS, max_size=30))
def test_along_any_commands_the_note_is_said_once_and_turns_repeat_exactly(
    commands: list[Command],
) -> None:
    library = small_library()
    state: dict[str, Any] = new_state()
    notes = 0
    for command in commands:
        result = take_turn(state, command, library)
        again = take_turn(json.loads(json.dumps(state)), command, library)
        assert again == result  # the same state and command: the same words, state and save
        notes += result.prompt.text.count(DISCLAIMER)
        assert result.prompt.text.count(DISCLAIMER) == result.events.count(ev.Disclaimer())
        unsaved = {key for key in result.state if result.state[key] != state.get(key)}
        # Unsaved, only what the next launch would change again (LAUNCH_ONLY), on a launch.
        assert result.save or not unsaved or (command.kind is K.LAUNCH and unsaved <= LAUNCH_ONLY)
        assert result.variant == result.view.position
        state = result.state
    assert notes <= 1
    assert notes == 0 or view_of(state, library).disclaimed


# -- "how am I doing" ----------------------------------------------------------------------


def test_how_am_i_doing_is_answered_when_the_journal_cannot_be_read(
    library: dict[str, Routine],
) -> None:
    # The front-ends pass no journal when reading it failed; render and script have no clock.
    for context in (TurnContext(at="2026-11-02T08:00:00+00:00", journal=None), TurnContext()):
        result = take_turn(None, Command(K.JOURNAL), library, context)
        assert result.events == (ev.JournalAsked(),)
        assert result.prompt.text == (
            "I can't look at your history right now. Please try again later."
        )
        assert result.prompt.reprompt
        assert not result.ends


def test_how_am_i_doing_while_the_pain_check_waits_asks_the_check_last(
    library: dict[str, Routine],
) -> None:
    asked = run(library, K.START).state
    journals: tuple[list[SessionEntry] | None, ...] = ([], None)
    for journal in journals:
        context = TurnContext(at="2026-11-02T08:00:00+00:00", journal=journal)
        result = take_turn(asked, Command(K.JOURNAL), library, context)
        assert isinstance(result.events[-1], ev.PainCheck)
        assert result.prompt.text.endswith("from zero to ten? Or say skip.")
        assert result.prompt.reprompt == "Say a number from zero to ten, or skip."
        assert result.state["asking"] == "pain_before"


def test_a_launch_saves_only_what_the_next_launch_would_not_redo(
    library: dict[str, Routine],
) -> None:
    first = take_turn(None, Command(K.LAUNCH), library)
    assert first.save  # the safety note was said: never again
    started = take_turn(first.state, Command(K.START, routine="small"), library)
    begun = take_turn(started.state, Command(K.RATE_PAIN, rating=4), library)
    again = take_turn(begun.state, Command(K.LAUNCH), library)
    assert again.state["offer"] == Offer.RESUME
    assert not again.save  # paused and asked: the next launch would do the same
    assert take_turn(again.state, Command(K.YES), library).save
