"""The safety detector: pain, nerve symptoms and red flags in any sentence, before any command.

The coach's first promise is that it obeys "it hurts" however it is said. :func:`detect` reads
one utterance and returns a :class:`Finding` (a category, a symptom id such as ``NUMBNESS`` or
``RED_FLAG_BLADDER``, and the words that said it) or None. The resolver reads every utterance
with it BEFORE anything else and turns a finding into the PainIntent reading (the engine's PAIN
or RED_FLAG command), so "my hip is killing me" or "I can't hold my pee" is never read as "not
a command".

How it reads: the utterance is normalised (contractions spelled out, a recogniser's usual
misspellings fixed), figures of speech removed ("what a pain"), and cut into clauses at
punctuation and words such as "but". Each symptom id has rules; a rule is one pattern, or
several that must all be in one clause ("numb" with "groin"). A match is not a symptom when
a negation comes just before it ("it doesn't hurt", "no pain") or relief just after it ("the
pain is gone"), unless the clause cancels that ("it doesn't stop hurting"). A nerve symptom or
pain said in the past is over when a later clause says so ("my foot fell asleep yesterday but
it's fine now"); a red flag is over that way only when the past is long ago ("that was ten
years ago"). A symptom is someone else's ("my son fell off his bike") unless someone speaks for
the user ("I'm helping Mum, her leg gave way"). Red flags are looked for first, then nerve
symptoms, then pain, so a red flag wins over every other reading.

Rules cannot list every way of saying a symptom, so the file also has wider rules, *concerns*
(:meth:`Detector.concern`): words that may tell a red flag ("my waterworks are being slow",
"I stumbled on the kerb and my hip is sore": a fall?) or, when nothing was found, any symptom.
The coach never acts on a concern: it asks a yes-or-no question first
(`skill.core.resolution.concern_question`), since a missed red flag is the worst mistake it can
make and one short question the cheapest way to avoid it. A symptom named in a question about
what might happen ("what if I lose control of my bladder", ``concerns.hypothetical``) is such
a concern too, not a finding: it may be happening, or only asked about.
A word model (`skill.core.word_model`, trained on the safety corpus) reads every utterance
too, another way: by its words and the pieces of its words, not by rules. It is the second
opinion (``concerns.model``), and like the concerns it never acts alone, it makes the coach
ask: a red flag it is sure of though no rule found one (or only pain) is asked about, since
such words are most often a red flag no rule knows yet; and a red flag a rule found but the
model is sure is nothing ("my dad has been wetting himself at night") is asked about instead
of acted on, never dropped.

All the English is in ``safety.yaml`` beside this module; loading is a chain of small
constructors (:meth:`Detector.from_file` -> :meth:`Detector.from_yaml` ->
:meth:`Detector.from_dict`), and every error names the file and the key. The detector is pure:
no I/O after loading.

It is fast because most patterns are never searched. When the rules are loaded, each
pattern's *needles* are found from the pattern itself (`skill.core.needles`: strings one of
which is in every text it matches, "hurt" and "pain" for ``hurt\\w*|pain(?:s|ful)?``); a
pattern whose needles are all missing from the text is skipped, since its search could find
nothing. The needles of rules, rewrites and figures of speech are filed by a piece of three
letters (`_NeedleIndex`): the pieces of the text name the needles to test, each once, and the
needles found name exactly the patterns that may match, at a cost that hardly grows with the
number of rules. Of the figures of speech only those found are joined and applied. Negations
that start with a word list ("{someone_else} has ...") are searched only where one search
finds the list (`_AnyOf`). Nothing about the rules is written in the code: a new rule gets its
needles when it is loaded, one with none is always searched, and one that only seems to start
with a word list (``{someone_else}?``) is searched as it is. The answers are the
same with the prefilter off (``Detector.prefilter``), as tests/test_safety_prefilter.py checks.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cache, cached_property
from pathlib import Path
from typing import Any, Final, Literal, Protocol

from skill.core.commands import RED_FLAG_PREFIX
from skill.core.needles import needles, starts_with

__all__ = [
    "CATEGORIES",
    "Category",
    "Detector",
    "Finding",
    "SafetyDataError",
    "detect",
    "detector",
]

Category = Literal["red_flag", "nerve", "pain"]

CATEGORIES: Final[tuple[Category, ...]] = ("red_flag", "nerve", "pain")
"""Every category, in the order they are looked for: a red flag wins over any other reading."""

DATA_FILE: Final = "safety.yaml"
_CAN_BE_OVER: Final[frozenset[Category]] = frozenset({"nerve", "pain"})
"""Categories a later clause can say are over; a red flag said in the past is still one,
unless the utterance says the past is long ago (`Detector.long_ago`)."""


class Opinion(Protocol):
    """What the detector asks of a word model (`skill.core.word_model.Reading`)."""

    @property
    def none(self) -> float:
        """How likely the utterance tells no symptom."""

    @property
    def red_flag(self) -> tuple[str, float]:
        """The likeliest red-flag id and how likely it is."""

    @property
    def words(self) -> str:
        """The word that tells that red flag most."""


class SecondOpinion(Protocol):
    """A word model (`skill.core.word_model.WordModel`)."""

    def read(self, text: str) -> Opinion: ...


_SECTIONS: Final = frozenset(
    {"rewrite", "clause_break", "ignore", "words", "negation", "symptoms", "concerns"}
)
"""The sections of a safety data file."""
_Needles = tuple[str, ...] | None
_GRAM: Final = 3
"""Letters in a piece of text the needle index is keyed by (`_NeedleIndex`)."""
_MOST_NEEDLES: Final = 8
"""A pattern with more needles than this is searched straight away (`Detector._finds`):
testing them all would cost about what the search does."""
_WORD_REF = re.compile(r"\{([a-z_]+)\}")
_GROUP_REF = re.compile(r"\\[1-9]|\(\?P=|\(\?\(")
"""A back-reference or a conditional group may be in a pattern with this (it may say so
wrongly, never miss one): such patterns are not joined with others (group numbers move)."""
_MOST_JOINED: Final = 256
"""Joined figures of speech kept compiled (`Detector._figures`); more are compiled again."""
_NOT_LETTERS = re.compile(r"[^a-z ]+")
_SPACES = re.compile(r" {2,}")


class SafetyDataError(ValueError):
    """The safety data file is missing or malformed; the message names the file and the key."""


@dataclass(frozen=True)
class Finding:
    """A symptom found in an utterance."""

    category: Category
    """``red_flag`` (end the session, advise urgent care), ``nerve`` or ``pain`` (stop the
    technique, calm guidance)."""
    symptom_id: str
    """The id the engine and the phrases know: ``PAIN``, ``NUMBNESS``, ``RED_FLAG_FALL``..."""
    words: str
    """The normalised words that said it, for logs and tests."""


@dataclass(frozen=True)
class _Judged:
    """An utterance read by the rules and the word model (`Detector._judge`)."""

    found: Finding | None
    """The finding: the rules', unless the model doubts their red flag."""
    doubted: Finding | None = None
    """The rules' red flag the model is sure is nothing: asked about, never dropped."""
    modelled: Finding | None = None
    """A red flag the model is sure of where the rules found none: asked about."""


