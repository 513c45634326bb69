"""skill.local.coach: the local coach loop, in process, on a fake clock, with a real SQLite store.

Commands are queued as the input sources would queue them; a `FakeClock` callback queues a
command at an exact moment of a hold, which is how "the user said pause 12 s in" is tested
without threads or real time.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from routines.commands import Command, CommandKind
from routines.models import Routine, Side
from skill.alexa.skill import STATE_ATTRIBUTE
from skill.core.resolver import Resolver
from skill.core.store import SQLiteStore, StoreError
from skill.local.coach import (
    PAIN_CHECK_WAIT_S,
    STATE_KEY,
    USER_ID,
    Coach,
    Outcome,
    Startup,
    rest_of_hold,
)
from skill.local.inputs import (
    Ended,
    Heard,
    Input,
    InputQueue,
    Key,
    Rejected,
    Source,
    Unsure,
    resolve_text,
)
from skill.local.screen import Position
from speech.audio import NullSink
from speech.clock import FakeClock
from speech.pacing import SpeechKind, Timeline
from speech.player import EventCallback, PlayedHold, Player, PlayResult, SayStarted
from speech.prompt import Hold, Prompt, Say
from speech.tts import TextOnlyEngine

# The small routine (tests/conftest.py): knee hug 20 s x 2 reps x 2 sides with 5 s rests,
# then glute ball press 45 s once.
SMALL_HOLDS = [20, 20, 20, 20, 45]


class Recorder:
    """A screen that remembers what it was told."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, Any]] = []

    def of(self, name: str) -> list[Any]:
        return [value for called, value in self.calls if called == name]

    def start(self) -> None:
        self.calls.append(("start", None))

    def stop(self) -> None:
        self.calls.append(("stop", None))

    def notice(self, text: str) -> None:
        self.calls.append(("notice", text))

    def prompt(self, text: str) -> None:
        self.calls.append(("prompt", text))

    def speaking(self, text: str) -> None:
        self.calls.append(("speaking", text))

    def hold(self, seconds: int, started: float) -> None:
        self.calls.append(("hold", (seconds, started)))

    def hold_over(self, completed: bool) -> None:
        self.calls.append(("hold_over", completed))

    def rest(self, seconds: int, started: float) -> None:
        self.calls.append(("rest", (seconds, started)))

    def rest_over(self, completed: bool) -> None:
        self.calls.append(("rest_over", completed))

    def get_ready(self, seconds: int, started: float) -> None:
        self.calls.append(("get_ready", (seconds, started)))

    def position(self, position: Position | None) -> None:
        self.calls.append(("position", position))

    def heard(self, item: Input) -> None:
        self.calls.append(("heard", item))

    def keys(self, keys: Sequence[Key]) -> None:
        self.calls.append(("keys", keys))

    def waiting(self, hint: str | None) -> None:
        self.calls.append(("waiting", hint))


class Rig:
    """A coach with its clock, queue, screen and store, ready to run."""

    def __init__(
        self,
        library: dict[str, Routine],
        db: Path,
        sources: frozenset[Source] = frozenset({Source.KEY}),
        store: Any = None,
    ) -> None:
        self.clock = FakeClock()
        self.inputs = InputQueue()
        self.screen = Recorder()
        self.store = store if store is not None else SQLiteStore(db)
        self.player = Player(TextOnlyEngine(), NullSink(), self.clock)
        self.coach = Coach(
            library, self.store, self.player, self.screen, self.inputs, self.clock, sources=sources
        )

    def say(self, *texts: str, source: Source = Source.KEY) -> None:
        """Queue commands now, as resolved text would arrive."""
        for text in texts:
            self.inputs.put(command(text, source))

    def at(self, when: float, *texts: str) -> None:
        """Queue commands when the fake clock reaches `when`."""
        self.clock.call_at(when, lambda: self.say(*texts))

    def end(self, *sources: Source) -> None:
        for source in sources:
            self.inputs.put(Ended(source))

    def stored(self) -> dict[str, Any]:
        record = self.store.load(USER_ID)
        assert record is not None
        state: dict[str, Any] = record[STATE_KEY]
        return state

    def said(self) -> str:
        return " ".join(prompt.text for prompt in self.coach.spoken)


