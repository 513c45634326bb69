"""The result of resolving an utterance, and what the front-end does with it: act, or ask.

`Resolution` is one reading of an utterance (intent, slots as Alexa would send them, confidence,
the runner-up, a concern to check, a guess); `decide` turns two close readings into a
clarifying question (`Clarification`) and a routine's name among other words into a yes-or-no
question (`Confirmation`); `concern_question` and `guess_question` word the questions about a
symptom the words may tell and a command no sample reads. Pure; the words come from the phrase
table (`speech.phrases`). Tests: `tests/test_resolver.py` (`decide`), `tests/test_safety.py`
(`concern_question`), `tests/test_guess.py` (`guess_question`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Final

from skill.core.commands import ROUTINE_SLOT, SYMPTOM_SLOT
from skill.core.intents import IntentName, is_builtin
from skill.core.samples import slot_only
from speech import phrases as speech_phrases

__all__ = [
    "CLARIFY_MARGIN",
    "COMMAND_CONFIDENCE",
    "PAIN_INTENT",
    "Clarification",
    "Confirmation",
    "Resolution",
    "Slot",
    "concern_question",
    "decide",
    "guess_question",
]

PAIN_INTENT: Final = IntentName.PAIN
"""The intent whose reading beats every other that passes: a report of pain is never lost."""
COMMAND_CONFIDENCE: Final = 0.9
"""A reading the samples explain this well (but for a filler or two) is a command, not a story
about the body. Talk about the pain check wins over the detector's pain only so ("okay my pain
is about a six", 0.98, passes; "my back pain is a six today" does not), and the safety
detector's word model is not asked about such a command ("two" answering the pain check reads
to it as "both legs")."""
CLARIFY_MARGIN: Final = 0.1
"""`decide` asks when the runner-up is at most this much less confident than the best reading."""


@dataclass(frozen=True)
class Slot:
    """One filled slot, as Alexa would send it."""

    name: str
    """The slot's name in the intent ("routine", "duration")."""
    value: str
    """What Alexa puts in `value`: the spoken words for custom types, ISO 8601 for durations
    (`PT45S`), digits for AMAZON.NUMBER."""
    spoken: str
    """The words the slot covered, normalised."""
    slot_type: str
    """The slot's type (`ROUTINE_NAME`, `AMAZON.DURATION`)."""
    resolved_id: str | None = None
    """For a custom type, the id of the matched value; None when nothing matched."""
    resolved_name: str | None = None
    """For a custom type, the canonical name of the matched value."""

    @property
    def is_custom(self) -> bool:
        """Whether the slot's type is a custom one (entity resolution applies)."""
        return not is_builtin(self.slot_type)

    @property
    def matched(self) -> bool:
        """Whether a custom value resolved (ER_SUCCESS_MATCH); always True for built-in types."""
        return self.resolved_id is not None or not self.is_custom


@dataclass(frozen=True)
class Resolution:
    """The result of resolving one utterance."""

    intent: str
    """The intent name, or AMAZON.FallbackIntent."""
    slots: Mapping[str, Slot] = field(default_factory=dict)
    """The filled slots by name; declared but unfilled slots are absent."""
    text: str = ""
    """The normalised utterance that was matched."""
    declared_slots: tuple[tuple[str, str], ...] = ()
    """(name, type) of every slot the intent declares, filled or not."""
    sample: str | None = None
    """The sample utterance that matched; None for the fallback."""
    confidence: float = 1.0
    """1.0 for a whole-utterance match with known slot values, less for words left outside the
    match or an unknown value; 0.0 for the fallback."""
    skipped: tuple[str, ...] = ()
    """The normalised words the match left out, in order."""
    runner_up: Resolution | None = None
    """The best reading of another intent, however unlikely (its own runner-up is None)."""
    check: Resolution | None = None
    """A symptom the words may tell though the safety detector did not find it said outright
    (its concern, `Detector.concern`): the PainIntent reading to act on after a yes. The
    front-end asks first (`concern_question`); this resolution is what a no leaves."""
    guess: Resolution | None = None
    """For the fallback only, when the safety detector found nothing: the command the words most
    likely mean though no sample reads them (`skill.core.guess`), to ask about and act on after
    a yes only (`guess_question`); this resolution is what a no leaves."""

    @property
    def is_fallback(self) -> bool:
        """Whether nothing matched."""
        return self.intent == IntentName.FALLBACK

    def value(self, slot: str) -> str | None:
        """The slot's Alexa value (resolved id for a matched custom value), or None if unfilled."""
        filled = self.slots.get(slot)
        if filled is None:
            return None
        return filled.resolved_id if filled.resolved_id is not None else filled.value


