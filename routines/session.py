"""The session engine: a pure, deterministic state machine over a routine's plan.

`apply(state, command, library)` returns the new state and the events that describe what
happened. State is a JSON-safe dict with a schema version, so it can live in Alexa session
attributes, in persistent storage and in the local store; it holds the user's preferences
(hold lengths per step, techniques already introduced) beside the progress.

A pass being "at `position`" means it has been presented: the front-end is performing it or
has just performed it, and `next` moves on.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Final, Literal

from routines import events as ev
from routines import get_ready
from routines.commands import Command, CommandKind
from routines.errors import StateError
from routines.loader import DEFAULT_ROUTINE
from routines.models import Routine, Step
from routines.plan import (
    Item,
    expand,
    first_of_next_step,
    hold_seconds,
    rest_before,
    seconds_left,
)

VERSION: Literal[1] = 1


class Status(StrEnum):
    """Where the session stands."""

    IDLE = "idle"
    """No routine chosen."""
    ACTIVE = "active"
    """A pass is being performed, or has been and `next` will move on."""
    PAUSED = "paused"
    """The user paused, or reported pain."""
    STOPPED = "stopped"
    """The user stopped with the routine unfinished; it can be resumed."""
    FINISHED = "finished"
    HALTED = "halted"
    """A red flag ended the session; only an explicit new start leaves this."""


IN_ROUTINE = {Status.ACTIVE, Status.PAUSED, Status.STOPPED}


class Offer(StrEnum):
    """What "yes" would do."""

    START = "start"
    RESUME = "resume"
    FORGET = "forget"
    """Delete the pain journal."""


class Question(StrEnum):
    """The pain check the coach is waiting for an answer to."""

    PAIN_BEFORE = "pain_before"
    """Asked as a routine starts: its first pass comes after the answer."""
    PAIN_AFTER = "pain_after"
    """Asked when it has finished: the goodbye comes after the answer."""


MOVE_ON: frozenset[CommandKind] = frozenset(
    {
        CommandKind.RATE_PAIN,
        CommandKind.NEXT,
        CommandKind.SKIP,
        CommandKind.YES,
        CommandKind.NO,
        CommandKind.RESUME,
        CommandKind.PREVIOUS,
        CommandKind.PAIN_CHECK_OFF,
        CommandKind.READY,
    }
)
"""Commands that answer the pain check (with a rating or without one) and move on."""

MOVE_ON_QUIETLY: frozenset[CommandKind] = MOVE_ON - {
    CommandKind.RATE_PAIN,
    CommandKind.PAIN_CHECK_OFF,
}
"""Answers without a rating; the first pass follows "Okay, let's begin" (the last check's
answer is followed by the goodbye alone)."""

KEEP_ASKING: frozenset[CommandKind] = frozenset(
    {
        CommandKind.STATUS,
        CommandKind.HELP,
        CommandKind.EXPLAIN,
        CommandKind.LIST,
        CommandKind.JOURNAL,
        CommandKind.PAIN_CHECK_ON,
        CommandKind.LONGER_REST,
        CommandKind.SHORTER_REST,
        CommandKind.SET_REST,
        CommandKind.FULL_INSTRUCTIONS,
        CommandKind.BRIEF_INSTRUCTIONS,
        CommandKind.READY_LONGER,
        CommandKind.READY_SHORTER,
        CommandKind.READY_NONE,
        CommandKind.WAIT_READY_ON,
        CommandKind.WAIT_READY_OFF,
    }
)
"""Commands answered while the pain check waits: the question is asked again after them."""

KEEP_WAITING: frozenset[CommandKind] = frozenset(
    {
        CommandKind.STATUS,
        CommandKind.HELP,
        CommandKind.EXPLAIN,
        CommandKind.LIST,
        CommandKind.JOURNAL,
        CommandKind.PAIN_CHECK_ON,
        CommandKind.PAIN_CHECK_OFF,
        CommandKind.RATE_PAIN,
        CommandKind.LONGER_REST,
        CommandKind.SHORTER_REST,
        CommandKind.SET_REST,
        CommandKind.FULL_INSTRUCTIONS,
        CommandKind.BRIEF_INSTRUCTIONS,
        CommandKind.WAIT_READY_ON,
    }
)
"""Commands answered while a hold waits for "ready": the wait goes on after them, asked again
(any other command moves, pauses or stops, and whatever it presents waits anew)."""


@dataclass
class State:
    """The session state, checked whenever it comes back from storage or a client (`restore`).

    Stored as `to_json` gives it: a JSON object with these fields, in this order.
    """

    version: Literal[1] = VERSION
    status: Status = Status.IDLE
    routine: str | None = None
    position: int = 0
    """At least 0."""
    holds: dict[str, int] = field(default_factory=dict)
    """The user's preferred hold per step id (kept within bounds when used)."""
    seen: list[str] = field(default_factory=list)
    """Step ids whose full instructions the user has heard."""
    disclaimed: bool = False
    red_flag: str | None = None
    """The red-flag symptom that halted the last session, until a new routine starts."""
    offer: Offer | None = None
    offer_routine: str | None = None
    pain_check: bool = True
    """The user's preference: ask how the pain is when a routine starts and ends."""
    asking: Question | None = None
    pain_before: int | None = None
    """The pain rated when this routine started (0..10), if it was."""
    pain_after: int | None = None
    started_at: str | None = None
    """When the routine under way started (ISO 8601): set by the turn, which keeps the pain
    journal's open entry in these fields (`skill.core.turn`); the engine never reads them."""
    last_at: str | None = None
    """When the routine under way was last touched (its end, if the user walked away)."""
    reported: list[str] = field(default_factory=list)
    """Symptom ids reported during the routine under way."""
    advised_at: str | None = None
    """When the coach last advised seeing a professional (at most once a week)."""
    advise_at_end: str | None = None
    """The advice's reason, to say again when the session it was said in ends."""
    advice_due: str | None = None
    """The trend rule's advice as of the last session's end (`skill.core.trend`), said at the
    next launch: worked out when a session is journaled, so a launch reads no journal."""
    # Rests and brief mode (issue #14).
    rest: int | None = None
    """The user's preferred rest between passes, in seconds (None: each step's own), kept
    within each step's bounds when used; a step without rests never gets one."""
    brief: bool = True
    """The user's preference: a step done in an earlier session is introduced in one sentence
    (False: "always explain", full instructions for every step)."""
    learning: list[str] = field(default_factory=list)
    """Step ids first heard in the routine under way (emptied when a routine starts): the
    steps of `seen` not in here are those done in an earlier session."""
    # Time to get ready before a hold (routines/get_ready.py).
    get_ready: int = get_ready.DEFAULT_S
    """The user's preference: seconds to get into position before each hold (kept within
    0..`get_ready.MAX_S`)."""
    wait_ready: bool = False
    """The user's preference: before each hold, wait until they say "ready"."""
    ready_pending: bool = False
    """The pass at `position` has been introduced and its hold waits for "ready"."""
    # Alexa timers (skill.alexa.timers): kept by the Alexa front-end for a hold too long for
    # one response; the engine never reads them.
    timer_id: str | None = None
    """The Alexa timer counting the hold at `timer_position`, while it may still run."""
    timer_position: int | None = None
    """The plan position of the pass that timer counts."""
    timer_asked_at: str | None = None
    """When the user was last asked for the timer permission without granting it (ISO 8601):
    not asked again for a while (`skill.core.timers.ASK_AGAIN_AFTER`)."""

    def to_json(self) -> dict[str, Any]:
        """The state as stored: JSON values only (copies), every field, in order."""
        # Written out rather than dataclasses.asdict, whose deep copy took a fifth of a request.
        return {
            "version": self.version,
            "status": self.status.value,
            "routine": self.routine,
            "position": self.position,
            "holds": dict(self.holds),
            "seen": list(self.seen),
            "disclaimed": self.disclaimed,
            "red_flag": self.red_flag,
            "offer": None if self.offer is None else self.offer.value,
            "offer_routine": self.offer_routine,
            "pain_check": self.pain_check,
            "asking": None if self.asking is None else self.asking.value,
            "pain_before": self.pain_before,
            "pain_after": self.pain_after,
            "started_at": self.started_at,
            "last_at": self.last_at,
            "reported": list(self.reported),
            "advised_at": self.advised_at,
            "advise_at_end": self.advise_at_end,
            "advice_due": self.advice_due,
            "rest": self.rest,
            "brief": self.brief,
            "learning": list(self.learning),
            "get_ready": self.get_ready,
            "wait_ready": self.wait_ready,
            "ready_pending": self.ready_pending,
            "timer_id": self.timer_id,
            "timer_position": self.timer_position,
            "timer_asked_at": self.timer_asked_at,
        }


