"""Prompts from events: every event type, verbosity by detail, reprompts, session ends, display
fields, and a property over any command sequence that every prompt can be said."""

from __future__ import annotations

import dataclasses
import inspect
import re
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from routines import events as ev
from routines.commands import Command, CommandKind
from routines.loader import builtin_library, parse_routine
from routines.models import Routine, Side, Technique
from routines.plan import Item, expand
from routines.session import apply
from speech.prompt import Hold, Pause, Prompt, Say
from speech.prompts import PromptError, build_prompt
from tests.conftest import OTHER_ROUTINE, SMALL_ROUTINE

K = CommandKind


def sentences_before_hold(prompt: Prompt) -> int:
    """How many sentences the coach says before the hold begins."""
    text = " ".join(
        p.text for p in prompt.parts[: prompt.parts.index(prompt.holds[0])] if isinstance(p, Say)
    )
    return len(re.findall(r"[.!?](\s|$)", text))


def words_before_hold(prompt: Prompt) -> int:
    """How many words the coach says before the hold begins."""
    count = 0
    for part in prompt.parts:
        if isinstance(part, Hold):
            return count
        if isinstance(part, Say):
            count += len(part.text.split())
    raise AssertionError("no hold in the prompt")


def perform(
    library: dict[str, Routine], position: int, detail: ev.Detail, hold: int = 20
) -> ev.Perform:
    routine = library["small"]
    items = expand(routine)
    return ev.Perform(items[position], hold, len(items), len(routine.steps), detail)


def test_every_event_type_has_a_prompt() -> None:
    kinds = [
        cls
        for _, cls in inspect.getmembers(ev, inspect.isclass)
        if issubclass(cls, ev.Event) and cls is not ev.Event
    ]
    assert len(kinds) >= 20
    from speech.prompts import _BUILDERS

    assert set(kinds) == set(_BUILDERS)


def test_an_unknown_event_is_an_error_not_silence() -> None:
    @dataclass(frozen=True)
    class Mystery(ev.Event):
        pass

    with pytest.raises(PromptError, match="no prompt for event Mystery"):
        build_prompt([Mystery()])


def test_disclaimer_says_what_the_coach_is_not_and_when_to_stop() -> None:
    text = build_prompt([ev.Disclaimer()]).text
    for needle in ("not a substitute", "sharp", "spreads", "persists or gets worse"):
        assert needle in text
    assert len(text.split()) < 50


def test_first_launch_greets_and_asks(library: dict[str, Routine]) -> None:
    _, events = apply(None, Command(K.LAUNCH), library)
    prompt = build_prompt(events)
    assert prompt.text.endswith("Would you like to start Quick relief?")
    assert prompt.reprompt == "Say yes to start Quick relief, or no."
    assert not prompt.end_session


def test_a_returning_user_hears_where_they_were(library: dict[str, Routine]) -> None:
    routine = library["small"]
    # Pass 4 (0-based) is the first pass of step two.
    prompt = build_prompt([ev.Welcome(True, routine, 4, 5), ev.Offer(True, routine)])
    assert "You were on step two of two of Small routine: Glute ball press." in prompt.text
    assert prompt.reprompt == "Say yes to carry on, or no."
    assert build_prompt([ev.Welcome(True)]).text == "Welcome back."
    # A stale position past the end still names the last step rather than crashing.
    assert "Glute ball press" in build_prompt([ev.Welcome(True, routine, 99, 5)]).text


def test_routine_list_and_unknown_routine_name_some_routines(library: dict[str, Routine]) -> None:
    routines = tuple(library[key] for key in sorted(library))
    listed = build_prompt([ev.RoutineList(routines)])
    assert (
        listed.text == "Here are the routines: Quick relief or Small routine. Which would you like?"
    )
    unknown = build_prompt([ev.UnknownRoutine("yoga", routines * 3)]).text
    assert unknown.startswith("I don't know a routine called yoga.")
    assert unknown.count("Quick relief") + unknown.count("Small routine") == 3


def test_routine_start_gives_steps_minutes_safety_and_tools(library: dict[str, Routine]) -> None:
    routine = library["small"]
    prompt = build_prompt([ev.RoutineStarted(routine, 5, 610)])
    assert prompt.text == (
        "Let's begin Small routine: two steps, about ten minutes. "
        "Stop if anything hurts sharply. Have these at hand: foam roller."
    )
    again = build_prompt([ev.RoutineStarted(routine, 5, 610, restarted=True)])
    assert "again from the top" in again.text