@dataclass(frozen=True)
class Clarification:
    """Two readings too close to choose between, and the question that asks which was meant."""

    question: str
    """For example "Skip this step, or stop?"."""
    first: Resolution
    """The more confident reading."""
    second: Resolution
    """The runner-up."""


@dataclass(frozen=True)
class Confirmation:
    """A reading that would leave what the user is doing, from a routine's name among other
    words ("I hate the foam roller" is no wish to start it): the yes-or-no question."""

    question: str
    """For example "Start the foam roller routine? Say yes or no."."""
    reading: Resolution
    """What a yes stands for."""


_READING_PHRASES: Final[Mapping[str, str]] = {
    IntentName.START_ROUTINE: "clarify.reading.start",
    IntentName.PAIN_RATING: "clarify.reading.rate_pain",
    IntentName.NO_PAIN: "clarify.reading.rate_pain",
    IntentName.PAIN_CHECK_OFF: "clarify.reading.pain_check_off",
    IntentName.PAIN_CHECK_ON: "clarify.reading.pain_check_on",
    IntentName.JOURNAL: "clarify.reading.journal",
    IntentName.FORGET_JOURNAL: "clarify.reading.forget_journal",
    IntentName.LIST_ROUTINES: "clarify.reading.list",
    IntentName.LONGER_HOLD: "clarify.reading.longer",
    IntentName.SHORTER_HOLD: "clarify.reading.shorter",
    IntentName.SET_HOLD: "clarify.reading.set_hold",
    IntentName.SKIP: "clarify.reading.skip",
    IntentName.PROGRESS: "clarify.reading.progress",
    IntentName.EXPLAIN: "clarify.reading.explain",
    IntentName.NEXT: "clarify.reading.next",
    IntentName.PREVIOUS: "clarify.reading.previous",
    IntentName.REPEAT: "clarify.reading.repeat",
    IntentName.PAUSE: "clarify.reading.pause",
    IntentName.RESUME: "clarify.reading.resume",
    IntentName.START_OVER: "clarify.reading.start_over",
    IntentName.HELP: "clarify.reading.help",
    IntentName.STOP: "clarify.reading.stop",
    IntentName.CANCEL: "clarify.reading.cancel",
    IntentName.NAVIGATE_HOME: "clarify.reading.home",
    IntentName.YES: "clarify.reading.agree",
    IntentName.NO: "clarify.reading.decline",
    IntentName.LONGER_REST: "clarify.reading.longer_rest",
    IntentName.SHORTER_REST: "clarify.reading.shorter_rest",
    IntentName.SET_REST: "clarify.reading.set_rest",
    IntentName.FULL_INSTRUCTIONS: "clarify.reading.full_instructions",
    IntentName.BRIEF_INSTRUCTIONS: "clarify.reading.brief_instructions",
    IntentName.READY: "clarify.reading.ready",
    IntentName.MORE_READY_TIME: "clarify.reading.more_ready_time",
    IntentName.LESS_READY_TIME: "clarify.reading.less_ready_time",
    IntentName.NO_READY_TIME: "clarify.reading.no_ready_time",
    IntentName.WAIT_FOR_READY: "clarify.reading.wait_for_ready",
    IntentName.STOP_WAITING: "clarify.reading.stop_waiting",
}
"""How a clarifying question names each intent's reading (phrase keys, speech/phrases)."""

_CONFIRMED: Final = frozenset({IntentName.START_ROUTINE})
"""Readings that leave the routine under way: asked about unless the words are sure of them
(`COMMAND_CONFIDENCE`)."""