_INTENTS = {
    CommandKind.NEXT: "AMAZON.NextIntent",
    CommandKind.PAUSE: "AMAZON.PauseIntent",
    CommandKind.RESUME: "AMAZON.ResumeIntent",
    CommandKind.LONGER: "LongerHoldIntent",
    CommandKind.SET_HOLD: "SetHoldIntent",
    CommandKind.PAIN: "PainIntent",
    CommandKind.RED_FLAG: "PainIntent",
    CommandKind.SKIP: "SkipIntent",
    CommandKind.STOP: "AMAZON.StopIntent",
    CommandKind.STATUS: "ProgressIntent",
    CommandKind.YES: "AMAZON.YesIntent",
    CommandKind.NO: "AMAZON.NoIntent",
    CommandKind.RATE_PAIN: "PainRatingIntent",
}


_SPELLINGS = {
    "set": CommandKind.SET_HOLD,
    "red": CommandKind.RED_FLAG,
    "pain": CommandKind.PAIN,
    "rate": CommandKind.RATE_PAIN,
}


def command(text: str, source: Source = Source.KEY) -> Heard:
    """A Heard for a short spelling: "next", "pause", "set 45", "pain", "red", "rate 5" (an
    answer to the pain check), "rate" (the answer "I don't know")."""
    name, _, argument = text.partition(" ")
    kind = _SPELLINGS[name] if name in _SPELLINGS else CommandKind(name)
    if kind is CommandKind.SET_HOLD:
        cmd = Command(kind, seconds=int(argument))
    elif kind is CommandKind.RED_FLAG:
        cmd = Command(kind, symptom="RED_FLAG_BLADDER")
    elif kind is CommandKind.PAIN:
        cmd = Command(kind, symptom="PAIN")
    elif kind is CommandKind.RATE_PAIN:
        cmd = Command(kind, rating=int(argument) if argument else None)
    else:
        cmd = Command(kind)
    return Heard(cmd, _INTENTS[kind], text, source)


@pytest.fixture
def rig(library: dict[str, Routine], tmp_path: Path) -> Callable[..., Rig]:
    def make(**options: Any) -> Rig:
        return Rig(library, tmp_path / "coach.sqlite3", **options)

    return make


def test_the_stored_record_is_the_one_the_skill_reads() -> None:
    assert STATE_KEY == STATE_ATTRIBUTE


def test_hands_free_the_whole_routine_runs_on_the_clock_without_a_touch(
    rig: Callable[..., Rig],
) -> None:
    r = rig()
    outcome = r.coach.run(Startup(routine="small"))
    assert outcome is Outcome.FINISHED
    holds = r.screen.of("hold")
    assert [seconds for seconds, _ in holds] == SMALL_HOLDS
    assert r.screen.of("hold_over") == [True] * 5
    # Every hold starts after the one before it ended: the holds and the 5 s rests (two of
    # them, between reps on the same side) fit in the time the clock ran.
    starts = [started for _, started in holds]
    assert all(b - a >= 20 for a, b in itertools.pairwise(starts))
    assert r.clock.now() >= sum(SMALL_HOLDS) + 2 * 5
    said = r.said()
    assert said.count("Before we begin") == 1  # the disclaimer, on first use only
    assert "Let's begin Small routine" in said or "Starting Small routine" in said
    assert said.count("Knee hug") >= 2
    assert "Glute ball press" in said
    assert r.coach.spoken[-1].end_session
    stored = r.stored()
    assert stored["status"] == "finished"
    assert stored["routine"] == "small"
    assert stored["disclaimed"] is True


def test_a_command_during_a_hold_interrupts_it_at_that_moment(rig: Callable[..., Rig]) -> None:
    r = rig()
    starts: list[float] = []
    hold = r.screen.hold

    def pause_twelve_seconds_in(seconds: int, started: float) -> None:
        hold(seconds, started)
        if not starts:
            starts.append(started)
            r.at(started + 12, "pause")

    ended: list[float] = []
    hold_over = r.screen.hold_over

    def note_the_end(completed: bool) -> None:
        hold_over(completed)
        ended.append(r.clock.now())

    r.screen.hold = pause_twelve_seconds_in  # type: ignore[method-assign]
    r.screen.hold_over = note_the_end  # type: ignore[method-assign]
    r.end(Source.KEY)  # nothing more will come after the pause: the coach stops waiting
    outcome = r.coach.run(Startup(routine="small"))
    assert outcome is Outcome.NO_INPUT
    assert r.screen.of("hold_over") == [False]
    assert ended == [starts[0] + 12]
    assert r.coach.spoken[-1].text.startswith(("Paused", "Okay, paused"))
    stored = r.stored()
    assert (stored["status"], stored["position"]) == ("stopped", 0)
    assert r.screen.of("notice") == ["No more input: progress saved. Run again to continue."]