TIME_FIELDS: frozenset[str] = frozenset({"started_at", "last_at", "advised_at", "timer_asked_at"})
"""The fields that hold when something happened, stamped from the request's clock: a replay
of recorded traffic runs at another time, so it compares them on whether they are set."""


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_optional_str(value: Any) -> bool:
    return value is None or isinstance(value, str)


MAX_RATING = 10
"""Pain is rated from 0 (none) to 10 (the worst imaginable): the one scale of the pain check,
the journal and its charts."""


def is_rating(value: Any) -> bool:
    """Whether `value` is a pain rating (0..MAX_RATING) or None (not rated)."""
    return value is None or (_is_int(value) and 0 <= value <= MAX_RATING)


_STATUSES = frozenset(status.value for status in Status)
_OFFERS = frozenset(offer.value for offer in Offer)
_QUESTIONS = frozenset(question.value for question in Question)

_VALID: dict[str, Callable[[Any], bool]] = {
    "version": lambda value: _is_int(value) and value == VERSION,
    "status": lambda value: isinstance(value, str) and value in _STATUSES,
    "routine": _is_optional_str,
    "position": lambda value: _is_int(value) and value >= 0,
    "holds": lambda value: (
        isinstance(value, dict)
        and all(isinstance(key, str) and _is_int(hold) for key, hold in value.items())
    ),
    "seen": lambda value: isinstance(value, list) and all(isinstance(i, str) for i in value),
    "disclaimed": lambda value: isinstance(value, bool),
    "red_flag": _is_optional_str,
    "offer": lambda value: value is None or (isinstance(value, str) and value in _OFFERS),
    "offer_routine": _is_optional_str,
    "pain_check": lambda value: isinstance(value, bool),
    "asking": lambda value: value is None or (isinstance(value, str) and value in _QUESTIONS),
    "pain_before": is_rating,
    "pain_after": is_rating,
    "started_at": _is_optional_str,
    "last_at": _is_optional_str,
    "reported": lambda value: isinstance(value, list) and all(isinstance(i, str) for i in value),
    "advised_at": _is_optional_str,
    "advise_at_end": _is_optional_str,
    "advice_due": _is_optional_str,
    "rest": lambda value: value is None or (_is_int(value) and value > 0),
    "brief": lambda value: isinstance(value, bool),
    "learning": lambda value: isinstance(value, list) and all(isinstance(i, str) for i in value),
    "get_ready": _is_int,
    "wait_ready": lambda value: isinstance(value, bool),
    "ready_pending": lambda value: isinstance(value, bool),
    "timer_id": _is_optional_str,
    "timer_position": lambda value: value is None or (_is_int(value) and value >= 0),
    "timer_asked_at": _is_optional_str,
}
"""What each field of a stored state may hold: JSON values of exactly the types
`State.to_json` writes (no "1" or true for 1, as pydantic's lax mode took)."""


