"""The commands a user can give the coach, whatever the front-end (Alexa, keys, voice, stdin)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class CommandKind(StrEnum):
    """What the user asked for."""

    LAUNCH = "launch"
    """The user opened the coach: greet, and offer to start or to continue."""
    START = "start"
    """Start a routine (the default one when none is named)."""
    LIST = "list"
    """Name the routines there are."""
    NEXT = "next"
    PREVIOUS = "previous"
    REPEAT = "repeat"
    """Do the current pass again, with full instructions."""
    LONGER = "longer"
    SHORTER = "shorter"
    SET_HOLD = "set_hold"
    PAUSE = "pause"
    RESUME = "resume"
    SKIP = "skip"
    """Skip the rest of the current step."""
    START_OVER = "start_over"
    STOP = "stop"
    STATUS = "status"
    """How far along the routine is, and how long is left."""
    EXPLAIN = "explain"
    """Why the current technique helps."""
    PAIN = "pain"
    """Pain, numbness or tingling: stop the current technique."""
    RED_FLAG = "red_flag"
    """A symptom that needs urgent care: end the session."""
    HELP = "help"
    YES = "yes"
    NO = "no"
    RATE_PAIN = "rate_pain"
    """How much it hurts right now, 0 to 10: the answer to the pain check."""
    PAIN_CHECK_OFF = "pain_check_off"
    """Stop asking about the pain at the start and the end of a routine."""
    PAIN_CHECK_ON = "pain_check_on"
    JOURNAL = "journal"
    """How am I doing: sessions, streak and the pain trend (the turn reads the journal)."""
    FORGET_JOURNAL = "forget_journal"
    """Delete my history: asks first; yes deletes the pain journal (nothing else)."""
    # Rests and brief mode (issue #14).
    LONGER_REST = "longer_rest"
    """Longer rests between passes (by `seconds`, or the usual step), remembered."""
    SHORTER_REST = "shorter_rest"
    SET_REST = "set_rest"
    """Rest for `seconds` between passes, remembered."""
    FULL_INSTRUCTIONS = "full_instructions"
    """Always explain: every step with its full instructions, even one the user knows."""
    BRIEF_INSTRUCTIONS = "brief_instructions"
    """Be brief again: a step done in an earlier session is introduced in one sentence."""
    # Time to get ready before a hold (routines/get_ready.py).
    READY = "ready"
    """ "Ready", "go": the user is in position, the hold the coach waits for starts."""
    READY_LONGER = "ready_longer"
    """More time to get ready before each hold (and no more waiting for "ready")."""
    READY_SHORTER = "ready_shorter"
    READY_NONE = "ready_none"
    """No time to get ready: each hold follows its cue at once."""
    WAIT_READY_ON = "wait_ready_on"
    """Before each hold, wait until the user says "ready"."""
    WAIT_READY_OFF = "wait_ready_off"
    """Stop waiting for "ready": the get-ready time is given instead."""


@dataclass(frozen=True)
class Command:
    """One command with its arguments."""

    kind: CommandKind
    routine: str | None = None
    """START: the routine id (None for the default routine)."""
    seconds: int | None = None
    """SET_HOLD and SET_REST: the new length; LONGER/SHORTER and LONGER_REST/SHORTER_REST: by
    how much (None for the usual step)."""
    symptom: str | None = None
    """PAIN and RED_FLAG: what the user reported, as a symptom id such as NUMBNESS."""
    rating: int | None = None
    """RATE_PAIN: 0 to 10; None for "I don't know" (the check moves on without a rating)."""