def test_a_question_mid_hold_is_answered_then_the_hold_goes_on_for_its_time_left(
    rig: Callable[..., Rig],
) -> None:
    r = rig()
    hold = r.screen.hold

    def ask_and_end() -> None:
        r.say("status")
        r.end(Source.KEY)

    def ask_eight_seconds_in(seconds: int, started: float) -> None:
        hold(seconds, started)
        if len(r.screen.of("hold")) == 1:
            # The question is the last input: if the hold did not go on, the coach would stop.
            r.clock.call_at(started + 8, ask_and_end)

    r.screen.hold = ask_eight_seconds_in  # type: ignore[method-assign]
    r.say("rate 5")  # "five", to the pain check the start asks
    outcome = r.coach.run(Startup(routine="small"))
    assert outcome is Outcome.FINISHED
    assert "from zero to ten" in r.coach.spoken[0].text
    assert r.coach.spoken[1].text.startswith("Thanks, five.")
    assert r.stored()["pain_before"] == 5
    # The first 20 s hold: cut at 8 s by the question, then its last 12 s, then the rest.
    assert [seconds for seconds, _ in r.screen.of("hold")] == [20, 12, *SMALL_HOLDS[1:]]
    assert r.screen.of("hold_over") == [False] + [True] * 5
    answer = r.coach.spoken[2].text
    assert answer.startswith("You're on step one of two")
    assert "Let the knee go" in answer
    assert r.stored()["status"] == "finished"


REPROMPT = "Say a number from zero to ten, or skip."
"""The hint shown while the pain check waits for an answer."""


def timed(r: Rig) -> tuple[list[tuple[float, str]], list[float]]:
    """Note the clock time of every prompt shown, and of every wait for the check's answer."""
    shown: list[tuple[float, str]] = []
    waits: list[float] = []
    prompt, waiting = r.screen.prompt, r.screen.waiting

    def timed_prompt(text: str) -> None:
        prompt(text)
        shown.append((r.clock.now(), text))

    def timed_waiting(hint: str | None) -> None:
        waiting(hint)
        if hint == REPROMPT:
            waits.append(r.clock.now())

    r.screen.prompt = timed_prompt  # type: ignore[method-assign]
    r.screen.waiting = timed_waiting  # type: ignore[method-assign]
    return shown, waits


def test_hands_free_the_pain_check_moves_on_after_its_seconds_of_silence(
    rig: Callable[..., Rig],
) -> None:
    r = rig()
    shown, waits = timed(r)
    assert r.coach.run(Startup(routine="small")) is Outcome.FINISHED
    assert PAIN_CHECK_WAIT_S == 8.0
    # Asked at the start and at the end; each time, nobody answered for 8 s on the clock.
    assert len(waits) == 2
    (_, asked), (first_at, first) = shown[0], shown[1]
    assert "how is your pain right now, from zero to ten" in asked
    assert first_at == waits[0] + PAIN_CHECK_WAIT_S
    assert first.startswith("Okay, let's begin. Knee hug, right side")
    (_, last_check), (bye_at, bye) = shown[-2], shown[-1]
    assert "How is your pain now, from zero to ten?" in last_check
    assert bye_at == waits[1] + PAIN_CHECK_WAIT_S
    assert bye == "Take care, and well done today."
    assert r.coach.spoken[-1].end_session
    assert not r.coach.spoken[-2].end_session
    stored = r.stored()
    assert (stored["status"], stored["pain_before"], stored["pain_after"]) == (
        "finished",
        None,
        None,
    )


def test_an_answer_before_the_seconds_are_up_is_taken(rig: Callable[..., Rig]) -> None:
    r = rig()
    shown, waits = timed(r)
    waiting = r.screen.waiting

    def answer_just_in_time(hint: str | None) -> None:
        waiting(hint)
        if hint == REPROMPT and len(waits) == 1:
            r.at(r.clock.now() + PAIN_CHECK_WAIT_S - 0.1, "rate 4")  # "my pain is a four"

    r.screen.waiting = answer_just_in_time  # type: ignore[method-assign]
    r.at(60.0, "stop")
    assert r.coach.run(Startup(routine="small")) is Outcome.STOPPED
    answered_at, answered = shown[1]
    assert answered_at == waits[0] + PAIN_CHECK_WAIT_S - 0.1
    assert answered.startswith("Thanks, four.")
    assert "Knee hug" in answered
    assert r.stored()["pain_before"] == 4


