"""Rests the user decides and brief mode (issue #14): the engine's one rule for each, its
properties over any command sequence, the stored state, the schema's rest bounds, and the
phrases (resolver, microphone grammar, help) that reach them."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from routines import events as ev
from routines.commands import Command, CommandKind
from routines.errors import RoutineFileError
from routines.loader import builtin_library, parse_routine
from routines.models import Routine
from routines.plan import expand, rest_before
from routines.session import State, apply, apply_state, new_state, restore
from skill.core.resolver import Resolver
from speech.prompts import build_prompt
from tests.conftest import SMALL_ROUTINE
from tests.support.engine import performs, run

K = CommandKind
START = Command(K.START, routine="small")
NEXT = Command(K.NEXT)


def rests(events: list[ev.Event]) -> list[int]:
    return [event.seconds for event in events if isinstance(event, ev.Rest)]


# Rests.


def test_the_rest_between_reps_is_the_users_and_is_remembered(
    library: dict[str, Routine],
) -> None:
    state, events = run(library, START, Command(K.SET_REST, seconds=20))
    assert events == [ev.RestChanged(library["small"].steps[0], before=5, after=20, requested=20)]
    _, events = run(library, NEXT, state=state)
    assert rests(events) == [20]
    # Next session: the same rest, with no word from the user.
    state, _ = run(library, Command(K.STOP), START, state=state)
    _, events = run(library, NEXT, state=state)
    assert rests(events) == [20]


def test_longer_and_shorter_rests_move_by_the_usual_step_or_the_amount_said(
    library: dict[str, Routine],
) -> None:
    state, events = run(library, START, Command(K.LONGER_REST))
    assert isinstance(events[0], ev.RestChanged)
    assert events[0].after == 10
    state, events = run(library, Command(K.LONGER_REST, seconds=15), state=state)
    assert isinstance(events[0], ev.RestChanged)
    assert events[0].after == 25
    state, events = run(library, Command(K.SHORTER_REST), state=state)
    assert isinstance(events[0], ev.RestChanged)
    assert events[0].after == 20
    assert restore(state, library).rest == 20


def test_a_rest_is_cut_to_the_steps_bounds_and_says_so(library: dict[str, Routine]) -> None:
    state, events = run(library, START, Command(K.SET_REST, seconds=600))
    assert events == [ev.RestChanged(library["small"].steps[0], before=5, after=60, requested=600)]
    text = build_prompt(events).text
    assert text == "The longest rest for Knee hug is one minute, so I'll use that."
    _, events = run(library, Command(K.LONGER_REST), state=state)
    assert events == [ev.RestLimit(library["small"].steps[0], 60, longest=True)]
    _, events = run(library, Command(K.SET_REST, seconds=1), state=state)
    assert isinstance(events[0], ev.RestChanged)
    assert events[0].after == 5


def test_a_step_without_rests_gets_none_and_a_routine_without_any_says_so(
    library: dict[str, Routine],
) -> None:
    # On the glute ball (one pass, no rest) the change applies to the step that rests.
    state, _ = run(library, START, NEXT, NEXT, NEXT, Command(K.SET_REST, seconds=30))
    assert restore(state, library).rest == 30
    no_rests = parse_routine(
        SMALL_ROUTINE.replace("    rest_seconds: 5\n", "").replace("id: small", "id: norest"),
        "norest.yaml",
    )
    plain = {"norest": no_rests}
    _, events = run(plain, Command(K.START, routine="norest"), Command(K.LONGER_REST))
    assert events == [ev.Notice(ev.NoticeKind.NO_RESTS)]
    assert "no rests" in build_prompt(events).text


def test_rest_commands_outside_a_routine_and_without_a_length(
    library: dict[str, Routine],
) -> None:
    _, events = run(library, Command(K.SET_REST, seconds=20))
    assert isinstance(events[0], ev.Notice)
    assert events[0].kind is ev.NoticeKind.NOT_STARTED
    _, events = run(library, START, Command(K.SET_REST))
    assert events == [ev.Notice(ev.NoticeKind.NEED_REST_DURATION)]


def test_the_routine_estimate_counts_the_users_rest(library: dict[str, Routine]) -> None:
    state, _ = run(library, START)
    state, _ = run(library, Command(K.SET_REST, seconds=45), Command(K.STOP), state=state)
    _, events = run(library, START, state=state)
    started = next(e for e in events if isinstance(e, ev.RoutineStarted))
    # Two rests in the small routine (one per side of the knee hug), 40 s longer each.
    _, fresh = run(library, START)
    before = next(e for e in fresh if isinstance(e, ev.RoutineStarted))
    assert started.seconds - before.seconds == 2 * 40


REST_COMMANDS = st.one_of(
    st.builds(Command, st.sampled_from([K.LONGER_REST, K.SHORTER_REST])),
    st.builds(
        Command,
        st.sampled_from([K.LONGER_REST, K.SHORTER_REST, K.SET_REST]),
        seconds=st.integers(min_value=-1000, max_value=10_000),
    ),
    st.sampled_from([NEXT, Command(K.PREVIOUS), Command(K.SKIP), Command(K.REPEAT), START]),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(REST_COMMANDS, max_size=25))
def test_property_every_rest_said_is_within_its_steps_bounds(commands: list[Command]) -> None:
    library = {"small": parse_routine(SMALL_ROUTINE, "small.yaml")}
    state, _ = apply(None, Command(K.PAIN_CHECK_OFF), library)
    for command in [START, *commands]:
        state, events = apply(state, command, library)
        for event in events:
            if isinstance(event, ev.Rest):
                step = library["small"].steps[0]
                assert step.rest_min <= event.seconds <= step.rest_max
            if isinstance(event, ev.RestChanged):
                assert event.step.rest_min <= event.after <= event.step.rest_max
        for routine in library.values():
            items = expand(routine)
            for position in range(len(items)):
                rest = rest_before(items, position, restore(state, library).rest)
                step = items[position].step
                assert rest == 0 or step.rest_min <= rest <= step.rest_max
                assert rest == 0 or step.rests


# Brief mode.


def test_a_step_is_full_the_first_time_and_brief_in_a_later_session(
    library: dict[str, Routine],
) -> None:
    state, events = run(library, START)
    assert [p.detail for p in performs(events)] == [ev.Detail.FULL]
    state, events = run(library, NEXT, state=state)
    assert [p.detail for p in performs(events)] == [ev.Detail.CUE]
    # Started again in the same sitting is a new session (the journal says so too).
    state, _ = run(library, Command(K.STOP), state=state)
    state, events = run(library, START, state=state)
    assert [p.detail for p in performs(events)] == [ev.Detail.BRIEF]
    # The glute ball was never reached: full instructions when it comes.
    state, events = run(library, Command(K.SKIP), state=state)
    assert [p.detail for p in performs(events)] == [ev.Detail.FULL]


def test_explain_and_repeat_give_the_full_instructions_and_always_explain_sticks(
    library: dict[str, Routine],
) -> None:
    state, _ = run(library, START, Command(K.STOP), START)
    _, events = run(library, Command(K.REPEAT), state=state)
    assert [p.detail for p in performs(events)] == [ev.Detail.FULL]
    state, events = run(library, Command(K.FULL_INSTRUCTIONS), state=state)
    assert events == [ev.InstructionsSet(brief=False)]
    state, events = run(library, Command(K.STOP), START, state=state)
    assert [p.detail for p in performs(events)] == [ev.Detail.FULL]
    # A resume, brief otherwise, is full too.
    state, events = run(library, Command(K.PAUSE), Command(K.RESUME), state=state)
    assert [p.detail for p in performs(events)] == [ev.Detail.FULL]
    state, events = run(library, Command(K.BRIEF_INSTRUCTIONS), state=state)
    assert "keep it short" in build_prompt(events).text
    _, events = run(library, Command(K.STOP), START, state=state)
    assert [p.detail for p in performs(events)] == [ev.Detail.BRIEF]


def test_a_state_stored_before_rests_and_brief_mode_still_loads(
    library: dict[str, Routine],
) -> None:
    old = {k: v for k, v in new_state().items() if k not in {"rest", "brief", "learning"}}
    old["seen"], old["pain_check"] = ["knee-hug"], False
    state = restore(old, library)
    assert (state.rest, state.brief, state.learning, state.seen) == (None, True, [], ["knee-hug"])
    _, events = run(library, START, state=old)
    assert [p.detail for p in performs(events)] == [ev.Detail.BRIEF]


@pytest.mark.parametrize(
    ("field", "value"), [("rest", 0), ("rest", "10"), ("brief", 1), ("learning", "knee-hug")]
)
def test_a_bad_stored_preference_is_refused(
    library: dict[str, Routine], field: str, value: object
) -> None:
    from routines.errors import StateError

    with pytest.raises(StateError):
        restore({**new_state(), field: value}, library)


BRIEF_COMMANDS = st.sampled_from(
    [
        NEXT,
        Command(K.SKIP),
        Command(K.PREVIOUS),
        Command(K.REPEAT),
        Command(K.PAUSE),
        Command(K.RESUME),
        Command(K.STOP),
        Command(K.START_OVER),
        Command(K.FULL_INSTRUCTIONS),
        Command(K.BRIEF_INSTRUCTIONS),
        Command(K.LONGER),
        Command(K.EXPLAIN),
        START,
    ]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(BRIEF_COMMANDS, max_size=30), st.booleans())
def test_property_brief_only_for_a_step_done_in_an_earlier_session(
    commands: list[Command], known: bool
) -> None:
    """A BRIEF intro is given only for a step heard in an earlier session (or one the user is
    back at: resume, previous), never while "always explain" is on; the first time a step is
    met it is FULL."""
    library = {"small": parse_routine(SMALL_ROUTINE, "small.yaml")}
    state = restore(None, library)
    state.pain_check = False
    if known:
        state.seen = ["knee-hug"]
    earlier: set[str] = set(state.seen)
    for command in [START, *commands]:
        heard_before = set(state.seen)
        if command.kind in (K.START, K.START_OVER):
            earlier = set(state.seen)
        state, events = apply_state(state, command, library)
        for perform in performs(events):
            step_id = perform.item.step.id
            if perform.detail is ev.Detail.BRIEF:
                assert state.brief
                assert step_id in earlier or command.kind in (K.RESUME, K.PREVIOUS)
            if step_id not in heard_before:
                assert perform.detail is ev.Detail.FULL
        assert set(state.learning) <= set(state.seen)
    assert isinstance(state, State)


# The phrases that reach them.


@pytest.mark.parametrize(
    ("text", "intent", "duration"),
    [
        ("longer rests", "LongerRestIntent", None),
        ("could you make the rests longer please", "LongerRestIntent", None),
        ("shorter rests", "ShorterRestIntent", None),
        ("rest for thirty seconds", "SetRestIntent", "PT30S"),
        ("rest for 20 seconds", "SetRestIntent", "PT20S"),
        ("ten seconds more rest", "LongerRestIntent", "PT10S"),
        ("always explain", "AlwaysExplainIntent", None),
        ("always give me full instructions", "AlwaysExplainIntent", None),
        ("be brief again", "BriefInstructionsIntent", None),
        ("short instructions", "BriefInstructionsIntent", None),
        ("explain", "AMAZON.RepeatIntent", None),
        ("how do i do this", "AMAZON.RepeatIntent", None),
        ("repeat", "AMAZON.RepeatIntent", None),
        ("longer hold", "LongerHoldIntent", None),
        ("hold for thirty seconds", "SetHoldIntent", "PT30S"),
        ("let me rest", "AMAZON.PauseIntent", None),
        ("why does this help", "ExplainIntent", None),
    ],
)
def test_the_resolver_hears_the_new_commands(text: str, intent: str, duration: str | None) -> None:
    resolution = Resolver.for_locale("en-US").resolve(text)
    assert resolution.intent == intent
    assert resolution.value("duration") == duration


def test_help_during_a_routine_names_the_new_commands(library: dict[str, Routine]) -> None:
    _, events = run(library, START, Command(K.HELP))
    text = build_prompt(events).text
    assert "longer rests" in text
    assert "always explain" in text


# The routine files' rest bounds.


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ("    rest_seconds: 5\n    rest_min: 10\n", "rest_seconds"),
        ("    rest_seconds: 5\n    rest_min: 2\n", "rest_min"),
        ("    rest_seconds: 5\n    rest_max: 500\n", "rest_max"),
        ("    rest_seconds: 5\n    rest_min: 40\n    rest_max: 20\n", "rest_min"),
    ],
)
def test_a_routine_file_with_bad_rest_bounds_is_refused(change: str, field: str) -> None:
    text = SMALL_ROUTINE.replace("    rest_seconds: 5\n", change)
    with pytest.raises(RoutineFileError) as error:
        parse_routine(text, "bad.yaml")
    assert any(problem.field.endswith(field) for problem in error.value.problems)


def test_every_shipped_step_that_rests_has_sensible_bounds() -> None:
    for routine in builtin_library().values():
        for step in routine.steps:
            if step.rests:
                assert 5 <= step.rest_min <= step.rest_seconds <= step.rest_max <= 120


@pytest.mark.parametrize(
    ("command", "field", "value"),
    [
        (Command(K.FULL_INSTRUCTIONS), "brief", False),
        (Command(K.SET_REST, seconds=20), "rest", 20),
        (Command(K.LONGER_REST), "rest", 10),
    ],
)
def test_a_preference_said_while_the_pain_check_waits_is_kept_and_the_check_asked_again(
    library: dict[str, Routine], command: Command, field: str, value: object
) -> None:
    state, _ = apply(None, START, library)
    state, events = apply(state, command, library)
    assert isinstance(events[-1], ev.PainCheck)
    assert state["asking"] == "pain_before"
    assert state[field] == value
