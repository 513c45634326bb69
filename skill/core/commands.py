"""The one table from intents to engine commands, shared by every front-end.

The Alexa handlers, the local coach and the replay tool all resolve what the user said to an
intent name and a few slot values, then call :func:`to_command`. Nothing here knows about
Alexa's envelopes: slots arrive as plain resolved values (a routine id from entity
resolution or the raw words, an ISO 8601 duration such as ``PT45S``, a symptom id such as
``NUMBNESS``), so a new front-end needs no intent logic of its own.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Final

from routines.commands import Command, CommandKind
from routines.session import MAX_RATING
from skill.core.durations import DurationError, iso_to_seconds
from skill.core.intents import IntentName

__all__ = [
    "INTENT_COMMANDS",
    "RED_FLAG_PREFIX",
    "SlotValues",
    "UnknownIntentError",
    "to_command",
]

SlotValues = Mapping[str, str | None]
"""Slot name to resolved value (None or absent when the user did not fill the slot)."""

RED_FLAG_PREFIX: Final = "RED_FLAG_"
"""Symptom ids starting with this are red flags: they end the session with urgent advice."""

ROUTINE_SLOT: Final = "routine"
DURATION_SLOT: Final = "duration"
SYMPTOM_SLOT: Final = "symptom"
RATING_SLOT: Final = "rating"


class UnknownIntentError(LookupError):
    """An intent name the coach has no command for."""

    def __init__(self, intent_name: str) -> None:
        self.intent_name: str = intent_name
        """The name that was not found."""
        super().__init__(f"no command for the intent {intent_name!r}")


def _value(slots: SlotValues, name: str) -> str | None:
    """The slot's value with surrounding blanks removed; None when empty or missing."""
    value = slots.get(name)
    if value is None:
        return None
    value = value.strip()
    return value or None


def _seconds(slots: SlotValues) -> int | None:
    """The duration slot in seconds; None when missing, vague ("a few minutes") or unreadable.

    The engine answers a missing length for "set the hold" with a question, and uses its usual
    step for "longer" and "shorter", so an unusable duration needs no error path here.
    """
    value = _value(slots, DURATION_SLOT)
    if value is None:
        return None
    try:
        seconds = iso_to_seconds(value)
    except DurationError:
        return None
    return seconds if seconds > 0 else None


def _start(slots: SlotValues) -> Command:
    return Command(CommandKind.START, routine=_value(slots, ROUTINE_SLOT))


def _timed(kind: CommandKind) -> Callable[[SlotValues], Command]:
    def build(slots: SlotValues) -> Command:
        return Command(kind, seconds=_seconds(slots))

    return build


def _pain(slots: SlotValues) -> Command:
    symptom = _value(slots, SYMPTOM_SLOT)
    if symptom is not None:
        symptom = symptom.upper()
        if symptom.startswith(RED_FLAG_PREFIX):
            return Command(CommandKind.RED_FLAG, symptom=symptom)
    return Command(CommandKind.PAIN, symptom=symptom)


def _rating(slots: SlotValues) -> Command:
    """A pain rating; out of 0..10 or unreadable ("I don't know") is no rating."""
    value = _value(slots, RATING_SLOT)
    rating = int(value) if value is not None and value.isdigit() else None
    if rating is not None and rating > MAX_RATING:
        rating = None
    return Command(CommandKind.RATE_PAIN, rating=rating)


def _no_pain(slots: SlotValues) -> Command:
    """ "No pain at all": a rating of zero."""
    return Command(CommandKind.RATE_PAIN, rating=0)


def _plain(kind: CommandKind) -> Callable[[SlotValues], Command]:
    command = Command(kind)

    def build(slots: SlotValues) -> Command:
        return command

    return build


INTENT_COMMANDS: Final[Mapping[str, Callable[[SlotValues], Command]]] = {
    IntentName.START_ROUTINE: _start,
    IntentName.LIST_ROUTINES: _plain(CommandKind.LIST),
    IntentName.LONGER_HOLD: _timed(CommandKind.LONGER),
    IntentName.SHORTER_HOLD: _timed(CommandKind.SHORTER),
    IntentName.SET_HOLD: _timed(CommandKind.SET_HOLD),
    IntentName.SKIP: _plain(CommandKind.SKIP),
    IntentName.PROGRESS: _plain(CommandKind.STATUS),
    IntentName.EXPLAIN: _plain(CommandKind.EXPLAIN),
    IntentName.PAIN: _pain,
    IntentName.PAIN_RATING: _rating,
    IntentName.NO_PAIN: _no_pain,
    IntentName.PAIN_CHECK_OFF: _plain(CommandKind.PAIN_CHECK_OFF),
    IntentName.PAIN_CHECK_ON: _plain(CommandKind.PAIN_CHECK_ON),
    IntentName.JOURNAL: _plain(CommandKind.JOURNAL),
    IntentName.FORGET_JOURNAL: _plain(CommandKind.FORGET_JOURNAL),
    IntentName.NEXT: _plain(CommandKind.NEXT),
    IntentName.PREVIOUS: _plain(CommandKind.PREVIOUS),
    IntentName.REPEAT: _plain(CommandKind.REPEAT),
    IntentName.PAUSE: _plain(CommandKind.PAUSE),
    IntentName.RESUME: _plain(CommandKind.RESUME),
    IntentName.START_OVER: _plain(CommandKind.START_OVER),
    IntentName.HELP: _plain(CommandKind.HELP),
    # Leaving the skill from any of these keeps the user's progress for next time.
    IntentName.STOP: _plain(CommandKind.STOP),
    IntentName.CANCEL: _plain(CommandKind.STOP),
    IntentName.NAVIGATE_HOME: _plain(CommandKind.STOP),
    # What the user said matched nothing: the help text says what the coach can do.
    IntentName.FALLBACK: _plain(CommandKind.HELP),
    IntentName.YES: _plain(CommandKind.YES),
    IntentName.NO: _plain(CommandKind.NO),
    # Rests and brief mode (issue #14).
    IntentName.LONGER_REST: _timed(CommandKind.LONGER_REST),
    IntentName.SHORTER_REST: _timed(CommandKind.SHORTER_REST),
    IntentName.SET_REST: _timed(CommandKind.SET_REST),
    IntentName.FULL_INSTRUCTIONS: _plain(CommandKind.FULL_INSTRUCTIONS),
    IntentName.BRIEF_INSTRUCTIONS: _plain(CommandKind.BRIEF_INSTRUCTIONS),
    IntentName.READY: _plain(CommandKind.READY),
    IntentName.MORE_READY_TIME: _plain(CommandKind.READY_LONGER),
    IntentName.LESS_READY_TIME: _plain(CommandKind.READY_SHORTER),
    IntentName.NO_READY_TIME: _plain(CommandKind.READY_NONE),
    IntentName.WAIT_FOR_READY: _plain(CommandKind.WAIT_READY_ON),
    IntentName.STOP_WAITING: _plain(CommandKind.WAIT_READY_OFF),
}
"""Every intent of :class:`~skill.core.intents.IntentName` and how its slots become a command."""


def to_command(intent_name: str, slots: SlotValues) -> Command:
    """The engine command for an intent and its resolved slot values.

    Raises:
        UnknownIntentError: for an intent not in :data:`INTENT_COMMANDS`.
    """
    try:
        build = INTENT_COMMANDS[intent_name]
    except KeyError:
        raise UnknownIntentError(intent_name) from None
    return build(slots)