def test_the_rest_of_a_cut_hold_is_its_whole_seconds_left_despite_float_noise() -> None:
    hold = Hold(20, "knee-hug", Side.RIGHT, 1)
    prompt = Prompt(parts=(Say("Begin."), hold, Say("And release.")))
    timeline = Timeline((), (), (), 0.0, 25.0)
    for start in (10.123456, 33.3, 61.7):
        # 8 s into the hold, as the clock measures it: (start + 8) - start is 7.999... for
        # some starts, and must still leave 12 s, not 13.
        cut = PlayedHold(hold, 20, start, start + 8, completed=False)
        result = PlayResult(timeline, 0.0, start + 8, (), (cut,), completed=False)
        rest = rest_of_hold(prompt, result)
        assert rest == (replace(hold, seconds=12), Say("And release.")), start


def test_a_script_drives_every_turn_then_the_coach_goes_on_alone(
    rig: Callable[..., Rig],
) -> None:
    r = rig(sources=frozenset({Source.LINE}))
    r.say("longer", "next", "set 45", "pain", "skip", source=Source.LINE)
    r.inputs.put(Rejected("the weather is nice", Source.LINE))
    r.end(Source.LINE)
    outcome = r.coach.run(Startup(routine="small"))
    assert outcome is Outcome.FINISHED
    stored = r.stored()
    # "longer" made the knee hug 30 s; "set 45" on the next pass is cut to its 30 s maximum.
    assert stored["holds"] == {"knee-hug": 30}
    assert stored["status"] == "finished"
    heard = [item.text for item in r.screen.of("heard") if isinstance(item, Heard)]
    assert heard == ["longer", "next", "set 45", "pain", "skip"]
    assert Rejected("the weather is nice", Source.LINE) in r.screen.of("heard")
    said = r.said()
    assert "Knee hug is now thirty seconds" in said
    assert "the longest" in said.lower() or "thirty seconds" in said
    assert "let's stop this one" in said
    # The plan position picks the variant: the skip lands on pass 4, the glute press.
    assert "Skipping Knee hug" in said
    # After the skip only the glute press is left; it runs to its end, hands-free.
    assert [seconds for seconds, _ in r.screen.of("hold")][-1] == 45
    assert r.screen.of("hold_over")[-1] is True


def test_while_a_script_is_open_the_coach_waits_for_its_next_line(
    rig: Callable[..., Rig],
) -> None:
    r = rig(sources=frozenset({Source.LINE}))
    hints: list[str | None] = []

    def next_line(hint: str | None) -> None:
        if hint is not None:
            hints.append(hint)
            r.say("stop", source=Source.LINE)

    r.screen.waiting = next_line  # type: ignore[method-assign]
    r.say("next", source=Source.LINE)  # the script's answer to the pain check: move on
    assert r.coach.run(Startup(routine="small")) is Outcome.STOPPED
    assert "from zero to ten" in r.coach.spoken[0].text
    # The first pass played to its end, and the coach did not go on: it waited for the script.
    assert r.screen.of("hold_over") == [True]
    assert hints == ["Say next when you're ready, or repeat to do it again."]
    assert r.stored()["position"] == 0


def test_start_up_offers_to_continue_and_no_asks_to_start_afresh(rig: Callable[..., Rig]) -> None:
    first = rig()
    first.say("rate", "next", "next", "longer", "stop")  # "I don't know", then two passes on
    assert first.coach.run(Startup(routine="small")) is Outcome.STOPPED
    assert first.stored()["position"] == 2

    asked = rig()
    asked.say("no", "yes")
    asked.end(Source.KEY)
    asked.coach.run(Startup(ask=True))
    opening = asked.coach.spoken[0].text
    assert "Before we begin" not in opening  # the disclaimer was said on first use
    assert "step one of two of Small routine" in opening
    assert "carry on" in opening
    # No is answered as on Alexa: a question about starting that routine afresh, nothing
    # started without a yes.
    assert asked.coach.spoken[1].text in (
        "Would you like to start Small routine?",
        "Shall we start Small routine?",
    )
    after_yes = asked.coach.spoken[2].text
    assert after_yes.startswith(("Let's begin Small routine", "Starting Small routine"))
    assert "from zero to ten" in after_yes
    # Nobody answers (the keys have ended): after the wait the first pass comes.
    assert "Knee hug" in asked.coach.spoken[3].text
    assert asked.stored()["routine"] == "small"
    assert asked.stored()["holds"] == {"knee-hug": 30}  # preferences survive a fresh start


