"""Time to get ready before a hold: the engine's rule, its prompts, and properties over any
sequence of commands (the bounds always kept; waiting never starts a hold without "ready")."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from routines import events as ev
from routines import get_ready
from routines.commands import Command, CommandKind
from routines.loader import load_library
from routines.models import Routine
from routines.plan import expand
from routines.session import apply, new_state, restore
from skill.core.resolver import Resolver
from speech.prompt import GetReady, Hold, Say
from speech.prompts import build_prompt
from speech.ssml import to_ssml, to_text_with_times
from tests.conftest import small_library
from tests.support.engine import performs, run

K = CommandKind
START = Command(K.START, routine="small")


@pytest.fixture(scope="module")
def resolver() -> Resolver:
    return Resolver.for_locale("en-US")


def test_each_hold_gets_the_default_time_to_get_ready(library: dict[str, Routine]) -> None:
    state, events = run(library, START)
    assert state["get_ready"] == get_ready.DEFAULT_S == 5
    (perform,) = performs(events)
    assert (perform.get_ready, perform.waiting) == (5, False)
    prompt = build_prompt(events)
    parts = prompt.parts
    ready = next(i for i, part in enumerate(parts) if isinstance(part, GetReady))
    assert parts[ready] == GetReady(5)
    assert parts[ready - 1] == Say("Get into position.")
    # The hold's cue ("... Begin.") comes after the time to get ready, then the hold itself.
    cue = parts[ready + 1]
    assert isinstance(cue, Say)
    assert "Begin." in cue.text
    assert isinstance(parts[ready + 2], Hold)


def test_more_less_and_no_time_to_get_ready_stay_within_bounds(
    library: dict[str, Routine],
) -> None:
    state, events = run(library, START, Command(K.READY_LONGER))
    assert state["get_ready"] == 10
    assert events == [ev.GetReadySet(10, wait=False)]
    assert "ten seconds to get ready" in build_prompt(events).text
    state, _ = run(library, *[Command(K.READY_LONGER)] * 5, state=state)
    assert state["get_ready"] == get_ready.MAX_S == 30
    state, events = run(library, Command(K.READY_LONGER), state=state)
    assert (state["get_ready"], events) == (30, [ev.GetReadySet(30, wait=False, requested=35)])
    assert "most time I give to get ready is thirty seconds" in build_prompt(events).text
    state, events = run(library, Command(K.READY_SHORTER), state=state)
    assert state["get_ready"] == 25
    state, events = run(library, Command(K.READY_NONE), state=state)
    assert (state["get_ready"], events) == (0, [ev.GetReadySet(0, wait=False)])
    state, events = run(library, Command(K.READY_SHORTER), state=state)
    assert events == [ev.GetReadySet(0, wait=False, requested=-5)]
    assert "already no time" in build_prompt(events).text
    # No time to get ready: the next hold follows its cue at once.
    state, events = run(library, Command(K.NEXT), state=state)
    assert not any(isinstance(part, GetReady) for part in build_prompt(events).parts)
    assert performs(events)[0].get_ready == 0


def test_waiting_for_ready_introduces_the_pass_and_holds_only_on_ready(
    library: dict[str, Routine],
) -> None:
    state, events = run(library, Command(K.WAIT_READY_ON), START)
    assert state["wait_ready"]
    assert state["ready_pending"]
    (perform,) = performs(events)
    assert perform.waiting
    prompt = build_prompt(events)
    assert prompt.holds == ()
    assert prompt.text.endswith("Say ready when you're in position.")
    assert prompt.reprompt is not None
    assert "Say ready" in prompt.reprompt
    assert not prompt.end_session
    # Questions are answered and the wait goes on.
    for aside in (K.STATUS, K.HELP, K.EXPLAIN):
        state, events = run(library, Command(aside), state=state)
        assert state["ready_pending"], aside
        assert isinstance(events[-1], ev.WaitingForReady)
        assert build_prompt(events).holds == ()
    state, events = run(library, Command(K.READY), state=state)
    assert not state["ready_pending"]
    (perform,) = performs(events)
    assert (perform.detail, perform.get_ready, perform.waiting) == (ev.Detail.HOLD_ONLY, 0, False)
    prompt = build_prompt(events)
    assert len(prompt.holds) == 1
    assert not any(isinstance(part, GetReady) for part in prompt.parts)
    assert prompt.text.startswith("Hold")  # straight to the hold: no introduction again
    # The next pass waits again; "ready" when paused is a notice.
    state, events = run(library, Command(K.NEXT), state=state)
    assert state["ready_pending"]
    assert build_prompt(events).holds == ()
    _, events = run(library, Command(K.PAUSE), Command(K.READY), state=state)
    assert events == [ev.Notice(ev.NoticeKind.NOT_WAITING)]


def test_ready_during_the_time_to_get_ready_starts_the_hold_at_once(
    library: dict[str, Routine],
) -> None:
    state, _ = run(library, START)
    state, events = run(library, Command(K.READY), state=state)
    (perform,) = performs(events)
    assert (perform.detail, perform.get_ready, state["position"]) == (ev.Detail.HOLD_ONLY, 0, 0)
    assert build_prompt(events).text.startswith("Hold")


def test_stopping_the_wait_while_a_hold_waits_starts_it_after_the_get_ready_time(
    library: dict[str, Routine],
) -> None:
    waiting, _ = run(library, Command(K.WAIT_READY_ON), START)
    state, events = run(library, Command(K.WAIT_READY_OFF), state=waiting)
    assert not state["wait_ready"]
    assert not state["ready_pending"]
    assert events[0] == ev.GetReadySet(5, wait=False)
    assert performs(events)[0].get_ready == 5
    assert len(build_prompt(events).holds) == 1
    # Choosing a time is choosing not to be waited for.
    state, events = run(library, Command(K.READY_LONGER), state=waiting)
    assert (state["get_ready"], state["wait_ready"]) == (10, False)
    assert performs(events)[0].get_ready == 10


def test_a_state_stored_before_get_ready_existed_loads_with_the_defaults(
    library: dict[str, Routine],
) -> None:
    old = {
        key: value
        for key, value in new_state().items()
        if key not in {"get_ready", "wait_ready", "ready_pending"}
    }
    state = restore({**old, "status": "active", "routine": "small"}, library)
    assert (state.get_ready, state.wait_ready, state.ready_pending) == (5, False, False)
    assert restore({**new_state(), "get_ready": 99}, library).get_ready == get_ready.MAX_S
    assert restore({**new_state(), "get_ready": -3}, library).get_ready == 0


def test_the_get_ready_time_is_silence_in_ssml_and_a_line_in_the_script(
    library: dict[str, Routine],
) -> None:
    _, events = run(library, Command(K.READY_NONE), Command(K.READY_LONGER), START)
    prompt = build_prompt(events)
    ssml = to_ssml(prompt)
    assert 'Get into position.<break time="5000ms"/>' in ssml
    script = to_text_with_times(prompt)
    lines = script.splitlines()
    ready = next(i for i, line in enumerate(lines) if "[get ready 5 s]" in line)
    assert "Get into position." in lines[ready - 1]
    assert "Begin." in lines[ready + 1]


COMMANDS = st.one_of(
    st.sampled_from([Command(kind) for kind in CommandKind]),
    st.sampled_from(
        [Command(K.READY_LONGER), Command(K.READY_SHORTER), Command(K.READY), Command(K.NEXT)]
    ),
    st.builds(Command, st.just(K.START), routine=st.sampled_from(["small", None])),
)
STOPS_WAITING = frozenset(
    {K.READY, K.YES, K.WAIT_READY_OFF, K.READY_LONGER, K.READY_SHORTER, K.READY_NONE}
)
"""Commands that may start a hold that waits: "ready" (or a yes: "ready" and "I'm ready" are
YesIntent samples), and the user stopping the wait."""


@settings(max_examples=300)
@given(st.lists(COMMANDS, max_size=40))
def test_the_bounds_are_kept_and_waiting_never_starts_a_hold_without_ready(
    commands: list[Command],
) -> None:
    library = small_library()
    state = new_state()
    for command in commands:
        before = state
        state, events = apply(state, command, library)
        assert 0 <= state["get_ready"] <= get_ready.MAX_S
        for perform in performs(events):
            assert 0 <= perform.get_ready <= get_ready.MAX_S
        holds = build_prompt(events).holds
        if before["wait_ready"] and command.kind not in STOPS_WAITING:
            assert holds == (), f"{command} started a hold while waiting for ready"
        if command.kind is K.YES and holds and before["wait_ready"]:
            assert before["ready_pending"]
        if state["ready_pending"]:
            assert state["wait_ready"]
            assert state["status"] == "active"


def test_a_yes_starts_a_hold_that_waits_but_go_is_no_yes_to_an_offer(
    library: dict[str, Routine],
) -> None:
    state, _ = run(library, Command(K.WAIT_READY_ON), Command(K.LAUNCH))
    asked, events = run(library, Command(K.READY), state=state)  # "go" to "start ...?"
    assert asked["status"] == "idle"
    assert asked["offer"] == "start"  # asked again: only a yes starts a routine
    state, events = run(library, Command(K.YES), state=asked)
    assert isinstance(events[0], ev.RoutineStarted)
    assert state["ready_pending"]
    state, events = run(library, Command(K.YES), state=state)  # "I'm ready" to the hold
    assert not state["ready_pending"]
    assert len(build_prompt(events).holds) == 1


@pytest.mark.parametrize(
    ("said", "intent"),
    [
        ("give me more time to get ready", "MoreReadyTimeIntent"),
        ("could I have more time to get ready please", "MoreReadyTimeIntent"),
        ("less time to get ready", "LessReadyTimeIntent"),
        ("I don't need time to get ready", "NoReadyTimeIntent"),
        ("wait until I say ready", "WaitForReadyIntent"),
        ("wait for me", "WaitForReadyIntent"),
        ("don't wait for me", "StopWaitingIntent"),
        ("go", "ReadyIntent"),
        ("okay go", "ReadyIntent"),
        ("ready", "AMAZON.YesIntent"),  # a yes: the engine takes it as "ready" when a hold waits
        ("I'm ready", "AMAZON.YesIntent"),
        # Unchanged: these stay the hold's and the routine's.
        ("more time", "LongerHoldIntent"),
        ("wait", "AMAZON.PauseIntent"),
        ("go on", "AMAZON.ResumeIntent"),
        ("go back", "AMAZON.PreviousIntent"),
    ],
)
def test_the_resolver_reads_the_get_ready_commands(
    resolver: Resolver, said: str, intent: str
) -> None:
    assert resolver.resolve(said).intent == intent


def test_the_microphone_listens_for_the_get_ready_commands(resolver: Resolver) -> None:
    from skill.local.run import voice_grammar

    grammar = voice_grammar(resolver)
    for phrase, intent in [
        ("go", "ReadyIntent"),
        ("okay go", "ReadyIntent"),
        ("ready", "AMAZON.YesIntent"),
        ("wait for me", "WaitForReadyIntent"),
        ("don't wait for me", "StopWaitingIntent"),
        ("more time to get ready", "MoreReadyTimeIntent"),
        ("less time to get ready", "LessReadyTimeIntent"),
        ("no time to get ready", "NoReadyTimeIntent"),
    ]:
        assert grammar.get(phrase) == intent, phrase


def test_help_names_the_get_ready_commands(library: dict[str, Routine]) -> None:
    _, events = run(library, START, Command(K.HELP))
    text = build_prompt(events).text
    assert "more time to get ready" in text
    assert "wait for me" in text


def test_a_get_ready_setting_during_the_pain_check_keeps_the_question(
    library: dict[str, Routine],
) -> None:
    asked, _ = apply(None, START, library)
    for kind in (K.WAIT_READY_ON, K.WAIT_READY_OFF, K.READY_LONGER, K.READY_NONE):
        state, events = apply(asked, Command(kind), library)
        assert state["asking"] == "pain_before", kind
        assert isinstance(events[-1], ev.PainCheck)


def test_a_get_ready_setting_reprompts_for_where_the_session_stands(
    library: dict[str, Routine],
) -> None:
    _, events = run(library, Command(K.READY_LONGER))  # no routine yet
    assert events == [ev.GetReadySet(10, wait=False, in_routine=False, paused=True)]
    assert build_prompt(events).reprompt == "Say start to begin, or stop to leave."
    _, events = run(library, START, Command(K.PAUSE), Command(K.WAIT_READY_ON))
    assert build_prompt(events).reprompt == "Say resume to carry on, or stop to finish for now."
    _, events = run(library, START, Command(K.READY_NONE))
    assert build_prompt(events).reprompt == (
        "Say next when you're ready, or help to hear what you can say."
    )


def test_a_hold_too_long_for_one_alexa_response_leaves_out_the_time_to_get_ready() -> None:
    routine = load_library(())["sciatica-quick-relief"]
    heat = next(item for item in expand(routine) if item.step.hold.max >= 900)
    events = [ev.Perform(heat, 900, 9, 9, ev.Detail.BRIEF, get_ready=5)]
    ssml = to_ssml(build_prompt(events))
    assert "set a timer for fifteen minutes" in ssml
    # The user's timer is theirs to start when they are ready: no silence before it.
    assert '<break time="5000ms"/>' not in ssml


def test_how_am_i_doing_while_a_hold_waits_answers_then_asks_for_ready(
    library: dict[str, Routine],
) -> None:
    from skill.core.turn import TurnContext, take_turn

    at = "2026-11-02T08:00:00Z"
    state = run(library, START, Command(K.WAIT_READY_ON), Command(K.NEXT))[0]
    result = take_turn(state, Command(K.JOURNAL), library, TurnContext(at=at, journal=[]))
    kinds = [type(event).__name__ for event in result.events]
    assert kinds == ["JournalSummary", "WaitingForReady"]
    assert result.prompt.text.endswith("Say ready when you're in position.")
