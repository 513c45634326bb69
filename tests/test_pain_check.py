"""The pain check and the pain journal's part of the turn (routines.session, skill.core.turn,
skill.core.journal_turn): asked at start and end, answered or skipped, journaled once."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from routines import events as ev
from routines.commands import Command
from routines.commands import CommandKind as K
from routines.loader import load_library
from routines.models import Routine
from routines.plan import expand, seconds_left
from routines.session import Question, Status, new_state
from skill.core.journal import SessionEntry, entry_of
from skill.core.journal_turn import _seconds_done, with_advice
from skill.core.turn import TurnContext, TurnResult, take_turn
from speech.phrases import say
from tests.support.journal import session_entry

T0 = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)


def at(minutes: float) -> str:
    return (T0 + timedelta(minutes=minutes)).isoformat(timespec="seconds")


def kinds(result: TurnResult) -> list[str]:
    return [type(event).__name__ for event in result.events]


class Session:
    """A user talking to the coach, one minute per turn."""

    def __init__(self, library: dict[str, Routine], state: Any = None) -> None:
        self.library = library
        self.state = state
        self.minute = 0.0
        self.logged: list[SessionEntry] = []

    def say(self, command: Command, journal: list[SessionEntry] | None = None) -> TurnResult:
        self.minute += 1
        context = TurnContext(at=at(self.minute), journal=journal)
        result = take_turn(self.state, command, self.library, context)
        self.state = result.state
        self.logged.extend(result.logged)
        return result

    def kind(self, kind: K, **values: Any) -> TurnResult:
        return self.say(Command(kind, **values))

    def through(self) -> TurnResult:
        """NEXT until the routine has finished."""
        for _ in range(50):
            result = self.kind(K.NEXT)
            if any(isinstance(event, ev.Finished) for event in result.events):
                return result
        raise AssertionError("the routine did not finish")


def test_a_start_asks_and_the_answer_is_noted_then_the_first_pass(
    library: dict[str, Routine],
) -> None:
    user = Session(library)
    started = user.kind(K.START, routine="small")
    assert kinds(started)[-2:] == ["RoutineStarted", "PainCheck"]
    assert "from zero to ten" in started.prompt.text
    assert not started.ends
    assert started.prompt.reprompt is not None
    rated = user.kind(K.RATE_PAIN, rating=6)
    assert kinds(rated) == ["PainRated", "Perform"]
    assert rated.prompt.text.startswith("Thanks, six.")
    assert user.state["pain_before"] == 6
    assert user.state["position"] == 0  # the first pass, not the second


def test_skip_next_or_i_dont_know_move_on_without_a_rating(library: dict[str, Routine]) -> None:
    for answer in (Command(K.SKIP), Command(K.NEXT), Command(K.RATE_PAIN), Command(K.NO)):
        user = Session(library)
        user.kind(K.START, routine="small")
        result = user.say(answer)
        assert kinds(result)[-1] == "Perform", answer
        assert user.state["position"] == 0
        assert user.state["pain_before"] is None


def test_questions_while_asked_are_answered_and_the_check_asked_again(
    library: dict[str, Routine],
) -> None:
    user = Session(library)
    user.kind(K.START, routine="small")
    for kind in (K.HELP, K.STATUS, K.EXPLAIN):
        result = user.kind(kind)
        assert kinds(result)[-1] == "PainCheck"
        assert user.state["asking"] == Question.PAIN_BEFORE
    assert kinds(user.kind(K.RATE_PAIN, rating=3))[-1] == "Perform"


def test_the_end_asks_again_and_compares(library: dict[str, Routine]) -> None:
    user = Session(library)
    user.kind(K.START, routine="small")
    user.kind(K.RATE_PAIN, rating=6)
    finished = user.through()
    assert kinds(finished)[-2:] == ["Finished", "PainCheck"]
    assert not finished.ends
    assert user.logged == []  # not until the check is answered
    closed = user.kind(K.RATE_PAIN, rating=4)
    assert closed.ends
    assert "four, down from six" in closed.prompt.text
    (entry,) = user.logged
    assert (entry.ended, entry.pain_before, entry.pain_after) == ("finished", 6, 4)
    assert entry.steps_done == entry.steps == len(library["small"].steps)
    assert entry.minutes > 0
    assert entry_of(entry.to_json()) == entry
    assert user.state["started_at"] is None


def test_stopping_early_never_asks_and_is_journaled_as_stopped(
    library: dict[str, Routine],
) -> None:
    user = Session(library)
    user.kind(K.START, routine="small")
    user.kind(K.RATE_PAIN, rating=5)
    stopped = user.kind(K.STOP)
    assert "PainCheck" not in kinds(stopped)
    assert stopped.ends
    (entry,) = user.logged
    assert (entry.ended, entry.pain_before, entry.pain_after, entry.steps_done) == (
        "stopped",
        5,
        None,
        1,
    )


def test_a_red_flag_is_journaled_with_its_symptom(library: dict[str, Routine]) -> None:
    user = Session(library)
    user.kind(K.START, routine="small")
    user.kind(K.SKIP)
    user.kind(K.PAIN, symptom="NUMBNESS")
    user.kind(K.RED_FLAG, symptom="RED_FLAG_BLADDER")
    (entry,) = user.logged
    assert entry.ended == "red_flag"
    assert entry.symptoms == ("NUMBNESS", "RED_FLAG_BLADDER")


def test_an_unanswered_check_at_the_end_closes_at_the_next_launch(
    library: dict[str, Routine],
) -> None:
    user = Session(library)
    user.kind(K.START, routine="small")
    user.kind(K.RATE_PAIN, rating=2)
    user.through()
    user.kind(K.LAUNCH)  # the user walked away; next time, the coach greets
    (entry,) = user.logged
    assert (entry.ended, entry.pain_before, entry.pain_after) == ("finished", 2, None)


def test_the_check_can_be_turned_off_and_on(library: dict[str, Routine]) -> None:
    user = Session(library)
    assert "won't ask" in user.kind(K.PAIN_CHECK_OFF).prompt.text
    started = user.kind(K.START, routine="small")
    assert kinds(started)[-1] == "Perform"
    finished = user.through()
    assert finished.ends
    assert kinds(finished)[-1] == "Finished"
    user.kind(K.PAIN_CHECK_ON)
    assert kinds(user.kind(K.START, routine="small"))[-1] == "PainCheck"
    # Saying so while asked answers the check and remembers it.
    result = user.kind(K.PAIN_CHECK_OFF)
    assert kinds(result) == ["PainCheckSet", "Perform"]
    assert user.state["pain_check"] is False


def test_turning_the_check_off_or_on_reprompts_for_where_the_session_stands(
    library: dict[str, Routine],
) -> None:
    def reprompt_key(result: TurnResult) -> str:
        keys = ("reprompt.idle", "reprompt.paused", "reprompt.active")
        (key,) = [k for k in keys if say(k, result.variant) == result.prompt.reprompt]
        return key

    user = Session(library)
    assert reprompt_key(user.kind(K.PAIN_CHECK_OFF)) == "reprompt.idle"
    assert kinds(user.kind(K.START, routine="small"))[-1] == "Perform"
    user.kind(K.PAUSE)
    assert reprompt_key(user.kind(K.PAIN_CHECK_ON)) == "reprompt.paused"
    user.kind(K.RESUME)
    assert reprompt_key(user.kind(K.PAIN_CHECK_OFF)) == "reprompt.active"


def test_a_rating_not_asked_for_mid_routine_stops_the_technique(
    library: dict[str, Routine],
) -> None:
    user = Session(library)
    user.kind(K.START, routine="small")
    user.kind(K.SKIP)
    result = user.kind(K.RATE_PAIN, rating=8)
    assert kinds(result) == ["PainAdvice"]
    assert user.state["status"] == Status.PAUSED
    idle = Session(library)
    assert kinds(idle.kind(K.RATE_PAIN, rating=8)) == ["Notice"]


def test_without_a_clock_nothing_is_journaled(library: dict[str, Routine]) -> None:
    state = None
    for command in (Command(K.START, routine="small"), Command(K.STOP)):
        result = take_turn(state, command, library)
        assert result.logged == ()
        state = result.state


def test_a_new_start_closes_the_session_left_open(library: dict[str, Routine]) -> None:
    user = Session(library)
    user.kind(K.START, routine="small")
    user.kind(K.RATE_PAIN, rating=7)
    user.kind(K.NEXT)
    user.kind(K.START, routine="sciatica-quick-relief")
    (entry,) = user.logged
    assert (entry.routine, entry.ended, entry.pain_before) == ("small", "stopped", 7)
    assert entry.ended_at == at(3)  # when it was last touched, not when it was replaced


def test_forgetting_asks_first(library: dict[str, Routine]) -> None:
    user = Session(library)
    asked = user.kind(K.FORGET_JOURNAL)
    assert kinds(asked) == ["ForgetAsked"]
    assert not asked.forget
    assert user.kind(K.NO).forget is False
    user.kind(K.FORGET_JOURNAL)
    done = user.kind(K.YES)
    assert done.forget
    assert "deleted" in done.prompt.text


def rated(day: int, before: int, after: int | None = None) -> SessionEntry:
    start = T0 - timedelta(days=day)
    return session_entry(
        start,
        lasting=20,
        routine="small",
        steps_done=2,
        steps=2,
        minutes=10.0,
        pain_before=before,
        pain_after=after,
    )


PERSISTING = [rated(15, 5), rated(10, 5), rated(5, 6), rated(1, 6)]


def test_persisting_pain_is_advised_at_launch_once_a_week_and_again_at_the_end(
    library: dict[str, Routine],
) -> None:
    # The rule is applied when a session is journaled; the launch reads no journal.
    user = Session(library, with_advice(new_state(), PERSISTING, at(0)))
    assert user.state["advice_due"] == "persists"
    launch = user.say(Command(K.LAUNCH))
    assert kinds(launch)[-2:] == ["SeeProfessional", "Offer"]
    assert "doctor or physiotherapist" in launch.prompt.text
    user.kind(K.YES)
    user.kind(K.SKIP)
    stopped = user.kind(K.STOP)
    assert "SeeProfessional" in kinds(stopped)
    assert stopped.events[-1] == stopped.events[-1]  # the goodbye stays last
    assert isinstance(stopped.events[-1], ev.Stopped)
    # The next launch, the same week: not again.
    assert "SeeProfessional" not in kinds(user.say(Command(K.LAUNCH)))
    user.minute += 8 * 24 * 60
    assert "SeeProfessional" in kinds(user.say(Command(K.LAUNCH)))


def test_improving_pain_is_not_advised_and_the_summary_says_how_it_goes(
    library: dict[str, Routine],
) -> None:
    improving = [rated(15, 7), rated(10, 6), rated(5, 4), rated(1, 3)]
    user = Session(library, with_advice(new_state(), improving, at(0)))
    assert user.state["advice_due"] is None
    assert "SeeProfessional" not in kinds(user.say(Command(K.LAUNCH)))
    summary = user.say(Command(K.JOURNAL), journal=improving)
    (event,) = [e for e in summary.events if isinstance(e, ev.JournalSummary)]
    assert event.trend == "improving"
    assert "come down" in summary.prompt.text
    assert "SeeProfessional" not in kinds(summary)
    empty = user.say(Command(K.JOURNAL), journal=[])
    assert "any sessions" in empty.prompt.text
    user.kind(K.START, routine="small")
    first = user.say(Command(K.JOURNAL), journal=[])
    assert "your first session" in first.prompt.text  # not "say start to begin one"
    assert "from zero to ten" in first.prompt.text  # and the check is asked again


def test_a_red_flag_launch_reminder_stays_beside_the_advice(library: dict[str, Routine]) -> None:
    user = Session(library)
    user.kind(K.START, routine="small")
    user.kind(K.RED_FLAG, symptom="RED_FLAG_FEVER")
    user.state = with_advice(user.state, PERSISTING, at(user.minute))
    launch = user.say(Command(K.LAUNCH))
    assert kinds(launch)[-3:] == ["SafetyReminder", "SeeProfessional", "Offer"]


COMMANDS = st.one_of(
    st.sampled_from([Command(k) for k in K if k is not K.START]),
    st.builds(Command, st.just(K.START), routine=st.sampled_from(["small", None])),
    st.builds(Command, st.just(K.RATE_PAIN), rating=st.integers(0, 10) | st.none()),
    st.builds(Command, st.sampled_from([K.PAIN, K.RED_FLAG]), symptom=st.just("NUMBNESS")),
)


@given(st.lists(COMMANDS, max_size=40))
def test_along_any_commands_each_session_is_journaled_once_and_valid(
    commands: list[Command],
) -> None:
    from tests.conftest import small_library

    user = Session(small_library())
    opened: list[str] = []
    for command in [*commands, Command(K.STOP)]:
        result = user.say(command, journal=[])
        json.dumps(result.state)
        if any(isinstance(event, ev.RoutineStarted) for event in result.events):
            opened.append(result.state["started_at"])
        for entry in result.logged:
            assert entry_of(entry.to_json()) == entry
            assert 0 <= entry.steps_done <= entry.steps
            assert entry.started_at <= entry.ended_at
            # Nothing empty: a step begun, a rating, a symptom or a red flag.
            assert (
                entry.steps_done
                or entry.pain_before is not None
                or entry.symptoms
                or (entry.ended == "red_flag")
            )
    logged = [entry.started_at for entry in user.logged]
    # Every session is journaled at most once, and only sessions that were started.
    assert len(set(logged)) == len(logged)
    assert set(logged) <= set(opened)
    assert user.state["started_at"] is None  # the final stop closed whatever was open


@given(
    passes=st.integers(min_value=0, max_value=60),
    holds=st.dictionaries(st.sampled_from(["a", "b", "c"]), st.integers(1, 300), max_size=3),
    rest=st.none() | st.integers(0, 120),
)
def test_an_entrys_minutes_are_the_plans_estimate_of_the_passes_done(
    passes: int, holds: dict[str, int], rest: int | None
) -> None:
    """What a session's entry counts as done is the plan's estimate from the start less its
    estimate from the pass it stopped at, for every built-in routine, pass, hold and rest."""
    for routine in load_library().values():
        items = expand(routine)
        done = min(passes, len(items))
        preferred = {routine.steps[ord(k) % len(routine.steps)].id: v for k, v in holds.items()}
        expected = seconds_left(items, 0, preferred, rest) - seconds_left(
            items, done, preferred, rest
        )
        assert _seconds_done(items, done, preferred, rest) == expected
