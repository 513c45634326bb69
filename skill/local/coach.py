"""The local coach loop: the session state, commands in, prompts out, progress saved.

It is the same core as the Alexa skill, driven by a loop instead of requests: each command
(from keys, stdin lines or the microphone, see `skill.local.inputs`) goes through
`routines.session.apply`, the events become a prompt with `speech.prompts.build_prompt`, and a
`speech.player.Player` says it on a clock. The state is saved in the store after every command,
under one fixed user id, in the record shape the skill uses (``{"state": ...}``).

Hands-free: when a prompt with a hold plays to its end, the coach goes on with `next` by
itself, so nobody has to touch anything between passes. A command that arrives while a prompt
plays interrupts it and is applied at once. After any other prompt (a pause, an answer, pain
advice) the coach waits for the user, showing the prompt's reprompt as the hint.

While lines come from a script on stdin, the script drives: the coach does not go on by itself
until the script has ended, so every line is one turn and a script gives the same session every
time, whatever the speed of the clock.

Start-up: the engine's LAUNCH greets (with the disclaimer on first use) and, when a routine was
left unfinished, offers to continue. `--resume` answers yes; someone at the keys or the
microphone answers it themselves (no starts the routine afresh); a script without `--resume`
gets the routine started afresh. Ctrl-C stops the routine as "stop" does, saves, and returns.
"""

from __future__ import annotations

import logging
import math
import threading
from collections.abc import Mapping
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any, Final, Protocol

from routines import events as ev
from routines import session
from routines.commands import Command, CommandKind
from routines.errors import StateError
from routines.models import Routine
from routines.session import Offer, Status
from skill.core.store import Store, StoreError
from skill.local.inputs import Ended, Heard, InputQueue, KeyContext, Rejected, Source
from skill.local.screen import Screen, position_of
from speech.clock import Clock
from speech.pacing import SpeechKind
from speech.player import EventCallback, HoldEnded, HoldStarted, PlayEvent, PlayResult, SayStarted
from speech.prompt import Part, Prompt
from speech.prompts import build_prompt

__all__ = [
    "STATE_KEY",
    "USER_ID",
    "Coach",
    "Outcome",
    "Speaker",
    "Startup",
]

logger = logging.getLogger(__name__)

USER_ID: Final = "local"
"""The user id the local coach keeps its record under, beside the skill's Alexa users."""

STATE_KEY: Final = "state"
"""The key of the engine state in a stored record: the one the skill uses
(`skill.alexa.skill.STATE_ATTRIBUTE`, checked by a test), so both read the same progress."""

ECHO_MARGIN_S: Final = 0.3
"""Clock seconds after the coach's own words during which the microphone stays deaf."""

_POLL_S: Final = 0.25
"""How often a wait for input wakes up, so that Ctrl-C is seen at once on every platform."""


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


ASIDES: Final = frozenset({CommandKind.STATUS, CommandKind.EXPLAIN, CommandKind.HELP})
"""Commands that answer a question and change nothing, so an interrupted hold can go on."""


