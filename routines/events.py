"""What happened when a command was applied: the facts `speech/` turns into words.

Events carry everything a prompt needs (the step itself, the hold length, the position), so
the prompt builder never has to look anything up.
"""

from __future__ import annotations

from enum import StrEnum

from routines.models import Routine, Side, Step
from routines.plan import Item
from routines.values import Value


class Detail(StrEnum):
    """How much to say when presenting a pass."""

    FULL = "full"
    """First meeting with the technique, or asked again: setup cues, why it helps, pressure."""
    BRIEF = "brief"
    """A known technique: its name and one-line cue."""
    CUE = "cue"
    """Another pass of the same step: just the side or rep and the count."""
    HOLD_ONLY = "hold_only"
    """The user said "ready" to a pass already introduced: straight to the hold."""


class NoticeKind(StrEnum):
    """Commands that could not be carried out, and why."""

    NOT_STARTED = "not_started"
    FINISHED = "finished"
    HALTED = "halted"
    AT_START = "at_start"
    ALREADY_PAUSED = "already_paused"
    NOT_PAUSED = "not_paused"
    NEED_DURATION = "need_duration"
    NOTHING_TO_CONFIRM = "nothing_to_confirm"
    NOT_ASKED_RATING = "not_asked_rating"
    """A pain rating given when none was asked for (and no pain was said)."""
    NEED_REST_DURATION = "need_rest_duration"
    NO_RESTS = "no_rests"
    """A rest length asked for in a routine none of whose steps rests between passes."""
    NOT_WAITING = "not_waiting"
    """ "Ready" when no hold was waiting for it."""


class Event(Value):
    """Base of every event: a frozen value (`routines.values.Value`, declared as a dataclass
    is, but with nothing compiled at import)."""


class Disclaimer(Event):
    """First use: the coach is not a clinician."""


class Welcome(Event):
    """A greeting on launch."""

    returning: bool
    """False on the very first use."""
    routine: Routine | None = None
    """The routine left unfinished, if any."""
    position: int = 0
    """Passes done in that routine."""
    total: int = 0
    """Passes in that routine."""


class Offer(Event):
    """A yes/no question: start a routine, or continue one."""

    resume: bool
    """True to continue the unfinished routine, False to start `routine` afresh."""
    routine: Routine


class Declined(Event):
    """The user said no to an offer."""


class RoutineList(Event):
    """The routines there are."""

    routines: tuple[Routine, ...]


class UnknownRoutine(Event):
    """The user named a routine there is not."""

    name: str
    routines: tuple[Routine, ...]


class RoutineStarted(Event):
    """A routine begins (or begins again)."""

    routine: Routine
    total: int
    """Passes in the routine."""
    seconds: int
    """Estimated length at the user's holds."""
    restarted: bool = False


class SideSwitch(Event):
    """The next pass works the other side."""

    side: Side


class Rest(Event):
    """A rest between reps."""

    seconds: int


class Perform(Event):
    """Do one pass: get into position, hold for `hold` seconds with a countdown, release."""

    item: Item
    hold: int
    """Seconds to hold, within the step's bounds."""
    total: int
    """Passes in the routine (for "step k of n")."""
    steps: int
    """Steps in the routine."""
    detail: Detail
    get_ready: int = 0
    """Seconds to get into position before the hold starts (`routines.get_ready`)."""
    waiting: bool = False
    """Introduce the pass, then wait for "ready": the hold comes with the answer."""


class HoldChanged(Event):
    """The hold for a step changed, and is remembered as the user's preference."""

    step: Step
    before: int
    after: int
    requested: int
    """What the user asked for; differs from `after` when a bound cut it."""


class HoldLimit(Event):
    """The hold could not change: it is already at the step's bound."""

    step: Step
    seconds: int
    """The current (and bound) length."""
    longest: bool
    """True at the maximum, False at the minimum."""


class GetReadySet(Event):
    """The user changed the time to get ready, or turned waiting for "ready" on or off."""

    seconds: int
    """The get-ready time now (0: none)."""
    wait: bool
    """Whether the coach now waits for "ready" before each hold."""
    requested: int | None = None
    """The time asked for, when a bound cut it (more than the longest, less than none)."""
    in_routine: bool = True
    """Whether a routine is under way (what the coach waits for next depends on it)."""
    paused: bool = False