def test_start_up_no_twice_leaves_the_progress_as_it_was(rig: Callable[..., Rig]) -> None:
    first = rig()
    first.say("skip", "next", "next", "stop")
    first.coach.run(Startup(routine="small"))

    asked = rig()
    asked.say("no", "no")
    asked.end(Source.KEY)
    assert asked.coach.run(Startup(ask=True)) is Outcome.NO_INPUT
    assert "say start" in asked.coach.spoken[2].text.lower()
    assert (asked.stored()["routine"], asked.stored()["position"]) == ("small", 2)


def test_start_up_yes_or_resume_continues_where_the_user_stopped(
    rig: Callable[..., Rig],
) -> None:
    first = rig()
    first.say("rate 3", "next", "next", "stop")  # "about a three"
    first.coach.run(Startup(routine="small"))

    answered = rig()
    answered.say("yes", "stop")
    answered.coach.run(Startup(ask=True))
    assert "Knee hug, left side" in answered.coach.spoken[1].text
    assert answered.stored()["position"] == 2

    scripted = rig(sources=frozenset({Source.LINE}))
    scripted.say("stop", source=Source.LINE)
    scripted.coach.run(Startup(resume=True))
    opening = scripted.coach.spoken[0].text
    assert "Would you like" not in opening
    assert "Shall we" not in opening
    assert scripted.stored()["position"] == 2


def test_a_script_without_resume_starts_the_routine_afresh(rig: Callable[..., Rig]) -> None:
    first = rig()
    first.say("next", "next", "stop")
    first.coach.run(Startup(routine="small"))
    again = rig(sources=frozenset({Source.LINE}))
    again.say("stop", source=Source.LINE)
    again.coach.run(Startup())
    assert again.stored()["position"] == 0
    opening = again.coach.spoken[0].text
    assert "Would you like" not in opening
    # It starts afresh, so it does not recall how far the user got as if it would continue.
    assert "Welcome back." in opening
    assert "You were on step" not in opening
    assert "Last time you got to" not in opening
    assert again.screen.of("notice") == [
        "Starting afresh: to continue where you left off, run with --resume."
    ]


def test_resume_with_nothing_unfinished_says_so_and_starts(rig: Callable[..., Rig]) -> None:
    r = rig()
    r.say("stop")
    r.coach.run(Startup(routine="small", resume=True))
    assert r.screen.of("notice") == ["There is no unfinished routine to continue; starting afresh."]
    assert r.stored()["routine"] == "small"


def test_a_red_flag_ends_the_session(rig: Callable[..., Rig]) -> None:
    r = rig()
    r.say("red")
    assert r.coach.run(Startup(routine="small")) is Outcome.HALTED
    assert r.stored()["status"] == "halted"
    assert r.coach.spoken[-1].end_session


class InterruptedOnFourthPrompt:
    """A player that plays three prompts (the start's pain check and two passes), then sees
    Ctrl-C."""

    def __init__(self, player: Player) -> None:
        self.player = player
        self.plays = 0

    def play(
        self, prompt: Prompt, *, on_event: EventCallback | None = None, interrupt: Any = None
    ) -> PlayResult:
        self.plays += 1
        if self.plays == 4:
            raise KeyboardInterrupt
        return self.player.play(prompt, on_event=on_event, interrupt=interrupt)


def test_ctrl_c_stops_and_saves_progress(rig: Callable[..., Rig]) -> None:
    r = rig()
    r.coach.speaker = InterruptedOnFourthPrompt(r.player)
    assert r.coach.run(Startup(routine="small")) is Outcome.INTERRUPTED
    stored = r.stored()
    # The pain check went unanswered and two passes were played hands-free; Ctrl-C came as
    # the third began.
    assert (stored["status"], stored["position"]) == ("stopped", 2)
    assert r.screen.of("notice") == [
        "Stopped: progress saved. Run again to continue where you left off."
    ]