def test_full_detail_teaches_the_technique_without_the_why(library: dict[str, Routine]) -> None:
    step = library["small"].steps[1]
    prompt = build_prompt([perform(library, 4, ev.Detail.FULL, 45)])
    text = prompt.text
    assert text.startswith("Glute ball press, for the glutes. Sit on the ball.")
    assert "Pressure: Firm but not painful." in text
    assert "Press and hold for forty five seconds. Begin." in text
    assert step.why not in text


def test_full_detail_does_not_repeat_an_area_the_title_names(library: dict[str, Routine]) -> None:
    routine = library["small"]
    step = dataclasses.replace(routine.steps[1], title="Ball on the glutes")
    item = Item(0, 1, step, Side.BOTH, 1)
    prompt = build_prompt([ev.Perform(item, 30, 5, 2, ev.Detail.FULL)])
    assert prompt.parts[0] == Say("Ball on the glutes.")
    sided = build_prompt([ev.Perform(Item(0, 1, step, Side.LEFT, 1), 30, 5, 2, ev.Detail.FULL)])
    assert sided.parts[0] == Say("Ball on the glutes, left side.")


def test_brief_and_cue_are_really_short(library: dict[str, Routine]) -> None:
    full = build_prompt([perform(library, 0, ev.Detail.FULL)])
    brief = build_prompt([perform(library, 0, ev.Detail.BRIEF)])
    cue = build_prompt([perform(library, 1, ev.Detail.CUE)])
    # Brief means one sentence, what, which side and how long, that starts the hold.
    assert brief.parts[0] == Say("Knee hug, right side, for twenty seconds, starting now.")
    assert isinstance(brief.parts[1], Hold)
    assert sentences_before_hold(brief) == 1 < sentences_before_hold(full)
    assert cue.parts[0] == Say("Again, right side, rep two of two.")
    assert words_before_hold(cue) <= 12
    assert words_before_hold(brief) <= 12
    assert words_before_hold(brief) < words_before_hold(full)


def test_every_brief_intro_of_the_library_is_one_sentence() -> None:
    for routine in builtin_library().values():
        for item in expand(routine):
            if item.first_of_step:
                event = ev.Perform(item, item.step.hold.default, 1, 1, ev.Detail.BRIEF)
                assert sentences_before_hold(build_prompt([event])) == 1, item.step.id


def test_cue_on_a_new_side_or_a_one_sided_step(library: dict[str, Routine]) -> None:
    assert build_prompt([perform(library, 2, ev.Detail.CUE)]).parts[0] == Say(
        "Knee hug, left side."
    )
    assert build_prompt([perform(library, 4, ev.Detail.CUE)]).parts[0] == Say(
        "Glute ball press again."
    )
    routine = library["small"]
    step = dataclasses.replace(routine.steps[1], reps=3)
    item = Item(5, 1, step, Side.BOTH, 2)
    prompt = build_prompt([ev.Perform(item, 30, 6, 2, ev.Detail.CUE)])
    assert prompt.parts[0] == Say("Again, rep two of three.")


def test_a_pass_is_cue_hold_release_encouragement(library: dict[str, Routine]) -> None:
    # (A brief intro is one sentence that starts the hold itself: see the test above.)
    prompt = build_prompt([perform(library, 0, ev.Detail.CUE, 25)])
    kinds = [type(part).__name__ for part in prompt.parts]
    assert kinds == ["Say", "Say", "Hold", "Say", "Say"]
    hold = prompt.parts[2]
    assert hold == Hold(
        seconds=25,
        step_id="knee-hug",
        side=Side.RIGHT,
        rep=1,
        reminders=("Breathe slowly.",),
        release="And release. Let the knee go.",
    )
    assert prompt.parts[1] == Say("Hold for twenty five seconds. Begin.")
    assert prompt.parts[3] == Say(hold.release)
    assert prompt.reprompt == "Say next when you're ready, or repeat to do it again."
    assert prompt.display == {
        "title": "Knee hug",
        "cue": "Hug your knee in.",
        "step": "1 of 2",
        "hold": "25 seconds",
        "side": "right",
    }
    assert prompt.holds == (hold,)