def _unknown(value: Any) -> bool:
    return False  # extra fields are refused


def _whole_types(valid: Callable[[Any], bool]) -> frozenset[type]:
    """The exact types all of whose values `valid` accepts: None and bool found by trying
    their every value (once, here), str and int by the validator itself."""
    types: set[type] = set()
    if valid(None):
        types.add(type(None))
    if valid(True) and valid(False):
        types.add(bool)
    if valid is _is_optional_str:
        types.add(str)
    if valid is _is_int:
        types.add(int)
    return frozenset(types)


_VALID_BY_TYPE: Final = {name: t for name, valid in _VALID.items() if (t := _whole_types(valid))}
"""The fields whose value's exact type is enough to know it valid (derived from `_VALID`):
checked in `_checked`'s loop without a call."""

_DEFAULTS: Final = dict(vars(State()))
"""A new state's fields. The lists and the dict among them are shared: `_checked` copies them."""

_STATUS_OF: Final = {status.value: status for status in Status}
_OFFER_OF: Final[dict[str | None, Offer | None]] = {None: None, **{o.value: o for o in Offer}}
_QUESTION_OF: Final[dict[str | None, Question | None]] = {
    None: None,
    **{question.value: question for question in Question},
}


def _checked(data: Mapping[str, Any]) -> State:
    """The state `data` holds: every field known and valid, a missing one at its default."""
    for name, value in data.items():
        if type(value) in _VALID_BY_TYPE.get(name, ()):
            continue
        if not _VALID.get(name, _unknown)(value):
            problems = sum(not _VALID.get(n, _unknown)(v) for n, v in data.items())
            raise StateError(f"session state is not valid: {problems} problem(s)")
    # The fields set as the dataclass's __init__ would (every key was checked to be a field),
    # without its keyword matching: a third of the check's time with 29 fields.
    state = object.__new__(State)
    fields = vars(state)
    fields.update(_DEFAULTS)
    fields.update(data)
    # Lookups rather than Status(...): the values were checked, and an enum's call is slow.
    state.status = _STATUS_OF[state.status]
    state.offer = _OFFER_OF[state.offer]
    state.asking = _QUESTION_OF[state.asking]
    state.holds, state.seen = dict(state.holds), list(state.seen)
    state.reported, state.learning = list(state.reported), list(state.learning)
    return state


def preferences_of(state: State) -> State:
    """A user who has never started a routine, with `state`'s preferences: holds, rest, brief
    mode and the steps already heard (so what would be brief for them is brief), the time to
    get ready and waiting for "ready"."""
    return State(
        holds=dict(state.holds),
        seen=list(state.seen),
        pain_check=state.pain_check,
        rest=state.rest,
        brief=state.brief,
        get_ready=state.get_ready,
        wait_ready=state.wait_ready,
    )