class FailingStore:
    """A store that reads nothing and cannot write."""

    def __init__(self) -> None:
        self.saves = 0

    def load(self, user_id: str) -> dict[str, Any] | None:
        return None

    def save(self, user_id: str, record: dict[str, Any]) -> None:
        self.saves += 1
        raise StoreError("disk full")

    def delete(self, user_id: str) -> None:
        raise StoreError("disk full")


def test_a_store_that_cannot_save_costs_one_notice_not_the_session(
    rig: Callable[..., Rig],
) -> None:
    store = FailingStore()
    r = rig(store=store)
    r.say("next", "stop")
    assert r.coach.run(Startup(routine="small")) is Outcome.STOPPED
    assert store.saves >= 3
    assert r.screen.of("notice") == ["Progress could not be saved: disk full"]


def test_unreadable_stored_progress_is_replaced_by_a_fresh_start(
    rig: Callable[..., Rig], tmp_path: Path
) -> None:
    store = SQLiteStore(tmp_path / "coach.sqlite3")
    store.save(USER_ID, {STATE_KEY: {"version": 99}, "other": 1})
    r = rig(store=store)
    r.say("stop")
    r.coach.run(Startup(routine="small"))
    assert r.screen.of("notice")[0] == "Your saved progress could not be read; starting afresh."
    record = store.load(USER_ID)
    assert record is not None
    assert record["other"] == 1
    assert record[STATE_KEY]["routine"] == "small"


def test_an_unknown_routine_is_refused_before_anything_is_said(
    rig: Callable[..., Rig],
) -> None:
    r = rig()
    with pytest.raises(KeyError):
        r.coach.run(Startup(routine="nope"))
    assert r.coach.spoken == []


def test_the_microphone_is_deaf_while_the_coach_speaks(rig: Callable[..., Rig]) -> None:
    r = rig()
    assert not r.coach.deaf()
    r.coach._on_event(SayStarted("Hold for twenty seconds.", SpeechKind.SAY, 0.0, 1.5))
    assert r.coach.deaf()
    r.clock.advance(1.5 + 0.29)
    assert r.coach.deaf()  # the echo margin
    r.clock.advance(0.02)
    assert not r.coach.deaf()
    assert r.screen.of("speaking") == ["Hold for twenty seconds."]


def test_key_context_follows_the_state(rig: Callable[..., Rig]) -> None:
    r = rig()
    assert not r.coach.key_context().offer_pending
    r.coach.apply(Command(CommandKind.LAUNCH))
    assert r.coach.key_context().offer_pending
    r.coach.apply(Command(CommandKind.START, routine="small"))
    r.coach.apply(Command(CommandKind.PAUSE))
    context = r.coach.key_context()
    assert context.paused
    assert not context.offer_pending


# -- asking before acting ------------------------------------------------------------------


def _doubted_next() -> Unsure:
    """ "keep going" heard only narrowly over "it hurts", as `resolve_heard` makes it."""
    return Unsure(
        "Sorry, did you say it hurts? Say yes or no.",
        "keep going",
        Source.VOICE,
        yes=Command(CommandKind.PAIN, symptom="PAIN"),
        no=Command(CommandKind.NEXT),
    )


@pytest.mark.parametrize("answer", ["yes", "no"])
def test_a_doubted_go_on_command_is_asked_about_and_the_answer_stands_for_it(
    rig: Callable[..., Rig], answer: str
) -> None:
    r = rig()
    r.clock.call_at(0.5, lambda: r.inputs.put(_doubted_next()))
    r.clock.call_at(0.7, lambda: r.say(answer))
    r.clock.call_at(0.9, lambda: r.say("stop"))
    r.coach.run(Startup(routine="small"))
    questions = [p.text for p in r.coach.spoken if p.text.startswith("Sorry, did you say")]
    assert questions == ["Sorry, did you say it hurts? Say yes or no."]
    assert r.screen.of("heard")[0] == _doubted_next()
    if answer == "yes":  # yes: it hurts
        assert "let's stop this one" in r.said()
    else:  # no: keep going, to the next pass
        assert "let's stop this one" not in r.said()
        assert r.coach.spoken[-2].holds