def decide(
    resolution: Resolution, margin: float = CLARIFY_MARGIN
) -> Resolution | Clarification | Confirmation:
    """The resolution to act on, or a question when its runner-up is nearly as likely.

    A whole-utterance match, a pain reading (never second-guessed) and a reading without a
    close runner-up of a nameable intent are acted on; otherwise the front-end asks the
    question and resolves the answer as the next utterance. A reading that would leave the
    routine under way (starting another) from a sample that is only its slot ("{routine}") is
    confirmed first unless the words are sure of it.
    """
    if (
        resolution.intent in _CONFIRMED
        and resolution.confidence < COMMAND_CONFIDENCE
        and resolution.sample is not None
        and slot_only(resolution.sample)
    ):
        slot = resolution.slots.get(ROUTINE_SLOT)
        name = (slot.resolved_name or slot.spoken) if slot is not None else None
        if name:
            question = speech_phrases.say("clarify.start_routine", routine=name)
            return Confirmation(question, resolution)
    other = resolution.runner_up
    if (
        other is None
        or resolution.confidence >= 1.0
        or resolution.intent == PAIN_INTENT
        or resolution.confidence - other.confidence > margin
        or resolution.intent not in _READING_PHRASES
        or other.intent not in _READING_PHRASES
    ):
        return resolution
    first = speech_phrases.say(_READING_PHRASES[resolution.intent])
    second = speech_phrases.say(_READING_PHRASES[other.intent])
    question = speech_phrases.say(
        "clarify.question", first=first[:1].upper() + first[1:], second=second
    )
    return Clarification(question, resolution, other)


# --- normalisation ------------------------------------------------------------------------

_CONCERN_PHRASES: Final[Mapping[str, str]] = {
    "RED_FLAG_SADDLE": "concern.red_flag_saddle",
    "RED_FLAG_BLADDER": "concern.red_flag_bladder",
    "RED_FLAG_WEAKNESS": "concern.red_flag_weakness",
    "RED_FLAG_BOTH_LEGS": "concern.red_flag_both_legs",
    "RED_FLAG_FALL": "concern.red_flag_fall",
    "RED_FLAG_FEVER": "concern.red_flag_fever",
    "PAIN": "concern.pain",
    # A question about what might happen can name a nerve symptom ("what if my leg goes numb").
    "NUMBNESS": "concern.pain",
    "TINGLING": "concern.pain",
    "BURNING": "concern.pain",
    "SHOOTING": "concern.pain",
    "CRAMP": "concern.pain",
}
"""The question for each symptom id a concern can name: every id of the safety data."""


def concern_question(check: Resolution) -> str:
    """The yes-or-no question that asks about a concern ("Just to check: have you had a fall
    or an injury? Say yes or no.")."""
    return speech_phrases.say(_CONCERN_PHRASES[check.value(SYMPTOM_SLOT) or "PAIN"])


_OFFER_PHRASES: Final[Mapping[str, str]] = {
    IntentName.LONGER_HOLD: "clarify.offer.longer",
    IntentName.SHORTER_HOLD: "clarify.offer.shorter",
    IntentName.SET_HOLD: "clarify.offer.set_hold",
    IntentName.SKIP: "clarify.offer.skip",
    IntentName.PROGRESS: "clarify.offer.progress",
    IntentName.EXPLAIN: "clarify.offer.explain",
    IntentName.NEXT: "clarify.offer.next",
    IntentName.PREVIOUS: "clarify.offer.previous",
    IntentName.REPEAT: "clarify.offer.repeat",
    IntentName.PAUSE: "clarify.offer.pause",
    IntentName.RESUME: "clarify.offer.resume",
    IntentName.HELP: "clarify.offer.help",
    IntentName.STOP: "clarify.offer.stop",
}
"""What "Should I ...?" offers for each command a guess may name (`GUESSED_INTENTS`)."""


def guess_question(guess: Resolution) -> str:
    """The yes-or-no question that asks about a guess ("Should I make the hold longer? Say yes
    or no.")."""
    offer = speech_phrases.say(_OFFER_PHRASES[guess.intent])
    return speech_phrases.say("clarify.guess", offer=offer)