@dataclass(frozen=True)
class _Rule:
    """Patterns that must all be in one clause; negation is judged at the first one."""

    anchor: re.Pattern[str]
    """Where the symptom is; negation is looked for just before it, relief just after."""
    context: tuple[re.Pattern[str], ...]
    """Other words that must be in the same clause (a body part, "both legs")."""
    needles: tuple[tuple[str, ...], ...] = field(init=False, compare=False, repr=False)
    """The needles of each pattern that has some (`skill.core.needles`): a text that lacks
    all the needles of one of them cannot hold the rule, which is then not searched."""

    def __post_init__(self) -> None:
        found = (needles(pattern) for pattern in (self.anchor, *self.context))
        object.__setattr__(self, "needles", tuple(n for n in found if n is not None))

    @cached_property
    def anywhere(self) -> re.Pattern[str]:
        """The anchor in clauses joined one to a line: a rule whose anchor is in none of
        them is skipped with one search."""
        return re.compile(self.anchor.pattern, re.MULTILINE)


@dataclass(frozen=True)
class _NeedleIndex:
    """Which of some patterns may be in a text: those that find a needle of each set in it.

    Each pattern (a rule, a rewrite, a figure of speech: by its position in a list) has needle
    sets (`skill.core.needles`: one needle of each is in every match), and can be in a text
    only when the text holds a needle of every set. The text's needles are found first, each
    needle tested once however many patterns share it: a needle of three letters or more is
    filed under its rarest piece of three letters, and tested only when the text has that
    piece; a shorter one is tested in every text. A pattern is filed under the needles of its
    smallest set; one with no set is a candidate in every text. So the candidates are exactly
    the patterns whose every set has a needle in the text, at a cost that hardly grows with
    the number of patterns.
    """

    sets: tuple[tuple[frozenset[str], ...], ...]
    """The needle sets of the pattern at each position."""
    by_needle: dict[str, tuple[int, ...]]
    """A needle -> the positions of the patterns whose smallest set holds it."""
    by_gram: dict[str, tuple[str, ...]]
    """A piece of three letters -> the needles filed under it."""
    short: tuple[str, ...]
    """Needles shorter than a piece: tested in every text."""
    always: tuple[int, ...]
    """Positions of the patterns with no needle set: candidates in every text."""

    @classmethod
    def of(cls, sets: Sequence[Sequence[Sequence[str]]]) -> _NeedleIndex:
        """``sets[i]`` is the needle sets of the pattern at position ``i``."""
        frozen = tuple(tuple(frozenset(each) for each in item) for item in sets)
        every = sorted({n for item in frozen for each in item for n in each})
        shared = Counter(g for n in every for g in _grams(n))
        by_gram: dict[str, list[str]] = {}
        for needle in every:
            if len(needle) >= _GRAM:
                rarest = min(sorted(_grams(needle)), key=shared.__getitem__)
                by_gram.setdefault(rarest, []).append(needle)
        by_needle: dict[str, list[int]] = {}
        for position, item in enumerate(frozen):
            smallest: frozenset[str] = min(item, key=len, default=frozenset())
            for needle in sorted(smallest):
                by_needle.setdefault(needle, []).append(position)
        return cls(
            sets=frozen,
            by_needle={n: tuple(ids) for n, ids in by_needle.items()},
            by_gram={g: tuple(ns) for g, ns in by_gram.items()},
            short=tuple(n for n in every if len(n) < _GRAM),
            always=tuple(p for p, item in enumerate(frozen) if not item),
        )

    def needles_in(self, text: str) -> set[str]:
        """Every needle of the patterns that is in ``text``."""
        found = {n for n in self.short if n in text}
        for gram in self.by_gram.keys() & _grams(text):
            found.update(n for n in self.by_gram[gram] if n in text)
        return found

    def candidates(self, text: str) -> list[int]:
        """The positions, in order, of the patterns that may be in ``text``: each of their
        needle sets has a needle in it. The others cannot be."""
        found = self.needles_in(text)
        filed = {p for needle in found for p in self.by_needle.get(needle, ())}
        held = [p for p in filed if all(not found.isdisjoint(s) for s in self.sets[p])]
        return sorted((*held, *self.always))


