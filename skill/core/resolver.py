"""The utterance resolver: typed or recognised text to (intent, slots), from the interaction model.

It reads the same ASK JSON that Alexa builds from (`skill.core.samples`), so a dialog test, the
local coach and the speech-recognition grammar all understand exactly the phrases the skill
declares. Matching is literal, not statistical: a sample matches a run of the utterance's words
when every word of the sample appears there in order and each `{slot}` covers a span that its
type accepts. Custom slot values resolve to their canonical name and id as Alexa's entity
resolution does (ER_SUCCESS_MATCH), AMAZON.DURATION becomes ISO 8601 and AMAZON.NUMBER digits.
Words are read as people type them (`skill.core.words.normalize`), and a word of four letters
or more that the model does not know, one edit from one it does, is corrected first ("repaet",
`skill.core.spelling`).

Tolerance: a sample may match inside a longer sentence. Every word left outside the match lowers
the reading's confidence (1.0 for a whole-utterance match): fillers ("okay", "can you", "please")
a little, words of the same intent's samples more, other words a lot, and most after the command
("keep going straight ahead" is directions, not "keep going"). When the whole sentence is no
command, a command said in a clause of its own beside a story of why is ("hang on, the phone is
ringing", "I need a minute to get the towel"; `skill.core.clauses`, `_aside`), a little less
sure than alone; talk to someone else in the room is no command at all. A speaker who corrects
themselves means what they say after the correction ("next no i mean skip it", "set it to forty
no fifty seconds"; `_corrected`), as sure as an aside. Readings below
`MIN_CONFIDENCE` are dropped. Words a custom slot does not know are kept unresolved
(ER_SUCCESS_NO_MATCH) only in a whole-utterance match whose sample has words of its own on both
sides of the slot ("start the {routine} routine"); a sample that is only a slot and fillers
("{symptom}", "the {routine}") takes known values and well-formed durations only. A pain reading
beats any other that passes; otherwise the most confident, then most specific, wins, and the best
reading of another intent is kept as the runner-up (`skill.core.resolution.decide` turns two
close readings into a clarifying question). No reading at all is AMAZON.FallbackIntent.
Tests: `tests/test_resolver.py` and the corpus it asserts (`tests/data/resolver/`),
`tests/test_spelling.py`, `tests/test_tails.py`, `tests/test_understanding.py`.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Final

from skill.core.clauses import (
    ADDRESS_WORDS,
    about_someone_else,
    after_an_object_word,
    corrections,
    cut_short,
    last_command_starts,
    said_by_subject,
    split_clauses,
    takes_object,
    tells_no_command,
    to_someone_else,
)
from skill.core.commands import RATING_SLOT, SYMPTOM_SLOT
from skill.core.durations import DurationError, is_unit, spoken_to_iso, words_to_number
from skill.core.fillers import SKIPPABLE, WEAK_LITERALS
from skill.core.guess import Guesser
from skill.core.intents import GUESSED_INTENTS, PAIN_TALK_INTENTS, IntentName, SlotType
from skill.core.resolution import COMMAND_CONFIDENCE, PAIN_INTENT, Resolution, Slot
from skill.core.safety import Detector, Finding
from skill.core.safety import detector as shipped_detector
from skill.core.samples import (
    SLOT_PATTERN,
    CustomType,
    Sample,
    SlotRef,
    compile_model,
    slot_only,
)
from skill.core.spelling import Speller, shipped_near_words
from skill.core.tails import DEGREE_WORDS, Tail, inner_views, read_tail
from skill.core.words import normalize
from speech.numbers import number_words

__all__ = ["MIN_CONFIDENCE", "Resolver"]

MIN_CONFIDENCE: Final = 0.6
"""Readings less confident than this are not readings at all."""

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
_AMOUNT_WORDS = frozenset(
    itertools.chain(["a", "an", "and", "half"], *(number_words(n).split() for n in range(101)))
)
"""Words of an amount without its unit ("forty", "a", "half"): what a corrected value was."""
_MAX_SLOT_TOKENS = 8

_PRONOUN_NUMBERS = frozenset({"one"})
"""Number words more often pronouns: a sample that is only a slot takes them whole only."""
_ARTICLES = ("the", "a", "an", "my", "some")

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

_ASIDE_CONFIDENCE: Final = 0.85
"""A command said in a clause of its own beside a story is taken at this share of the clause's
confidence: a command, but below `COMMAND_CONFIDENCE`, so the story is still read for a
symptom that may be told in it."""

_EXERCISE_WORDS: Final = frozenset(["side", "sides"])
"""Words of an exercise that no phrase of the model has ("do the other side")."""
_REPLIES: Final = frozenset([IntentName.YES, IntentName.NO])


_REPEATED_RUN = 2
"""The fewest words of a phrase said again that are read once ("hold on a sec hold on")."""


def _unrepeated(tokens: list[str]) -> list[str]:
    """`tokens` with a word said twice in a row said once ("wait wait", "go back back"), and a
    phrase said again at the end, as people repeat a command to be heard, said once: the
    phrase just before it ("hold one minute one minute") or the one the sentence opened with
    ("hold on a sec hold on"); not the phrase a word needs after it ("half a minute is ideal so
    set it to half a minute")."""
    words = [token for i, token in enumerate(tokens) if i == 0 or token != tokens[i - 1]]
    for size in range(len(words) // 2, _REPEATED_RUN - 1, -1):
        tail = words[-size:]
        if tail in (words[:size], words[-2 * size : -size]) and not cut_short(words[:-size]):
            return words[:-size]
    return words


@dataclass(frozen=True)
class _Fill:
    value: str
    resolved_id: str | None
    resolved_name: str | None
    specific: bool


@dataclass(frozen=True)
class _Match:
    sample: Sample
    fills: tuple[tuple[SlotRef, str, _Fill], ...]
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


_NAMING: Final = frozenset(["the", "that"])


def _named(tokens: list[str], start: int) -> bool:
    """Whether a match from `start` follows a determiner, so that a clause right after it
    tells of the thing it names ("the next thing i knew i was on the floor"), no reason for a
    command."""
    return start > 0 and tokens[start - 1] in _NAMING


def _pronoun(found: _Match) -> bool:
    """Whether a sample that is only a slot took a number word that is more often a pronoun
    ("this one", "another one"): inside a longer sentence, no rating of one."""
    return any(spoken in _PRONOUN_NUMBERS for _, spoken, _ in found.fills)


class Resolver:
    """Resolves utterances against one locale's interaction model."""

    def __init__(
        self,
        samples: Sequence[Sample],
        types: Mapping[str, CustomType],
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
        self._literal_only: dict[tuple[str, ...], Sample] = {}
        self._with_slots: list[Sample] = []
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
                WEAK_LITERALS,
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
        self._never_last = frozenset(
            key[0]
            for key, sample in self._literal_only.items()
            if len(key) == 1 and sample.intent not in _REPLIES
        ) - {sample.elements[-1] for sample in self._samples if len(sample.elements) > 1}
        """Commands of one word that no longer sample ends with ("resume", "skip"; not "next":
        "what comes next"): after a story, said last, a command of their own."""
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
        compiled = compile_model(model)
        return cls(
            compiled.samples,
            compiled.types,
            compiled.intent_slots,
            compiled.invocation_name,
            safety,
        )

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
        resolution, corrected = self._samples_reading(text)
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
        # A command said after a correction ("stop no not stop just pause") is one the samples
        # explain: its "no" is no word of trouble for the word model.
        story = resolution.is_fallback or (
            resolution.confidence < COMMAND_CONFIDENCE and not corrected
        )
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
        return self._samples_reading(text)[0]

    def _samples_reading(self, text: str) -> tuple[Resolution, bool]:
        """`_by_samples`'s reading, and whether it is the command said after a correction
        (`_corrected`)."""
        tokens = self._strip_invocation(self._words(text))
        corrected = self._corrected(tokens)
        if corrected is not None and not self._to_someone_else(text, tokens):
            return corrected, True
        whole = self._by_tokens(tokens)
        if whole.confidence >= COMMAND_CONFIDENCE:
            return whole, False
        if self._to_someone_else(text, tokens):
            return self._fallback(" ".join(tokens)), False  # "love, can you pause the telly"
        aside = self._aside(text, tokens)
        if aside is not None and _waits_to_be_heard(whole, aside, tokens):
            return aside, False  # "hang on i missed the one before this can you go back"
        if aside is None or aside.confidence <= whole.confidence:
            return whole, False
        # Two commands in one sentence ("skip this step i want to stop") stay two readings; a
        # wait for the speaker read as a pause beside its story (`_waits_now`) is one.
        waited = aside.runner_up is not None and aside.runner_up.intent == whole.intent
        waited = waited and whole.intent == IntentName.WAIT_FOR_READY
        same = whole.intent == aside.intent or waited
        return (aside if whole.is_fallback or same else whole), False

    def _corrected(self, tokens: list[str]) -> Resolution | None:
        """What a speaker who corrects themselves means: the command said after the last
        correction (`skill.core.clauses.corrections`: "next no i mean skip it") that reads as
        one, read as a sentence of its own ("skip it i wont do it"), when what came before the
        first correction began a command (`_begun`); a value said after a value replaces it
        ("set it to forty no fifty seconds"). At most `_ASIDE_CONFIDENCE`, as an aside; None
        when no correction is said, or nothing after one reads."""
        found = corrections(tokens)
        if not found or not self._begun(tokens[: found[-1][0]]):
            return None
        for start, end in found:
            before, after = tokens[:start], tokens[end:]
            if not after:
                continue
            reading = self._value_corrected(before, after)
            if reading is None:
                reading = self._by_samples(" ".join(after))
                if reading.sample is not None and slot_only(reading.sample):
                    continue
            confidence = min(reading.confidence, 1.0) * _ASIDE_CONFIDENCE
            if reading.is_fallback or reading.intent in _REPLIES:
                continue
            if reading.confidence >= COMMAND_CONFIDENCE * _ASIDE_CONFIDENCE:
                return replace(
                    reading, text=" ".join(tokens), confidence=confidence, runner_up=None
                )
        return None

    def _begun(self, tokens: list[str]) -> bool:
        """Whether `tokens` begin a command: some sample reads them, they end on a value (to be
        corrected), or on a word cut short, the start of a word of the model ("go to the
        nex")."""
        last = tokens[-1]
        if last in _AMOUNT_WORDS or is_unit(last):
            return True
        if not self._by_tokens(tokens).is_fallback:
            return True
        return last not in self.words and any(
            word.startswith(last) for word in self._first_words | self.words
        )

    def _value_corrected(self, before: list[str], after: list[str]) -> Resolution | None:
        """The command with the value said after a correction in place of the one said before
        it ("hold for a min i mean ninety seconds"), or, when the words before do not read with
        it, the value's own reading; None when `after` is no value or `before` ends on none."""
        reading = self._by_tokens(after)
        if reading.sample is None or not slot_only(reading.sample):
            return None
        if reading.confidence < COMMAND_CONFIDENCE:
            return None
        cut = len(before)
        while cut > 0 and (before[cut - 1] in _AMOUNT_WORDS or is_unit(before[cut - 1])):
            cut -= 1
        if cut == len(before):
            return None
        spliced = self._by_tokens([*before[:cut], *after])
        return spliced if spliced.confidence >= COMMAND_CONFIDENCE else reading

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
        """Whether `text` (its words `tokens`) is said to someone else in the room
        (`skill.core.clauses.to_someone_else`)."""
        return to_someone_else(text, tokens, self._words, self._routine_words)

    def _said_last(self, tokens: list[str]) -> list[Resolution]:
        """The command said last, after what happened, with no punctuation between ("right
        doors sorted keep going"): the longest run of words that ends the clause and reads as
        a command of its own, unless the words before report what someone said ("she says
        keep going") or make its first word a verb of theirs ("I will stop at the bank").
        With it, the words before when they are a command too ("i am done skip this step":
        two readings, asked about). Not after a story's opening or someone else's words ("my
        son sad hang on", typed with a slip, "she always says keep going")."""
        for start in last_command_starts(tokens, self._first_words, self._routine_words):
            if start == len(tokens) - 1 and after_an_object_word(tokens, start):
                continue  # "the telly is on pause": the noun of a phrase
            reading = self._clause_command(tokens[start:], punctuated=False, last=True)
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
        clauses = split_clauses(text, self._words)
        commands = []
        for part, *inner in clauses:
            reading = None
            if len(clauses) > 1:  # a single part is the whole sentence, read already
                reading = self._clause_command(part, punctuated=True)
            if reading is not None:
                commands.append(reading)
                continue
            found = self._inner_commands(inner)
            commands.extend(found or self._said_last(part))
        commands = _after_a_wait(commands, tokens)
        # A yes or a no beside a command ("i don't want to do this step skip it", "yes, skip
        # it"): the command says what to do.
        commands = [r for r in commands if r.intent not in _REPLIES] or commands
        if not commands or len({r.intent for r in commands}) > 1:
            return None
        if {r.intent for r in commands} <= _REPLIES and about_someone_else(clauses):
            return None  # "no, he's back Thursday": an answer to whoever asked about him
        best = _waits_now(max(commands, key=lambda r: r.confidence))
        other = best.runner_up
        if other is not None:
            other = replace(other, confidence=other.confidence * _ASIDE_CONFIDENCE)
        return replace(
            best,
            text=" ".join(tokens),
            confidence=best.confidence * _ASIDE_CONFIDENCE,
            runner_up=other,
        )

    def _inner_commands(self, inner: list[list[str]]) -> list[Resolution]:
        """The commands the clauses that open within a part say (`_clause_command`), but for a
        command whose object follows and is not the routine ("pause | the telly") and the verb
        of a thing named before it ("the spuds | need more time")."""
        commands = []
        for index, clause in enumerate(inner):
            following = inner[index + 1] if index + 1 < len(inner) else []
            if index and said_by_subject(inner[index - 1], clause, self._routine_words):
                continue
            reading = self._clause_command(clause, punctuated=False)
            if reading is not None and not takes_object(clause, following, self._routine_words):
                commands.append(reading)
        return commands

    def _clause_command(
        self, clause: list[str], *, punctuated: bool, last: bool = False
    ) -> Resolution | None:
        """The command `clause` says as a whole, or None. A clause that opens as a story does
        or ends cut short (`skill.core.clauses.tells_no_command`) says none, nor a phrase that
        is only a slot. `last`: the clause ends the sentence after a story, where a command of
        one word that no longer sample ends with is one ("the kids settled um unpause")."""
        story = tells_no_command(clause)
        if story and (not cut_short(clause) or tells_no_command(clause[:-1] or clause)):
            return None
        reading = self._by_tokens(clause)
        if reading.confidence < COMMAND_CONFIDENCE or reading.sample is None:
            return None
        if slot_only(reading.sample):  # "oh the relief": "the {routine}" takes it alone
            return None
        words = normalize(SLOT_PATTERN.sub(" x ", reading.sample))
        if story and words[-1] != clause[-1]:
            return None  # cut short, unless a sample ends so too ("what's that for")
        if len(words) > 1:
            return reading
        # One word: when weak, a word of the story's opening ("okay, so my daughter..."); and
        # without punctuation, too often a word of the story ("I will start | the laundry"),
        # but for a pause said first ("wait wait the doorbell"): a pause too many costs a
        # "resume", a pause missed costs the count.
        pause_first = reading.intent == IntentName.PAUSE and words[0] == clause[0]
        said_last = last and words[0] == clause[0] and words[0] in self._never_last
        if words[0] in WEAK_LITERALS or not (punctuated or pause_first or said_last):
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
            refs = {match.group(1) for match in SLOT_PATTERN.finditer(sample.text)}
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

    def _first_words_of(self, sample: Sample) -> Iterator[str]:
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
        fillers = [token in SKIPPABLE for token in tokens]
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
        if tail is not None and tail.reason == found.end and _named(tokens, found.start):
            tail = None  # "the next thing i knew": a noun and what is told of it
        lost = _PENALTY_FILLER * found.inner
        content = False
        if tail is not None:
            lost += _PENALTY_FILLER * tail.light
            lost += _PENALTY_REASON if tail.reason is not None else 0
        for index, word in enumerate(tokens):
            if found.start <= index < found.end or (tail is not None and index >= found.end):
                continue
            if word in SKIPPABLE or word in DEGREE_WORDS:
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
            fillers=SKIPPABLE,
            addresses=ADDRESS_WORDS,
        )
        if tail is None or tail.reason is None:
            return tail
        told = self._by_tokens(tokens[tail.reason :])
        return None if told.confidence >= COMMAND_CONFIDENCE else tail

    def _match(
        self,
        sample: Sample,
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
            at_element: int, at_token: int, fills: tuple[tuple[SlotRef, str, _Fill], ...]
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


_LATER: Final = frozenset("then after when once until later".split())  # noqa: SIM905
"""Words that open a command for later ("hang on, then we can carry on")."""


def _after_a_wait(commands: list[Resolution], tokens: list[str]) -> list[Resolution]:
    """The commands of a sentence's clauses, without a pause said first when a command of
    another intent follows it: the wait only asks to be heard ("hang on i missed the one
    before this can you go back"). Not when the other is for later ("hang on, then carry on")."""
    if len(commands) < 2 or commands[0].intent != IntentName.PAUSE:
        return commands
    if commands[0].text.split()[:1] != tokens[:1]:
        return commands
    rest = commands[1:]
    if any(r.intent == IntentName.PAUSE or r.text.split()[0] in _LATER for r in rest):
        return commands
    return rest


def _waits_to_be_heard(whole: Resolution, aside: Resolution, tokens: list[str]) -> bool:
    """Whether the sentence's reading is a pause said first, before a command of another
    intent in a clause of its own, and nothing in it is for later: the wait only asks to be
    heard (`_after_a_wait`)."""
    if whole.intent != IntentName.PAUSE or aside.intent == IntentName.PAUSE:
        return False
    said_first = whole.sample is not None and whole.sample.split()[0] == tokens[0]
    return said_first and not _LATER & set(tokens)


def _waits_now(reading: Resolution) -> Resolution:
    """A clause's command, but a wait for the speaker ("wait for me") beside a story of why
    ("phone's ringing, wait for me") as the pause it reads as too: the count stops now, where
    waiting for "ready" is a setting for the holds to come (it names "ready" then)."""
    other = reading.runner_up
    if reading.intent != IntentName.WAIT_FOR_READY or other is None:
        return reading
    said_ready = reading.sample is not None and "ready" in reading.sample
    if said_ready or other.intent != IntentName.PAUSE or other.confidence < COMMAND_CONFIDENCE:
        return reading
    return replace(other, runner_up=reading)


def _fill_in(sample: str, values: Mapping[str, str]) -> str:
    """The sample with each `{slot}` replaced by its value."""
    return SLOT_PATTERN.sub(lambda match: values[match.group(1)], sample)


@functools.cache
def _project_resolver(locale: str) -> Resolver:
    import interaction_model

    return Resolver.from_model(interaction_model.load(locale), safety=shipped_detector())