@pytest.mark.parametrize("technique", list(Technique))
def test_every_technique_has_its_own_hold_and_release_words(
    library: dict[str, Routine], technique: Technique
) -> None:
    routine = library["small"]
    step = dataclasses.replace(routine.steps[1], technique=technique)
    prompt = build_prompt([ev.Perform(Item(0, 0, step, Side.BOTH, 1), 60, 1, 1, ev.Detail.FULL)])
    hold_cue = prompt.parts[prompt.parts.index(prompt.holds[0]) - 1]
    assert isinstance(hold_cue, Say)
    assert "one minute" in hold_cue.text
    assert prompt.holds[0].release.endswith("Roll off the ball.")
    if technique is Technique.COLD:
        assert "cloth" in hold_cue.text


def test_side_switch_and_rest(library: dict[str, Routine]) -> None:
    assert build_prompt([ev.SideSwitch(Side.LEFT)]).text == "Switch to your left side."
    rest = build_prompt([ev.Rest(10)])
    assert rest.parts == (Say("Rest for ten seconds."), Pause(10.0, rest=True))


def test_hold_changes_name_the_bound_when_one_cut_the_request(library: dict[str, Routine]) -> None:
    step = library["small"].steps[1]
    capped = build_prompt([ev.HoldChanged(step, 45, 60, 600)]).text
    assert capped == "The longest for this pressure point is one minute, so I'll use that."
    floored = build_prompt([ev.HoldChanged(step, 45, 30, 5)]).text
    assert floored == "The shortest for this pressure point is thirty seconds, so I'll use that."
    plain = build_prompt([ev.HoldChanged(step, 45, 55, 55)]).text
    assert plain == "Okay, Glute ball press is now fifty five seconds. I'll remember that."
    limit = build_prompt([ev.HoldLimit(step, 60, longest=True)]).text
    assert limit == "That's already the longest for this pressure point, one minute."
    assert "shortest" in build_prompt([ev.HoldLimit(step, 30, longest=False)]).text


def test_pause_resume_skip(library: dict[str, Routine]) -> None:
    paused = build_prompt([ev.Paused()])
    assert paused.reprompt == "Say resume to carry on, or stop to finish for now."
    assert build_prompt([ev.Resumed()]).text == "Let's carry on."
    assert build_prompt([ev.Skipped(library["small"].steps[0])]).text == "Skipping Knee hug."


@pytest.mark.parametrize(
    "event",
    [
        ev.Stopped(resumable=True, done=2, total=5),
        ev.Stopped(resumable=False),
        ev.RedFlag("RED_FLAG_SADDLE"),
    ],
)
def test_stop_and_red_flag_end_the_session_without_a_reprompt(event: ev.Event) -> None:
    prompt = build_prompt([event])
    assert prompt.end_session
    assert prompt.reprompt is None


def test_finished_summarises_and_advises(library: dict[str, Routine]) -> None:
    prompt = build_prompt([ev.Finished(library["small"], 400)])
    assert prompt.end_session
    assert prompt.reprompt is None
    assert "Small routine, about seven minutes" in prompt.text
    assert "persists or gets worse" in prompt.text


def test_stopping_mid_routine_promises_to_continue_next_time() -> None:
    text = build_prompt([ev.Stopped(True, 2, 5)]).text
    assert "progress is saved" in text
    assert "offer to continue" in text


def test_red_flag_advises_urgent_care_clearly() -> None:
    text = build_prompt([ev.RedFlag("RED_FLAG_BLADDER")]).text
    assert "stopping the session" in text
    assert "urgent medical care" in text
    assert "right away" in text


def test_pain_advice_is_calm_and_offers_a_way_on(library: dict[str, Routine]) -> None:
    step = library["small"].steps[0]
    pain = build_prompt([ev.PainAdvice("PAIN", step)])
    assert "breathe slowly" in pain.text
    assert "see a doctor" in pain.text
    assert "say skip" in pain.text
    assert not pain.end_session
    nerve = build_prompt([ev.PainAdvice("NUMBNESS", step)]).text
    assert "Numbness or tingling" in nerve
    assert "Stop that technique" in nerve
    assert "tingling" in build_prompt([ev.PainAdvice("tingling", None)]).text
    assert "say skip" not in build_prompt([ev.PainAdvice("PAIN", None)]).text