def _grams(text: str) -> set[str]:
    return {text[i : i + _GRAM] for i in range(len(text) - _GRAM + 1)}


@dataclass(frozen=True)
class _AnyOf:
    """Patterns of which it is only asked whether any is in a text (`Detector._cancelled`).

    Many of them start with the same word list ("{someone_else} has ...", "{someone_else} is
    the one with ..."): a text in which the list finds nothing holds none of them. So each
    pattern that starts with a word list (`skill.core.needles.starts_with` proves it from the
    pattern: every match of it starts with a match of the list) is filed under the list,
    which is searched once; its patterns are searched only when it is found. The others are
    searched as they are. The answer is the one ``any(p.search(text) for p in patterns)``
    gives, with fewer searches.
    """

    groups: tuple[tuple[re.Pattern[str] | None, tuple[re.Pattern[str], ...]], ...]
    """(a word list, or None for the patterns that start with none; its patterns)."""

    @classmethod
    def of(cls, patterns: Sequence[re.Pattern[str]], words: Sequence[str]) -> _AnyOf:
        """``words`` are the alternations of the word lists, as patterns hold them."""
        filed: dict[tuple[str, int] | None, list[re.Pattern[str]]] = {}
        for pattern in patterns:
            leads = [
                lead
                for alternation in words
                for lead in (rf"\b(?:{alternation})", f"(?:{alternation})")
                if starts_with(pattern, lead)
            ]
            lead = max(leads, key=len, default=None)
            filed.setdefault(None if lead is None else (lead, pattern.flags), []).append(pattern)
        return cls(
            tuple(
                (None if key is None else re.compile(*key), tuple(group))
                for key, group in filed.items()
            )
        )

    def found(self, text: str) -> bool:
        """Whether any of the patterns is in ``text``."""
        return any(
            (lead is None or lead.search(text) is not None)
            and any(pattern.search(text) for pattern in group)
            for lead, group in self.groups
        )


@dataclass(frozen=True)
class _Symptom:
    category: Category
    symptom_id: str
    rules: tuple[_Rule, ...]
    any_anchor: re.Pattern[str]
    """Every rule's first pattern in one: a quick test that spares most utterances the rules."""


