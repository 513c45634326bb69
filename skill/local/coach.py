"""The local coach loop: the session state, commands in, prompts out, progress saved.

It is the same core as the Alexa skill, driven by a loop instead of requests: each command
(from keys, stdin lines or the microphone, see `skill.local.inputs`) is one turn of
`skill.core.turn.take_turn`, and a `speech.player.Player` says the turn's prompt on a clock.
The state is saved in the store whenever the turn says so, under one fixed user id, in the
record shape the skill uses (``{"state": ...}``).

Hands-free: when a prompt with a hold plays to its end, the coach goes on with `next` by
itself, so nobody has to touch anything between passes. A command that arrives while a prompt
plays interrupts it and is applied at once. After any other prompt (a pause, an answer, pain
advice) the coach waits for the user, showing the prompt's reprompt as the hint.

While lines come from a script on stdin, the script drives: the coach does not go on by itself
until the script has ended, so every line is one turn and a script gives the same session every
time, whatever the speed of the clock.

Start-up is `skill.core.turn.start_up`: the launch greets (with the safety note on first use)
and, when a routine was left unfinished, asks whether to continue. `--resume` answers yes;
someone at the keys or the microphone answers it themselves (no is answered as on Alexa: the
coach asks whether to start that routine afresh); a script without `--resume` gets the routine
started afresh. Ctrl-C stops the routine as "stop" does, saves, and returns.
"""

from __future__ import annotations

import logging
import math
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, Final, Protocol

from routines import session
from routines.commands import Command, CommandKind
from routines.models import Routine
from routines.session import Status
from skill.core import journal_keeping
from skill.core.intents import GO_ON_INTENTS, IntentName
from skill.core.journal import Journal
from skill.core.journal_window import WINDOW_KEY
from skill.core.said_rating import rating_said
from skill.core.store import LOCAL_USER_ID, Store, StoreError
from skill.core.symptom_log import with_report, without_history
from skill.core.turn import (
    TurnContext,
    TurnResult,
    needs_journal,
    restore_stored,
    start_up,
    take_turn,
)
from skill.core.view import StateView, view_of
from skill.local.inputs import (
    Ended,
    Heard,
    Input,
    InputQueue,
    KeyContext,
    Rejected,
    Source,
    Unsure,
)
from skill.local.screen import Screen, position_of
from speech.clock import Clock
from speech.pacing import SpeechKind
from speech.player import (
    EventCallback,
    GetReadyStarted,
    HoldEnded,
    HoldStarted,
    PlayEvent,
    PlayResult,
    RestEnded,
    RestStarted,
    SayStarted,
)
from speech.prompt import GetReady, Part, Prompt, Say

__all__ = [
    "STATE_KEY",
    "USER_ID",
    "Coach",
    "Outcome",
    "Speaker",
    "Startup",
]

logger = logging.getLogger(__name__)

USER_ID: Final = LOCAL_USER_ID
"""The user id the local coach keeps its record under (`skill.core.store.LOCAL_USER_ID`)."""

STATE_KEY: Final = "state"
"""The key of the engine state in a stored record: the one the skill uses
(`skill.alexa.skill.STATE_ATTRIBUTE`, checked by a test), so both read the same progress."""

ECHO_MARGIN_S: Final = 0.3
"""Clock seconds after the coach's own words during which the microphone stays deaf."""

DAMAGED_NOTICE: Final = "Your saved progress could not be read; starting afresh."
"""What the screen says when the stored state was damaged (the log says why)."""

_POLL_S: Final = 0.25
"""How often a wait for input wakes up, so that Ctrl-C is seen at once on every platform."""

PAIN_CHECK_WAIT_S: Final = 8.0
"""How long the coach waits for an answer to the pain check before moving on without one
(hands-free: the user may not want to, or be able to, answer)."""


class Speaker(Protocol):
    """What the coach needs from a player (`speech.player.Player`)."""

    def play(
        self,
        prompt: Prompt,
        *,
        on_event: EventCallback | None = None,
        interrupt: threading.Event | None = None,
    ) -> PlayResult:
        """Say `prompt` until its end or until `interrupt` is set."""
        ...