def new_state() -> dict[str, Any]:
    """The state of a user who has never used the coach."""
    return State().to_json()


def restore(data: Mapping[str, Any] | None, library: Mapping[str, Routine]) -> State:
    """Check a state dict; repair what a changed library made stale (an unknown routine or a
    position past its end) without losing the user's preferences."""
    if data is None:
        return State()
    state = _checked(data)
    if state.routine is not None and state.routine not in library:
        state.routine, state.status, state.position = None, Status.IDLE, 0
    if state.routine is not None:
        state.position = min(state.position, len(expand(library[state.routine])) - 1)
    if state.offer_routine is not None and state.offer_routine not in library:
        state.offer, state.offer_routine = None, None
    if state.routine is None:
        state.asking, state.ready_pending = None, False
    state.get_ready = get_ready.clamp(state.get_ready)
    return state


def apply(
    data: Mapping[str, Any] | None, command: Command, library: Mapping[str, Routine]
) -> tuple[dict[str, Any], list[ev.Event]]:
    """Apply one command to a state; return the new state and what happened."""
    state, events = apply_state(restore(data, library), command, library)
    return state.to_json(), events


def apply_state(
    state: State, command: Command, library: Mapping[str, Routine]
) -> tuple[State, list[ev.Event]]:
    """`apply` on a state already restored (it is changed in place and returned)."""
    offer, offer_routine = state.offer, state.offer_routine
    state.offer, state.offer_routine = None, None
    asking, state.asking = state.asking, None
    pending, state.ready_pending = state.ready_pending, False
    engine = _Engine(state, library, pending)
    if asking is not None and command.kind in MOVE_ON:
        return state, _answer(engine, command, asking)
    kind = _yes_or_ready(command.kind, offer is not None, pending)
    handler = _HANDLERS[kind]
    if kind in (CommandKind.YES, CommandKind.NO):
        handler = _confirm_handler(kind, offer, offer_routine)
    events = handler(engine, command)
    if asking is not None and command.kind in KEEP_ASKING:
        state.asking = asking
        events.append(ev.PainCheck(before=asking is Question.PAIN_BEFORE))
    if pending and command.kind in KEEP_WAITING and state.status is Status.ACTIVE:
        state.ready_pending = True
        events.append(ev.WaitingForReady())
    return state, events


def _yes_or_ready(kind: CommandKind, offered: bool, pending: bool) -> CommandKind:
    """A yes ("ready" and "I'm ready" are yes phrases) starts a hold that waits for "ready".
    The other way round is not so: "go" never answers an offer, so nothing starts again after
    a red flag without the user's own yes."""
    if kind is CommandKind.YES and pending and not offered:
        return CommandKind.READY
    return kind


def _answer(engine: _Engine, command: Command, asking: Question) -> list[ev.Event]:
    """The pain check answered: the rating noted (if one was given), then on with the
    routine (before) or goodbye (after)."""
    state = engine.state
    events: list[ev.Event] = []
    if command.kind is CommandKind.PAIN_CHECK_OFF:
        state.pain_check = False
        events.append(ev.PainCheckSet(on=False))
    rating = command.rating if command.kind is CommandKind.RATE_PAIN else None
    before = asking is Question.PAIN_BEFORE
    if before:
        state.pain_before = rating
    else:
        state.pain_after = rating
    if command.kind is CommandKind.RATE_PAIN or (before and command.kind in MOVE_ON_QUIETLY):
        # A rating is acknowledged in a few words; moving on without one, "okay, let's begin".
        earlier = None if before else state.pain_before
        events.append(ev.PainRated(rating, before=before, earlier=earlier))
    if before:
        return [*events, *engine.present()]
    return [*events, ev.SessionClosed()]


