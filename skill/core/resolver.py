"""The utterance resolver: typed or recognised text to (intent, slots), from the interaction model.

It reads the same ASK JSON that Alexa builds from, so a dialog test, the local coach and the
speech-recognition grammar all understand exactly the phrases the skill declares. Matching is
literal, not statistical: a sample matches a run of the utterance's words when every word of the
sample appears there in order and each `{slot}` covers a span that its type accepts. Custom slot
values resolve to their canonical name and id as Alexa's entity resolution does
(ER_SUCCESS_MATCH), AMAZON.DURATION becomes ISO 8601 and AMAZON.NUMBER digits. Words are
read as people type them: texting shorthand and number forms ("pls", "gimme a sec", "2 mins",
"done 4 today") are expanded by `normalize`, and a word of four letters or more that the model
does not know, one edit from one it does, is corrected first ("repaet", `skill.core.spelling`).

Tolerance: a sample may match inside a longer sentence. Every word left outside the match lowers
the reading's confidence (1.0 for a whole-utterance match): fillers ("okay", "can you", "please")
a little, words of the same intent's samples more, other words a lot, and most after the command
("keep going straight ahead" is directions, not "keep going"). When the whole sentence is no
command, a command said in a clause of its own beside a story of why is ("hang on, the phone is
ringing", "I need a minute to get the towel"; `_clauses`, `_aside`), a little less sure than
alone. Readings below `MIN_CONFIDENCE` are dropped. Words a custom slot does not know are kept
unresolved (ER_SUCCESS_NO_MATCH) only in a whole-utterance match whose sample has words of its
own on both sides of the slot ("start the {routine} routine"); a sample that is only a slot and
fillers ("{symptom}", "the {routine}") takes known values and well-formed durations only. A pain
reading beats any other that passes; otherwise the most confident, then most specific, wins, and
the best reading of another intent is kept as the runner-up (`decide` turns two close readings
into a clarifying question). No reading at all is AMAZON.FallbackIntent.

Talk to someone else in the room is no command: a request whose object is not the routine ("can
you pause the telly", "go on then, have the last biscuit"), an endearment first ("love, hang on"), a
yes or a no beside a story about someone else ("no, he's back Thursday"). A word of address after a
command is its addressee ("hang on mate"), and a command said last after what happened, with no
punctuation, is read as a clause of its own ("right doors sorted keep going"; `_said_last`).
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Final

from skill.core.commands import RATING_SLOT, ROUTINE_SLOT, SYMPTOM_SLOT
from skill.core.durations import DurationError, is_unit, spoken_to_iso, words_to_number
from skill.core.guess import Guesser
from skill.core.intents import (
    GUESSED_INTENTS,
    PAIN_TALK_INTENTS,
    IntentName,
    SlotType,
    is_builtin,
)
from skill.core.safety import Detector, Finding
from skill.core.safety import detector as shipped_detector
from skill.core.spelling import Speller, shipped_near_words
from skill.core.tails import DEGREE_WORDS, Tail, inner_views, read_tail
from speech import phrases as speech_phrases
from speech.numbers import number_words

__all__ = [
    "BUILTIN_PHRASES",
    "CLARIFY_MARGIN",
    "DEFAULT_SKILL_ID",
    "MIN_CONFIDENCE",
    "PAIN_INTENT",
    "Clarification",
    "Confirmation",
    "ModelError",
    "Resolution",
    "Resolver",
    "Slot",
    "decide",
    "guess_question",
    "normalize",
    "slot_only",
    "to_alexa_intent",
    "to_alexa_slots",
]

DEFAULT_SKILL_ID: Final = "amzn1.ask.skill.00000000-0000-0000-0000-000000000000"
"""The application id of the Alexa requests made here unless told otherwise (Amazon's format)."""
PAIN_INTENT: Final = IntentName.PAIN
"""The intent whose reading beats every other that passes: a report of pain is never lost."""
MIN_CONFIDENCE: Final = 0.6
"""Readings less confident than this are not readings at all."""
CLARIFY_MARGIN: Final = 0.1
"""`decide` asks when the runner-up is at most this much less confident than the best reading."""
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

BUILTIN_PHRASES: Final[Mapping[str, tuple[str, ...]]] = {
    IntentName.STOP: ("stop", "off", "shut up", "be quiet", "exit", "quit"),
    IntentName.CANCEL: ("cancel", "never mind", "forget it"),
    IntentName.HELP: ("help", "help me", "can you help me", "what can i ask"),
    IntentName.YES: ("yes", "yeah", "yep", "sure", "okay", "ok", "yes please"),
    IntentName.NO: ("no", "nope", "no thanks", "no thank you"),
    IntentName.NEXT: ("next", "go next", "next one"),
    IntentName.PREVIOUS: ("previous", "go back", "back"),
    IntentName.REPEAT: ("repeat", "say that again", "repeat that"),
    IntentName.PAUSE: ("pause", "pause that", "wait"),
    IntentName.RESUME: ("resume", "continue", "keep going"),
    IntentName.START_OVER: ("start over", "restart", "start again"),
    IntentName.NAVIGATE_HOME: ("go home", "go to the home screen"),
}
"""Alexa's own phrasings of the built-in intents, which a model need not repeat as samples."""

_DURATION_EXAMPLES = (
    "thirty seconds",
    "forty five seconds",
    "a minute",
    "twenty seconds",
    "fifteen seconds",
    "ten seconds",
    "sixty seconds",
    "a minute and a half",
    "two minutes",
    "ninety seconds",
    "five seconds",
    "half a minute",
)
_NUMBER_EXAMPLES = tuple(number_words(n) for n in (*range(1, 21), 0))
_NUMBER_FIRST_WORDS = frozenset(number_words(n).split()[0] for n in range(101))
"""The words a spoken number up to a hundred can start with."""
_MAX_SLOT_TOKENS = 8
_FILLER_WORDS = frozenset({"please", "um", "uh", "erm", "er", "hmm", "umm"})
_PRONOUN_NUMBERS = frozenset({"one"})
"""Number words more often pronouns: a sample that is only a slot takes them whole only."""
_ARTICLES = ("the", "a", "an", "my", "some")
_SKIPPABLE = frozenset(
    [
        "okay",
        "ok",
        "um",
        "uh",
        "erm",
        "er",
        "hmm",
        "umm",
        "please",
        "so",
        "well",
        "oh",
        "hey",
        "alright",
        "right",
        "now",
        "then",
        "just",
        "can",
        "could",
        "would",
        "will",
        "you",
        "we",
        "i",
        "us",
        "let",
        "lets",
        "want",
        "to",
        "like",
        "think",
        "maybe",
        "actually",
        "really",
        "coach",
        "sorry",
        "thanks",
        "thank",
        "for",
        "me",
        "a",
        "the",
        "this",
        "one",
        "do",
        "bit",
        "little",
        "second",
        "moment",
    ]
)
"""Words that cost little when left outside a match: fillers around a command."""
_WEAK_LITERALS = _SKIPPABLE | frozenset(
    [
        "an",
        "my",
        "some",
        "it",
        "is",
        "am",
        "feel",
        "feeling",
        "feels",
        "have",
        "got",
        "get",
        "getting",
        "there",
        "routine",
    ]
)
"""Words that do not make a sample more than its slot: "the {routine}" is a slot-only sample."""
_PENALTY_FILLER = 2
_PENALTY_OWN_WORD = 8
_PENALTY_BEFORE = 15
_PENALTY_AFTER = 30
_PENALTY_UNRESOLVED = 10
_PENALTY_SHORT = 20
_PENALTY_REASON = 15
_SHORT_MATCH = 2
"""Confidence lost, in hundredths, per word left outside a match: a filler, a word of the same
intent's samples, another word before the command or after it; for an unknown slot value; and
once when a match of at most `_SHORT_MATCH` words leaves out more than fillers ("start" in "I
will start the laundry"); and once for a reason told after the command as a clause of its own
("hang on kids are yelling": an aside's share, `_ASIDE_CONFIDENCE`)."""
_SLOT = re.compile(r"\{([^{}\s]+)\}")
_APOSTROPHE_S_IS = frozenset(
    [
        "it",
        "that",
        "what",
        "there",
        "here",
        "where",
        "who",
        "he",
        "she",
        "how",
        "this",
        "everything",
        "something",
    ]
)
_CONTRACTIONS = {
    "can't": "can not",
    "cannot": "can not",
    "won't": "will not",
    "shan't": "shall not",
    "let's": "let us",
    "ain't": "is not",
    # Typed without the apostrophe, where the word is no other word.
    "dont": "do not",
    "doesnt": "does not",
    "didnt": "did not",
    "cant": "can not",
    "isnt": "is not",
    "wasnt": "was not",
    "arent": "are not",
    "couldnt": "could not",
    "wouldnt": "would not",
    "shouldnt": "should not",
    "havent": "have not",
    "hasnt": "has not",
    "im": "i am",
    "ive": "i have",
    "thats": "that is",
    "whats": "what is",
    "theres": "there is",
    "youre": "you are",
    "youve": "you have",
    "youll": "you will",
    "theyre": "they are",
    "weve": "we have",
    "wheres": "where is",
    "hows": "how is",
    "whos": "who is",
    "heres": "here is",
    "itll": "it will",
}
_SHORTHAND: Final[Mapping[str, str]] = {
    # Only forms that are no other word: "ill", "were", "id" and "its" are words.
    "u": "you",
    "yu": "you",
    "ur": "your",
    "r": "are",
    "pls": "please",
    "plz": "please",
    "plse": "please",
    "pleez": "please",
    "thx": "thanks",
    "thnx": "thanks",
    "thanx": "thanks",
    "thnks": "thanks",
    "tx": "thanks",
    "ty": "thank you",
    "nxt": "next",
    "prev": "previous",
    "agn": "again",
    "bak": "back",
    "bk": "back",
    "hlp": "help",
    "rdy": "ready",
    "brb": "hang on",  # "be right back": wait for me
    "sec": "second",
    "secs": "seconds",
    "sek": "second",
    "min": "minute",
    "mins": "minutes",
    "hr": "hour",
    "hrs": "hours",
    "hm": "hmm",
    "k": "okay",
    "kk": "okay",
    "okk": "okay",
    "okey": "okay",
    "okie": "okay",
    "oki": "okay",
    "okies": "okay",
    "okai": "okay",
    "ohk": "okay",
    "okayy": "okay",
    "yea": "yeah",
    "yeh": "yeah",
    "yup": "yep",
    "nah": "no",
    "naw": "no",
    "gonna": "going to",
    "wanna": "want to",
    "gotta": "got to",
    "hafta": "have to",
    "tryna": "trying to",
    "lemme": "let me",
    "gimme": "give me",
    "gimmie": "give me",
    "dunno": "do not know",
    "idk": "i do not know",
    "kinda": "kind of",
    "sorta": "sort of",
    "outta": "out of",
    "lotta": "lot of",
    "lets": "let us",  # typed, nearly always "let's"
    "enuf": "enough",
    "nuff": "enough",
    "tho": "though",
    "thru": "through",
    "til": "until",
    "abt": "about",
    "cuz": "because",
    "coz": "because",
    "cos": "because",
    "bc": "because",
    "wat": "what",
    "wut": "what",
    "wht": "what",
    "wot": "what",
    "wats": "what is",
    "cn": "can",
    "cud": "could",
    "cld": "could",
    "shld": "should",
    "wud": "would",
    "wld": "would",
    "rly": "really",
    "rlly": "really",
    "prolly": "probably",
    "ppl": "people",
    "smth": "something",
    "sth": "something",
    "nvm": "never mind",
    "btw": "by the way",
    "tbh": "to be honest",
    "asap": "as soon as possible",
    "atm": "at the moment",
    "rn": "right now",
    "b4": "before",
    "2day": "today",
    "2nite": "tonight",
    "2night": "tonight",
    "tonite": "tonight",
    "2moro": "tomorrow",
    "2morrow": "tomorrow",
    "tmrw": "tomorrow",
    "l8r": "later",
    "gr8": "great",
    "w8": "wait",
    "any1": "anyone",
    "some1": "someone",
    "every1": "everyone",
    "no1": "no one",
    "whn": "when",
    "becuz": "because",
    "bcuz": "because",
    "bcoz": "because",
    # Words typed run together that are two words of a sample nowhere.
    "abit": "a bit",
    "alot": "a lot",
    "aswell": "as well",
    "atleast": "at least",
    "incase": "in case",
    "noone": "no one",
    "thankyou": "thank you",
}
"""Texting shorthand and spoken forms as typed, and the words of the model's samples they
stand for (`normalize`); forms with digits are read before digits are spelled out."""
_FOR_NEXT: Final = frozenset(
    """today tonight tomorrow now later me you us him her them it this that the a an real sure
    ever""".split()  # noqa: SIM905
)
_TO_NEXT: Final = frozenset(
    """the my your me you it this that go do get be see stop start keep make take come bed
    work""".split()  # noqa: SIM905
)
_TO_BEFORE: Final = frozenset(
    "want need have has got going ready able wanted used".split()  # noqa: SIM905
)
_NUMBER_BEFORE: Final = frozenset(
    """a an about around like is was its it's be at maybe than or and to of my only just say
    probably roughly another from between""".split()  # noqa: SIM905
)
_COUNTED: Final = frozenset("more or of times extra less".split())  # noqa: SIM905
"""The digit typed for a word: "4" is "for" before these or a number ("done 4 today", "hold 4
30 secs") but not first or after a word that counts ("it's a 4 today"); "2" is "to" before these or
after a word that takes "to" ("go back 2 the start", "want 2 stop") unless what follows is
counted ("want 2 more", "2 mins"); else each is a number."""
_TYPED_DIGIT: Final = re.compile(r"(?<!\w)(?<!\d[:.,])[24](?!\w|[:.,]\d)")
_DIGIT: Final = re.compile(r"[0-9]")
_TYPED_WITH_DIGIT: Final = re.compile(r"\b[a-z]*[0-9][a-z0-9]*\b")
_ILL_AS_I_WILL: Final = re.compile(
    r"\bill (?=(?:stop|skip|be|do|go|leave|finish|pause|wait|try|just|carry|keep|come|have|take)\b)"
)
""""I'll" typed without its apostrophe before a verb ("ill stop there", "ill be right back");
"ill" the word stays ("feeling ill today")."""
_ELONGATED: Final = re.compile(r"([a-z])\1{2,}(\b)?")
"""A letter held down: said twice inside a word ("loooong", then a slip for "long"), once at
its end ("sooo", "nooo", "pleaseee")."""


COMMAND_CONFIDENCE: Final = 0.9
"""A reading the samples explain this well (but for a filler or two) is a command, not a story
about the body. Talk about the pain check wins over the detector's pain only so ("okay my pain
is about a six", 0.98, passes; "my back pain is a six today" does not), and the safety
detector's word model is not asked about such a command ("I don't know" answering the pain
check has a word of trouble and many bladder stories' words)."""


class ModelError(ValueError):
    """An interaction model the resolver cannot use (missing language model, bad slot type)."""


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


_CONFIRMED: Final = frozenset({IntentName.START_ROUTINE})
"""Readings that leave the routine under way: asked about unless the words are sure of them
(`COMMAND_CONFIDENCE`)."""


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


def _expand(token: str) -> list[str]:
    """Contractions and shorthand to full words, so "I'm" and "i am", "pls" and "please" match
    alike; other apostrophes dropped."""
    if token in _SHORTHAND:
        return _SHORTHAND[token].split()
    if token in _CONTRACTIONS:
        return _CONTRACTIONS[token].split()
    for suffix, word in (("n't", "not"), ("'re", "are"), ("'ve", "have"), ("'ll", "will")):
        if token.endswith(suffix) and len(token) > len(suffix):
            return [token[: -len(suffix)], word]
    if token.endswith("'m"):
        return [token[:-2], "am"]
    if token.endswith("'d"):
        return [token[:-2], "would"]
    if token.endswith("'s") and token[:-2] in _APOSTROPHE_S_IS:
        return [token[:-2], "is"]
    stripped = token.replace("'", "")
    return [stripped] if stripped else []


def _spell_numbers(text: str) -> str:
    """Digits to words ("45" -> "forty five", "1.5" -> "one point five", "1:30" -> minutes)."""

    def clock(match: re.Match[str]) -> str:
        minutes, seconds = int(match.group(1)), int(match.group(2))
        return f" {number_words(minutes)} minutes {number_words(seconds)} seconds "

    def decimal(match: re.Match[str]) -> str:
        whole, digits = match.group(1), match.group(2)
        spoken = " ".join(number_words(int(d)) for d in digits)
        return f" {number_words(int(whole))} point {spoken} "

    def whole(match: re.Match[str]) -> str:
        digits = match.group(0).replace(",", "")
        if len(digits) > 6:  # beyond what number_words spells; int() of a huge run is slow
            return match.group(0)
        return f" {number_words(int(digits))} "

    text = re.sub(r"\b([0-9]{1,3}):([0-5][0-9])\b", clock, text)
    text = re.sub(r"\b([0-9]{1,6})\.([0-9]+)\b", decimal, text)
    return re.sub(r"[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+", whole, text)


def _typed_forms(text: str) -> str:
    """Lower-case `text` with the forms of typing undone: a letter held down said twice at most
    ("loooong"), shorthand with digits spelled ("b4"), a "2" or "4" that stands for a word, and
    "ill" for "I'll" before a verb."""

    def digit(match: re.Match[str]) -> str:
        before = re.findall(r"[a-z']+", text[: match.start()])[-1:]
        after = re.match(r" *([a-z0-9']+)", text[match.end() :])
        following = after.group(1) if after else ""
        if match.group(0) == "4":
            # "4 today" and "a 4 today" answer the pain check; "done 4 today" does not.
            counted = not before or before[0] in _NUMBER_BEFORE
            for_next = following in _FOR_NEXT or following.isdigit()
            return " for " if for_next and not counted else match.group(0)
        counts = following in _COUNTED or is_unit(following)
        takes_to = bool(before) and before[0] in _TO_BEFORE and not counts
        return " to " if following in _TO_NEXT or takes_to else match.group(0)

    text = text.replace("&", " and ")
    text = _ILL_AS_I_WILL.sub("i will ", text)
    if _ELONGATED.search(text):
        text = _ELONGATED.sub(lambda held: held[1] if held[2] is not None else held[1] * 2, text)
    if not _DIGIT.search(text):
        return text
    text = _TYPED_WITH_DIGIT.sub(lambda match: _SHORTHAND.get(match[0], match[0]), text)
    return _TYPED_DIGIT.sub(digit, text)


def _literal_tokens(text: str) -> list[str]:
    text = _typed_forms(text.lower().replace("\u2019", "'").replace("\u2018", "'"))
    text = re.sub(r"(?<=[0-9])(?=[a-z])|(?<=[a-z])(?=[0-9])", " ", text)
    text = _spell_numbers(text)
    text = re.sub(r"[^\w' ]+", " ", text.replace("_", " "))
    tokens: list[str] = []
    for raw in text.split():
        tokens.extend(_expand(raw.strip("'")))
    return tokens


def normalize(text: str) -> list[str]:
    """The words of an utterance as the resolver compares them.

    Lower case, punctuation dropped, digits spelled out, contractions expanded ("I'm" -> "i
    am"), texting shorthand too ("pls nxt", "gimme 2 mins", "done 4 today": `_SHORTHAND`,
    `_typed_forms`), a letter held down at most twice ("sooo" -> "so"), hesitations and
    "please" removed unless nothing else is left. Spelling slips are the resolver's to correct
    (`Resolver._words`): they need the model's words.
    """
    tokens = _literal_tokens(text)
    kept = [token for token in tokens if token not in _FILLER_WORDS]
    return kept or tokens


_CLAUSE_BREAK: Final = re.compile(r"[,;:.!?]+|\s[-\u2013\u2014]+\s")
"""Punctuation that ends a clause."""
_CLAUSE_OPENERS: Final = frozenset(
    """i we you so and but then okay ok alright right let sorry thanks got gotta need
    what how""".split()  # noqa: SIM905
)
"""Words that open a new clause in speech without punctuation ("hang on | i need to get the
door"); normalised (contractions expanded)."""
_STORY_OPENERS: Final = frozenset(
    "to the my your someone somebody because cause cos coz since while when".split()  # noqa: SIM905
)
"""Words that open a clause that tells why or what happened, never a command of its own ("i
need a minute | to get | the towel", "hang on | the phone is ringing")."""
_STORY_SUBJECTS: Final = frozenset(["it", "there", "that"])
_STORY_VERBS: Final = frozenset(["is", "was", "has", "had", "will", "would", "keeps"])
"""Also a story's opening: one of these subjects before one of these verbs ("skip it" is a
command; "it is all bunched up" a story)."""
_ASIDE_CONFIDENCE: Final = 0.85
"""A command said in a clause of its own beside a story is taken at this share of the clause's
confidence: a command, but below `COMMAND_CONFIDENCE`, so the story is still read for a
symptom that may be told in it."""


_ADDRESSES: Final = frozenset("mate coach pal buddy dear".split())  # noqa: SIM905
"""Words that address the coach after a command ("hang on mate", "move along coach"); not
first ("oh dear")."""
_ENDEARMENTS: Final = frozenset(
    "love darling sweetheart sweetie honey hun babe pet lads guys".split()  # noqa: SIM905
)
"""Words that address a person: said first, the sentence is for someone else in the room
("love, can you pass the remote"); said after a command, its addressee ("carry on love")."""


_ADDRESS_WORDS: Final = _ADDRESSES | _ENDEARMENTS


def _address(token: str) -> bool:
    """Whether `token` is a word that addresses someone (`_ADDRESSES`, `_ENDEARMENTS`)."""
    return token in _ADDRESS_WORDS


def _clauses(text: str, words: Callable[[str], list[str]]) -> list[list[list[str]]]:
    """The clauses of `text`, each as its `words` and then the shorter clauses that open
    within it: split at punctuation, then before an opening word (`_CLAUSE_OPENERS`,
    `_STORY_OPENERS`) that follows a word of another kind, and around a word of address,
    which is no clause of its own ("next one please mate")."""
    clauses: list[list[list[str]]] = []
    for part in _CLAUSE_BREAK.split(text):
        tokens = words(part)
        if not tokens:
            continue
        cuts = [0]
        cuts += [
            i
            for i in range(1, len(tokens))
            if _opens(tokens, i) > _opens(tokens, i - 1)
            or _address(tokens[i])
            or _address(tokens[i - 1])
        ]
        cuts.append(len(tokens))
        inner = [tokens[a:b] for a, b in itertools.pairwise(cuts)] if len(cuts) > 2 else []
        inner = [clause for clause in inner if not all(map(_address, clause))]
        clauses.append([tokens, *inner])
    return clauses


def _addressed_first(tokens: list[str]) -> bool:
    """Whether the sentence opens by addressing someone in the room by an endearment ("love,
    can you pass the remote", "no darling, I'm doing my stretches"), not as the subject of a
    story ("love is all you need") or a verb ("love this one, keep going")."""
    index = 0
    while index < len(tokens) and tokens[index] in _LEAD_INS:
        index += 1
    if index == len(tokens) or tokens[index] not in _ENDEARMENTS:
        return False
    following = tokens[index + 1] if index + 1 < len(tokens) else ""
    return following not in _SUBJECT_OR_VERB_OF


_SUBJECT_OR_VERB_OF: Final = _STORY_VERBS | frozenset(
    "are were it this that the these those my your me us him her them".split()  # noqa: SIM905
)
"""Words after which an endearment is a subject or a verb, not a word of address."""
_LEAD_INS: Final = frozenset(
    """okay ok so well oh hey alright right now then just please can could would will you
    yeah yes yep no nope aye""".split()  # noqa: SIM905
)
"""Words that may come before the verb of a request ("okay can you pass the salt")."""
_OBJECT_PRONOUNS: Final = frozenset("me us him her them".split())  # noqa: SIM905
_OBJECT_DETERMINERS: Final = frozenset(
    "the a an your my his her their our that this these those some".split()  # noqa: SIM905
)
_PARTICLE_WORDS: Final = frozenset(
    "back on off up down out over to with".split()  # noqa: SIM905
)
"""Words between a verb and its object ("go back to your homework", "carry on with the
gardening")."""
_PREPOSITIONS: Final = frozenset(
    "on in off for with at to by from behind of about into up down out again back".split()  # noqa: SIM905
)
"""Words that end the noun phrase of an object ("grab the towel | off the radiator")."""
_NOT_VERBS: Final = (
    _LEAD_INS
    | _OBJECT_PRONOUNS
    | _OBJECT_DETERMINERS
    | _CLAUSE_OPENERS
    | _STORY_OPENERS
    | _STORY_SUBJECTS
    | _PARTICLE_WORDS
    | _PREPOSITIONS
    | _STORY_VERBS
    | frozenset("i we he she they it not never there here gotta are were".split())  # noqa: SIM905
    | frozenset("had done did got gone went came left made took gave found lost".split())  # noqa: SIM905
)
"""Words that are never the verb of a request: function words, and verbs in the past ("had
my drink", "done with the door")."""
_INTRANSITIVE: Final = frozenset(["wait"])
"""Verbs whose object needs a preposition: what follows them is the story ("wait wait | the
doorbell")."""


def _object_head(tokens: list[str], verb: int) -> str | None:
    """The head noun of the object of the verb at `verb` ("pass | me the salt": "salt"; "go
    back to your homework": "homework"), or None when no determiner opens an object."""
    index = verb + 1
    while index < len(tokens) and tokens[index] in _PARTICLE_WORDS:
        index += 1
    if index > verb + 1 and tokens[index - 1] == "on":
        return None  # "hang on | the phone is ringing" tells why; "carry on with" has an object
    if index < len(tokens) and tokens[index] in _OBJECT_PRONOUNS:
        index += 1
    if index >= len(tokens) or tokens[index] not in _OBJECT_DETERMINERS:
        return None
    phrase: list[str] = []
    for token in tokens[index + 1 : index + 4]:
        if token in _STORY_VERBS or token in ("are", "were"):
            return None  # a clause of its own ("pause | the dog is barking")
        if token in _PREPOSITIONS or token in _OBJECT_DETERMINERS:
            break
        phrase.append(token)
    return phrase[-1] if phrase else None


def _requests_of_others(tokens: list[str], routine_words: frozenset[str]) -> bool:
    """Whether a clause is a request whose object is not the routine ("can you pause the
    telly", "have the last biscuit", "go back to your homework"): talk to someone else. The
    request's verb opens the clause, after lead-ins; a verb in the past or in -ing
    ("finished that side", "skipping this") tells what was done, not what to do."""
    index = 0
    while index < len(tokens) and tokens[index] in _LEAD_INS:
        index += 1
    if index == len(tokens):
        return False
    verb = tokens[index]
    if verb in _NOT_VERBS or verb in _INTRANSITIVE or verb.endswith(("ed", "ing")):
        return False
    head = _object_head(tokens, index)
    return head is not None and head not in routine_words


_EXERCISE_WORDS: Final = frozenset(["side", "sides"])
"""Words of an exercise that no phrase of the model has ("do the other side")."""
_REPLIES: Final = frozenset([IntentName.YES, IntentName.NO])
_THIRD_PERSONS: Final = frozenset("he she they his her their".split())  # noqa: SIM905
"""A clause about someone else: a yes or a no beside it answers whoever asked about them."""
_REPORTING: Final = frozenset(
    "say says said saying tell tells told telling asked asks shouted goes went".split()  # noqa: SIM905
)
"""Words that report what someone said: a command after them is theirs ("she always says keep
going")."""
_BEFORE_A_VERB: Final = frozenset(
    """i we you he she they it to will would can could should must not never always did do
    does kept keeps is am are was were be been""".split()  # noqa: SIM905
)
"""Words after which a command's first word is a verb or a word of the story ("I will stop at
the bank", "the film was too long"), not a command said last."""


_DANGLING: Final = frozenset("to the a an my your for with of at into".split())  # noqa: SIM905
"""A clause that ends on one of these is cut short, no command ("hold on to | my glasses")."""
_DETERMINERS: Final = frozenset(["the", "my", "your"])
_PARTICLES: Final = frozenset(["on"])
"""After one of these, "to" goes on the verb's phrase ("hold on to my glasses"), where after a
whole command it says what for ("wait a minute | to get the towel"). Not "back": "go back to
the stretch before" asks for it."""


def _unrepeated(tokens: list[str]) -> list[str]:
    """`tokens` with a word said twice in a row said once ("wait wait", "go back back")."""
    return [token for i, token in enumerate(tokens) if i == 0 or token != tokens[i - 1]]


def _opens(tokens: list[str], index: int) -> bool:
    """Whether the word at `index` can open a clause (`_CLAUSE_OPENERS`, `_opens_story`)."""
    before = tokens[index - 1] if index > 0 else ""
    if tokens[index] == "to" and before in _PARTICLES:
        return False
    if tokens[index] in _DETERMINERS and before == "to":
        return False  # "move on to the next": the phrase goes on
    return tokens[index] in _CLAUSE_OPENERS or _opens_story(tokens, index)


def _opens_story(tokens: list[str], index: int) -> bool:
    """Whether the words from `index` open a story rather than a command."""
    word = tokens[index]
    if word in _STORY_OPENERS:
        return True
    following = tokens[index + 1] if index + 1 < len(tokens) else ""
    return word in _STORY_SUBJECTS and following in _STORY_VERBS


def slot_only(sample: str) -> bool:
    """Whether a sample is nothing but slots and filler words ("{symptom}", "the {routine}").

    Such a sample fits any sentence unless its slot can only take known values: the resolver
    lets it take nothing else, and `massage-coach model check` flags it for an open slot type.
    """
    if not _SLOT.search(sample):
        return False
    return all(word in _WEAK_LITERALS for word in normalize(_SLOT.sub(" ", sample)))


# --- compiled model -----------------------------------------------------------------------


@dataclass(frozen=True)
class _SlotRef:
    name: str
    slot_type: str


_Element = str | _SlotRef


@dataclass(frozen=True)
class _Sample:
    intent: str
    text: str
    elements: tuple[_Element, ...]
    literals: frozenset[str]
    literal_count: int
    rank: int
    """Lower ranks win ties: model samples in model order, then Alexa's built-in phrasings."""
    strong: bool = True
    """Whether the sample has a word that is no filler: only such samples match inside a longer
    utterance ("okay" alone is yes, "okay then" is nothing)."""
    open_slots: frozenset[int] = frozenset()
    """Indexes of the slot elements that may take unknown words: enclosed by literals, in a
    sample with words of its own."""


@dataclass(frozen=True)
class _Fill:
    value: str
    resolved_id: str | None
    resolved_name: str | None
    specific: bool


@dataclass(frozen=True)
class _CustomType:
    name: str
    lookup: Mapping[str, tuple[str, str]]
    """Normalised value or synonym -> (id, canonical name)."""
    spoken: tuple[tuple[str, ...], ...]
    """Per value: the canonical name then its synonyms, as written (for example phrases)."""

    def name_of(self, value_id: str) -> str | None:
        """The canonical name of the value with this id; None if the type has no such value."""
        return next((name for known, name in self.lookup.values() if known == value_id), None)


@dataclass(frozen=True)
class _Match:
    sample: _Sample
    fills: tuple[tuple[_SlotRef, str, _Fill], ...]
    start: int = 0
    end: int = 0
    confidence: int = 100
    """In hundredths."""
    inner: int = 0
    """Words inside the match that only say how much or on what, left out of it
    (`skill.core.tails.inner_views`): each costs a filler."""

    def score(self) -> tuple[int, int, int, int]:
        """How specific the match is, to break a tie of confidence: the words it explains,
        then resolved slots, literal words and the model's order."""
        specific = self.sample.literal_count + sum(
            len(spoken.split()) for _, spoken, fill in self.fills if fill.specific
        )
        resolved = sum(1 for _, _, fill in self.fills if fill.specific)
        return (specific, resolved, self.sample.literal_count, -self.sample.rank)


def _compile(intent: str, text: str, slots: Mapping[str, str], rank: int) -> _Sample:
    """A sample's words and slot references; raises ModelError for an undeclared slot."""
    elements: list[_Element] = []
    position = 0
    for match in _SLOT.finditer(text):
        elements.extend(normalize(text[position : match.start()]))
        name = match.group(1)
        if name not in slots:
            raise ModelError(f"intent {intent}: sample {text!r} uses undeclared slot {{{name}}}")
        elements.append(_SlotRef(name, slots[name]))
        position = match.end()
    elements.extend(normalize(text[position:]))
    literals = [element for element in elements if isinstance(element, str)]
    strong = any(literal not in _WEAK_LITERALS for literal in literals)
    open_slots = frozenset(
        index
        for index, element in enumerate(elements)
        if strong
        and isinstance(element, _SlotRef)
        and 0 < index < len(elements) - 1
        and isinstance(elements[index - 1], str)
        and isinstance(elements[index + 1], str)
    )
    return _Sample(
        intent,
        text,
        tuple(elements),
        frozenset(literals),
        len(literals),
        rank,
        any(literal not in _SKIPPABLE for literal in literals),
        open_slots,
    )


def _language_model(model: Mapping[str, Any]) -> Mapping[str, Any]:
    if "interactionModel" in model:
        model = model["interactionModel"]
    language = model.get("languageModel", model)
    if not isinstance(language, Mapping) or not isinstance(language.get("intents"), list):
        raise ModelError("not an interaction model: no languageModel with a list of intents")
    return language


def _pronoun(found: _Match) -> bool:
    """Whether a sample that is only a slot took a number word that is more often a pronoun
    ("this one", "another one"): inside a longer sentence, no rating of one."""
    return any(spoken in _PRONOUN_NUMBERS for _, spoken, _ in found.fills)


class Resolver:
    """Resolves utterances against one locale's interaction model."""

    def __init__(
        self,
        samples: Sequence[_Sample],
        types: Mapping[str, _CustomType],
        intent_slots: Mapping[str, tuple[tuple[str, str], ...]],
        invocation_name: str = "",
        safety: Detector | None = None,
    ) -> None:
        """Use `from_model` or `for_locale`; this takes the compiled parts."""
        self.safety = safety
        """Reads every utterance before the samples do (`resolve`); None: the samples alone."""
        self._types = dict(types)
        self._intent_slots = dict(intent_slots)
        self._invocation = normalize(invocation_name) if invocation_name else []
        self._samples = tuple(samples)
        self._literal_only: dict[tuple[str, ...], _Sample] = {}
        self._with_slots: list[_Sample] = []
        vocabulary: dict[str, set[str]] = {}
        for sample in self._samples:
            vocabulary.setdefault(sample.intent, set()).update(sample.literals)
            if sample.literal_count == len(sample.elements):
                key = tuple(str(element) for element in sample.elements)
                self._literal_only.setdefault(key, sample)
            else:
                self._with_slots.append(sample)
        self._vocabulary = {intent: frozenset(words) for intent, words in vocabulary.items()}
        self.words = frozenset(
            itertools.chain(
                *self._vocabulary.values(),
                *(key.split() for custom in self._types.values() for key in custom.lookup),
                *(normalize(number_words(n)) for n in range(100)),
                *(normalize(phrase) for phrase in _DURATION_EXAMPLES),
                _WEAK_LITERALS,
            )
        )
        """Every word of the model's samples and slot values, the fillers, and the words of
        numbers and durations: what a typed slip is corrected to (`skill.core.spelling`)."""
        self._speller = Speller(self.words, shipped_near_words())
        self._longest_literal = max((len(key) for key in self._literal_only), default=0)
        self._pairs = frozenset(
            (first, second)
            for sample in self._samples
            for first, second in itertools.pairwise(sample.elements)
            if isinstance(first, str) and isinstance(second, str)
        )
        """Two words that follow each other in some sample: what a word run together may be
        ("goback", "skipthis")."""
        self._pair_words = frozenset(itertools.chain.from_iterable(self._pairs))
        self._first_words = frozenset(
            itertools.chain.from_iterable(self._first_words_of(sample) for sample in samples)
        )
        """The words a sample can start with, its own or its slot's: where a command said last
        may begin (`_said_last`)."""
        self._routine_words = frozenset(
            itertools.chain(
                _EXERCISE_WORDS,
                *vocabulary.values(),
                *(phrase.split() for kind in self._types.values() for phrase in kind.lookup),
            )
        )
        """Words of the routine and the coach: what a request to the coach may be about ("skip
        the floor one"); a request about anything else is for someone else ("pause the
        telly")."""

    @classmethod
    def from_model(cls, model: Mapping[str, Any], *, safety: Detector | None = None) -> Resolver:
        """A resolver for an ASK model document (or its `languageModel` part), with the safety
        detector `safety` reading every utterance first."""
        language = _language_model(model)
        types: dict[str, _CustomType] = {}
        for entry in language.get("types", []) or []:
            lookup: dict[str, tuple[str, str]] = {}
            spoken: list[tuple[str, ...]] = []
            for value in entry.get("values", []):
                name = value["name"]["value"]
                value_id = value.get("id") or name
                synonyms = tuple(value["name"].get("synonyms", []))
                spoken.append((name, *synonyms))
                for phrase in (name, *synonyms):
                    lookup.setdefault(" ".join(normalize(phrase)), (value_id, name))
            types[entry["name"]] = _CustomType(entry["name"], lookup, tuple(spoken))
        samples: list[_Sample] = []
        intent_slots: dict[str, tuple[tuple[str, str], ...]] = {}
        rank = itertools.count()
        for intent in language["intents"]:
            declared = {slot["name"]: slot["type"] for slot in intent.get("slots", []) or []}
            for slot_type in declared.values():
                if not is_builtin(slot_type) and slot_type not in types:
                    raise ModelError(f"intent {intent['name']}: unknown slot type {slot_type}")
            intent_slots[intent["name"]] = tuple(declared.items())
            for text in intent.get("samples", []) or []:
                samples.append(_compile(intent["name"], text, declared, next(rank)))
        for intent_name, phrases in BUILTIN_PHRASES.items():
            if intent_name in intent_slots:
                samples.extend(_compile(intent_name, text, {}, next(rank)) for text in phrases)
        invocation = str(language.get("invocationName", ""))
        return cls(samples, types, intent_slots, invocation, safety)

    @classmethod
    def for_locale(cls, locale: str = "en-US") -> Resolver:
        """The resolver for the project's own model in `locale` (built once per locale)."""
        return _project_resolver(locale)

    @property
    def intents(self) -> tuple[str, ...]:
        """The intents of the model, in model order."""
        return tuple(self._intent_slots)

    def resolve(self, text: str) -> Resolution:
        """The best reading of `text` with its runner-up, or AMAZON.FallbackIntent if none.

        The safety detector reads `text` first: pain, a nerve symptom or a red flag said in any
        sentence is the answer (PainIntent with the symptom's id), whatever else the sentence
        says. A symptom word it judged negated or relieved ("no fever", "it doesn't hurt") keeps
        the samples from reading the sentence as pain. A red flag the words may tell (or, when
        nothing was found, any symptom) is the resolution's `check`: "the dog pulled me over
        and my hip is sore" is pain, with a fall to ask about.
        """
        if self.safety is None or IntentName.PAIN not in self._intent_slots:
            return self._by_samples(text)
        finding = self.safety.detect(text)
        if finding is not None and finding.category != "red_flag":
            # Talk about the pain check or the journal is not a new report: "my pain is a six"
            # answers the check (a rating given mid-routine still stops the technique: see
            # routines.session), "stop asking about my pain" is a setting. Only when the
            # samples explain the sentence but for a filler or two.
            samples = self._by_samples(text)
            for about in (samples, samples.runner_up):
                if about is None or about.intent not in PAIN_TALK_INTENTS:
                    continue
                rated = about.intent != IntentName.PAIN_RATING or about.value(RATING_SLOT)
                if rated and about.confidence >= COMMAND_CONFIDENCE:
                    return about
        if finding is not None:
            return self._checked(self._reported(finding, text), text, finding, story=True)
        resolution = self._by_samples(text)
        if resolution.intent == IntentName.PAIN and self._denied(text, resolution.text):
            # "No pain": no report, but it may answer the pain check ("no pain at all").
            other = resolution.runner_up
            if (
                other is not None
                and other.intent in PAIN_TALK_INTENTS
                and other.confidence >= COMMAND_CONFIDENCE
            ):
                return replace(other, runner_up=None)
            return self._fallback(resolution.text)
        if resolution.intent == IntentName.PAIN:
            return resolution
        story = resolution.is_fallback or resolution.confidence < COMMAND_CONFIDENCE
        return self._with_guess(self._checked(resolution, text, None, story=story), text)

    def _with_guess(self, resolution: Resolution, text: str) -> Resolution:
        """The fallback with nothing to check carries the command its words most likely mean
        (`guess`); any other resolution is left as it is."""
        if resolution.is_fallback and resolution.check is None:
            if self._to_someone_else(text, self._words(text)):
                return resolution  # their talk is left alone, not guessed at
            return replace(resolution, guess=self.guess(text))
        return resolution

    @functools.cached_property
    def _guesser(self) -> Guesser:
        """The guesser, learnt from the model's phrases on the first sentence it meets."""
        phrases = ((intent, self._words(phrase)) for intent, phrase in self.phrases(1))
        return Guesser(phrases, GUESSED_INTENTS)

    def guess(self, text: str) -> Resolution | None:
        """The command `text` most likely means though no sample reads it, with the duration it
        names for an intent that takes one; None when the guesser has none to offer, or when
        the intent needs a duration the words do not give."""
        tokens = self._strip_invocation(self._words(text))
        found = self._guesser.guess(tokens)
        if found is None:
            return None
        declared = self._intent_slots.get(found.intent, ())
        slots: dict[str, Slot] = {}
        for name, slot_type in declared:
            if slot_type == SlotType.DURATION:
                span = self._duration_in(tokens)
                if span is not None:
                    spoken, value = span
                    slots[name] = Slot(name, value, spoken, slot_type)
        if found.intent == IntentName.SET_HOLD and not slots:
            return None
        return Resolution(found.intent, slots, " ".join(tokens), declared, confidence=0.0)

    def _duration_in(self, tokens: list[str]) -> tuple[str, str] | None:
        """The longest run of `tokens` that is a duration (spoken, ISO 8601), if any; a word
        between the amount and its unit is passed over ("five more seconds")."""
        best: tuple[str, str] | None = None
        for start, end in itertools.combinations(range(len(tokens) + 1), 2):
            if end - start > _MAX_SLOT_TOKENS or not is_unit(tokens[end - 1]):
                continue
            if best is not None and end - start <= len(best[0].split()):
                continue
            run = tokens[start:end]
            fill = self._fill(SlotType.DURATION, run)
            if fill is None and len(run) > 2:
                fill = self._fill(SlotType.DURATION, [*run[:-2], run[-1]])
            if fill is not None:
                best = (" ".join(run), fill.value)
        return best

    def _denied(self, text: str, words: str) -> bool:
        """Whether `text` names a symptom only to deny it, as typed or as the samples read its
        `words`, slips corrected ("i dont have a fevr")."""
        assert self.safety is not None
        if self.safety.denies(text):
            return True
        return self.safety.detect(words) is None and self.safety.denies(words)

    def _checked(
        self, resolution: Resolution, text: str, found: Finding | None, *, story: bool
    ) -> Resolution:
        """`resolution`, with the concern the safety detector has about `text` to check (the
        word model's only when the words are not a command the samples explain: a `story`)."""
        assert self.safety is not None
        concern = self.safety.concern(text, found, model=story)
        if concern is None:
            return resolution
        if resolution.is_fallback:
            # "skip this one, my leg feels clumsy": a no does what the other clauses ask.
            clauses = self.safety.clauses(text)
            rest = [c for c in clauses if concern.words not in c]
            if rest and len(rest) < len(clauses):
                resolution = self._by_samples(" ".join(rest))
        return replace(resolution, check=self._reported(concern, text))

    def _reported(self, finding: Finding, text: str) -> Resolution:
        """The PainIntent reading of a symptom the safety detector found."""
        declared = self._intent_slots[IntentName.PAIN]
        slot_type = dict(declared).get(SYMPTOM_SLOT, "SYMPTOM")
        custom = self._types.get(slot_type)
        name = custom.name_of(finding.symptom_id) if custom is not None else None
        slot = Slot(SYMPTOM_SLOT, finding.words, finding.words, slot_type, finding.symptom_id, name)
        # What the samples make of the sentence, when it is not pain, is the runner-up.
        samples = self._by_samples(text)
        other = samples.runner_up if samples.intent == IntentName.PAIN else samples
        runner_up = None if other is None or other.is_fallback else other
        return Resolution(
            IntentName.PAIN, {SYMPTOM_SLOT: slot}, samples.text, declared, runner_up=runner_up
        )

    def _by_samples(self, text: str) -> Resolution:
        """The best reading of `text` by the model's samples alone: of the whole sentence, or
        when that is no command, of the one clause that is ("pause please, the dog wants out":
        an aside)."""
        tokens = self._strip_invocation(self._words(text))
        whole = self._by_tokens(tokens)
        if whole.confidence >= COMMAND_CONFIDENCE:
            return whole
        if self._to_someone_else(text, tokens):
            return self._fallback(" ".join(tokens))  # "love, can you pause the telly"
        aside = self._aside(text, tokens)
        if aside is None or aside.confidence <= whole.confidence:
            return whole
        # Two commands in one sentence ("skip this step i want to stop") stay two readings.
        return aside if whole.is_fallback or whole.intent == aside.intent else whole

    def _words(self, text: str) -> list[str]:
        """The words of `text` as the samples are matched against them: normalised, spelling
        slips corrected, a word said twice in a row once, words run together split."""
        return self._unjoined(_unrepeated(self._speller.correct(normalize(text))))

    def _unjoined(self, tokens: list[str]) -> list[str]:
        """`tokens` with a word that is two words of a sample run together ("goback",
        "skipthis one", as typed in haste or written by a recogniser) split in two."""
        result: list[str] = []
        for token in tokens:
            if token not in self._pair_words and len(token) > 3:
                halves = ((token[:i], token[i:]) for i in range(2, len(token) - 1))
                pair = next((pair for pair in halves if pair in self._pairs), None)
                if pair is not None:
                    result.extend(pair)
                    continue
            result.append(token)
        return result

    def _to_someone_else(self, text: str, tokens: list[str]) -> bool:
        """Whether `text` (its words `tokens`) is said to someone else in the room: opened by
        an endearment (`_addressed_first`) or asking them for something (`_for_someone_else`)."""
        return _addressed_first(tokens) or self._for_someone_else(_clauses(text, self._words))

    def _for_someone_else(self, clauses: list[list[list[str]]]) -> bool:
        """Whether one of the `clauses` asks something of someone else in the room: a request
        whose object is not the routine (`_requests_of_others`), where a clause opens."""
        for part, *_ in clauses:
            for index in range(len(part)):
                opens = index == 0 or _opens(part, index)
                if opens and _requests_of_others(part[index:], self._routine_words):
                    return True
        return False

    def _takes_object(self, clause: list[str], following: list[str]) -> bool:
        """Whether the words after a command's clause are its object, and not the routine
        ("i keep counting | the days", "pause | the telly"): no command for the coach."""
        verb = clause[-1]
        if verb in _NOT_VERBS or verb in _INTRANSITIVE or len(following) > 3:
            return False
        head = _object_head([verb, *following], 0)
        return head is not None and head not in self._routine_words

    def _said_last(self, tokens: list[str]) -> list[Resolution]:
        """The command said last, after what happened, with no punctuation between ("right
        doors sorted keep going"): the longest run of words that ends the clause and reads as
        a command of its own, unless the words before report what someone said ("she says
        keep going") or make its first word a verb of theirs ("I will stop at the bank").
        With it, the words before when they are a command too ("i am done skip this step":
        two readings, asked about). Not after a story's opening or someone else's words ("my
        son sad hang on", typed with a slip, "she always says keep going")."""
        if _opens_story(tokens, 0) or tokens[0] in _THIRD_PERSONS:
            return []
        for start in range(1, len(tokens) - 1):
            if tokens[start - 1] in _REPORTING:
                return []
            if tokens[start] in _WEAK_LITERALS or tokens[start - 1] in _BEFORE_A_VERB:
                continue
            if tokens[start] not in self._first_words:
                continue  # no sample starts there
            if all(token in _SKIPPABLE for token in tokens[:start]):
                continue  # only fillers before it: the whole sentence was read
            reading = self._clause_command(tokens[start:], punctuated=False)
            if reading is not None:
                before = self._clause_command(tokens[:start], punctuated=False)
                return [reading] if before is None else [before, reading]
        return []

    def _aside(self, text: str, tokens: list[str]) -> Resolution | None:
        """The command said in a clause of its own beside a story ("got my water, let's
        continue", "I need a minute to get the towel"), at `_ASIDE_CONFIDENCE` of the clause's
        reading; None when no clause, or clauses of two intents, read as a command
        (`_clause_command`). A clause set off by punctuation is read whole first, and the
        clauses that open within it only when it is no command."""
        clauses = _clauses(text, self._words)
        commands = []
        for part, *inner in clauses:
            reading = None
            if len(clauses) > 1:  # a single part is the whole sentence, read already
                reading = self._clause_command(part, punctuated=True)
            if reading is not None:
                commands.append(reading)
                continue
            found = False
            for index, clause in enumerate(inner):
                following = inner[index + 1] if index + 1 < len(inner) else []
                reading = self._clause_command(clause, punctuated=False)
                if reading is not None and not self._takes_object(clause, following):
                    commands.append(reading)
                    found = True
            if not found:
                commands.extend(self._said_last(part))
        if not commands or len({r.intent for r in commands}) > 1:
            return None
        if {r.intent for r in commands} <= _REPLIES and any(
            part[0] in _THIRD_PERSONS for part, *_ in clauses
        ):
            return None  # "no, he's back Thursday": an answer to whoever asked about him
        best = max(commands, key=lambda r: r.confidence)
        other = best.runner_up
        if other is not None:
            other = replace(other, confidence=other.confidence * _ASIDE_CONFIDENCE)
        return replace(
            best,
            text=" ".join(tokens),
            confidence=best.confidence * _ASIDE_CONFIDENCE,
            runner_up=other,
        )

    def _clause_command(self, clause: list[str], *, punctuated: bool) -> Resolution | None:
        """The command `clause` says as a whole, or None. A clause that opens as a story does
        (`_STORY_OPENERS`) says none, nor a phrase that is only a slot."""
        if _opens_story(clause, 0) or clause[-1] in _DANGLING:
            return None
        reading = self._by_tokens(clause)
        if reading.confidence < COMMAND_CONFIDENCE or reading.sample is None:
            return None
        if slot_only(reading.sample):  # "oh the relief": "the {routine}" takes it alone
            return None
        words = normalize(_SLOT.sub(" x ", reading.sample))
        if len(words) > 1:
            return reading
        # One word: when weak, a word of the story's opening ("okay, so my daughter..."); and
        # without punctuation, too often a word of the story ("I will start | the laundry"),
        # but for a pause said first ("wait wait the doorbell"): a pause too many costs a
        # "resume", a pause missed costs the count.
        pause_first = reading.intent == IntentName.PAUSE and words[0] == clause[0]
        if words[0] in _WEAK_LITERALS or not (punctuated or pause_first):
            return None
        return reading

    def _by_tokens(self, tokens: list[str]) -> Resolution:
        """The best reading of normalised `tokens` as one utterance."""
        joined = " ".join(tokens)
        best: dict[str, _Match] = {}
        for found in self._candidates(tokens):
            held = best.get(found.sample.intent)
            if found.confidence > 0 and (held is None or _order(found) > _order(held)):
                best[found.sample.intent] = found
        passing = [found for found in best.values() if found.confidence >= MIN_CONFIDENCE * 100]
        if not passing:
            return self._fallback(joined)
        winner = max(passing, key=_between)
        others = [found for found in best.values() if found is not winner]
        runner_up = self._resolution(max(others, key=_between), tokens, None) if others else None
        return self._resolution(winner, tokens, runner_up)

    def phrases(self, max_per_slot: int | None = 5) -> list[tuple[str, str]]:
        """Every (intent, phrase) the model accepts, with each slot filled by example values.

        Custom slots take up to `max_per_slot` of their values' names and synonyms (names
        first), durations and numbers a few common amounts; None means every value. Samples
        whose slot has no finite examples (such as AMAZON.SearchQuery) are left out. The local
        speech recogniser builds its grammar from this list (`skill.local.run.voice_grammar`).
        """
        seen: set[tuple[str, str]] = set()
        result: list[tuple[str, str]] = []
        for sample in self._samples:
            refs = {match.group(1) for match in _SLOT.finditer(sample.text)}
            declared = dict(self._intent_slots.get(sample.intent, ()))
            choices = [self._examples(declared[name], max_per_slot) for name in sorted(refs)]
            if any(not options for options in choices):
                continue
            for combination in itertools.product(*choices):
                values = dict(zip(sorted(refs), combination, strict=True))
                phrase = _fill_in(sample.text, values)
                pair = (sample.intent, phrase)
                if pair not in seen:
                    seen.add(pair)
                    result.append(pair)
        return result

    # --- internals -------------------------------------------------------------------------

    def _examples(self, slot_type: str, limit: int | None) -> list[str]:
        if slot_type == SlotType.DURATION:
            options = list(_DURATION_EXAMPLES)
        elif slot_type == SlotType.NUMBER:
            options = list(_NUMBER_EXAMPLES)
        elif slot_type in self._types:
            # Names first, then each value's synonyms in turn, so a small limit covers all values.
            columns = itertools.zip_longest(*self._types[slot_type].spoken)
            options = [phrase.lower() for row in columns for phrase in row if phrase]
        else:
            options = []
        return options if limit is None else options[:limit]

    def _first_words_of(self, sample: _Sample) -> Iterator[str]:
        """The words `sample` can start with: its first word, or the first words of what its
        first slot takes (example values, every number word)."""
        first = sample.elements[0]
        if isinstance(first, str):
            yield first
            return
        yield from _ARTICLES
        yield from _NUMBER_FIRST_WORDS
        for example in self._examples(first.slot_type, None):
            yield from normalize(example)[:1]

    def _strip_invocation(self, tokens: list[str]) -> list[str]:
        """Drop "alexa" and "ask massage coach to": one-shot phrasings reach the intent."""
        if tokens[:1] == ["alexa"]:
            tokens = tokens[1:]
        size = len(self._invocation)
        if size and tokens[:1] in (["ask"], ["tell"]) and tokens[1 : 1 + size] == self._invocation:
            tokens = tokens[1 + size :]
            if tokens[:1] and tokens[0] in ("to", "for", "about", "that", "if", "whether"):
                tokens = tokens[1:]
        return tokens

    def _fallback(self, text: str) -> Resolution:
        fallback = IntentName.FALLBACK
        return Resolution(fallback, {}, text, self._intent_slots.get(fallback, ()), confidence=0.0)

    def _resolution(
        self, found: _Match, tokens: list[str], runner_up: Resolution | None
    ) -> Resolution:
        slots = {
            ref.name: Slot(
                ref.name, fill.value, spoken, ref.slot_type, fill.resolved_id, fill.resolved_name
            )
            for ref, spoken, fill in found.fills
        }
        return Resolution(
            found.sample.intent,
            slots,
            " ".join(tokens),
            self._intent_slots.get(found.sample.intent, ()),
            found.sample.text,
            found.confidence / 100,
            (*tokens[: found.start], *tokens[found.end :]),
            runner_up,
        )

    def _candidates(self, tokens: list[str]) -> Iterator[_Match]:
        """Every match of a sample on a run of `tokens`, scored; and on each of its inner
        views (`skill.core.tails.inner_views`), the matches that leave words out inside."""
        tails: dict[tuple[int, bool, bool, bool], Tail | None] = {}
        for found in self._raw_candidates(tokens):
            yield self._scored(found, tokens, tails)
        for view in inner_views(tokens):
            for found in self._raw_candidates(list(view.words)):
                start = view.indexes[found.start]
                end = view.indexes[found.end - 1] + 1
                if view.waits_only and not self._waits_for(found, tokens[start:end]):
                    continue
                inner = max(0, end - start - (found.end - found.start))
                if inner > 0 or view.words[found.start : found.end] != tuple(tokens[start:end]):
                    moved = replace(found, start=start, end=end, inner=inner)
                    yield self._scored(moved, tokens, tails)

    def _waits_for(self, found: _Match, spoken: list[str]) -> bool:
        """Whether a match on a view that reads a wait's length as "a second" is a pause's,
        with words of its own beside the length, unless the length is no duration ("two
        ticks"; "thirty seconds" alone is a hold's length)."""
        if found.sample.intent != IntentName.PAUSE:
            return False
        return len(found.sample.elements) > 2 or self._fill(SlotType.DURATION, spoken) is None

    def _raw_candidates(self, tokens: list[str]) -> Iterator[_Match]:
        """Every match of a sample on a run of `tokens`, not yet scored."""
        yield from self._literal_candidates(tokens)
        count = len(tokens)
        present = set(tokens)
        memo: dict[tuple[str, int, int], _Fill | None] = {}
        for sample in self._with_slots:
            if not sample.literals <= present:
                continue
            first = sample.elements[0]
            for start in range(count - sample.literal_count):
                if isinstance(first, str) and tokens[start] != first:
                    continue
                for found in self._match(sample, tokens, start, memo):
                    whole = found.start == 0 and found.end == count
                    if whole or all(fill.specific for _, _, fill in found.fills):
                        yield found

    def _literal_candidates(self, tokens: list[str]) -> Iterator[_Match]:
        """Every match of a sample of words alone on a run of `tokens`. A sample of filler
        words alone matches the whole utterance, or when of two words or more, with nothing
        but fillers around it ("sorry, one moment"; "okay then" is nothing)."""
        count = len(tokens)
        fillers = [token in _SKIPPABLE for token in tokens]
        for start in range(count):
            for end in range(start + 1, min(count, start + self._longest_literal) + 1):
                sample = self._literal_only.get(tuple(tokens[start:end]))
                if sample is None:
                    continue
                among_fillers = end - start > 1 and all(fillers[:start]) and all(fillers[end:])
                if sample.strong or end - start == count or among_fillers:
                    yield _Match(sample, (), start, end)

    def _scored(
        self,
        found: _Match,
        tokens: list[str],
        tails: dict[tuple[int, bool, bool, bool], Tail | None],
    ) -> _Match:
        """The match with its confidence: what the words outside it and unknown values cost.
        Words after it that say for how long or where cost as fillers, and a reason of its own
        after them `_PENALTY_REASON` (`skill.core.tails.read_tail`, memoised in `tails`)."""
        own = self._vocabulary.get(found.sample.intent, frozenset())
        intent = found.sample.intent
        key = (
            found.end,
            intent == IntentName.PAUSE,
            len(found.sample.elements) == 1,
            intent == IntentName.STOP,
        )
        if key not in tails:
            tails[key] = self._tail(tokens, key)
        tail = tails[key]
        lost = _PENALTY_FILLER * found.inner
        content = False
        if tail is not None:
            lost += _PENALTY_FILLER * tail.light
            lost += _PENALTY_REASON if tail.reason is not None else 0
        for index, word in enumerate(tokens):
            if found.start <= index < found.end or (tail is not None and index >= found.end):
                continue
            if word in _SKIPPABLE or word in DEGREE_WORDS:
                lost += _PENALTY_FILLER
                continue
            content = True
            if word in own:
                lost += _PENALTY_OWN_WORD
            else:
                lost += _PENALTY_BEFORE if index < found.start else _PENALTY_AFTER
        if content and found.end - found.start <= _SHORT_MATCH:
            lost += _PENALTY_SHORT
        lost += _PENALTY_UNRESOLVED * sum(1 for _, _, fill in found.fills if not fill.specific)
        whole = found.start == 0 and found.end == len(tokens)
        if not whole and not found.sample.strong and _pronoun(found):
            lost = 100
        return replace(found, confidence=max(0, 100 - lost))

    def _tail(self, tokens: list[str], key: tuple[int, bool, bool, bool]) -> Tail | None:
        """What the words after a command ending at `key[0]` are (`read_tail`); a reason that
        is a command of its own is none ("skip this step i want to stop": two commands)."""
        end, wait, one_word, ending = key
        tail = read_tail(
            tokens,
            end,
            wait=wait,
            one_word=one_word,
            ending=ending,
            fillers=_SKIPPABLE,
            addresses=_ADDRESS_WORDS,
        )
        if tail is None or tail.reason is None:
            return tail
        told = self._by_tokens(tokens[tail.reason :])
        return None if told.confidence >= COMMAND_CONFIDENCE else tail

    def _match(
        self,
        sample: _Sample,
        tokens: list[str],
        start: int,
        memo: dict[tuple[str, int, int], _Fill | None],
    ) -> Iterator[_Match]:
        """Every way `sample` covers a run of `tokens` from `start` (slot spans short to long)."""
        elements = sample.elements
        remaining_literals = [0] * (len(elements) + 1)
        for index in range(len(elements) - 1, -1, -1):
            is_literal = isinstance(elements[index], str)
            remaining_literals[index] = remaining_literals[index + 1] + (1 if is_literal else 0)

        def walk(
            at_element: int, at_token: int, fills: tuple[tuple[_SlotRef, str, _Fill], ...]
        ) -> Iterator[_Match]:
            if at_element == len(elements):
                yield _Match(sample, fills, start, at_token)
                return
            element = elements[at_element]
            if isinstance(element, str):
                if at_token < len(tokens) and tokens[at_token] == element:
                    yield from walk(at_element + 1, at_token + 1, fills)
                return
            room = len(tokens) - at_token - remaining_literals[at_element + 1]
            for end in range(at_token + 1, at_token + 1 + min(room, _MAX_SLOT_TOKENS)):
                key = (element.slot_type, at_token, end)
                if key not in memo:
                    memo[key] = self._fill(element.slot_type, tokens[at_token:end])
                fill = memo[key]
                if fill is None or (not fill.specific and at_element not in sample.open_slots):
                    continue
                spoken = " ".join(tokens[at_token:end])
                yield from walk(at_element + 1, end, (*fills, (element, spoken, fill)))

        yield from walk(0, start, ())

    def _fill(self, slot_type: str, words: list[str]) -> _Fill | None:
        """What a span means for a slot type; None if the type cannot take it at all."""
        spoken = " ".join(words)
        if slot_type == SlotType.DURATION:
            if not any(is_unit(word) for word in words):
                return None  # every spoken duration names its unit; parsing is the slow part
            try:
                return _Fill(spoken_to_iso(spoken), None, None, True)
            except DurationError:
                return None
        if slot_type == SlotType.NUMBER:
            try:
                return _Fill(str(words_to_number(words)), None, None, True)
            except DurationError:
                return None
        custom = self._types.get(slot_type)
        if custom is None:
            return _Fill(spoken, None, None, False)
        found = custom.lookup.get(spoken)
        if found is None and len(words) > 1 and words[0] in _ARTICLES:
            found = custom.lookup.get(" ".join(words[1:]))
        if found is None:
            return _Fill(spoken, None, None, False)
        return _Fill(spoken, found[0], found[1], True)


def _order(found: _Match) -> tuple[bool, int, tuple[int, int, int, int]]:
    """How readings of one intent rank: pain first, then confidence, then the most specific
    match."""
    return (found.sample.intent == PAIN_INTENT, found.confidence, found.score())


def _between(found: _Match) -> tuple[bool, int, int, bool, tuple[int, int, int, int]]:
    """How the best readings of different intents rank: as `_order`, but of two as specific,
    a sample of words alone wins over one with slots ("one second" is a pause, not a hold of
    a second)."""
    score = found.score()
    return (found.sample.intent == PAIN_INTENT, found.confidence, score[0], not found.fills, score)


def _fill_in(sample: str, values: Mapping[str, str]) -> str:
    """The sample with each `{slot}` replaced by its value."""
    return _SLOT.sub(lambda match: values[match.group(1)], sample)


@functools.cache
def _project_resolver(locale: str) -> Resolver:
    import interaction_model

    return Resolver.from_model(interaction_model.load(locale), safety=shipped_detector())


# --- Alexa request shapes -------------------------------------------------------------------


def to_alexa_slots(
    resolution: Resolution, *, skill_id: str = DEFAULT_SKILL_ID
) -> dict[str, dict[str, Any]]:
    """The `intent.slots` object of an IntentRequest, as Alexa sends it for this resolution.

    Every declared slot is present; filled custom slots carry entity resolution
    (`resolutions.resolutionsPerAuthority` with ER_SUCCESS_MATCH or ER_SUCCESS_NO_MATCH).
    """
    result: dict[str, dict[str, Any]] = {}
    for name, slot_type in resolution.declared_slots:
        slot = resolution.slots.get(name)
        if slot is None:
            result[name] = {"name": name, "confirmationStatus": "NONE"}
            continue
        entry: dict[str, Any] = {
            "name": name,
            "value": slot.value,
            "confirmationStatus": "NONE",
            "source": "USER",
        }
        simple: dict[str, Any] = {"type": "Simple", "value": slot.value}
        if slot.is_custom:
            authority: dict[str, Any] = {
                "authority": f"amzn1.er-authority.echo-sdk.{skill_id}.{slot_type}",
                "status": {"code": "ER_SUCCESS_MATCH" if slot.matched else "ER_SUCCESS_NO_MATCH"},
            }
            if slot.matched:
                authority["values"] = [
                    {"value": {"name": slot.resolved_name, "id": slot.resolved_id}}
                ]
            resolutions = {"resolutionsPerAuthority": [authority]}
            entry["resolutions"] = resolutions
            simple["resolutions"] = resolutions
        entry["slotValue"] = simple
        result[name] = entry
    return result


def to_alexa_intent(resolution: Resolution, *, skill_id: str = DEFAULT_SKILL_ID) -> dict[str, Any]:
    """The `request.intent` object of an IntentRequest for this resolution."""
    # Alexa's own understanding has no concerns to check: a sentence it cannot place is the
    # fallback, whose reply during a routine says how to report pain.
    intent: dict[str, Any] = {"name": resolution.intent, "confirmationStatus": "NONE"}
    if resolution.declared_slots:
        intent["slots"] = to_alexa_slots(resolution, skill_id=skill_id)
    return intent