class Outcome(StrEnum):
    """How a run ended."""

    FINISHED = "finished"
    """The routine is done."""
    STOPPED = "stopped"
    """The user stopped; the routine can be continued later."""
    HALTED = "halted"
    """A red-flag symptom ended the session."""
    NO_INPUT = "no_input"
    """The coach was waiting for the user and every input had ended (a script ran out)."""
    INTERRUPTED = "interrupted"
    """Ctrl-C (or SIGTERM): stopped and saved."""


@dataclass(frozen=True)
class Startup:
    """How to begin a run."""

    routine: str | None = None
    """The routine asked for (None: the unfinished one if continuing, else the default)."""
    resume: bool = False
    """Answer yes to the offer to continue unfinished progress (`--resume`)."""
    ask: bool = False
    """Someone can answer the offer (keys or microphone); else the routine starts afresh."""


ASIDES: Final = frozenset(
    {
        CommandKind.STATUS,
        CommandKind.EXPLAIN,
        CommandKind.HELP,
        CommandKind.LONGER_REST,
        CommandKind.SHORTER_REST,
        CommandKind.SET_REST,
        CommandKind.FULL_INSTRUCTIONS,
        CommandKind.BRIEF_INSTRUCTIONS,
    }
)
"""Commands that answer a question or change a preference, and nothing of the pass under way,
so an interrupted hold can go on."""


def rest_of_hold(prompt: Prompt, result: PlayResult) -> tuple[Part, ...]:
    """What is left of a prompt whose hold an interrupt cut short: the hold for its remaining
    whole seconds and what follows it (the release); the same for a time to get ready cut
    short (`_rest_of_get_ready`); nothing if neither was cut short."""
    cut = result.interrupted_hold
    if cut is None:
        return _rest_of_get_ready(prompt, result)
    if cut.hold not in prompt.parts:
        return ()
    # Rounded first: clock times subtract with float noise (8 s in can come out 7.999...),
    # which `ceil` alone would turn into a whole extra second.
    left = math.ceil(round(cut.planned_s - cut.done_s, 6))
    if left < 1:
        return ()
    index = prompt.parts.index(cut.hold)
    return (replace(cut.hold, seconds=left), *prompt.parts[index + 1 :])


def _rest_of_get_ready(prompt: Prompt, result: PlayResult) -> tuple[Part, ...]:
    """What is left of a prompt an interrupt cut during its time to get ready: the rest of
    that time (whole seconds) and what follows it (the hold's cue, the hold, the release)."""
    if result.completed:
        return ()
    where = [index for index, part in enumerate(prompt.parts) if isinstance(part, GetReady)]
    for index, span in zip(where, result.planned.readies, strict=True):
        if span.start_s <= result.ended_s < span.end_s:
            left = math.ceil(round(span.end_s - result.ended_s, 6))
            rest = prompt.parts[index + 1 :]
            return (GetReady(left), *rest) if left >= 1 else rest
    return ()


def _utc_now() -> datetime:
    return datetime.now(UTC)