class _Engine:
    """One command's work on one state (mutated in place; `apply` copies in and out)."""

    def __init__(self, state: State, library: Mapping[str, Routine], pending: bool = False) -> None:
        self.state = state
        self.library = library
        self.pending = pending
        """The hold at the position was waiting for "ready" when the command came."""

    # What the state points at.

    @property
    def routine(self) -> Routine:
        assert self.state.routine is not None
        return self.library[self.state.routine]

    @property
    def items(self) -> list[Item]:
        return expand(self.routine)

    @property
    def item(self) -> Item:
        return self.items[self.state.position]

    def default_routine(self) -> Routine:
        if DEFAULT_ROUTINE in self.library:
            return self.library[DEFAULT_ROUTINE]
        return self.library[sorted(self.library)[0]]

    def outside_routine(self) -> list[ev.Event] | None:
        """The notice for a command that needs a routine under way, or None if one is."""
        if self.state.status in IN_ROUTINE:
            return None
        kind = {
            Status.FINISHED: ev.NoticeKind.FINISHED,
            Status.HALTED: ev.NoticeKind.HALTED,
        }.get(self.state.status, ev.NoticeKind.NOT_STARTED)
        if kind is not ev.NoticeKind.HALTED:
            self.offer(Offer.START, self.default_routine())
            return [ev.Notice(kind), ev.Offer(resume=False, routine=self.default_routine())]
        return [ev.Notice(kind)]

    def offer(self, offer: Offer, routine: Routine) -> None:
        self.state.offer, self.state.offer_routine = offer, routine.id

    # Moves.

    def present(
        self, detail: ev.Detail | None = None, moving: bool = False, ready: int | None = None
    ) -> list[ev.Event]:
        """Events that perform the pass at the current position: introduced, then its hold
        after `ready` seconds to get into position (the user's time when None), or, when the
        user asked to be waited for, introduced and waiting for "ready" (`_ready`)."""
        items, item = self.items, self.item
        events: list[ev.Event] = []
        if moving and item.position > 0:
            before = items[item.position - 1]
            if before.step is item.step and before.side != item.side:
                events.append(ev.SideSwitch(item.side))
            rest = rest_before(items, item.position, self.state.rest)
            if rest:
                events.append(ev.Rest(rest))
        detail = self.detail(item, detail)
        if item.step.id not in self.state.seen:
            self.state.seen.append(item.step.id)
            self.state.learning.append(item.step.id)
        hold = hold_seconds(item.step, self.state.holds)
        steps = len(self.routine.steps)
        if self.state.wait_ready and detail is not ev.Detail.HOLD_ONLY:
            self.state.ready_pending = True
            events.append(ev.Perform(item, hold, len(items), steps, detail, waiting=True))
            return [*events, ev.WaitingForReady()]
        seconds = self.state.get_ready if ready is None else ready
        events.append(ev.Perform(item, hold, len(items), steps, detail, get_ready=seconds))
        return events

    def detail(self, item: Item, asked: ev.Detail | None) -> ev.Detail:
        """How much to say for `item`: the one brief-mode rule. Full instructions the first
        time and whenever the user asked for them; a one-sentence intro (BRIEF) for the first
        pass of a step done in an earlier session, unless the user asked to always hear
        everything; the side and rep alone (CUE) for the step's other passes."""
        state, step_id = self.state, item.step.id
        if asked is ev.Detail.BRIEF and not state.brief:
            return ev.Detail.FULL
        if asked is not None:
            return asked
        if step_id not in state.seen:
            return ev.Detail.FULL
        if not item.first_of_step:
            return ev.Detail.CUE
        earlier = step_id not in state.learning
        return ev.Detail.BRIEF if earlier and state.brief else ev.Detail.FULL

    def hold_if_pending(self) -> list[ev.Event]:
        """The hold that was waiting for "ready", now that the user stopped the wait by
        choosing a get-ready time instead (nothing if none was waiting)."""
        if not self.pending or self.state.status is not Status.ACTIVE:
            return []
        return self.present(ev.Detail.HOLD_ONLY)

    def move_to(self, position: int) -> list[ev.Event]:
        """Go forward to `position`; past the end, the routine is finished."""
        self.state.status = Status.ACTIVE
        if position >= len(self.items):
            done = seconds_left(self.items, 0, self.state.holds, self.state.rest)
            self.state.status, self.state.position = Status.FINISHED, len(self.items) - 1
            if not self.state.pain_check:
                return [ev.Finished(self.routine, done)]
            self.state.asking = Question.PAIN_AFTER
            return [ev.Finished(self.routine, done, asking=True), ev.PainCheck(before=False)]
        self.state.position = position
        return self.present(moving=True)

    def start(self, routine: Routine, restarted: bool = False) -> list[ev.Event]:
        # Whoever skips the launch (Alexa's one-shot "ask massage coach to start ...") still
        # hears the disclaimer once, before the first technique.
        events: list[ev.Event] = [] if self.state.disclaimed else [ev.Disclaimer()]
        self.state.disclaimed = True
        self.state.routine, self.state.position = routine.id, 0
        self.state.status, self.state.red_flag = Status.ACTIVE, None
        self.state.learning = []  # a new session: what was heard before is familiar now
        total = len(self.items)
        seconds = seconds_left(self.items, 0, self.state.holds, self.state.rest)
        started = ev.RoutineStarted(routine, total, seconds, restarted)
        self.state.pain_before, self.state.pain_after = None, None
        if self.state.pain_check:
            self.state.asking = Question.PAIN_BEFORE
            return [*events, started, ev.PainCheck(before=True)]
        return [*events, started, *self.present()]

    def resume(self) -> list[ev.Event]:
        self.state.status = Status.ACTIVE
        return [ev.Resumed(), *self.present(ev.Detail.BRIEF)]

    def change_hold(self, requested: int) -> list[ev.Event]:
        step = self.item.step
        before = hold_seconds(step, self.state.holds)
        after = step.hold.clamp(requested)
        if after == before and requested != before:
            return [ev.HoldLimit(step, before, longest=requested > before)]
        self.state.holds[step.id] = after
        self.state.status = Status.ACTIVE
        return [ev.HoldChanged(step, before, after, requested), *self.present(ev.Detail.CUE)]

    def resting_step(self) -> Step | None:
        """The step whose bounds a rest change uses: the current one if it rests, else the
        next that does, else the last before it that does (None: no step of the routine
        rests)."""
        steps = self.routine.steps
        index = self.item.step_index
        for step in [*steps[index:], *reversed(steps[:index])]:
            if step.rests:
                return step
        return None

    def change_rest(self, requested: int | None, sign: int = 1) -> list[ev.Event]:
        """Set the rest to `requested` seconds (None: one usual step longer, or shorter with
        `sign` -1), within the bounds of the step it is measured on (`resting_step`)."""
        step = self.resting_step()
        if step is None:
            return [ev.Notice(ev.NoticeKind.NO_RESTS)]
        before = step.rest_for(self.state.rest)
        if requested is None:
            requested = before + sign * rest_step(before)
        after = step.rest_for(requested)
        if after == before and requested != before:
            return [ev.RestLimit(step, before, longest=requested > before)]
        self.state.rest = after
        return [ev.RestChanged(step, before, after, requested)]