@dataclass(frozen=True)
class Detector:
    """A compiled safety data file; :meth:`detect` is pure and fast."""

    rewrites: tuple[tuple[re.Pattern[str], str], ...]
    """Applied in order to the lower-cased utterance (contractions, misspellings)."""
    clause_break: re.Pattern[str]
    """Where one clause ends and the next begins."""
    ignore: re.Pattern[str] | None
    """Figures of speech removed before matching: `figures` joined in one."""
    negated_before: tuple[re.Pattern[str], ...]
    """Matched against the clause up to a symptom: a negation there cancels it."""
    someone_else: tuple[re.Pattern[str], ...]
    """Matched there too: the symptom is someone else's ("my son fell off his bike")..."""
    speaking_for: tuple[re.Pattern[str], ...]
    """...unless, anywhere in the utterance, someone speaks for the user ("I'm helping Mum,
    she says her leg won't take her weight")..."""
    third_person: re.Pattern[str] | None
    named: re.Pattern[str] | None
    """...or says "he" or "she" (`third_person`) with nobody `named` ("she says her bottom's
    gone dead where she sits": a carer speaks of the user)."""
    relieved_after: tuple[re.Pattern[str], ...]
    """Matched against the clause after a symptom: relief there cancels it."""
    affirm: tuple[re.Pattern[str], ...]
    """Anywhere in the clause, these cancel negation and relief ("it doesn't stop hurting")."""
    past: tuple[re.Pattern[str], ...]
    """Anywhere in a symptom's clause: it was said in the past ("yesterday", "last week")."""
    over_later: tuple[re.Pattern[str], ...]
    """At the start of a later clause: a symptom said in the past is over ("it is fine now")."""
    long_ago: tuple[re.Pattern[str], ...]
    """Anywhere in the utterance: its past is long ago ("years ago", "last winter"), so even a
    red flag said in the past can be over."""
    symptoms: tuple[_Symptom, ...]
    """In priority order: red flags, then nerve symptoms, then pain."""
    concerns: tuple[_Symptom, ...] = ()
    """Wider rules for what may be a symptom, in the same order: asked about, never acted on."""
    calm: re.Pattern[str] | None = None
    """Anywhere in a clause, words of feeling well: no concern there ("my legs feel great")."""
    hypothetical: re.Pattern[str] | None = None
    """Anywhere in a clause, a question about what might happen ("what should I do if my leg
    goes numb", "what if I lose control of my bladder"): its symptom is asked about, since
    it may be happening, but not acted on."""
    word_model: SecondOpinion | None = None
    """The second opinion on every utterance (`skill.core.word_model`)..."""
    ask: float | None = None
    """...a red flag it gives at least this probability is asked about when no rule found
    one..."""
    doubt: float | None = None
    """...and a rule's red flag it gives at least this probability of no symptom is asked
    about instead of found (`concerns.model`; without it, the model is never asked)..."""
    doubt_words: int = 0
    """...in an utterance of at least this many words: a story ("my dad has been wetting
    himself at night"), not a red flag named ("bladder problems", which the model, having read
    "no bladder problems" so often, takes for nothing)."""
    figures: tuple[re.Pattern[str], ...] = ()
    """The figures of speech one by one (`ignore` is them joined), so that only those that
    may be in a text are searched (`_figures`)."""
    words: tuple[str, ...] = ()
    """The word lists' alternations, as the patterns hold them: a pattern that starts with
    one is searched only where the list is found (`_AnyOf`)."""
    prefilter: bool = True
    """Skip a search whose pattern's needles (`skill.core.needles`: strings one of which is in
    every match) are all missing from the text. The answers are the same without it, only
    slower: a search is skipped only when it could find nothing (a test holds it to that)."""
    _last: dict[str, tuple[str, str, tuple[str, ...]]] = field(
        default_factory=dict, init=False, compare=False, hash=False, repr=False
    )
    """The last utterance read, normalised and cut into clauses: the resolver reads one
    utterance three ways (`detect`, `concern`, `denies`), and normalising is most of the cost.
    One entry, replaced whole, so threads sharing the detector never see half of one."""
    _judged: dict[str, tuple[str, _Judged]] = field(
        default_factory=dict, init=False, compare=False, hash=False, repr=False
    )
    """The last utterance judged with the model (`_judge`). One entry, replaced whole, like
    `_last`."""
    _joined: dict[tuple[int, ...], re.Pattern[str]] = field(
        default_factory=dict, init=False, compare=False, hash=False, repr=False
    )
    """Figures of speech joined (`_figures`), by their positions in `figures`."""

    @classmethod
    def from_file(cls, path: Path | str) -> Detector:
        """Load a safety data file (YAML)."""
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as error:
            raise SafetyDataError(f"{path}: cannot read: {error.strerror or error}") from None
        return cls.from_yaml(text, str(path))

    @classmethod
    def from_yaml(cls, text: str, source: str = "<string>") -> Detector:
        """Parse safety data from YAML text; ``source`` names it in errors."""
        import yaml  # only when the detector is first needed: not on a cold start's launch

        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as error:
            raise SafetyDataError(f"{source}: not valid YAML: {error}") from None
        return cls.from_dict(data, source)

    @classmethod
    def from_dict(cls, data: Any, source: str = "<data>") -> Detector:
        """Compile parsed safety data; every error names ``source`` and the key."""
        return _Compiler(source).detector(data)

    def detect(self, text: str) -> Finding | None:
        """The most urgent symptom said in ``text``, or None when it says none."""
        return self._judge(text).found

    def ruled(self, text: str) -> Finding | None:
        """The most urgent symptom the rules alone find in ``text``."""
        clauses = [clause for clause in self._read(text)[1] if not self._asks_what_if(clause)]
        # One line per clause, so a pattern that ends a clause ("(?= $)") finds its end.
        joined = "\n".join(clauses)
        return self._first(self.symptoms, clauses, joined, _CAN_BE_OVER)

    def _judge(self, text: str) -> _Judged:
        """The rules' finding with the model's second opinion (`_Judged`)."""
        last = self._judged.get("text")
        if last is not None and last[0] == text:
            return last[1]
        found = self.ruled(text)
        judged = _Judged(found)
        if self.word_model is not None and self.ask is not None and self.doubt is not None:
            opinion = self.word_model.read(text)
            if found is not None and found.category == "red_flag":
                told = len(text.split()) >= self.doubt_words
                if told and opinion.none >= self.doubt:
                    judged = _Judged(None, doubted=found)
            else:
                symptom_id, probability = opinion.red_flag
                if probability >= self.ask:
                    sure = Finding("red_flag", symptom_id, opinion.words)
                    judged = _Judged(found, modelled=sure)
        self._judged["text"] = (text, judged)
        return judged

    def _asks_what_if(self, clause: str) -> bool:
        """Whether `clause` asks what might happen ("what should I do if...")."""
        return self.hypothetical is not None and self._finds(self.hypothetical, clause)

    def _spoken_for(self, joined: str) -> bool:
        """Whether someone speaks for the user, so "she" and "her leg" are the user's."""
        if any(self._finds(pattern, joined) for pattern in self.speaking_for):
            return True
        pronoun, named = self.third_person, self.named
        return bool(
            pronoun and named and self._finds(pronoun, joined) and not self._finds(named, joined)
        )

    def _finds(self, pattern: re.Pattern[str], text: str) -> bool:
        """Whether ``pattern`` is in ``text``; not searched when the prefilter knows it cannot
        be (its needles are all missing)."""
        if self.prefilter:
            found = self._needles.get(id(pattern))
            if found is not None and not any(map(text.__contains__, found)):
                return False
        return pattern.search(text) is not None

    @cached_property
    def _rules(self) -> tuple[_Rule, ...]:
        """Every rule of the symptoms and concerns, at its position in `_rule_index`."""
        return tuple(rule for s in (*self.symptoms, *self.concerns) for rule in s.rules)

    @cached_property
    def _rule_index(self) -> _NeedleIndex:
        return _NeedleIndex.of([rule.needles for rule in self._rules])

    @cached_property
    def _rule_owner(self) -> tuple[_Symptom, ...]:
        """The symptom (or concern) of the rule at each position of `_rules`."""
        return tuple(s for s in (*self.symptoms, *self.concerns) for _rule in s.rules)

    @cached_property
    def _needles(self) -> dict[int, tuple[str, ...]]:
        """The needles of every pattern that has some, found once (`skill.core.needles`), by
        the pattern's id (hashing a pattern hashes its text: slow for a long one)."""
        patterns = [
            *self.negated_before,
            *self.someone_else,
            *self.speaking_for,
            *self.relieved_after,
            *self.affirm,
            *self.past,
            *self.over_later,
            *self.long_ago,
            *(p for p in (self.third_person, self.named, self.calm) if p is not None),
            *(p for p in (self.hypothetical, self.ignore) if p is not None),
        ]
        found = ((pattern, needles(pattern)) for pattern in patterns)
        return {
            id(pattern): each
            for pattern, each in found
            if each is not None and len(each) <= _MOST_NEEDLES
        }

    def concern(
        self, text: str, found: Finding | None = None, *, model: bool = True
    ) -> Finding | None:
        """A symptom ``text`` may be telling though no rule says it outright ("the wee just
        won't come", "my leg feels like lead"): the front-end asks ("has your bladder or
        bowel control changed?") and acts on it only after a yes.

        ``found`` is what :meth:`detect` found in ``text``. When it is pain or a nerve
        symptom, only a red flag is a concern ("the dog pulled me over and my hip is sore": a
        fall?); when it is a red flag, nothing is. When nothing was found, None also when the
        utterance denies a symptom ("no numbness down below"). Never in a clause that says all
        is well ("my legs feel great"), nor in one that is past and over. A rule's red flag the
        word model doubts comes first of all; then, unless ``model`` is False (the caller knows
        the words are a command: "two" answering the pain check), a red flag the model is sure
        of.
        """
        if found is not None and found.category == "red_flag":
            return None
        judged = self._judge(text)
        if found is None and judged.doubted is not None:
            return judged.doubted
        if model and judged.modelled is not None:
            return judged.modelled
        asked = self._what_if(text, found)
        if asked is not None:
            return asked
        if found is None and self.denies(text):
            return None
        concerns = [c for c in self.concerns if found is None or c.category == "red_flag"]
        every = self._read(text)[1]
        clauses = [clause for clause in every if self.calm is None or not self.calm.search(clause)]
        return self._first(concerns, clauses, "\n".join(clauses), frozenset(CATEGORIES))

    def _what_if(self, text: str, found: Finding | None) -> Finding | None:
        """The symptom a question about what might happen names (a red flag only, when
        `found` is pain or a nerve symptom), read by the symptoms' own rules."""
        clauses = [clause for clause in self._read(text)[1] if self._asks_what_if(clause)]
        if not clauses:
            return None
        symptoms = [s for s in self.symptoms if found is None or s.category == "red_flag"]
        return self._first(symptoms, clauses, "\n".join(clauses), _CAN_BE_OVER)

    def _first(
        self,
        symptoms: Sequence[_Symptom],
        clauses: Sequence[str],
        joined: str,
        can_be_over: frozenset[Category],
    ) -> Finding | None:
        """The first of ``symptoms`` a rule finds in ``clauses`` (``joined`` one to a line)."""
        spoken_for = self._spoken_for(joined)
        for symptom, rule in self._may_hold(symptoms, joined):
            if not rule.anywhere.search(joined):
                continue
            for index, clause in enumerate(clauses):
                words = self._match(rule, clause, spoken_for)
                if words is None:
                    continue
                overdue = symptom.category in can_be_over or self._long_ago(clauses)
                if overdue and self._over(clauses, index):
                    continue
                return Finding(symptom.category, symptom.symptom_id, words)
        return None

    def _may_hold(self, symptoms: Sequence[_Symptom], joined: str) -> list[tuple[_Symptom, _Rule]]:
        """The rules of ``symptoms``, in order, that may be in ``joined``: with the prefilter,
        only those whose needles are there (`_rule_index`), found without a look at the
        others; without it, those of the symptoms whose anchors one search finds."""
        if not self.prefilter:
            return [
                (symptom, rule)
                for symptom in symptoms
                if symptom.any_anchor.search(joined)
                for rule in symptom.rules
            ]
        order = {id(symptom): rank for rank, symptom in enumerate(symptoms)}
        owner = self._rule_owner
        held = [
            (order[id(owner[p])], p)
            for p in self._rule_index.candidates(joined)
            if id(owner[p]) in order
        ]
        return [(owner[p], self._rules[p]) for _rank, p in sorted(held)]

    def category_of(self, symptom_id: str) -> Category | None:
        """The category of a symptom id this detector knows; None for another id."""
        return next((s.category for s in self.symptoms if s.symptom_id == symptom_id), None)

    def denies(self, text: str) -> bool:
        """Whether `text` names a symptom only to deny it: a rule's words are there, but
        negated, relieved or in a figure of speech ("no fever", "the pain is gone", "what a
        pain"). Where `detect` finds nothing and this holds, nothing else may read pain."""
        normal, clauses = self._read(text)
        figures = self._figures(normal)
        if figures is not None and figures.search(normal):
            return True
        return any(
            rule.anchor.search(clause) and all(p.search(clause) for p in rule.context)
            for symptom in self.symptoms
            for rule in symptom.rules
            for clause in clauses
        )

    def _rewritten(self, text: str) -> str:
        normal = text.lower()
        if not self.prefilter:
            for pattern, replacement in self.rewrites:
                normal = pattern.sub(replacement, normal)
            return normal
        # A rewrite none of whose needles is in the text (as rewritten so far) would change
        # nothing; the candidates after it are found again whenever a rewrite changes the text.
        index = self._rewrite_index
        pending = index.candidates(normal)
        while pending:
            position = pending.pop(0)
            pattern, replacement = self.rewrites[position]
            changed = pattern.sub(replacement, normal)
            if changed != normal:
                normal = changed
                pending = [p for p in index.candidates(normal) if p > position]
        return normal

    @cached_property
    def _rewrite_needles(self) -> tuple[_Needles, ...]:
        """Each rewrite's needles (None: always applied); most utterances need a few."""
        return tuple(needles(pattern) for pattern, _ in self.rewrites)

    @cached_property
    def _rewrite_index(self) -> _NeedleIndex:
        return _NeedleIndex.of([() if n is None else (n,) for n in self._rewrite_needles])

    def clauses(self, text: str) -> list[str]:
        """``text`` normalised and cut into clauses, each with a space at both ends."""
        return list(self._read(text)[1])

    def _read(self, text: str) -> tuple[str, tuple[str, ...]]:
        """``text`` rewritten (contractions, misspellings), and cut into clauses."""
        last = self._last.get("text")
        if last is not None and last[0] == text:
            return last[1], last[2]
        normal = self._rewritten(text)
        figures = self._figures(normal)
        cut = figures.sub(" , ", normal) if figures is not None else normal
        out = []
        for piece in self.clause_break.split(cut):
            clause = _SPACES.sub(" ", _NOT_LETTERS.sub(" ", piece)).strip()
            if clause:
                out.append(f" {clause} ")
        clauses = tuple(out)
        self._last["text"] = (text, normal, clauses)
        return normal, clauses

    def _match(self, rule: _Rule, clause: str, spoken_for: bool = False) -> str | None:
        found = list(rule.anchor.finditer(clause))
        if not found or not all(pattern.search(clause) for pattern in rule.context):
            return None
        for match in found:
            before, after = clause[: match.start()], clause[match.end() :]
            if self._cancelled(before, after, spoken_for) and not self._affirmed(clause):
                continue
            return match.group(0)
        return None

    def _cancelled(self, before: str, after: str, spoken_for: bool) -> bool:
        """Whether a negation just before or relief just after cancels a symptom, or it is
        someone else's (unless someone speaks for the user)."""
        if not self.prefilter:
            return (
                any(p.search(before) for p in self.negated_before)
                or (not spoken_for and any(p.search(before) for p in self.someone_else))
                or any(p.search(after) for p in self.relieved_after)
            )
        negated, theirs, relieved = self._any_of
        return (
            negated.found(before)
            or (not spoken_for and theirs.found(before))
            or relieved.found(after)
        )

    @cached_property
    def _any_of(self) -> tuple[_AnyOf, _AnyOf, _AnyOf]:
        """`negated_before`, `someone_else` and `relieved_after`, each filed by word list."""
        return (
            _AnyOf.of(self.negated_before, self.words),
            _AnyOf.of(self.someone_else, self.words),
            _AnyOf.of(self.relieved_after, self.words),
        )

    def _figures(self, normal: str) -> re.Pattern[str] | None:
        """`ignore`, or only those of its figures of speech that are in ``normal``, joined in
        the same order: a figure that is nowhere in the text changes no match of the others,
        so the result is the same. A figure is searched only when its needles are there; most
        texts hold none, and most of the rest one (used as it is). None when there are none.
        All of `ignore` when the figures are not known one by one or hold group references."""
        if not self.prefilter or not self._figures_apart:
            return self.ignore
        figures = self.figures
        positions = tuple(
            p for p in self._figure_index.candidates(normal) if figures[p].search(normal)
        )
        if len(positions) < 2:
            return figures[positions[0]] if positions else None
        joined = self._joined.get(positions)
        if joined is None:
            if len(self._joined) >= _MOST_JOINED:
                self._joined.clear()
            joined = re.compile("|".join(self.figures[p].pattern for p in positions))
            self._joined[positions] = joined
        return joined

    @cached_property
    def _figures_apart(self) -> bool:
        """Whether `figures` are `ignore` one by one, with no group reference among them."""
        return (
            self.ignore is not None
            and "|".join(p.pattern for p in self.figures) == self.ignore.pattern
            and all(p.flags == self.ignore.flags for p in self.figures)
            and not any(_GROUP_REF.search(p.pattern) for p in self.figures)
        )

    @cached_property
    def _figure_index(self) -> _NeedleIndex:
        found = (needles(pattern) for pattern in self.figures)
        return _NeedleIndex.of([() if n is None else (n,) for n in found])

    def _long_ago(self, clauses: Sequence[str]) -> bool:
        """Whether the utterance says its past is long ago ("last winter I had a fever, but
        that was the flu, all gone")."""
        return any(p.search(clause) for clause in clauses for p in self.long_ago)

    def _over(self, clauses: Sequence[str], index: int) -> bool:
        """Whether the clause at ``index`` is in the past and a later clause says it is over."""
        return any(p.search(clauses[index]) for p in self.past) and any(
            p.search(later) for later in clauses[index + 1 :] for p in self.over_later
        )

    def _affirmed(self, clause: str) -> bool:
        """Whether the clause cancels negation and relief ("it doesn't stop hurting")."""
        return any(pattern.search(clause) for pattern in self.affirm)


