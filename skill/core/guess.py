"""A guess at the command a sentence most likely means when no sample of the model reads it.

The resolver's samples are literal: "make the hold more longer" matches none of them. This
module learns, once, from the interaction model's own phrases which words each intent's samples
use, and scores a sentence's words against every intent: naive Bayes, each word (lightly
stemmed: "holds", "holding" and "hold" alike; numbers and units of time as one word each) and
each pair of words side by side weighs for an intent by how much more often that intent's
samples use it than the samples as a whole do. Words the samples never use weigh against every
guess, so a sentence about something else ("the soup is boiling over") stays unguessed, and so
does a sentence that opens as a story ("my physio showed me a stretch like this one"). A guess
needs enough evidence and a clear lead over the next intent, and it is only made for a command
that is safe and clear to offer (`skill.core.intents.GUESSED_INTENTS`); never pain, which the
safety detector reads, nor starting a routine.

It is a guess, so the front-end only asks about it ("Should I make the hold longer?"), never acts
on it: a yes does the command, a no leaves the routine as it was.
"""

from __future__ import annotations

import functools
import itertools
import math
from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Final

from skill.core.durations import DurationError, is_unit, words_to_number

__all__ = ["MIN_EVIDENCE", "MIN_LEAD", "Guess", "Guesser", "features"]

MIN_EVIDENCE: Final = 0.5
"""The least weight (natural log odds) the words must give the guessed intent."""
MIN_LEAD: Final = 1.5
"""The least lead of the guessed intent over the next one, in the same units."""
_UNKNOWN_WEIGHT: Final = 3.0
"""What each word the samples never use takes off every intent's weight."""
_SMOOTHING: Final = 0.05
"""Added to every count (Lidstone), so an intent that never used a word only weighs it down."""

_STOP_WORDS: Final = frozenset(
    """a an the this that these those it its is am are was were be been being i me my we us
    our you to of for on in at by with from and or so
    do does did doing done can could would will shall should may might must
    please um uh erm er hmm okay ok alright right well oh just now then there here
    dear love po na lah la""".split()  # noqa: SIM905
)
"""Words that say nothing about which command is meant (function words and fillers)."""
_STORY_OPENERS: Final = frozenset(
    "my your our his her their he she they someone somebody because cause since when while".split()  # noqa: SIM905
)
"""A sentence that opens with one of these tells a story, not a command."""
_NUMBER: Final = "#number"
_UNIT: Final = "#unit"


@dataclass(frozen=True)
class Guess:
    """The intent a sentence most likely means, and how sure the words make it."""

    intent: str
    """The guessed intent's name."""
    evidence: float
    """The words' weight for it (log odds against the samples as a whole)."""
    lead: float
    """Its lead over the next intent."""


@functools.lru_cache(maxsize=4096)
def _stem(word: str) -> str:
    """A word without its commonest endings ("holds", "holding", "held" stay close), numbers
    and units of time as one word each ("forty", "seconds")."""
    if _is_number(word):
        return _NUMBER
    if is_unit(word):
        return _UNIT
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3 and not word.endswith("ss"):
            return word[: -len(suffix)]
    return word


def _is_number(word: str) -> bool:
    try:
        words_to_number([word])
    except DurationError:
        return False
    return word not in ("a", "an", "one")  # more often articles and pronouns


def features(tokens: Sequence[str]) -> tuple[list[str], list[str]]:
    """The content words of normalised `tokens` (stemmed, without `_STOP_WORDS`), and the
    features scored: those words and every pair of them side by side."""
    words = [_stem(token) for token in tokens if token not in _STOP_WORDS]
    pairs = [f"{first} {second}" for first, second in itertools.pairwise(words)]
    return words, words + pairs


class Guesser:
    """Naive Bayes over the model's phrases: which intent a sentence's words most likely mean."""

    def __init__(
        self, phrases: Iterable[tuple[str, Sequence[str]]], offered: Collection[str]
    ) -> None:
        """Learn from (intent, normalised words) phrases; guess only intents in `offered`."""
        counts: dict[str, Counter[str]] = {}
        for intent, tokens in phrases:
            counts.setdefault(intent, Counter()).update(features(tokens)[1])
        overall: Counter[str] = Counter()
        for counted in counts.values():
            overall.update(counted)
        self.offered = frozenset(offered) & frozenset(counts)
        """The intents a guess may name."""
        self._vocabulary = frozenset(word for word in overall if " " not in word)
        size = len(overall) + 1
        total = sum(overall.values())
        self._background = {
            word: math.log((count + _SMOOTHING) / (total + _SMOOTHING * size))
            for word, count in overall.items()
        }
        self._weights: dict[str, dict[str, float]] = {}
        for intent, counted in counts.items():
            own = sum(counted.values()) + _SMOOTHING * size
            self._weights[intent] = {
                word: math.log((counted.get(word, 0) + _SMOOTHING) / own) - background
                for word, background in self._background.items()
            }

    def guess(self, tokens: Sequence[str]) -> Guess | None:
        """The offered intent normalised `tokens` most likely mean, or None when the words
        are not clearly about one (too little evidence, no clear lead, words of something
        else, a story's opening)."""
        if not tokens or tokens[0] in _STORY_OPENERS:
            return None
        words, scored = features(tokens)
        known = [feature for feature in scored if feature in self._background]
        if not known:
            return None
        unknown = sum(1 for word in words if word not in self._vocabulary)
        ranked = sorted(
            (
                (sum(weights[feature] for feature in known), intent)
                for intent, weights in self._weights.items()
            ),
            reverse=True,
        )
        (best, intent), (second, _) = ranked[0], ranked[1]
        evidence = best - _UNKNOWN_WEIGHT * unknown
        if intent not in self.offered or evidence < MIN_EVIDENCE or best - second < MIN_LEAD:
            return None
        return Guess(intent, evidence, best - second)