Handler = Callable[[_Engine, Command], list[ev.Event]]


def rest_step(seconds: int) -> int:
    """How much "longer rests" or "shorter rests" changes a rest of this length by."""
    return 5 if seconds < 30 else 10


def hold_step(seconds: int) -> int:
    """How much "longer" or "shorter" changes a hold of this length by."""
    if seconds < 60:
        return 10
    if seconds < 300:
        return 30
    return 60


# One function per command. Each gets the engine and the command, and returns the events.


def _launch(engine: _Engine, command: Command) -> list[ev.Event]:
    state = engine.state
    if not state.disclaimed:
        state.disclaimed = True
        engine.offer(Offer.START, engine.default_routine())
        return [
            ev.Disclaimer(),
            ev.Welcome(returning=False),
            ev.Offer(resume=False, routine=engine.default_routine()),
        ]
    if state.status in IN_ROUTINE:
        state.status = Status.PAUSED
        engine.offer(Offer.RESUME, engine.routine)
        welcome = ev.Welcome(True, engine.routine, state.position, len(engine.items))
        return [welcome, ev.Offer(resume=True, routine=engine.routine)]
    engine.offer(Offer.START, engine.default_routine())
    events: list[ev.Event] = [ev.Welcome(returning=True)]
    if state.status is Status.HALTED and state.red_flag is not None:
        events.append(ev.SafetyReminder(state.red_flag))
    return [*events, ev.Offer(resume=False, routine=engine.default_routine())]


def _start(engine: _Engine, command: Command) -> list[ev.Event]:
    if command.routine is None:
        return engine.start(engine.default_routine())
    routine = engine.library.get(command.routine)
    if routine is None:
        known = tuple(engine.library[key] for key in sorted(engine.library))
        return [ev.UnknownRoutine(command.routine, known)]
    return engine.start(routine)


def _list(engine: _Engine, command: Command) -> list[ev.Event]:
    return [ev.RoutineList(tuple(engine.library[key] for key in sorted(engine.library)))]


def _next(engine: _Engine, command: Command) -> list[ev.Event]:
    return engine.outside_routine() or engine.move_to(engine.state.position + 1)


def _previous(engine: _Engine, command: Command) -> list[ev.Event]:
    if notice := engine.outside_routine():
        return notice
    if engine.state.position == 0:
        return [ev.Notice(ev.NoticeKind.AT_START)]
    engine.state.position -= 1
    engine.state.status = Status.ACTIVE
    return engine.present(ev.Detail.BRIEF)


def _repeat(engine: _Engine, command: Command) -> list[ev.Event]:
    if notice := engine.outside_routine():
        return notice
    engine.state.status = Status.ACTIVE
    return engine.present(ev.Detail.FULL)


def _longer_or_shorter(engine: _Engine, command: Command) -> list[ev.Event]:
    if notice := engine.outside_routine():
        return notice
    current = hold_seconds(engine.item.step, engine.state.holds)
    delta = command.seconds if command.seconds else hold_step(current)
    sign = 1 if command.kind is CommandKind.LONGER else -1
    return engine.change_hold(current + sign * abs(delta))


def _set_hold(engine: _Engine, command: Command) -> list[ev.Event]:
    if notice := engine.outside_routine():
        return notice
    if command.seconds is None or command.seconds <= 0:
        return [ev.Notice(ev.NoticeKind.NEED_DURATION)]
    return engine.change_hold(command.seconds)