@pytest.mark.parametrize("answer", ["yes", "no"])
def test_words_that_may_tell_a_red_flag_are_asked_about_before_anything_else(
    rig: Callable[..., Rig], answer: str
) -> None:
    r = rig()
    typed = resolve_text(Resolver.for_locale(), "my waterworks are being slow", Source.LINE)
    r.clock.call_at(0.5, lambda: r.inputs.put(typed))
    r.clock.call_at(0.7, lambda: r.say(answer))
    r.clock.call_at(0.9, lambda: r.say("stop"))
    r.coach.run(Startup(routine="small"))
    question = "Just to check: has something changed with your bladder or bowel control?"
    assert [p.text for p in r.coach.spoken if p.text.startswith("Just to check")] == [
        f"{question} Say yes or no."
    ]
    if answer == "yes":  # a red flag: the session ends with urgent advice, and it is kept
        assert "urgent medical care" in r.said()
        assert r.stored()["red_flag"] == "RED_FLAG_BLADDER"
    else:  # no: where the session stands, and the routine goes on
        assert "urgent medical care" not in r.said()
        assert "You're on step one" in r.said()
        assert r.stored().get("red_flag") is None


@pytest.mark.parametrize("second", ["yes", "next", "no"])
def test_a_red_flag_question_answered_with_next_is_asked_once_more(
    rig: Callable[..., Rig], second: str
) -> None:
    r = rig()
    typed = resolve_text(Resolver.for_locale(), "my leg feels kind of clumsy", Source.LINE)
    r.clock.call_at(0.5, lambda: r.inputs.put(typed))
    r.clock.call_at(0.7, lambda: r.say("next"))
    r.clock.call_at(0.9, lambda: r.say(second))
    r.clock.call_at(1.1, lambda: r.say("stop"))
    r.coach.run(Startup(routine="small"))
    question = "Just to check: is your leg or foot weaker than usual? Say yes or no."
    asked = [p.text for p in r.coach.spoken if question in p.text]
    assert asked == [question, f"One moment before we go on. {question}"]
    if second == "yes":  # the yes stands for the red flag, though "next" came between
        assert "urgent medical care" in r.said()
        assert r.stored()["red_flag"] == "RED_FLAG_WEAKNESS"
    else:  # a no, or a second "next", goes on: asked twice is enough
        assert "urgent medical care" not in r.said()
        assert r.coach.spoken[-3].text.startswith("One moment before we go on.")
        assert r.coach.spoken[-2].holds  # the next pass, then the stop


def test_a_question_about_pain_answered_with_next_goes_on() -> None:
    typed = resolve_text(Resolver.for_locale(), "my leg feels kind of clumsy", Source.LINE)
    assert isinstance(typed, Unsure)
    assert typed.insist
    # Only red flags insist: a concern about pain is asked once.
    pain = resolve_text(Resolver.for_locale(), "what if my leg goes numb", Source.LINE)
    assert isinstance(pain, Unsure)
    assert not pain.insist


def test_after_a_question_nothing_goes_on_until_the_user_answers(
    rig: Callable[..., Rig],
) -> None:
    r = rig()
    question = Unsure("Skip this step, or stop?", "skip it i want to stop", Source.LINE)
    r.clock.call_at(0.5, lambda: r.inputs.put(question))
    r.end(Source.KEY)
    assert r.coach.run(Startup(routine="small")) is Outcome.NO_INPUT
    assert r.coach.spoken[-1].text == "Skip this step, or stop?"
    # The question interrupted the first hold; nothing moved on by itself after it.
    assert r.stored()["position"] == 0
    # Yes or no to a question with two commands is no answer to it: the engine takes them.
    assert r.coach._answer(Command(CommandKind.YES)) == Command(CommandKind.YES)


def test_a_typed_answer_in_its_own_words_gives_the_rating(rig: Callable[..., Rig]) -> None:
    r = rig(sources=frozenset({Source.LINE}))
    # The samples read neither line; while the check waits, the one number is the rating.
    r.inputs.put(Rejected("pretty bad, like an eight", Source.LINE))
    r.say("next", "stop", source=Source.LINE)
    r.coach.run(Startup(routine="small"))
    assert r.stored()["pain_before"] == 8
    assert "Thanks, eight" in r.coach.spoken[1].text