class WaitingForReady(Event):
    """The hold of the pass just introduced waits until the user says "ready"."""


class Paused(Event):
    """The routine is paused."""


class Resumed(Event):
    """The routine continues."""


class Skipped(Event):
    """The rest of a step was skipped."""

    step: Step


class Finished(Event):
    """The routine is done."""

    routine: Routine
    seconds: int
    """Estimated length of what was done."""
    asking: bool = False
    """The pain check follows, so the conversation goes on (`PainCheck`)."""


class PainCheck(Event):
    """The question: how is the pain right now, from zero to ten?"""

    before: bool
    """True when the routine starts, False when it has finished."""


class PainRated(Event):
    """The answer to the pain check, acknowledged in a few words."""

    rating: int | None
    """0..10; None when the user did not know or moved on."""
    before: bool
    earlier: int | None = None
    """After the routine: the rating given before it, for "down from six"."""


class SessionClosed(Event):
    """After the last pain check: goodbye, the conversation ends."""


class PainCheckSet(Event):
    """The user turned the pain check off or on."""

    on: bool
    in_routine: bool = True
    """Whether a routine is under way (what the coach waits for next depends on it)."""
    paused: bool = False


class ForgetAsked(Event):
    """ "Delete my history?": yes deletes the pain journal."""


class JournalForgotten(Event):
    """The pain journal was deleted (the front-end deletes it on seeing this)."""


class JournalAsked(Event):
    """How am I doing: the turn answers it from the journal (`JournalSummary`); said as is
    only when the journal cannot be read."""


class SeeProfessional(Event):
    """The journal shows pain that persists or worsens: advise seeing a professional.

    Added by the turn (`skill.core.turn`) from the user's journal, never by the engine.
    """

    reason: str
    """Why: ``persists``, ``worsens`` or ``worse_after_sessions``."""
    again: bool = False
    """Said again at the end of the session whose launch said it."""


class JournalSummary(Event):
    """How am I doing: the journal in a few figures (added by the turn from the journal)."""

    sessions_week: int
    """Sessions in the last seven days."""
    streak: int
    """Days in a row with a session, up to today or yesterday."""
    trend: str
    """``improving``, ``steady``, ``worse`` or ``unknown`` (too few ratings)."""
    first: int | None = None
    """The earliest pain rating the trend looked at."""
    latest: int | None = None
    """The latest one."""
    points: tuple[tuple[str, float | None, float | None], ...] = ()
    """For a chart: (label, mean pain before, mean pain after) per period, oldest first."""
    under_way: bool = False
    """A routine is under way (not yet in the journal): "ask again once it's done"."""


class Stopped(Event):
    """The session ends; `resumable` when a routine was left unfinished."""

    resumable: bool
    done: int = 0
    total: int = 0


class Progress(Event):
    """How far along the routine is."""

    routine: Routine
    done: int
    total: int
    steps_left: int
    seconds_left: int
    current: Step


class Explanation(Event):
    """Why a technique helps (`step` None: what the coach is for)."""

    step: Step | None


class PainAdvice(Event):
    """Pain, numbness or tingling: the technique stopped; calm guidance follows."""

    symptom: str
    step: Step | None


class RedFlag(Event):
    """A symptom that needs urgent care: the session ends."""

    symptom: str


class SafetyReminder(Event):
    """On launch after a red flag: a reminder to get checked before carrying on."""

    symptom: str


class Help(Event):
    """What the user can say now."""

    in_routine: bool
    paused: bool


class Notice(Event):
    """A command that could not be carried out now."""

    kind: NoticeKind


# Rests and brief mode (issue #14).


class RestChanged(Event):
    """The rest between passes changed, and is remembered as the user's preference."""

    step: Step
    """The step whose bounds applied (the current one, or the next that rests)."""
    before: int
    after: int
    requested: int
    """What the user asked for; differs from `after` when the step's bounds cut it."""


class RestLimit(Event):
    """The rest could not change: it is already at the step's bound."""

    step: Step
    seconds: int
    longest: bool


class InstructionsSet(Event):
    """The user asked for full instructions always (`brief` False), or brief ones again."""

    brief: bool