def _longer_or_shorter_rest(engine: _Engine, command: Command) -> list[ev.Event]:
    if notice := engine.outside_routine():
        return notice
    sign = 1 if command.kind is CommandKind.LONGER_REST else -1
    step = engine.resting_step()
    if command.seconds and step is not None:
        return engine.change_rest(step.rest_for(engine.state.rest) + sign * abs(command.seconds))
    return engine.change_rest(None, sign)


def _set_rest(engine: _Engine, command: Command) -> list[ev.Event]:
    if notice := engine.outside_routine():
        return notice
    if command.seconds is None or command.seconds <= 0:
        return [ev.Notice(ev.NoticeKind.NEED_REST_DURATION)]
    return engine.change_rest(command.seconds)


def _instructions(engine: _Engine, command: Command) -> list[ev.Event]:
    engine.state.brief = command.kind is CommandKind.BRIEF_INSTRUCTIONS
    return [ev.InstructionsSet(brief=engine.state.brief)]


def _pause(engine: _Engine, command: Command) -> list[ev.Event]:
    if notice := engine.outside_routine():
        return notice
    if engine.state.status is Status.PAUSED:
        return [ev.Notice(ev.NoticeKind.ALREADY_PAUSED)]
    engine.state.status = Status.PAUSED
    return [ev.Paused()]


def _resume(engine: _Engine, command: Command) -> list[ev.Event]:
    if notice := engine.outside_routine():
        return notice
    if engine.state.status is Status.ACTIVE:
        return [ev.Notice(ev.NoticeKind.NOT_PAUSED)]
    return engine.resume()


def _skip(engine: _Engine, command: Command) -> list[ev.Event]:
    if notice := engine.outside_routine():
        return notice
    skipped = engine.item.step
    return [
        ev.Skipped(skipped),
        *engine.move_to(first_of_next_step(engine.items, engine.item.position)),
    ]


def _start_over(engine: _Engine, command: Command) -> list[ev.Event]:
    if engine.state.status in IN_ROUTINE or engine.state.status is Status.FINISHED:
        return engine.start(engine.routine, restarted=True)
    return engine.outside_routine() or []


def _stop(engine: _Engine, command: Command) -> list[ev.Event]:
    state = engine.state
    if state.status in IN_ROUTINE:
        state.status = Status.STOPPED
        return [ev.Stopped(True, state.position, len(engine.items))]
    return [ev.Stopped(False)]


def _status(engine: _Engine, command: Command) -> list[ev.Event]:
    if notice := engine.outside_routine():
        return notice
    items, position = engine.items, engine.state.position
    steps_left = len(engine.routine.steps) - items[position].step_index
    left = seconds_left(items, position, engine.state.holds, engine.state.rest)
    return [ev.Progress(engine.routine, position, len(items), steps_left, left, engine.item.step)]


def _explain(engine: _Engine, command: Command) -> list[ev.Event]:
    step: Step | None = engine.item.step if engine.state.status in IN_ROUTINE else None
    return [ev.Explanation(step)]


def _pain(engine: _Engine, command: Command) -> list[ev.Event]:
    symptom = command.symptom or "PAIN"
    if engine.state.status in IN_ROUTINE:
        engine.state.status = Status.PAUSED
        return [ev.PainAdvice(symptom, engine.item.step)]
    return [ev.PainAdvice(symptom, None)]


def _red_flag(engine: _Engine, command: Command) -> list[ev.Event]:
    symptom = command.symptom or "RED_FLAG"
    engine.state.status, engine.state.red_flag = Status.HALTED, symptom
    return [ev.RedFlag(symptom)]


def _help(engine: _Engine, command: Command) -> list[ev.Event]:
    status = engine.state.status
    return [ev.Help(in_routine=status in IN_ROUTINE, paused=status is not Status.ACTIVE)]


def _rate_pain(engine: _Engine, command: Command) -> list[ev.Event]:
    # Not asked for: any pain rated during a routine ("my pain is an eight") stops the
    # technique, erring on the side of the body.
    if engine.state.status in IN_ROUTINE and (command.rating or 0) > 0:
        return _pain(engine, Command(CommandKind.PAIN, symptom="PAIN"))
    return [ev.Notice(ev.NoticeKind.NOT_ASKED_RATING)]


def _pain_check_set(engine: _Engine, command: Command) -> list[ev.Event]:
    state = engine.state
    state.pain_check = command.kind is CommandKind.PAIN_CHECK_ON
    return [
        ev.PainCheckSet(
            on=state.pain_check,
            in_routine=state.status in IN_ROUTINE,
            paused=state.status is not Status.ACTIVE,
        )
    ]


def _journal(engine: _Engine, command: Command) -> list[ev.Event]:
    return [ev.JournalAsked()]  # the turn answers from the journal the engine does not hold