class _Compiler:
    """Turns parsed YAML into a :class:`Detector`, naming ``source`` and the key in errors."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.words: dict[str, str] = {}

    def fail(self, key: str, message: str) -> SafetyDataError:
        return SafetyDataError(f"{self.source}: {key}: {message}")

    def detector(self, data: Any) -> Detector:
        if not isinstance(data, Mapping):
            raise SafetyDataError(f"{self.source}: must be a mapping of sections")
        unknown = set(data) - _SECTIONS
        if unknown:
            raise self.fail(sorted(map(str, unknown))[0], "unknown section")
        self.words = self.word_lists(data.get("words", {}))
        negation = self.mapping(data.get("negation", {}), "negation")
        symptoms = self.symptoms(data.get("symptoms"))
        concerns = self.mapping(data.get("concerns", {"ask": {}}), "concerns")
        ignore = self.patterns(data.get("ignore", []), "ignore", bound=True)
        return Detector(
            rewrites=self.rewrites(data.get("rewrite", [])),
            clause_break=self.compile(self.required(data, "clause_break"), "clause_break"),
            ignore=re.compile("|".join(p.pattern for p in ignore)) if ignore else None,
            figures=ignore,
            words=tuple(self.words.values()),
            negated_before=self.patterns(negation.get("before", []), "negation.before"),
            someone_else=self.patterns(negation.get("someone_else", []), "negation.someone_else"),
            speaking_for=self.patterns(
                negation.get("speaking_for", []), "negation.speaking_for", bound=True
            ),
            third_person=self.optional(negation, "third_person", "negation.third_person"),
            named=self.optional(negation, "named", "negation.named"),
            relieved_after=self.patterns(negation.get("after", []), "negation.after"),
            affirm=self.patterns(negation.get("affirm", []), "negation.affirm"),
            past=self.patterns(negation.get("past", []), "negation.past", bound=True),
            over_later=self.patterns(negation.get("over_later", []), "negation.over_later"),
            long_ago=self.patterns(negation.get("long_ago", []), "negation.long_ago", bound=True),
            symptoms=symptoms,
            concerns=self.concerns(concerns.get("ask", {}), symptoms),
            calm=self.optional(concerns, "calm", "concerns.calm", bound=True),
            hypothetical=self.optional(
                concerns, "hypothetical", "concerns.hypothetical", bound=True
            ),
            **self.model_gate(concerns),
        )

    def model_gate(self, concerns: Mapping[str, Any]) -> dict[str, Any]:
        """`concerns.model`: how sure the word model must be to ask and to doubt."""
        if "model" not in concerns:
            return {}
        gate = self.mapping(concerns["model"], "concerns.model")
        unknown = set(gate) - {"ask", "doubt", "doubt_words"}
        if unknown:
            raise self.fail(f"concerns.model.{sorted(unknown)[0]}", "unknown key")
        sure: dict[str, Any] = {}
        for key in ("ask", "doubt"):
            value = gate.get(key)
            if (
                isinstance(value, bool)
                or not isinstance(value, int | float)
                or not 0.5 <= value <= 1
            ):
                raise self.fail(f"concerns.model.{key}", "must be a number from 0.5 to 1")
            sure[key] = float(value)
        words = gate.get("doubt_words", 0)
        if isinstance(words, bool) or not isinstance(words, int) or words < 0:
            raise self.fail("concerns.model.doubt_words", "must be a whole number, 0 or more")
        return {**sure, "doubt_words": words}

    def optional(
        self, data: Mapping[str, Any], key: str, name: str, *, bound: bool = False
    ) -> re.Pattern[str] | None:
        return self.compile(data[key], name, bound=bound) if key in data else None

    def required(self, data: Mapping[str, Any], key: str) -> Any:
        if key not in data:
            raise self.fail(key, "missing")
        return data[key]

    def mapping(self, value: Any, key: str) -> Mapping[str, Any]:
        if not isinstance(value, Mapping) or not value:
            raise self.fail(key, "must be a non-empty mapping")
        return value

    def text(self, value: Any, key: str) -> str:
        if not isinstance(value, str) or not value.strip():
            raise self.fail(key, "must be a non-empty string")
        return value

    def expand(self, pattern: str, key: str) -> str:
        def word(match: re.Match[str]) -> str:
            name = match.group(1)
            if name not in self.words:
                raise self.fail(key, f"unknown word list {{{name}}}")
            return f"(?:{self.words[name]})"

        return _WORD_REF.sub(word, pattern)

    def compile(self, value: Any, key: str, *, bound: bool = False) -> re.Pattern[str]:
        pattern = self.expand(self.text(value, key), key)
        if bound:
            pattern = rf"\b(?:{pattern})\b"
        try:
            return re.compile(pattern)
        except re.error as error:
            raise self.fail(key, f"bad pattern: {error}") from None

    def patterns(self, value: Any, key: str, *, bound: bool = False) -> tuple[re.Pattern[str], ...]:
        if not isinstance(value, list):
            raise self.fail(key, "must be a list of patterns")
        return tuple(self.compile(item, f"{key}[{i}]", bound=bound) for i, item in enumerate(value))

    def rewrites(self, value: Any) -> tuple[tuple[re.Pattern[str], str], ...]:
        if not isinstance(value, list):
            raise self.fail("rewrite", "must be a list of [pattern, replacement]")
        out = []
        for i, item in enumerate(value):
            key = f"rewrite[{i}]"
            if not (isinstance(item, list) and len(item) == 2 and isinstance(item[1], str)):
                raise self.fail(key, "must be [pattern, replacement]")
            out.append((self.compile(item[0], key), item[1]))
        return tuple(out)

    def word_lists(self, value: Any) -> dict[str, str]:
        if not isinstance(value, Mapping):
            raise self.fail("words", "must be a mapping of names to alternations")
        for name, alternation in value.items():
            key = f"words.{name}"
            # A list may use the lists written before it.
            self.words[str(name)] = self.compile(self.text(alternation, key), key).pattern
        return self.words

    def symptoms(self, value: Any) -> tuple[_Symptom, ...]:
        sections = self.mapping(value, "symptoms")
        for name in sections:
            if name not in CATEGORIES:
                known = ", ".join(CATEGORIES)
                raise self.fail(f"symptoms.{name}", f"unknown category (use {known})")
        out: list[_Symptom] = []
        seen: set[str] = set()
        for category in CATEGORIES:
            if category not in sections:
                raise self.fail(f"symptoms.{category}", "missing")
            ids = self.mapping(sections[category], f"symptoms.{category}")
            for symptom_id, rules in ids.items():
                key = f"symptoms.{category}.{symptom_id}"
                if not isinstance(symptom_id, str) or symptom_id != symptom_id.upper():
                    raise self.fail(key, "a symptom id is written in capitals, like NUMBNESS")
                if symptom_id in seen:
                    raise self.fail(key, "this id is already in another category")
                if (category == "red_flag") != symptom_id.startswith(RED_FLAG_PREFIX):
                    raise self.fail(key, f"red flags, and only they, start with {RED_FLAG_PREFIX}")
                seen.add(symptom_id)
                compiled = self.rules(rules, key)
                out.append(_Symptom(category, symptom_id, compiled, _any(compiled)))
        return tuple(out)

    def concerns(self, value: Any, symptoms: Sequence[_Symptom]) -> tuple[_Symptom, ...]:
        """The concern rules of known symptom ids, in the symptoms' priority order."""
        if not isinstance(value, Mapping):
            raise self.fail("concerns.ask", "must be a mapping of symptom ids to rules")
        known = {symptom.symptom_id: symptom.category for symptom in symptoms}
        for symptom_id in value:
            if symptom_id not in known:
                raise self.fail(f"concerns.ask.{symptom_id}", "not a symptom id of `symptoms`")
        out = []
        for symptom in symptoms:
            if symptom.symptom_id in value:
                key = f"concerns.ask.{symptom.symptom_id}"
                compiled = self.rules(value[symptom.symptom_id], key)
                out.append(_Symptom(symptom.category, symptom.symptom_id, compiled, _any(compiled)))
        return tuple(out)

    def rules(self, value: Any, key: str) -> tuple[_Rule, ...]:
        if not isinstance(value, list) or not value:
            raise self.fail(key, "must be a non-empty list of rules")
        out = []
        for i, item in enumerate(value):
            parts: Sequence[Any] = item if isinstance(item, list) else [item]
            if not parts:
                raise self.fail(f"{key}[{i}]", "an empty rule")
            compiled = [self.compile(p, f"{key}[{i}]", bound=True) for p in parts]
            out.append(_Rule(compiled[0], tuple(compiled[1:])))
        return tuple(out)


def _any(rules: Sequence[_Rule]) -> re.Pattern[str]:
    """One pattern that matches wherever the first pattern of any of ``rules`` does, in a
    clause or in clauses joined one to a line (``$`` ends each line)."""
    return re.compile("|".join(f"(?:{rule.anchor.pattern})" for rule in rules), re.MULTILINE)


@cache
def detector() -> Detector:
    """The shipped detector (``skill/core/safety.yaml``), loaded once."""
    from skill.core.word_model import ShippedModel  # it reads clauses with this module

    data = Path(__file__).parent / DATA_FILE
    rules = Detector.from_yaml(data.read_text(encoding="utf-8"), f"skill/core/{DATA_FILE}")
    return replace(rules, word_model=ShippedModel())


def detect(text: str) -> Finding | None:
    """The most urgent symptom said in ``text`` by the shipped detector, or None.

    Call it on every utterance before the resolver: a finding is the command, whatever else
    the words might match.
    """
    return detector().detect(text)