def rest_of_hold(prompt: Prompt, result: PlayResult) -> tuple[Part, ...]:
    """What is left of a prompt whose hold an interrupt cut short: the hold for its remaining
    whole seconds and what follows it (the release); nothing if no hold was cut short."""
    cut = result.interrupted_hold
    if cut is None or cut.hold not in prompt.parts:
        return ()
    left = math.ceil(cut.planned_s - cut.done_s)
    if left < 1:
        return ()
    index = prompt.parts.index(cut.hold)
    return (replace(cut.hold, seconds=left), *prompt.parts[index + 1 :])


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
        self.live: set[Source] = set(sources)
        """The input sources that have not ended."""
        self.turn = 0
        """Prompts built so far; picks phrase variants, so a replay says the same words."""
        self.spoken: list[Prompt] = []
        """Every prompt the coach played, in order (for transcripts and tests)."""
        self.speaking_until = float("-inf")
        """Clock time until which the coach's own voice may still be heard."""
        self._record: dict[str, Any] = {}
        self._save_failed = False
        self._fresh_start: Command | None = None
        self.state: dict[str, Any] = self._load()

    # -- state and storage ---------------------------------------------------------------

    def _load(self) -> dict[str, Any]:
        record = self.store.load(self.user_id) or {}
        self._record = dict(record)
        stored = record.get(STATE_KEY)
        if stored is None:
            return session.new_state()
        if isinstance(stored, Mapping):
            try:
                return session.restore(stored, self.library).model_dump(mode="json")
            except StateError as error:
                logger.warning("stored progress ignored: %s", error)
        self.screen.notice("Your saved progress could not be read; starting afresh.")
        return session.new_state()

    def save(self) -> None:
        """Store the state now; a failure is shown once and the session goes on."""
        self._record[STATE_KEY] = self.state
        try:
            self.store.save(self.user_id, self._record)
        except StoreError as error:
            if not self._save_failed:
                self._save_failed = True
                self.screen.notice(f"Progress could not be saved: {error}")

    def apply(self, command: Command) -> list[ev.Event]:
        """Apply one command to the state, save it, show the new position; return the events."""
        self.state, events = session.apply(self.state, command, self.library)
        self.save()
        self.screen.position(position_of(self.state, self.library))
        return events

    @property
    def status(self) -> Status:
        """Where the session stands."""
        return Status(self.state["status"])

    def key_context(self) -> KeyContext:
        """What keys mean now (called from the key thread)."""
        state = self.state
        paused = state.get("status") in (Status.PAUSED, Status.STOPPED)
        return KeyContext(offer_pending=state.get("offer") is not None, paused=paused)

    def deaf(self) -> bool:
        """Whether the microphone should ignore what it hears: the coach is speaking."""
        return self.clock.now() < self.speaking_until

    # -- speaking ------------------------------------------------------------------------

    def say(self, events: list[ev.Event], then: tuple[Part, ...] = ()) -> tuple[Prompt, PlayResult]:
        """Build the prompt for `events`, followed by `then`, and play it until its end or a
        command."""
        prompt = build_prompt(events, variant=self.turn)
        if then:
            prompt = replace(prompt, parts=prompt.parts + then)
        self.turn += 1
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

    # -- the loop ------------------------------------------------------------------------

    def run(self, startup: Startup = Startup()) -> Outcome:
        """Run the session until the routine ends, the user stops, input runs out or Ctrl-C."""
        try:
            events = self.start(startup)
            then: tuple[Part, ...] = ()
            while True:
                prompt, result = self.say(events, then)
                if prompt.end_session:
                    return self._outcome()
                command = self.next_command(prompt, result)
                if command is None:
                    self._stop_quietly()
                    self.screen.notice("No more input: progress saved. Run again to continue.")
                    return Outcome.NO_INPUT
                events = self._answer(command)
                # A question asked mid-hold is answered, then the hold goes on for the time
                # it had left: nobody should lose their count to "how long is left?".
                then = rest_of_hold(prompt, result) if command.kind in ASIDES else ()
        except KeyboardInterrupt:
            self._stop_quietly()
            self.screen.notice("Stopped: progress saved. Run again to continue where you left off.")
            return Outcome.INTERRUPTED

    def start(self, startup: Startup) -> list[ev.Event]:
        """The events of the start of a run: the greeting, then a start, a resume or a question."""
        if startup.routine is not None and startup.routine not in self.library:
            raise KeyError(startup.routine)
        greeting = self.apply(Command(CommandKind.LAUNCH))
        restored = session.restore(self.state, self.library)
        fresh = Command(CommandKind.START, routine=startup.routine)
        unfinished = restored.offer is Offer.RESUME and startup.routine in (None, restored.routine)
        if unfinished and startup.ask and not startup.resume:
            self._fresh_start = fresh
            return greeting
        # The run itself answers the engine's question, so the question is left unsaid.
        said = [event for event in greeting if not isinstance(event, ev.Offer)]
        if unfinished and startup.resume:
            return [*said, *self.apply(Command(CommandKind.YES))]
        if startup.resume:
            self.screen.notice("There is no unfinished routine to continue; starting afresh.")
        return [*said, *self.apply(fresh)]

    def _answer(self, command: Command) -> list[ev.Event]:
        fresh, self._fresh_start = self._fresh_start, None
        if fresh is not None and command.kind is CommandKind.NO:
            # No to "carry on where you left off?" at start-up means: start afresh.
            self.apply(command)
            return self.apply(fresh)
        return self.apply(command)

    def next_command(self, prompt: Prompt, result: PlayResult) -> Command | None:
        """The next command: one the user gave, else `next` after a completed hold, else wait.

        None when the coach would wait and no input source is left.
        """
        waited = False
        while True:
            item = self.inputs.get_nowait()
            if item is None:
                if self._goes_on(prompt, result):
                    return Command(CommandKind.NEXT)
                if not self.live:
                    return None
                if not waited:
                    self.screen.waiting(prompt.reprompt)
                    waited = True
                item = self.inputs.get(timeout=_POLL_S)
                if item is None:
                    continue
            self.screen.heard(item)
            if isinstance(item, Heard):
                return item.command
            if isinstance(item, Ended):
                self.live.discard(item.source)
            elif isinstance(item, Rejected):
                continue

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
        if self.status in session.IN_ROUTINE:
            self.apply(Command(CommandKind.STOP))
        else:
            self.save()

    def _outcome(self) -> Outcome:
        return {
            Status.FINISHED: Outcome.FINISHED,
            Status.HALTED: Outcome.HALTED,
        }.get(self.status, Outcome.STOPPED)