def test_a_number_said_mid_routine_is_no_rating(rig: Callable[..., Rig]) -> None:
    r = rig(sources=frozenset({Source.LINE}))
    r.say("rate 5", source=Source.LINE)
    r.inputs.put(Rejected("I did three of these yesterday", Source.LINE))
    r.say("stop", source=Source.LINE)
    r.coach.run(Startup(routine="small"))
    assert r.screen.of("heard")[1] == Rejected("I did three of these yesterday", Source.LINE)
    assert r.stored()["pain_before"] == 5


# -- guesses: asked about, never acted on ----------------------------------------------------

GUESS_QUESTION = "Should I make the hold longer? Say yes or no."


@pytest.mark.parametrize("answer", ["yes", "no"])
def test_a_guessed_command_is_asked_about_and_only_a_yes_does_it(
    rig: Callable[..., Rig], answer: str
) -> None:
    r = rig()
    typed = resolve_text(Resolver.for_locale(), "Make the hold more longer.", Source.LINE)
    assert isinstance(typed, Unsure)
    assert typed.guessed == "LongerHoldIntent"
    r.clock.call_at(0.5, lambda: r.inputs.put(typed))
    r.clock.call_at(0.7, lambda: r.say(answer))
    r.clock.call_at(0.9, lambda: r.say("stop"))
    r.coach.run(Startup(routine="small"))
    assert [p.text for p in r.coach.spoken if p.text.startswith("Should I")] == [GUESS_QUESTION]
    if answer == "yes":  # the longer hold, kept for next time
        assert r.stored()["holds"] == {"knee-hug": 30}
        assert "You're on step one" not in r.said()
    else:  # no: where the session stands, and the routine goes on as it was
        assert r.stored().get("holds", {}) == {}
        assert "You're on step one" in r.said()


def test_a_guess_asked_about_and_then_another_command_is_that_command(
    rig: Callable[..., Rig],
) -> None:
    r = rig()
    typed = resolve_text(Resolver.for_locale(), "Make the hold more longer.", Source.LINE)
    r.clock.call_at(0.5, lambda: r.inputs.put(typed))
    r.clock.call_at(0.7, lambda: r.say("stop"))
    r.coach.run(Startup(routine="small"))
    assert [p.text for p in r.coach.spoken][-2:] == [
        GUESS_QUESTION,
        "Okay, stopping here. Your progress is saved. Next time, I'll offer to continue.",
    ]
    assert r.stored().get("holds", {}) == {}  # neither the guess nor the no was taken


@pytest.mark.parametrize("answer", ["yes", "no"])
def test_a_go_on_guess_during_a_red_flag_question_asks_that_question_once_more(
    rig: Callable[..., Rig], answer: str
) -> None:
    r = rig()
    resolver = Resolver.for_locale()
    typed = resolve_text(resolver, "my leg feels kind of clumsy", Source.LINE)
    going_on = resolve_text(resolver, "this one finish already go to next lah", Source.LINE)
    assert isinstance(going_on, Unsure)
    assert going_on.guessed == "AMAZON.NextIntent"
    r.clock.call_at(0.5, lambda: r.inputs.put(typed))
    r.clock.call_at(0.7, lambda: r.inputs.put(going_on))
    r.clock.call_at(0.9, lambda: r.say(answer))
    r.clock.call_at(1.1, lambda: r.say("stop"))
    r.coach.run(Startup(routine="small"))
    question = "Just to check: is your leg or foot weaker than usual? Say yes or no."
    asked = [p.text for p in r.coach.spoken if question in p.text]
    assert asked == [question, f"One moment before we go on. {question}"]
    assert "Should I" not in r.said()  # the guess did not replace the red flag's question
    if answer == "yes":
        assert r.stored()["red_flag"] == "RED_FLAG_WEAKNESS"
    else:  # a no does what it did before the guess: where the session stands
        assert r.stored().get("red_flag") is None
        assert r.stored()["position"] == 0


def test_while_the_pain_check_waits_a_rating_said_wins_over_a_guess(
    rig: Callable[..., Rig],
) -> None:
    r = rig(sources=frozenset({Source.LINE}))
    typed = resolve_text(
        Resolver.for_locale(), "a seven, how many stretches we still have", Source.LINE
    )
    assert isinstance(typed, Unsure)
    assert typed.guessed is not None
    r.inputs.put(typed)
    r.say("stop", source=Source.LINE)
    r.coach.run(Startup(routine="small"))
    assert r.stored()["pain_before"] == 7
    assert "Should I" not in r.said()