def _forget_journal(engine: _Engine, command: Command) -> list[ev.Event]:
    engine.state.offer = Offer.FORGET
    return [ev.ForgetAsked()]


def _ready(engine: _Engine, command: Command) -> list[ev.Event]:
    # The user is in position: the pass's hold starts at once. Only this starts a hold that
    # waits for it; said during the time to get ready (a key, or Alexa's barge-in into the
    # silence), it cuts that time short.
    if notice := engine.outside_routine():
        return notice
    if engine.state.status is not Status.ACTIVE:
        return [ev.Notice(ev.NoticeKind.NOT_WAITING)]
    return engine.present(ev.Detail.HOLD_ONLY, ready=0)


def _get_ready_time(engine: _Engine, command: Command) -> list[ev.Event]:
    # Choosing a time is choosing not to be waited for.
    state = engine.state
    if command.kind is CommandKind.READY_NONE:
        requested = 0
    elif command.kind is CommandKind.READY_LONGER:
        requested = state.get_ready + get_ready.STEP_S
    else:
        requested = state.get_ready - get_ready.STEP_S
    state.get_ready, state.wait_ready = get_ready.clamp(requested), False
    cut = None if requested == state.get_ready else requested
    return [_get_ready_set(state, cut), *engine.hold_if_pending()]


def _wait_ready_set(engine: _Engine, command: Command) -> list[ev.Event]:
    state = engine.state
    state.wait_ready = command.kind is CommandKind.WAIT_READY_ON
    events: list[ev.Event] = [_get_ready_set(state)]
    if not state.wait_ready:
        events += engine.hold_if_pending()
    return events


def _get_ready_set(state: State, requested: int | None = None) -> ev.GetReadySet:
    return ev.GetReadySet(
        state.get_ready,
        wait=state.wait_ready,
        requested=requested,
        in_routine=state.status in IN_ROUTINE,
        paused=state.status is not Status.ACTIVE,
    )


def _confirm_handler(kind: CommandKind, offer: Offer | None, routine_id: str | None) -> Handler:
    def confirm(engine: _Engine, command: Command) -> list[ev.Event]:
        if offer is Offer.FORGET:
            return [ev.JournalForgotten()] if kind is CommandKind.YES else [ev.Declined()]
        if offer is None or routine_id is None:
            return [ev.Notice(ev.NoticeKind.NOTHING_TO_CONFIRM)]
        if kind is CommandKind.NO:
            return [ev.Declined()]
        resuming = offer is Offer.RESUME and engine.state.routine == routine_id
        if resuming and engine.state.status in IN_ROUTINE:
            return engine.resume()
        return engine.start(engine.library[routine_id])

    return confirm


_HANDLERS: dict[CommandKind, Handler] = {
    CommandKind.LAUNCH: _launch,
    CommandKind.START: _start,
    CommandKind.LIST: _list,
    CommandKind.NEXT: _next,
    CommandKind.PREVIOUS: _previous,
    CommandKind.REPEAT: _repeat,
    CommandKind.LONGER: _longer_or_shorter,
    CommandKind.SHORTER: _longer_or_shorter,
    CommandKind.SET_HOLD: _set_hold,
    CommandKind.PAUSE: _pause,
    CommandKind.RESUME: _resume,
    CommandKind.SKIP: _skip,
    CommandKind.START_OVER: _start_over,
    CommandKind.STOP: _stop,
    CommandKind.STATUS: _status,
    CommandKind.EXPLAIN: _explain,
    CommandKind.PAIN: _pain,
    CommandKind.RED_FLAG: _red_flag,
    CommandKind.HELP: _help,
    # YES and NO depend on the offer made; `apply` builds their handler.
    CommandKind.YES: _help,
    CommandKind.NO: _help,
    CommandKind.RATE_PAIN: _rate_pain,
    CommandKind.PAIN_CHECK_OFF: _pain_check_set,
    CommandKind.PAIN_CHECK_ON: _pain_check_set,
    CommandKind.JOURNAL: _journal,
    CommandKind.FORGET_JOURNAL: _forget_journal,
    CommandKind.LONGER_REST: _longer_or_shorter_rest,
    CommandKind.SHORTER_REST: _longer_or_shorter_rest,
    CommandKind.SET_REST: _set_rest,
    CommandKind.FULL_INSTRUCTIONS: _instructions,
    CommandKind.BRIEF_INSTRUCTIONS: _instructions,
    CommandKind.READY: _ready,
    CommandKind.READY_LONGER: _get_ready_time,
    CommandKind.READY_SHORTER: _get_ready_time,
    CommandKind.READY_NONE: _get_ready_time,
    CommandKind.WAIT_READY_ON: _wait_ready_set,
    CommandKind.WAIT_READY_OFF: _wait_ready_set,
}