class Coach:
    """One local session: owns the state, applies commands, plays prompts, saves progress."""

    def __init__(
        self,
        library: Mapping[str, Routine],
        store: Store,
        speaker: Speaker,
        screen: Screen,
        inputs: InputQueue,
        clock: Clock,
        *,
        sources: frozenset[Source] = frozenset(),
        user_id: str = USER_ID,
        wall_clock: Callable[[], datetime] = _utc_now,
        journal: Journal | None = None,
    ) -> None:
        if not library:
            raise ValueError("the routine library is empty")
        self.library = library
        self.store = store
        self.speaker = speaker
        self.screen = screen
        self.inputs = inputs
        self.clock = clock
        self.user_id = user_id
        self.wall_clock = wall_clock
        """The date and time of day, for the symptom log and the pain journal (the pacing
        clock has neither)."""
        self.journal = journal
        """Where the user's sessions are kept (None: nowhere, as in `render`)."""
        self.live: set[Source] = set(sources)
        """The input sources that have not ended."""
        self.spoken: list[Prompt] = []
        """Every prompt the coach played, in order (for transcripts and tests)."""
        self.speaking_until = float("-inf")
        """Clock time until which the coach's own voice may still be heard."""
        self._record: dict[str, Any] = {}
        self._save_failed = False
        self._asked: Unsure | None = None
        """The yes-or-no question the coach asked last, until the user answers."""
        self.state: dict[str, Any] = self._load()
        """The session state, in its stored form."""

    # -- state and storage ---------------------------------------------------------------

    def _load(self) -> dict[str, Any]:
        record = self.store.load(self.user_id) or {}
        self._record = dict(record)
        restored = restore_stored(record.get(STATE_KEY), self.library, "stored")
        if restored.damaged:
            self.screen.notice(DAMAGED_NOTICE)
        return restored.state or session.new_state()

    def save(self) -> None:
        """Store the state now; a failure is shown once and the session goes on."""
        self._record[STATE_KEY] = self.state
        try:
            self.store.save(self.user_id, self._record)
        except StoreError as error:
            if not self._save_failed:
                self._save_failed = True
                self.screen.notice(f"Progress could not be saved: {error}")

    def apply(self, command: Command) -> TurnResult:
        """Take the turn for one command: the new state, saved if the turn says so, shown."""
        context = self._context(command)
        return self._took(take_turn(self.state, command, self.library, context))

    def _context(self, command: Command) -> TurnContext:
        now = self.wall_clock().astimezone(UTC)
        at = now.isoformat(timespec="seconds")
        if self.journal is None or not needs_journal(command, self.state, at):
            return TurnContext(at=at)
        try:
            recent = journal_keeping.recent(self.journal, self.user_id, at)
        except StoreError as error:
            self.screen.notice(f"Your session history could not be read: {error}")
            recent = None
        return TurnContext(at=at, journal=recent)

    def _took(self, result: TurnResult) -> TurnResult:
        self.state = result.state
        if result.reported is not None:
            self._record = with_report(self._record, result.reported)
        self._journal(result)
        if result.save or result.forget:
            self.save()
        self.screen.position(position_of(result.view))
        return result

    def prefer(self, kind: CommandKind) -> None:
        """Set a preference as saying so would, silently, and save it: `--pain-check` is
        PAIN_CHECK_ON, `--wait-for-ready` WAIT_READY_ON, and so on."""
        self.state = take_turn(self.state, Command(kind), self.library).state
        self.save()

    def set_pain_check(self, on: bool) -> None:
        """Turn the pain check on or off (`--pain-check`, `--no-pain-check`)."""
        self.prefer(CommandKind.PAIN_CHECK_ON if on else CommandKind.PAIN_CHECK_OFF)

    def set_wait_for_ready(self, on: bool) -> None:
        """Wait for "ready" before each hold, or not (`--wait-for-ready`)."""
        self.prefer(CommandKind.WAIT_READY_ON if on else CommandKind.WAIT_READY_OFF)

    def _journal(self, result: TurnResult) -> None:
        """The journal kept after the turn (`journal_keeping.keep`, with the copy
        of the rule's window the record keeps, as on Alexa); a failure is shown."""
        if self.journal is None:
            return
        at = self.wall_clock().astimezone(UTC).isoformat(timespec="seconds")
        stored = self._record.get(WINDOW_KEY)
        try:
            kept = journal_keeping.keep(self.journal, self.user_id, result, at, stored)
        except StoreError as error:
            self.screen.notice(f"Your session history could not be saved: {error}")
        else:
            self.state = kept.state
            if kept.window is not None:
                self._record[WINDOW_KEY] = kept.window
        if result.forget:
            self._record = without_history(self._record)

    @property
    def view(self) -> StateView:
        """Where the session stands, read from the state."""
        return view_of(self.state, self.library)

    @property
    def status(self) -> Status:
        """The session's status."""
        return self.view.status

    def key_context(self) -> KeyContext:
        """What keys mean now (called from the key thread)."""
        view = self.view
        asked = view.offer is not None or self._asked is not None
        return KeyContext(offer_pending=asked, paused=view.paused)

    def deaf(self) -> bool:
        """Whether the microphone should ignore what it hears: the coach is speaking."""
        return self.clock.now() < self.speaking_until

    # -- speaking ------------------------------------------------------------------------

    def say(self, prompt: Prompt, then: tuple[Part, ...] = ()) -> tuple[Prompt, PlayResult]:
        """Play a turn's prompt, followed by `then` (what is left of a hold a question cut
        short), until its end or a command."""
        if then:
            prompt = replace(prompt, parts=prompt.parts + then)
        self.spoken.append(prompt)
        self.screen.waiting(None)
        self.screen.prompt(prompt.text)
        result = self.speaker.play(prompt, on_event=self._on_event, interrupt=self.inputs.interrupt)
        return prompt, result

    def _on_event(self, event: PlayEvent) -> None:
        if isinstance(event, SayStarted):
            self.speaking_until = max(
                self.speaking_until, event.at_s + event.duration_s + ECHO_MARGIN_S
            )
            if event.kind is SpeechKind.SAY or event.kind is SpeechKind.REMINDER:
                self.screen.speaking(event.text)
        elif isinstance(event, HoldStarted):
            self.screen.hold(event.seconds, event.at_s)
        elif isinstance(event, HoldEnded):
            self.screen.hold_over(event.completed)
        elif isinstance(event, RestStarted):
            self.screen.rest(round(event.seconds), event.at_s)
        elif isinstance(event, RestEnded):
            self.screen.rest_over(event.completed)
        elif isinstance(event, GetReadyStarted):
            self.screen.get_ready(event.seconds, event.at_s)

    # -- the loop ------------------------------------------------------------------------

    def run(self, startup: Startup = Startup()) -> Outcome:
        """Run the session until the routine ends, the user stops, input runs out or Ctrl-C."""
        try:
            turn = self.start(startup)
            then: tuple[Part, ...] = ()
            while True:
                prompt, result = self.say(turn.prompt, then)
                if prompt.end_session:
                    return self._outcome()
                command = self.next_command(prompt, result)
                if command is None:
                    self._stop_quietly()
                    self.screen.notice("No more input: progress saved. Run again to continue.")
                    return Outcome.NO_INPUT
                turn = self.apply(command)
                # A question asked mid-hold is answered, then the hold goes on for the time
                # it had left: nobody should lose their count to "how long is left?".
                then = rest_of_hold(prompt, result) if command.kind in ASIDES else ()
        except KeyboardInterrupt:
            self._stop_quietly()
            self.screen.notice("Stopped: progress saved. Run again to continue where you left off.")
            return Outcome.INTERRUPTED

    def start(self, startup: Startup) -> TurnResult:
        """The first turn of a run: the greeting, then a start, a resume or a question."""
        if startup.routine is not None and startup.routine not in self.library:
            raise KeyError(startup.routine)
        opening = start_up(
            self.state,
            self.library,
            routine=startup.routine,
            resume=startup.resume,
            ask=startup.ask,
            context=self._context(Command(CommandKind.LAUNCH)),
        )
        if opening.nothing_to_resume:
            self.screen.notice("There is no unfinished routine to continue; starting afresh.")
        if opening.set_aside:
            self.screen.notice(
                "Starting afresh: to continue where you left off, run with --resume."
            )
        return self._took(opening.turn)

    def next_command(self, prompt: Prompt, result: PlayResult) -> Command | None:
        """The next command: one the user gave, else `next` after a completed hold, else wait.

        Input with two close readings is asked about first, and then nothing goes on until
        the user answers. None when the coach would wait and no input source is left.
        """
        hint: str | None = prompt.reprompt
        asked = waited = False
        while True:
            item = self.inputs.get_nowait()
            if item is None:
                if not asked and self._goes_on(prompt, result):
                    return Command(CommandKind.NEXT)
                if not asked and self._silence_answers(hint):
                    return Command(CommandKind.SKIP)
                # An answer that cut the check's wait short is still queued: take it.
                if not self.live and not self.inputs.interrupt.is_set():
                    return None
                if not waited:
                    self.screen.waiting(hint)
                    waited = True
                item = self.inputs.get(timeout=_POLL_S)
                if item is None:
                    continue
            item = self._rated(item)
            self.screen.heard(item)
            question = self._ask_again(item) if isinstance(item, Heard | Unsure) else None
            question = question or self._note(item)
            if question is None and isinstance(item, Heard):
                return self._answer(item.command)
            if question is not None:
                hint, asked, waited = question, True, False

    def _rated(self, item: Input) -> Input:
        """A typed sentence the samples read as no command, while the pain check waits: the
        rating it names, if it names one ("pretty bad, like an eight": `rating_said`), rather
        than a question about what its words were guessed to mean."""
        if not isinstance(item, Rejected | Unsure) or item.source is not Source.LINE:
            return item
        if isinstance(item, Unsure) and item.guessed is None:
            return item
        rating = rating_said(item.text) if self.state.get("asking") is not None else None
        if rating is None:
            return item
        command = Command(CommandKind.RATE_PAIN, rating=rating)
        return Heard(command, IntentName.PAIN_RATING, item.text, item.source)

    def _note(self, item: Input) -> str | None:
        """Take input that is no command: input with two close readings is asked about (the
        question is returned), an ended source is no longer waited for."""
        if isinstance(item, Unsure):
            self.ask(item)
            return item.question
        if isinstance(item, Ended):
            self.live.discard(item.source)
        return None

    def _silence_answers(self, hint: str | None) -> bool:
        """While the pain check waits, wait a few seconds for an answer: True when none came
        (silence moves on, unrated). A script answers in its own time, so it is not timed;
        once it has ended, silence answers again. An answer in time stays queued."""
        if self.state.get("asking") is None or Source.LINE in self.live:
            return False
        self.screen.waiting(hint)
        self.clock.sleep_until(self.clock.now() + PAIN_CHECK_WAIT_S, self.inputs.interrupt)
        return not self.inputs.interrupt.is_set()

    def ask(self, unsure: Unsure) -> None:
        """Say the question for input with two close readings; a yes-or-no one is remembered
        so that the answer stands for the command it names."""
        self.say(Prompt(parts=(Say(unsure.question),), reprompt=unsure.question))
        self._asked = unsure if unsure.yes is not None else None

    def _ask_again(self, heard: Heard | Unsure) -> str | None:
        """A red-flag question talked over by a command that only goes on ("next"), or by words
        guessed to mean one, is asked once more, and its question returned; a no, or a second
        go-on command, then goes on."""
        asked = self._asked
        if asked is None or not asked.insist:
            return None
        intent: str | None
        going_on: Command | None
        if isinstance(heard, Heard):
            intent, going_on = heard.intent, heard.command
        else:  # a guess is no answer: a no still does what it did
            intent, going_on = heard.guessed, asked.no or heard.yes
        if intent is None or intent not in GO_ON_INTENTS or going_on is None:
            return None
        again = asked.again(going_on)
        self.ask(again)
        return again.question

    def _answer(self, command: Command) -> Command:
        """The command the user gave, or the one their yes or no to the last question means."""
        asked, self._asked = self._asked, None
        if asked is not None and command.kind is CommandKind.YES and asked.yes is not None:
            return asked.yes
        if asked is not None and command.kind is CommandKind.NO and asked.no is not None:
            return asked.no
        return command

    def _goes_on(self, prompt: Prompt, result: PlayResult) -> bool:
        """Hands-free: a hold played to its end moves on, unless a script is driving."""
        return (
            result.completed
            and bool(prompt.holds)
            and self.status is Status.ACTIVE
            and Source.LINE not in self.live
        )

    def _stop_quietly(self) -> None:
        """Stop an unfinished routine as "stop" would, without speaking, and save."""
        if self.view.in_routine:
            self.apply(Command(CommandKind.STOP))
        else:
            self.save()

    def _outcome(self) -> Outcome:
        return {
            Status.FINISHED: Outcome.FINISHED,
            Status.HALTED: Outcome.HALTED,
        }.get(self.status, Outcome.STOPPED)