def test_progress_and_explanation(library: dict[str, Routine]) -> None:
    routine = library["small"]
    prompt = build_prompt([ev.Progress(routine, 4, 5, 1, 57, routine.steps[1])])
    assert prompt.text == "You're on step two of two: Glute ball press. About one minute to go."
    assert prompt.display["step"] == "2 of 2"
    why = build_prompt([ev.Explanation(routine.steps[0])]).text
    assert why == f"Knee hug: {routine.steps[0].why}"
    assert "sciatica" in build_prompt([ev.Explanation(None)]).text


def test_help_depends_on_where_the_user_is() -> None:
    active = build_prompt([ev.Help(in_routine=True, paused=False)]).text
    paused = build_prompt([ev.Help(in_routine=True, paused=True)]).text
    idle = build_prompt([ev.Help(in_routine=False, paused=True)]).text
    assert "next" in active
    assert "resume" in paused
    assert "start" in idle
    assert len({active, paused, idle}) == 3
    assert all("hurts" in text for text in (active, paused, idle))


@pytest.mark.parametrize("kind", list(ev.NoticeKind))
def test_every_notice_has_words_and_a_reprompt(kind: ev.NoticeKind) -> None:
    prompt = build_prompt([ev.Notice(kind)])
    assert prompt.text
    assert prompt.reprompt


def test_variants_are_deterministic_and_vary(library: dict[str, Routine]) -> None:
    events: list[ev.Event] = [perform(library, 0, ev.Detail.BRIEF)]
    assert build_prompt(events, variant=3) == build_prompt(events, variant=3)
    assert len({build_prompt(events, variant=n).text for n in range(5)}) > 1


def test_the_last_reprompt_wins_and_displays_merge(library: dict[str, Routine]) -> None:
    routine = library["small"]
    prompt = build_prompt([ev.Notice(ev.NoticeKind.NOT_STARTED), ev.Offer(False, routine)])
    assert prompt.reprompt == "Say yes to start Small routine, or no."
    started = build_prompt(
        [ev.RoutineStarted(routine, 5, 300), perform(library, 0, ev.Detail.FULL)]
    )
    assert started.display["title"] == "Knee hug"


COMMANDS = st.sampled_from(
    [Command(kind) for kind in CommandKind if kind not in (K.START, K.SET_HOLD, K.PAIN, K.RED_FLAG)]
    + [
        Command(K.START, routine="small"),
        Command(K.START, routine="nope"),
        Command(K.SET_HOLD, seconds=40),
        Command(K.SET_HOLD, seconds=900),
        Command(K.PAIN, symptom="NUMBNESS"),
        Command(K.RED_FLAG, symptom="RED_FLAG_SADDLE"),
    ]
)
ENDING = (ev.Stopped, ev.RedFlag, ev.Finished, ev.SessionClosed)


def ends(event: ev.Event) -> bool:
    """Whether the event ends the conversation: a finished routine only when no pain check
    is asked after it (then the answer's goodbye, `SessionClosed`, ends it)."""
    if isinstance(event, ev.Finished):
        return not event.asking
    return isinstance(event, ENDING)


@settings(max_examples=150)
@given(st.lists(COMMANDS, max_size=25), st.integers(0, 1000))
def test_any_session_can_be_said(commands: list[Command], variant: int) -> None:
    small = parse_routine(SMALL_ROUTINE, "small.yaml")
    other = parse_routine(OTHER_ROUTINE, "default.yaml")
    library = {small.id: small, other.id: other}
    state: dict[str, Any] | None = None
    for command in commands:
        state, events = apply(state, command, library)
        prompt = build_prompt(events, variant=variant)
        assert prompt.parts, f"{command.kind} said nothing"
        for part in prompt.parts:
            if isinstance(part, Say):
                assert part.text.strip()
                assert not re.search(r"[{}]", part.text)
        assert prompt.end_session == any(ends(e) for e in events)
        assert (prompt.reprompt is None) == prompt.end_session


def test_an_unknown_routine_s_name_is_said_back_only_in_part() -> None:
    from routines.loader import load_library

    routines = tuple(load_library().values())
    prompt = build_prompt([ev.UnknownRoutine("000" * 2628, routines)])
    assert len(prompt.text) < 400
    assert "..." in prompt.text
    short = build_prompt([ev.UnknownRoutine("yoga for cats", routines)])
    assert "yoga for cats" in short.text
